/*
 * test_wasi_wbehind.c -- write-behind (wasi/wb.c) seen from the embedder:
 * a queued write's error reported once by a later call; lull_wasi_free,
 * the end of a task and snapshots while writes are queued.
 *
 * To have writes really queued when a test looks, the thread pool has one
 * thread (UV_THREADPOOL_SIZE=1, set before libuv starts it) and a
 * "blocker" job holds it on a semaphore until the test lets it go: the
 * guest's writes are acknowledged and wait behind it. The guest
 * (guests/wbehind.c) writes into a host file handed to it as fd 3; the
 * test checks the file from outside with the same pattern.
 *
 * The error: the process's RLIMIT_FSIZE is set to 1 MiB (SIGXFSZ
 * ignored), a real limit the kernel enforces in the pool thread, and the
 * guest writes 2 MiB.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "lull_uv.h"
#include "test_util.h"

static unsigned char pattern(uint64_t i) {
  return (unsigned char)(i * 31u + (i >> 16));
}

static int count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  int n = 0;
  if (!d)
    return -1;
  while (readdir(d))
    n++;
  closedir(d);
  return n;
}

/* 1 when `path` holds exactly `len` bytes of pattern(). */
static int holds_pattern(const char *path, uint64_t len) {
  size_t n = 0;
  unsigned char *b = wd_read_file(path, &n);
  int ok = b && n == len;
  for (size_t i = 0; ok && i < n; i++)
    ok = b[i] == pattern(i);
  free(b);
  return ok;
}

/* The guests' stdin and, unless captured, stdout: so that 0, 1 and 2
 * are taken and the file handed over becomes fd 3. */
static int dev_null(void) {
  int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  assert_true(fd >= 0);
  return fd;
}

static off_t size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? st.st_size : -1;
}

/* ------------------------------------------------------------------ */
/* Holding the one pool thread                                          */
/* ------------------------------------------------------------------ */

typedef struct blocker {
  uv_work_t req;
  uv_sem_t sem;
  int released;
} blocker;

static void block_work(uv_work_t *w) { uv_sem_wait(&((blocker *)w->data)->sem); }
static void block_after(uv_work_t *w, int status) {}

static void block_pool(uv_loop_t *loop, blocker *b) {
  assert_int_equal(uv_sem_init(&b->sem, 0), 0);
  b->released = 0;
  b->req.data = b;
  assert_int_equal(uv_queue_work(loop, &b->req, block_work, block_after), 0);
}

static void unblock_pool(blocker *b) {
  b->released = 1;
  uv_sem_post(&b->sem);
}

/* The tests that hold the pool get their blocker from cmocka's state, so
 * that one failing (cmocka leaves it by longjmp) lets the pool go for
 * the next. */
static int setup_blocker(void **state) {
  *state = calloc(1, sizeof(blocker));
  return *state ? 0 : -1;
}

static int teardown_blocker(void **state) {
  blocker *b = *state;
  if (b->req.data && !b->released)
    unblock_pool(b);
  free(b);
  return 0;
}

/* A host file for the guest's fd 3: dir/NAME, opened read-write. */
static int host_file(const char *dir, const char *name, char *path,
                     size_t len) {
  snprintf(path, len, "%s/%s", dir, name);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  assert_true(fd >= 0);
  return fd;
}

/* ------------------------------------------------------------------ */
/* With the WASI layer alone (the test driver)                          */
/* ------------------------------------------------------------------ */

typedef struct run {
  wd_guest *g;
  int done;
  int drained;
  const char *path;
} run;

static void guest_done(wd_guest *g, void *ud) { ((run *)ud)->done = 1; }

/* A guest of guests/wbehind.wasm with `argv`, writing into `fd` as its
 * fd 3; stdin is `null` (/dev/null), stdout `out_fd`. */
static wd_guest *start_guest(lull_engine *e, uv_loop_t *loop, lull_module *m,
                             int argc, const char **argv, int fd, int null,
                             int out_fd, run *r) {
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = argc;
  cfg.argv = argv;
  cfg.stdin_fd = null;
  cfg.stdout_fd = out_fd;
  wd_guest *g = wd_new(e, loop, m, &cfg, guest_done, r);
  assert_non_null(g);
  uint32_t gfd;
  lull_error err;
  assert_int_equal(lull_wasi_insert_fd(wd_wasi(g), fd, &gfd, &err), LULL_OK);
  assert_int_equal(gfd, 3);
  r->g = g;
  wd_start(g);
  return g;
}

