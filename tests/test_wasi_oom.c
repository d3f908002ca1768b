/*
 * test_wasi_oom.c -- out of memory at every allocation of a WASI guest's
 * life: the context, its functions in a linker, instantiation, and a run
 * that opens, writes, seeks, reads, sleeps on the loop and closes a file
 * (tests/wat/wasi_files.wat). For every n the n-th allocation and all
 * after it fail; each step must fail with a documented status (a WASI
 * call may instead return an errno, which the guest turns into its exit
 * code), every byte must come back, and the run where nothing fails must
 * exit 9 with the file written. (Requests in flight and open files are
 * on malloc, not the engine's allocator, since a context can be freed
 * under them: see lull_config.alloc.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_wasi.h"
#include "suspend_util.h"
#include "test_util.h"

typedef struct run {
  lull_wasi *w;
  lull_thread *t;
  lull_status s;
  uint32_t code;  /* the exit code, when the guest exited */
  int exited;
} run;

static void settle(run *r) {
  if (r->s == LULL_TRAP && lull_wasi_exited(r->w, &r->code))
    r->exited = 1;
}

static void on_wake(void *ud, lull_thread *t, const lull_val *res, size_t n) {
  run *r = ud;
  r->s = lull_resume(t, res, n, NULL, 0);
  settle(r);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw) {
  (void)st;
  (void)flag;
  if (ftw->level > 0)
    remove(path);
  return 0;
}

/* One life on an engine whose allocator is `fa`; the guest's exit code,
 * or -1 when it did not get to exit. */
static int one_life(const unsigned char *bytes, size_t len, const char *dir,
                    failing *fa) {
  nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
  lull_engine *e = failing_engine(fa);
  if (!e)
    return -1;
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  int devnull = open("/dev/null", O_RDWR);
  lull_wasi_preopen pre = {dir, "/"};
  lull_wasi_config wc;
  lull_wasi_config_init(&wc);
  wc.npreopens = 1;
  wc.preopens = &pre;
  wc.stdin_fd = wc.stdout_fd = wc.stderr_fd = devnull;
  run r = {0};
  lull_error err;
  lull_module *m = NULL;
  lull_linker *l = NULL;
  lull_instance *inst = NULL;
  lull_status s = lull_module_new(e, bytes, len, &m, &err);
  if (s != LULL_OK) {
    assert_int_equal(s, LULL_NOMEM);
    goto out;
  }
  r.w = lull_wasi_new(e, &loop, &wc, on_wake, &r, &err);
  if (!r.w) {
    assert_int_equal(err.status, LULL_NOMEM);
    goto out;
  }
  l = lull_linker_new(e);
  if (!l)
    goto out;
  s = lull_wasi_define(r.w, l);
  if (s != LULL_OK) {
    assert_int_equal(s, LULL_NOMEM);
    goto out;
  }
  s = lull_linker_instantiate(l, m, &inst, &err);
  if (s != LULL_OK) {
    if (s != LULL_NOMEM && s != LULL_TRAP)
      fail_msg("instantiate: %s", err.message);
    goto out;
  }
  r.t = lull_thread_new(e);
  if (!r.t)
    goto out;
  r.s = lull_call(r.t, lull_instance_func(inst, "_start"), NULL, 0, NULL, 0);
  settle(&r);
  uv_run(&loop, UV_RUN_DEFAULT); /* until the guest's requests are done */
  if (r.s != LULL_TRAP && r.s != LULL_NOMEM)
    fail_msg("the guest ended with %s", lull_status_str(r.s));
  if (r.s == LULL_TRAP && !r.exited)
    assert_int_equal(lull_thread_trap_code(r.t), LULL_TRAP_OUT_OF_MEMORY);
out:
  if (r.w)
    lull_wasi_free(r.w);
  if (r.t)
    lull_thread_free(r.t);
  lull_instance_free(inst);
  lull_linker_free(l);
  lull_module_free(m);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(devnull);
  lull_engine_free(e);
  return r.exited ? (int)r.code : -1;
}

static void out_of_memory_at_every_step(void **state) {
  (void)state;
  size_t len;
  unsigned char *bytes = test_wasm_bytes("wasi_files", &len);
  char dir[] = "/tmp/lull-test-wasi-oom-XXXXXX";
  assert_non_null(mkdtemp(dir));

  failing never = {{0, 0}, -1};
  assert_int_equal(one_life(bytes, len, dir, &never), 9);
  assert_int_equal(never.c.live, 0);
  long n;
  int failed_in_guest = 0;
  for (n = 0;; n++) {
    failing fa = {{0, 0}, n};
    int code = one_life(bytes, len, dir, &fa);
    assert_int_equal(fa.c.bad_size, 0);
    assert_int_equal(fa.c.live, 0);
    if (code >= 1 && code <= 6)
      failed_in_guest++; /* a WASI call said ENOMEM */
    if (fa.countdown > 0) {
      assert_int_equal(code, 9); /* nothing failed */
      break;
    }
  }
  /* The file the last life wrote. */
  char path[1024];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  size_t flen;
  unsigned char *text = test_read_file(path, &flen);
  assert_non_null(text);
  assert_int_equal(flen, 12);
  assert_memory_equal(text, "hello, wasi\n", 12);
  free(text);
  print_message("%ld allocations of the engine's in a life; %d lives ended "
                "by an errno\n",
                n, failed_in_guest);
  assert_true(n > 20);
  nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
  rmdir(dir);
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(out_of_memory_at_every_step),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
