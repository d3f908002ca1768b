/*
 * test_oom_snapshot.c -- out of memory at every allocation of a guest's
 * life with parks and snapshots: load, instantiate, call until a host
 * function parks it, write a snapshot, read it into a second instance and
 * thread, and finish both. For every n, the n-th allocation and all after
 * it fail; each step must then fail with its documented status, the
 * engine must get back every byte, and the run where nothing fails must
 * give the right result from both threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "snap_common.h"
#include "suspend_util.h"
#include "test_util.h"

#define N 400

static const int32_t stops[] = {150, -1}; /* every 50th iteration asks */

/* What happened to one life under allocator `fa`. */
typedef struct life {
  int finished; /* both threads reached the end */
  int64_t original, restored;
} life;

/* Ends a parked thread; 1 with its result, 0 if the allocator failed
 * (the stack is far below its limit). */
static int finish(lull_thread *t, int64_t *out) {
  lull_val r;
  int k = snap_finish_or_oom(t, &r);
  assert_int_not_equal(k, -1);
  if (k)
    *out = r.of.i64;
  return k;
}

static life one_life(const unsigned char *bytes, size_t len, failing *fa) {
  life l = {0, 0, 0};
  lull_engine *e = failing_engine(fa);
  if (!e)
    return l;
  lull_module *m = NULL;
  lull_func *host = NULL;
  lull_instance *inst = NULL, *inst2 = NULL;
  lull_thread *t = NULL, *t2 = NULL;
  uint8_t *snap = NULL;
  size_t slen = 0;
  lull_error err;
  lull_status s = lull_module_new(e, bytes, len, &m, &err);
  if (s != LULL_OK) {
    assert_int_equal(s, LULL_NOMEM);
    goto out;
  }
  host = snap_host(e, stops);
  t = lull_thread_new(e);
  if (!host || !t)
    goto out;
  lull_extern im = {LULL_EXTERN_FUNC, {.func = host}};
  s = lull_instantiate(e, m, &im, 1, &inst, &err);
  if (s != LULL_OK) {
    if (s != LULL_NOMEM && s != LULL_TRAP)
      fail_msg("instantiate: %s", err.message);
    goto out;
  }
  lull_val n = {.type = LULL_I32, .of.i32 = N}, r;
  s = lull_call(t, lull_instance_func(inst, "run"), &n, 1, &r, 1);
  if (s != LULL_SUSPENDED) {
    if (s != LULL_TRAP && s != LULL_NOMEM)
      fail_msg("call: %s", lull_status_str(s));
    if (s == LULL_TRAP)
      assert_int_equal(lull_thread_trap_code(t), LULL_TRAP_OUT_OF_MEMORY);
    goto out;
  }
  s = lull_snapshot_write(t, inst, "extra", 5, &snap, &slen, &err);
  if (s != LULL_OK) {
    assert_int_equal(s, LULL_NOMEM);
    goto out;
  }
  s = lull_snapshot_read(e, m, &im, 1, snap, slen, &inst2, &t2, NULL, NULL,
                         &err);
  if (s != LULL_OK) {
    if (s != LULL_NOMEM)
      fail_msg("snapshot read: %s", err.message);
    goto out;
  }
  int a = finish(t2, &l.restored);
  int b = finish(t, &l.original);
  l.finished = a && b;
out:
  /* Some objects freed by hand, the rest left to the engine. */
  if (snap)
    lull_snapshot_free(e, snap, slen);
  if (t2)
    lull_thread_free(t2);
  lull_instance_free(inst2);
  lull_func_free(host);
  lull_engine_free(e);
  return l;
}

static void out_of_memory_at_every_step(void **state) {
  (void)state;
  size_t len;
  unsigned char *bytes = test_wasm_bytes("snap", &len);
  failing never = {{0, 0}, -1};
  life expect = one_life(bytes, len, &never);
  assert_true(expect.finished);
  assert_true(expect.original == expect.restored);
  assert_int_equal(never.c.live, 0);
  long n;
  for (n = 0;; n++) {
    failing fa = {{0, 0}, n};
    life l = one_life(bytes, len, &fa);
    assert_int_equal(fa.c.bad_size, 0);
    assert_int_equal(fa.c.live, 0);
    if (fa.countdown > 0) {
      /* Nothing failed: the whole life ran on n allocations. */
      assert_true(l.finished);
      assert_true(l.original == expect.original);
      assert_true(l.restored == expect.original);
      break;
    }
  }
  assert_true(n > 20); /* the loop went through the steps above */
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(out_of_memory_at_every_step),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