/* The 17th chunk fails with EFBIG in the pool; the guest checks that the
 * error is reported once and that the file holds the first MiB. */
static void test_error_reported_by_the_next_call(void **state) {
  char *dir = tu_tempdir();
  char path[512];
  struct rlimit old, lim;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  lim.rlim_cur = 1u << 20;
  void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "wbehind");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int fd = host_file(dir, "limited.bin", path, sizeof path);
  int out = tu_capture(dir, "out");
  int null = dev_null();
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  const char *argv[] = {"wbehind", "efbig"};
  run r = {0};
  start_guest(e, &loop, m, 2, argv, fd, null, out, &r);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, old_sig);
  assert_true(r.done);
  assert_int_equal(wd_state_of(r.g), WD_EXITED);
  uint32_t code = wd_exit_code(r.g);
  wd_free(r.g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  char *text = tu_slurp(dir, "out");
  tu_expect_output(text, "wbehind_efbig");
  assert_int_equal(code, 0);
  assert_true(holds_pattern(path, 1u << 20));
  free(text);
  close(out);
  close(null);
  lull_module_free(m);
  lull_engine_free(e);
  tu_rmtree(dir);
  free(dir);
}

/* lull_wasi_free while `kib` KiB are acknowledged and queued behind the
 * blocker: nothing leaks, the descriptor is closed once they are written,
 * and the file holds all that the guest was told was written (for more
 * than the queue takes, the guest waits for room, and what it was told
 * is the 4 MiB queued). */
static void free_with_writes_queued(blocker *b, uint32_t kib,
                                    uint32_t told_kib) {
  char *dir = tu_tempdir();
  char path[512], size[16];
  int before = count_fds();
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "wbehind");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int fd = host_file(dir, "out.bin", path, sizeof path);
  int null = dev_null();
  block_pool(&loop, b);
  snprintf(size, sizeof size, "%u", kib);
  const char *argv[] = {"wbehind", "pending", size};
  run r = {0};
  wd_guest *g = start_guest(e, &loop, m, 3, argv, fd, null, null, &r);
  int open_now = count_fds();
  /* Parked: in its sleep, or waiting for room. */
  assert_false(r.done);
  assert_int_equal(lull_thread_state_of(wd_thread(g)), LULL_THREAD_SUSPENDED);
  assert_int_equal(lull_wasi_pending_writes(wd_wasi(g)),
                   (size_t)told_kib * 1024);
  wd_free(g);
  /* The job still holds the descriptor. */
  assert_int_equal(count_fds(), open_now);
  unblock_pool(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  uv_sem_destroy(&b->sem);
  close(null);
  assert_int_equal(count_fds(), before);
  assert_true(holds_pattern(path, (uint64_t)told_kib * 1024));
  lull_module_free(m);
  lull_engine_free(e);
  tu_rmtree(dir);
  free(dir);
}

static void test_free_with_writes_queued(void **state) {
  free_with_writes_queued(*state, 2048, 2048);
}

static void test_free_while_waiting_for_room(void **state) {
  free_with_writes_queued(*state, 8192, 4096);
}

static void on_drain(void *ud, lull_wasi *w) {
  run *r = ud;
  r->drained++;
  /* Everything is written now, and the context can be saved. */
  assert_int_equal(lull_wasi_pending_writes(w), 0);
  assert_true(holds_pattern(r->path, 1u << 20));
  uint8_t *bytes = NULL;
  size_t len = 0;
  lull_error err;
  assert_int_equal(lull_wasi_save(w, &bytes, &len, &err), LULL_OK);
  free(bytes);
  wd_free(r->g);
  r->g = NULL;
}

/* lull_wasi_save refuses while writes are queued; the drain callback says
 * when it can succeed. */
