/*
 * test_wasi_free.c -- lull_wasi_free while the guest waits in every kind
 * of request (timers, polls, the thread pool, deferred wakes): the wake
 * callback must never run afterwards, every handle must close, every
 * request complete or be cancelled, and no descriptor may stay open. Run
 * under ASan/UBSan this also proves nothing leaks or is touched after it
 * is freed.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "test_util.h"

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

typedef struct run {
  wd_guest *g;
  int done;
} run;

static void guest_done(wd_guest *g, void *ud) { ((run *)ud)->done = 1; }

static void free_cb(uv_timer_t *t) {
  run *r = t->data;
  /* The guest is parked in its request now (or between two of them). */
  assert_false(r->done);
  assert_int_equal(lull_thread_state_of(wd_thread(r->g)),
                   LULL_THREAD_SUSPENDED);
  wd_free(r->g);
  r->g = NULL;
  uv_close((uv_handle_t *)t, NULL);
}

static void free_while_waiting(const char *mode, int ms) {
  char *dir = tu_tempdir();
  char box[512];
  snprintf(box, sizeof box, "%s/box", dir);
  assert_int_equal(mkdir(box, 0755), 0);
  int before = count_fds();
  int in[2];
  assert_int_equal(pipe(in), 0);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "blocker");
  uv_loop_t loop;
  uv_loop_init(&loop);
  const char *argv[] = {"blocker", mode};
  lull_wasi_preopen pre = {box, "/box"};
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = 2;
  cfg.argv = argv;
  cfg.stdin_fd = in[0];
  int zero = -1;
  if (!strcmp(mode, "read")) {
    zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    cfg.stdin_fd = zero;
  }
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  if (!strcmp(mode, "accept"))
    cfg.npreopens = 0; /* fd 3 is to be the socket */
  run r = {NULL, 0};
  r.g = wd_new(e, &loop, m, &cfg, guest_done, &r);
  assert_non_null(r.g);
  if (!strcmp(mode, "accept")) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {0};
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%.90s/s", dir);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(s, 1), 0);
    lull_error err;
    uint32_t gfd;
    assert_int_equal(lull_wasi_insert_fd(wd_wasi(r.g), s, &gfd, &err),
                     LULL_OK);
    assert_int_equal(gfd, 3);
  }
  uv_timer_t t;
  uv_timer_init(&loop, &t);
  t.data = &r;
  uv_timer_start(&t, free_cb, (uint64_t)ms, 0);
  wd_start(r.g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_null(r.g);
  assert_false(r.done);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(in[0]);
  close(in[1]);
  if (zero >= 0)
    close(zero);
  lull_module_free(m);
  lull_engine_free(e);
  assert_int_equal(count_fds(), before);
  tu_rmtree(dir);
  free(dir);
}

static void test_free_in_sleep(void **s) { free_while_waiting("sleep", 20); }
static void test_free_in_poll(void **s) { free_while_waiting("poll", 20); }
static void test_free_in_stdin(void **s) { free_while_waiting("stdin", 20); }
static void test_free_in_yield(void **s) { free_while_waiting("yield", 20); }
static void test_free_in_read(void **s) { free_while_waiting("read", 30); }
static void test_free_in_write(void **s) { free_while_waiting("write", 30); }
static void test_free_in_paths(void **s) { free_while_waiting("paths", 30); }
static void test_free_in_readdir(void **s) { free_while_waiting("readdir", 20); }
static void test_free_in_stat(void **s) { free_while_waiting("stat", 20); }
static void test_free_in_accept(void **s) { free_while_waiting("accept", 20); }

/* Freed at once, before the loop ever ran: the request never reached a
 * callback. */
static void test_free_before_the_loop_runs(void **state) {
  const char *modes[] = {"sleep", "poll", "stdin", "yield", "write", "paths"};
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    char *dir = tu_tempdir();
    lull_engine *e = lull_engine_new(NULL);
    lull_module *m = tu_guest(e, "blocker");
    uv_loop_t loop;
    uv_loop_init(&loop);
    int in[2];
    assert_int_equal(pipe(in), 0);
    const char *argv[] = {"blocker", modes[i]};
    lull_wasi_preopen pre = {dir, "/box"};
    lull_wasi_config cfg;
    lull_wasi_config_init(&cfg);
    cfg.argc = 2;
    cfg.argv = argv;
    cfg.stdin_fd = in[0];
    cfg.npreopens = 1;
    cfg.preopens = &pre;
    run r = {NULL, 0};
    r.g = wd_new(e, &loop, m, &cfg, guest_done, &r);
    wd_start(r.g);
    assert_false(r.done);
    wd_free(r.g);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    close(in[0]);
    close(in[1]);
    lull_module_free(m);
    lull_engine_free(e);
    tu_rmtree(dir);
    free(dir);
  }
}

int main(void) {
  tu_warm_libuv();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_free_in_sleep),
      cmocka_unit_test(test_free_in_poll),
      cmocka_unit_test(test_free_in_stdin),
      cmocka_unit_test(test_free_in_yield),
      cmocka_unit_test(test_free_in_read),
      cmocka_unit_test(test_free_in_write),
      cmocka_unit_test(test_free_in_paths),
      cmocka_unit_test(test_free_in_readdir),
      cmocka_unit_test(test_free_in_stat),
      cmocka_unit_test(test_free_in_accept),
      cmocka_unit_test(test_free_before_the_loop_runs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
