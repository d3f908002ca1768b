/*
 * test_wasi_snapshot.c -- lull_wasi_save, lull_wasi_load and
 * lull_wasi_rearm, with the core snapshot around them.
 *
 * A guest (guests/snap.c) parks in a sleep, a sched_yield or a read on
 * the thread pool; its thread, instance and WASI context are written out,
 * everything is freed (with the request still in flight), and a child
 * process reads them back with a new engine and loop, rearms the request
 * and runs the guest to its end. The sleep must end at its original
 * deadline, files continue at their offsets, the socket comes back
 * closed. Then every truncation and every bit flip of the WASI bytes must
 * be refused, and random damage behind a valid checksum must never crash.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_util.h"

typedef struct taken {
  uint8_t *core, *wasi;
  size_t core_len, wasi_len;
} taken;

typedef struct take_ctx {
  wd_guest *g;
  lull_engine *e;
  taken *out;
} take_ctx;

/* Writes the parked guest out and frees it, request and all. */
static void snapshot_and_free(take_ctx *c) {
  lull_error err;
  uint8_t *core = NULL;
  size_t core_len = 0;
  assert_int_equal(lull_thread_state_of(wd_thread(c->g)),
                   LULL_THREAD_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(wd_thread(c->g)), LULL_PARK_HOST);
  assert_int_equal(lull_thread_park_tag(wd_thread(c->g)), LULL_WASI_PARK_TAG);
  assert_int_equal(lull_wasi_save(wd_wasi(c->g), &c->out->wasi,
                                  &c->out->wasi_len, &err), LULL_OK);
  assert_int_equal(lull_snapshot_write(wd_thread(c->g), wd_instance(c->g),
                                       c->out->wasi, c->out->wasi_len, &core,
                                       &core_len, &err), LULL_OK);
  c->out->core = malloc(core_len);
  memcpy(c->out->core, core, core_len);
  c->out->core_len = core_len;
  lull_snapshot_free(c->e, core, core_len);
  wd_free(c->g);
  c->g = NULL;
}

static void take_cb(uv_timer_t *t) {
  take_ctx *c = t->data;
  /* What the guest wrote before it parked is written behind its back; a
   * context can be saved once that is done (lull_wasi_save refuses
   * before), which on a very busy machine may take a moment. */
  if (lull_wasi_pending_writes(wd_wasi(c->g))) {
    uv_timer_start(t, take_cb, 5, 0);
    return;
  }
  snapshot_and_free(c);
  uv_close((uv_handle_t *)t, NULL);
}

static void never_done(wd_guest *g, void *ud) { fail_msg("the guest ended"); }

/* Runs guests/snap.wasm in `mode` with /box = dir/box and takes the
 * snapshot `ms` milliseconds later (at once for 0). */
