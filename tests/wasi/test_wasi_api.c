/*
 * test_wasi_api.c -- the embedder's side of lull_wasi.h: configuration
 * errors, the host functions as objects (lull_wasi_func, called directly
 * with lull_call and so without a caller's memory), lull_wasi_set_stdio,
 * lull_wasi_insert_fd and misuse of the snapshot calls.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "test_util.h"

static void no_wake(void *ud, lull_thread *t, const lull_val *r, size_t n) {
  fail_msg("woken");
}

static void test_config_errors(void **state) {
  lull_engine *e = lull_engine_new(NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_error err;
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  assert_int_equal(cfg.argc, 0);
  assert_int_equal(cfg.stdin_fd, 0);
  assert_int_equal(cfg.stdout_fd, 1);
  assert_int_equal(cfg.stderr_fd, 2);

  lull_wasi_preopen pre = {"/nonexistent/lull-test", "/x"};
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  assert_null(lull_wasi_new(e, &loop, &cfg, no_wake, NULL, &err));
  assert_int_equal(err.status, LULL_NOTFOUND);
  assert_non_null(strstr(err.message, "/nonexistent/lull-test"));
  pre.host_path = "/etc/hostname"; /* a file, not a directory */
  assert_null(lull_wasi_new(e, &loop, &cfg, no_wake, NULL, &err));
  assert_int_equal(err.status, LULL_NOTFOUND);
  pre.host_path = NULL;
  assert_null(lull_wasi_new(e, &loop, &cfg, no_wake, NULL, &err));
  assert_int_equal(err.status, LULL_BADARG);
  cfg.npreopens = 0;
  const char *argv[] = {"a", NULL};
  cfg.argc = 2;
  cfg.argv = argv;
  assert_null(lull_wasi_new(e, &loop, &cfg, no_wake, NULL, &err));
  assert_int_equal(err.status, LULL_BADARG);
  cfg.argc = -1;
  assert_null(lull_wasi_new(e, &loop, &cfg, no_wake, NULL, &err));
  assert_int_equal(err.status, LULL_BADARG);
  assert_null(lull_wasi_new(e, &loop, NULL, NULL, NULL, &err));
  assert_null(lull_wasi_new(NULL, &loop, NULL, no_wake, NULL, &err));
  /* NULL configuration: the defaults. */
  lull_wasi *w = lull_wasi_new(e, &loop, NULL, no_wake, NULL, &err);
  assert_non_null(w);
  uint32_t code = 1;
  assert_int_equal(lull_wasi_exited(w, &code), 0);
  assert_int_equal(lull_wasi_define(w, NULL), LULL_BADARG);
  uint8_t *b;
  size_t n;
  assert_int_equal(lull_wasi_save(w, NULL, &n, &err), LULL_BADARG);
  assert_int_equal(lull_wasi_save(w, &b, &n, &err), LULL_OK);
  free(b);
  assert_int_equal(lull_wasi_rearm(w, NULL, NULL, &err), LULL_BADARG);
  assert_int_equal(lull_wasi_insert_fd(w, -1, NULL, &err), LULL_BADARG);
  lull_wasi_free(w);
  lull_wasi_free(NULL);
  assert_int_equal(lull_wasi_exited(NULL, &code), 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_engine_free(e);
}

/* Calls host function `name` of `w` directly. */
static int32_t call(lull_wasi *w, lull_thread *t, const char *name,
                    const lull_val *args, size_t nargs) {
  lull_func *f = lull_wasi_func(w, name);
  assert_non_null(f);
  lull_val r;
  memset(&r, 0, sizeof r);
  assert_int_equal(lull_call(t, f, args, nargs, &r, 1), LULL_OK);
  return r.of.i32;
}