static void test_save_waits_for_queued_writes(void **state) {
  char *dir = tu_tempdir();
  char path[512];
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "wbehind");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int fd = host_file(dir, "out.bin", path, sizeof path);
  int null = dev_null();
  blocker *b = *state;
  block_pool(&loop, b);
  const char *argv[] = {"wbehind", "pending", "1024"};
  run r = {0};
  r.path = path;
  wd_guest *g = start_guest(e, &loop, m, 3, argv, fd, null, null, &r);
  assert_int_equal(lull_wasi_pending_writes(wd_wasi(g)), 1u << 20);
  uint8_t *bytes = NULL;
  size_t len = 0;
  lull_error err;
  memset(&err, 0, sizeof err);
  assert_int_equal(lull_wasi_save(wd_wasi(g), &bytes, &len, &err),
                   LULL_BADSTATE);
  assert_null(bytes);
  assert_non_null(strstr(err.message, "queued"));
  lull_wasi_set_drain_cb(wd_wasi(g), on_drain, &r);
  unblock_pool(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(r.drained, 1);
  assert_null(r.g);
  assert_int_equal(uv_loop_close(&loop), 0);
  uv_sem_destroy(&b->sem);
  close(null);
  lull_module_free(m);
  lull_engine_free(e);
  tu_rmtree(dir);
  free(dir);
}

/* ------------------------------------------------------------------ */
/* On the scheduler                                                     */
/* ------------------------------------------------------------------ */

typedef struct task_run {
  blocker *b;
  lull_uv_task *task;
  uv_timer_t poll;      /* watches the task until it is where the test
                           wants it */
  const char *path;
  uint64_t want;        /* bytes the file must hold at the exit */
  int exited, snapped;
  lull_uv_exit_kind kind;
  uint32_t code;
  lull_status snap_status;
  off_t snap_size;      /* the file's size when the snapshot was taken */
  size_t snap_pending;
  int write_err;        /* lull_wasi_write_error at the exit */
  uint32_t write_fd;
} task_run;

static void on_task_exit(lull_uv_task *task, const lull_uv_exit *ex,
                         void *ud) {
  task_run *t = ud;
  t->exited = 1;
  t->kind = ex->kind;
  t->code = ex->code;
  t->write_err = lull_wasi_write_error(lull_uv_task_wasi(task), &t->write_fd);
  if (ex->kind == LULL_UV_EXITED && t->want) {
    /* Reported only once the queued writes are in the file. */
    assert_true(t->b->released);
    assert_true(holds_pattern(t->path, t->want));
  }
}

static void on_snapshot(lull_uv_task *task, lull_status st,
                        const uint8_t *bytes, size_t len,
                        const lull_error *err, void *ud) {
  task_run *t = ud;
  t->snapped = 1;
  assert_true(t->b->released);
  t->snap_status = st;
  t->snap_size = size_of(t->path);
  t->snap_pending = lull_wasi_pending_writes(lull_uv_task_wasi(task));
  assert_false(t->exited);
}

static void kill_on_snapshot(lull_uv_task *task, lull_status st,
                             const uint8_t *bytes, size_t len,
                             const lull_error *err, void *ud) {
  on_snapshot(task, st, bytes, len, err, ud);
  lull_uv_task_kill(task);
}

/* Spawns guests/wbehind.wasm with `argv` writing into `path` as fd 3;
 * stdin and stdout are `null`. */
static lull_uv_task *spawn(lull_uv_sched *s, lull_module *m, int argc,
                           const char **argv, const char *path, int null,
                           task_run *t) {
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  cfg.wasi.argc = argc;
  cfg.wasi.argv = argv;
  cfg.wasi.stdin_fd = null;
  cfg.wasi.stdout_fd = null;
  lull_uv_task *task;
  lull_error err;
  assert_int_equal(lull_uv_task_spawn(s, m, &cfg, on_task_exit, t, &task,
                                      &err), LULL_OK);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  assert_true(fd >= 0);
  uint32_t gfd;
  assert_int_equal(lull_wasi_insert_fd(lull_uv_task_wasi(task), fd, &gfd,
                                       &err), LULL_OK);
  assert_int_equal(gfd, 3);
  return task;
}

typedef struct sched_env {
  char *dir;
  char path[512];
  lull_engine *e;
  lull_module *m;
  uv_loop_t loop;
  lull_uv_sched *s;
  int null;
} sched_env;

static void env_open(sched_env *v) {
  v->dir = tu_tempdir();
  snprintf(v->path, sizeof v->path, "%s/out.bin", v->dir);
  v->e = lull_engine_new(NULL);
  v->m = tu_guest(v->e, "wbehind");
  uv_loop_init(&v->loop);
  v->s = lull_uv_sched_new(&v->loop, v->e, NULL);
  assert_non_null(v->s);
  v->null = dev_null();
}

static void env_close(sched_env *v) {
  lull_uv_sched_free(v->s);
  uv_run(&v->loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&v->loop), 0);
  close(v->null);
  lull_module_free(v->m);
  lull_engine_free(v->e);
  tu_rmtree(v->dir);
  free(v->dir);
}