static void take(const char *dir, const char *mode, int ms, taken *out) {
  char box[512];
  snprintf(box, sizeof box, "%s/box", dir);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "snap");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int out_fd = tu_capture(dir, "out1");
  int pair[2];
  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair),
                   0);
  const char *argv[] = {"snap", mode, "4"};
  const char *env[] = {"SNAP=yes"};
  lull_wasi_preopen pre = {box, "/box"};
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = 3;
  cfg.argv = argv;
  cfg.envc = 1;
  cfg.env = env;
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  cfg.stdout_fd = out_fd;
  int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  cfg.stdin_fd = zero;
  take_ctx c = {NULL, e, out};
  c.g = wd_new(e, &loop, m, &cfg, never_done, NULL);
  assert_non_null(c.g);
  uint32_t sock_fd;
  lull_error err;
  assert_int_equal(lull_wasi_insert_fd(wd_wasi(c.g), pair[0], &sock_fd, &err),
                   LULL_OK);
  assert_int_equal(sock_fd, 4);
  wd_start(c.g);
  uv_timer_t t;
  if (ms == 0) {
    snapshot_and_free(&c);
  } else {
    uv_timer_init(&loop, &t);
    t.data = &c;
    uv_timer_start(&t, take_cb, (uint64_t)ms, 0);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_null(c.g);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(out_fd);
  close(zero);
  close(pair[1]);
  lull_module_free(m);
  lull_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* The other process. No cmocka here: a failed check exits with 100 +   */
/* its line, which the parent reports.                                  */
/* ------------------------------------------------------------------ */

#define REQUIRE(c)                                                            \
  do {                                                                        \
    if (!(c)) {                                                               \
      fprintf(stderr, "child: %s failed at line %d\n", #c, __LINE__);        \
      _exit(100 + (__LINE__ % 100));                                          \
    }                                                                         \
  } while (0)

typedef struct restored {
  lull_wasi *w;
  lull_thread *t;
  int done;
  int code;
} restored;

static void restored_wake(void *ud, lull_thread *t, const lull_val *results,
                          size_t n) {
  restored *r = ud;
  lull_status s = lull_resume(t, results, n, NULL, 0);
  if (s == LULL_SUSPENDED)
    return;
  uint32_t code = 0;
  r->done = 1;
  if (s == LULL_OK)
    r->code = 0;
  else if (s == LULL_TRAP && lull_wasi_exited(r->w, &code))
    r->code = (int)code;
  else
    r->code = 99;
}

static int restore_and_run(const char *dir, const taken *tk) {
  lull_engine *e = lull_engine_new(NULL);
  char path[512];
  snprintf(path, sizeof path, "%s/snap.wasm", WASI_GUESTS);
  lull_module *m = wd_load_module(e, path);
  REQUIRE(m);
  uv_loop_t loop;
  uv_loop_init(&loop);
  restored r = {NULL, NULL, 0, -1};
  lull_error err;
  r.w = lull_wasi_load(e, &loop, tk->wasi, tk->wasi_len, restored_wake, &r,
                       &err);
  REQUIRE(r.w);
  size_t n = lull_module_import_count(m);
  lull_extern *imports = calloc(n, sizeof *imports);
  for (size_t i = 0; i < n; i++) {
    const char *mod, *name;
    lull_externtype ty;
    REQUIRE(lull_module_import(m, i, &mod, &name, &ty) == LULL_OK);
    imports[i].kind = LULL_EXTERN_FUNC;
    imports[i].of.func = lull_wasi_func(r.w, name);
    REQUIRE(imports[i].of.func);
  }
  lull_instance *inst = NULL;
  const uint8_t *extra = NULL;
  size_t extra_len = 0;
  REQUIRE(lull_snapshot_read(e, m, imports, n, tk->core, tk->core_len, &inst,
                             &r.t, &extra, &extra_len, &err) == LULL_OK);
  REQUIRE(extra_len == tk->wasi_len &&
          memcmp(extra, tk->wasi, extra_len) == 0);
  snprintf(path, sizeof path, "%s/out2", dir);
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(out >= 0);
  int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  REQUIRE(lull_wasi_set_stdio(r.w, zero, out, 2) == LULL_OK);
  REQUIRE(lull_wasi_rearm(r.w, r.t, inst, &err) == LULL_OK);
  /* Rearmed once: a second time has nothing to do. */
  REQUIRE(lull_wasi_rearm(r.w, r.t, inst, &err) == LULL_OK);
  uv_run(&loop, UV_RUN_DEFAULT);
  REQUIRE(r.done);
  lull_wasi_free(r.w);
  lull_thread_free(r.t);
  lull_instance_free(inst);
  uv_run(&loop, UV_RUN_DEFAULT);
  REQUIRE(uv_loop_close(&loop) == 0);
  close(out);
  close(zero);
  free(imports);
  lull_module_free(m);
  lull_engine_free(e);
  return r.code;
}

/* Runs restore_and_run in a child; returns its exit status and the time
 * it took in ms. */
static int in_child(const char *dir, const taken *tk, double *ms) {
  fflush(stdout);
  fflush(stderr);
  uint64_t t0 = uv_hrtime();
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0)
    exit(restore_and_run(dir, tk)); /* exit, not _exit: LSan checks the child */
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  *ms = (double)(uv_hrtime() - t0) / 1e6;
  assert_true(WIFEXITED(status));
  return WEXITSTATUS(status);
}

static char *setup_dir(void) {
  char *dir = tu_tempdir();
  char path[512];
  snprintf(path, sizeof path, "%s/box", dir);
  assert_int_equal(mkdir(path, 0755), 0);
  snprintf(path, sizeof path, "%s/box/data.txt", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("0123456789", f);
  fclose(f);
  return dir;
}

static void free_taken(taken *tk) {
  free(tk->core);
  free(tk->wasi);
}

static void test_sleep_moves_with_its_deadline(void **state) {
  char *dir = setup_dir();
  taken tk;
  uint64_t t0 = uv_hrtime();
  take(dir, "sleep", 600, &tk);
  double ms;
  int code = in_child(dir, &tk, &ms);
  double total = (double)(uv_hrtime() - t0) / 1e6;
  assert_int_equal(code, 5);
  /* 1.5 s after the start, not 1.5 s after the move (0.6 s in). */
  assert_true(total >= 1450 && total < 2500);
  assert_true(ms < 1450);
  char *one = tu_slurp(dir, "out1"), *two = tu_slurp(dir, "out2");
  size_t a = strlen(one);
  char *both = malloc(a + strlen(two) + 1);
  memcpy(both, one, a);
  strcpy(both + a, two);
  tu_expect_output(both, "snap");
  char *log = tu_slurp(dir, "box/log.txt");
  assert_string_equal(log, "before\nafter\n");
  free(log);
  free(both);
  free(one);
  free(two);
  free_taken(&tk);
  tu_rmtree(dir);
  free(dir);
}

static void test_yield_moves(void **state) {
  char *dir = setup_dir();
  taken tk;
  take(dir, "yield", 0, &tk);
  double ms;
  assert_int_equal(in_child(dir, &tk, &ms), 6);
  char *two = tu_slurp(dir, "out2");
  assert_string_equal(two, "ok   sched_yield -> SUCCESS\n"
                           "ok   sched_yield -> SUCCESS\n"
                           "ok   sched_yield -> SUCCESS\n"
                           "SNAP=yes\n0 failures\n");
  free(two);
  free_taken(&tk);
  tu_rmtree(dir);
  free(dir);
}

static void test_pread_is_made_again(void **state) {
  char *dir = setup_dir();
  taken tk;
  take(dir, "pread", 0, &tk);
  double ms;
  assert_int_equal(in_child(dir, &tk, &ms), 0);
  char *two = tu_slurp(dir, "out2");
  assert_string_equal(two, "ok   fd_pread at 2 -> SUCCESS\n"
                           "pread: 5 bytes, zeros: yes\n0 failures\n");
  free(two);
  free_taken(&tk);
  tu_rmtree(dir);
  free(dir);
}

static void wake_nothing(void *ud, lull_thread *t, const lull_val *r,
                         size_t n) {
  fail_msg("woken");
}

static lull_wasi *load(lull_engine *e, uv_loop_t *loop, const uint8_t *b,
                       size_t n, lull_error *err) {
  return lull_wasi_load(e, loop, b, n, wake_nothing, NULL, err);
}

/* Loading then saving reaches a fixed point: what could move is kept,
 * byte for byte. */
static void test_save_load_save(void **state) {
  char *dir = setup_dir();
  taken tk;
  take(dir, "sleep", 200, &tk);
  lull_engine *e = lull_engine_new(NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_error err;
  lull_wasi *w1 = load(e, &loop, tk.wasi, tk.wasi_len, &err);
  assert_non_null(w1);
  uint8_t *b2, *b3;
  size_t n2, n3;
  assert_int_equal(lull_wasi_save(w1, &b2, &n2, &err), LULL_OK);
  lull_wasi *w2 = load(e, &loop, b2, n2, &err);
  assert_non_null(w2);
  assert_int_equal(lull_wasi_save(w2, &b3, &n3, &err), LULL_OK);
  assert_int_equal(n2, n3);
  assert_memory_equal(b2, b3, n2);
  /* The socket did not come back, so the first save differs. */
  assert_true(n2 < tk.wasi_len);
  /* A thread that is not parked cannot take the request. */
  lull_thread *t = lull_thread_new(e);
  assert_int_equal(lull_wasi_rearm(w2, t, NULL, &err), LULL_BADSTATE);
  lull_thread_free(t);
  lull_wasi_free(w1);
  lull_wasi_free(w2);
  free(b2);
  free(b3);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_engine_free(e);
  free_taken(&tk);
  tu_rmtree(dir);
  free(dir);
}

static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void test_damaged_bytes_are_refused(void **state) {
  char *dir = setup_dir();
  taken tk;
  take(dir, "sleep", 200, &tk);
  lull_engine *e = lull_engine_new(NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_error err;
  uint8_t *b = malloc(tk.wasi_len);

  /* Every truncation. */
  for (size_t n = 0; n < tk.wasi_len; n++) {
    memcpy(b, tk.wasi, n);
    err.status = LULL_OK;
    assert_null(load(e, &loop, b, n, &err));
    assert_int_equal(err.status, LULL_BADSNAPSHOT);
    assert_true(err.message[0] != '\0');
  }
  /* A byte too many. */
  uint8_t *longer = malloc(tk.wasi_len + 1);
  memcpy(longer, tk.wasi, tk.wasi_len);
  longer[tk.wasi_len] = 0;
  assert_null(load(e, &loop, longer, tk.wasi_len + 1, &err));
  assert_int_equal(err.status, LULL_BADSNAPSHOT);
  free(longer);
  /* Every bit flipped, one at a time. */
  for (size_t i = 0; i < tk.wasi_len; i++)
    for (int bit = 0; bit < 8; bit++) {
      memcpy(b, tk.wasi, tk.wasi_len);
      b[i] ^= (uint8_t)(1u << bit);
      err.status = LULL_OK;
      assert_null(load(e, &loop, b, tk.wasi_len, &err));
      assert_int_equal(err.status, LULL_BADSNAPSHOT);
    }
  /* Damage behind a checksum made to match: refused or loaded, never a
   * crash or a leak (ASan watches). */
  uint32_t seed = 12345;
  int refused = 0, loaded = 0;
  for (int round = 0; round < 3000; round++) {
    memcpy(b, tk.wasi, tk.wasi_len);
    int k = 1 + round % 4;
    for (int j = 0; j < k; j++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = 20 + (seed >> 8) % (tk.wasi_len - 20);
      seed = seed * 1103515245u + 12345u;
      b[at] = (uint8_t)(round & 1 ? seed >> 16 : b[at] ^ (1u << (seed % 8)));
    }
    uint32_t crc = crc32_of(b + 20, tk.wasi_len - 20);
    for (int j = 0; j < 4; j++)
      b[16 + j] = (uint8_t)(crc >> (8 * j));
    lull_wasi *w = load(e, &loop, b, tk.wasi_len, &err);
    if (w) {
      loaded++;
      lull_wasi_free(w);
    } else {
      refused++;
      assert_true(err.status == LULL_BADSNAPSHOT ||
                  err.status == LULL_NOTFOUND);
    }
  }
  assert_true(refused > 0);
  /* Not a snapshot at all, and the wrong version. */
  assert_null(load(e, &loop, (const uint8_t *)"hello", 5, &err));
  assert_int_equal(err.status, LULL_BADSNAPSHOT);
  memcpy(b, tk.wasi, tk.wasi_len);
  b[8] = 9;
  assert_null(load(e, &loop, b, tk.wasi_len, &err));
  assert_non_null(strstr(err.message, "version"));
  assert_null(load(e, &loop, NULL, 0, &err));
  assert_int_equal(err.status, LULL_BADSNAPSHOT);

  /* A preopen that is gone is named. */
  char from[512], to[512];
  snprintf(from, sizeof from, "%s/box", dir);
  snprintf(to, sizeof to, "%s/gone", dir);
  assert_int_equal(rename(from, to), 0);
  assert_null(load(e, &loop, tk.wasi, tk.wasi_len, &err));
  assert_int_equal(err.status, LULL_NOTFOUND);
  assert_non_null(strstr(err.message, "/box"));
  assert_int_equal(rename(to, from), 0);

  free(b);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_engine_free(e);
  free_taken(&tk);
  tu_rmtree(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sleep_moves_with_its_deadline),
      cmocka_unit_test(test_yield_moves),
      cmocka_unit_test(test_pread_is_made_again),
      cmocka_unit_test(test_save_load_save),
      cmocka_unit_test(test_damaged_bytes_are_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