static void test_functions_without_memory(void **state) {
  lull_engine *e = lull_engine_new(NULL);
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_error err;
  lull_wasi *w = lull_wasi_new(e, &loop, NULL, no_wake, NULL, &err);
  lull_thread *t = lull_thread_new(e);

  lull_func *f = lull_wasi_func(w, "fd_write");
  assert_non_null(f);
  assert_ptr_equal(lull_wasi_func(w, "fd_write"), f);
  assert_null(lull_wasi_func(w, "fd_nonsense"));
  lull_functype ty = lull_func_type(f);
  assert_int_equal(ty.nparams, 4);
  assert_int_equal(ty.nresults, 1);
  ty = lull_func_type(lull_wasi_func(w, "path_open"));
  assert_int_equal(ty.nparams, 9);
  assert_int_equal(ty.params[5], LULL_I64);
  ty = lull_func_type(lull_wasi_func(w, "proc_exit"));
  assert_int_equal(ty.nresults, 0);

  /* Called by lull_call there is no caller memory: every pointer is out
   * of bounds, and calls without pointers work. */
  lull_val a[2];
  a[0].type = a[1].type = LULL_I32;
  a[0].of.i32 = 0;
  a[1].of.i32 = 0;
  assert_int_equal(call(w, t, "args_sizes_get", a, 2), 21 /* FAULT */);
  a[0].of.i32 = 99;
  assert_int_equal(call(w, t, "fd_close", a, 1), 8 /* BADF */);
  a[0].of.i32 = 0;
  a[1].of.i32 = 1;
  assert_int_equal(call(w, t, "random_get", a, 2), 21);
  a[1].of.i32 = 0; /* no memory at all: not even zero bytes are there */
  assert_int_equal(call(w, t, "random_get", a, 2), 21);
  assert_int_equal(call(w, t, "proc_raise", a, 1), 0);

  /* set_stdio: -1 closes a number; a descriptor that is not open too. */
  assert_int_equal(lull_wasi_set_stdio(w, -1, 1, 1000), LULL_OK);
  a[0].of.i32 = 0;
  assert_int_equal(call(w, t, "fd_close", a, 1), 8);
  a[0].of.i32 = 2;
  assert_int_equal(call(w, t, "fd_close", a, 1), 8);
  a[0].of.i32 = 1;
  assert_int_equal(call(w, t, "fd_close", a, 1), 0);
  /* Closing the guest's 1 leaves the host's 1 open. */
  assert_true(fcntl(1, F_GETFD) >= 0);

  /* proc_exit traps with the code. */
  lull_val code;
  code.type = LULL_I32;
  code.of.i32 = 3;
  assert_int_equal(lull_call(t, lull_wasi_func(w, "proc_exit"), &code, 1,
                             NULL, 0), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t), "exit 3");
  uint32_t c = 0;
  assert_int_equal(lull_wasi_exited(w, &c), 1);
  assert_int_equal(c, 3);

  lull_thread_free(t);
  lull_wasi_free(w);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_engine_free(e);
}

typedef struct tty_run {
  int master;
  char got[256];
  size_t n;
  int done;
  size_t at_done; /* bytes read when the guest ended */
  uint64_t first_line_ms;
  uint64_t t0;
} tty_run;

static void tty_done(wd_guest *g, void *ud) {
  tty_run *r = ud;
  r->done = 1;
}

/* Reads what the guest wrote to the terminal so far. */
static void drain(tty_run *r) {
  for (;;) {
    ssize_t k = read(r->master, r->got + r->n, sizeof r->got - 1 - r->n);
    if (k <= 0)
      break;
    r->n += (size_t)k;
    r->got[r->n] = '\0';
    if (!r->first_line_ms && strchr(r->got, '\n'))
      r->first_line_ms = (uv_hrtime() - r->t0) / 1000000u;
  }
}

static void tty_poll(uv_timer_t *t) {
  tty_run *r = t->data;
  drain(r);
  if (r->done)
    uv_close((uv_handle_t *)t, NULL);
}

/* A terminal as stdout: libc sees a terminal and flushes each line, so
 * the first line shows while the guest still sleeps. stdin is a pipe. */
static void test_terminal_is_a_tty(void **state) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  assert_true(master >= 0);
  assert_int_equal(grantpt(master), 0);
  assert_int_equal(unlockpt(master), 0);
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  assert_true(slave >= 0);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  int in[2];
  assert_int_equal(pipe(in), 0);

  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "isatty");
  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.stdin_fd = in[0];
  cfg.stdout_fd = slave;
  cfg.stderr_fd = slave;
  tty_run r;
  memset(&r, 0, sizeof r);
  r.master = master;
  r.t0 = uv_hrtime();
  wd_guest *g = wd_new(e, &loop, m, &cfg, tty_done, &r);
  assert_non_null(g);
  uv_timer_t t;
  uv_timer_init(&loop, &t);
  t.data = &r;
  uv_timer_start(&t, tty_poll, 20, 20);
  wd_start(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  drain(&r);
  assert_int_equal(wd_exit_code(g), 0);
  assert_non_null(strstr(r.got, "isatty 0=0 1=1 2=1"));
  assert_non_null(strstr(r.got, "done"));
  /* The first line came before the 300 ms sleep ended. */
  assert_true(r.first_line_ms > 0 && r.first_line_ms < 250);
  wd_free(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  lull_module_free(m);
  lull_engine_free(e);
  close(slave);
  close(master);
  close(in[0]);
  close(in[1]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_config_errors),
      cmocka_unit_test(test_functions_without_memory),
      cmocka_unit_test(test_terminal_is_a_tty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