/* Every 2 ms, until the guest has ended (proc_exit) with its writes still
 * held behind the blocker: then the pool may go on. */
static void release_when_ended(uv_timer_t *h) {
  task_run *t = h->data;
  if (lull_uv_task_state_of(t->task) != LULL_UV_DONE)
    return;
  assert_false(t->exited);
  assert_int_equal(lull_wasi_pending_writes(lull_uv_task_wasi(t->task)),
                   2u << 20);
  unblock_pool(t->b);
  uv_close((uv_handle_t *)h, NULL);
}

/* Runs a guest that writes 2 MiB and calls proc_exit at once, with its
 * writes held behind the blocker until it has ended; `limit` (nonzero)
 * caps the size of files while it runs. */
static void exit_with_writes_held(void **state, sched_env *v, task_run *t,
                                  rlim_t limit) {
  struct rlimit old, lim;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  if (limit)
    lim.rlim_cur = limit;
  void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
  t->path = v->path;
  t->b = *state;
  block_pool(&v->loop, t->b);
  const char *argv[] = {"wbehind", "exit", "2048"};
  t->task = spawn(v->s, v->m, 3, argv, v->path, v->null, t);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
  uv_timer_init(&v->loop, &t->poll);
  t->poll.data = t;
  uv_timer_start(&t->poll, release_when_ended, 2, 2);
  uv_run(&v->loop, UV_RUN_DEFAULT);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, old_sig);
  assert_true(t->exited);
  assert_int_equal(t->kind, LULL_UV_EXITED);
  assert_int_equal(t->code, 7);
  uv_sem_destroy(&t->b->sem);
}

/* The guest writes 2 MiB and calls proc_exit at once; its exit is
 * reported only when the pool has written them (on_task_exit checks). */
static void test_exit_waits_for_queued_writes(void **state) {
  sched_env v;
  env_open(&v);
  task_run t;
  memset(&t, 0, sizeof t);
  t.want = 2u << 20;
  exit_with_writes_held(state, &v, &t, 0);
  assert_int_equal(t.write_err, 0);
  env_close(&v);
}

/* The same with files limited to 1 MiB: the queued writes fail after
 * the guest has exited, when no call of the guest can report it any
 * more. The error is kept for the embedder, which gets it with the exit
 * (the lull command reports it and exits non-zero); it was lost. */
static void test_write_error_after_exit_is_kept(void **state) {
  sched_env v;
  env_open(&v);
  task_run t;
  memset(&t, 0, sizeof t);
  exit_with_writes_held(state, &v, &t, 1u << 20);
  assert_int_equal(t.write_err, EFBIG);
  assert_int_equal(t.write_fd, 3);
  assert_int_equal(size_of(v.path), 1 << 20);
  env_close(&v);
}

static void unblock_cb(uv_timer_t *h) {
  unblock_pool(h->data);
  uv_close((uv_handle_t *)h, NULL);
}

/* Every 2 ms, until the guest sleeps with its 2 MiB queued: then the
 * snapshot is asked for, and the pool let go 50 ms later. */
static void snapshot_when_sleeping(uv_timer_t *h) {
  task_run *t = h->data;
  if (lull_uv_task_state_of(t->task) != LULL_UV_WAITING)
    return;
  assert_int_equal(lull_wasi_pending_writes(lull_uv_task_wasi(t->task)),
                   2u << 20);
  assert_int_equal(lull_uv_task_snapshot(t->task, kill_on_snapshot, t),
                   LULL_OK);
  uv_timer_stop(h);
  h->data = t->b;
  uv_timer_start(h, unblock_cb, 50, 0);
}

/* A snapshot asked for while writes are queued is taken once they are
 * written, never before. */
static void test_snapshot_waits_for_queued_writes(void **state) {
  sched_env v;
  env_open(&v);
  task_run t;
  memset(&t, 0, sizeof t);
  t.path = v.path;
  t.b = *state;
  block_pool(&v.loop, t.b);
  const char *argv[] = {"wbehind", "pending", "2048"};
  t.task = spawn(v.s, v.m, 3, argv, v.path, v.null, &t);
  uv_timer_init(&v.loop, &t.poll);
  t.poll.data = &t;
  uv_timer_start(&t.poll, snapshot_when_sleeping, 2, 2);
  uv_run(&v.loop, UV_RUN_DEFAULT);
  assert_true(t.snapped);
  assert_int_equal(t.snap_status, LULL_OK);
  assert_int_equal(t.snap_pending, 0);
  assert_int_equal(t.snap_size, 2 << 20);
  assert_true(t.exited);
  assert_int_equal(t.kind, LULL_UV_KILLED);
  uv_sem_destroy(&t.b->sem);
  env_close(&v);
}

static void snap_later_cb(uv_timer_t *h) {
  lull_uv_task *task = h->data;
  assert_int_equal(lull_uv_task_snapshot(task, on_snapshot,
                                         lull_uv_task_data(task)), LULL_OK);
  uv_close((uv_handle_t *)h, NULL);
}

/* A guest that writes all the time: the snapshot still comes, with
 * nothing queued, and the guest then runs on to its end. */
static void test_snapshot_of_a_guest_that_keeps_writing(void **state) {
  sched_env v;
  env_open(&v);
  task_run t;
  memset(&t, 0, sizeof t);
  t.path = v.path;
  t.want = 16u << 20;
  t.b = *state; /* not holding the pool here */
  t.b->released = 1;
  const char *argv[] = {"wbehind", "stream", "16384"};
  lull_uv_task *task = spawn(v.s, v.m, 3, argv, v.path, v.null, &t);
  lull_uv_task_set_data(task, &t);
  uv_timer_t timer;
  uv_timer_init(&v.loop, &timer);
  timer.data = task;
  uv_timer_start(&timer, snap_later_cb, 5, 0);
  uv_run(&v.loop, UV_RUN_DEFAULT);
  assert_true(t.snapped);
  assert_int_equal(t.snap_status, LULL_OK);
  assert_int_equal(t.snap_pending, 0);
  assert_int_equal(t.snap_size % (64 * 1024), 0);
  assert_true(t.exited);
  assert_int_equal(t.kind, LULL_UV_EXITED);
  assert_int_equal(t.code, 0);
  env_close(&v);
}

/* The same with a guest that writes faster than the pool: without the
 * scheduler holding it while a snapshot waits, every park could find
 * writes queued. */
static void test_snapshot_of_a_guest_that_floods(void **state) {
  sched_env v;
  env_open(&v);
  task_run t;
  memset(&t, 0, sizeof t);
  t.path = v.path;
  t.b = *state; /* not holding the pool here */
  t.b->released = 1;
  const char *argv[] = {"wbehind", "flood", "256"};
  lull_uv_task *task = spawn(v.s, v.m, 3, argv, v.path, v.null, &t);
  lull_uv_task_set_data(task, &t);
  uv_timer_t timer;
  uv_timer_init(&v.loop, &timer);
  timer.data = task;
  uv_timer_start(&timer, snap_later_cb, 5, 0);
  uv_run(&v.loop, UV_RUN_DEFAULT);
  assert_true(t.snapped);
  assert_int_equal(t.snap_status, LULL_OK);
  assert_int_equal(t.snap_pending, 0);
  assert_int_equal(t.snap_size % (1 << 20), 0);
  assert_true(t.exited);
  assert_int_equal(t.kind, LULL_UV_EXITED);
  assert_int_equal(t.code, 0);
  assert_int_equal(size_of(v.path), 256 << 20);
  env_close(&v);
}

int main(void) {
  /* One pool thread, which blocker jobs can hold: set before libuv
   * starts the pool, at the first job of the process. */
  setenv("UV_THREADPOOL_SIZE", "1", 1);
  /* libuv opens process-wide descriptors with the first loop; open them
   * before counting. */
  uv_loop_t warm;
  uv_loop_init(&warm);
  uv_loop_close(&warm);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_reported_by_the_next_call),
      cmocka_unit_test_setup_teardown(test_free_with_writes_queued,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(test_free_while_waiting_for_room,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(test_save_waits_for_queued_writes,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(test_exit_waits_for_queued_writes,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(test_write_error_after_exit_is_kept,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(test_snapshot_waits_for_queued_writes,
                                      setup_blocker, teardown_blocker),
      cmocka_unit_test_setup_teardown(
          test_snapshot_of_a_guest_that_keeps_writing, setup_blocker,
          teardown_blocker),
      cmocka_unit_test_setup_teardown(test_snapshot_of_a_guest_that_floods,
                                      setup_blocker, teardown_blocker),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
