/*
 * test_snapshot_hostframes.c -- every kind of frame stack lull_host_call
 * can build, parked, written to a snapshot, read back in another engine
 * and resumed to the result the original thread reaches:
 *
 *   host -> host              via calls checkpoint, which parks
 *   host -> Wasm -> host      via calls inner, which calls checkpoint
 *   host -> host -> host      via2 calls via calls checkpoint
 *   host -> host -> Wasm -> host
 *   a continuation that parks itself
 *
 * A thread parked in a host function called by another host function was
 * written, then refused by the reader ("the top host frame is not parked
 * in its continuation").
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
#include "test_util.h"

enum { TO_CP, TO_INNER, TO_VIA, PARK_IN_CONT };

/* One engine's side of the host functions. */
typedef struct side {
  lull_engine *e;
  lull_module *m;
  lull_extern im[3];
  const lull_cont *k;
  lull_func *via_target;  /* what via calls */
  lull_func *via2_target; /* what via2 calls */
  int mode;               /* how via's continuation ends */
} side;

/* The continuation adds the 1000 in its state, or parks (PARK_IN_CONT). */
static lull_hostret cont_add(lull_hostcall *hc, const lull_val *callee,
                             void *st, size_t len, lull_val *results,
                             void *env) {
  side *s = env;
  int32_t base;
  assert_int_equal(len, 4);
  memcpy(&base, st, 4);
  if (s->mode == PARK_IN_CONT && callee[0].of.i32 != snap_answer(100))
    return lull_host_suspend(hc, 101);
  results[0].type = LULL_I32;
  results[0].of.i32 = callee[0].of.i32 + base;
  return LULL_HOST_RETURN;
}

static lull_hostret call_on(lull_hostcall *hc, lull_func *target,
                            const lull_val *args, const lull_cont *k) {
  int32_t base = 1000;
  return lull_host_call(hc, target, args, 1, k, &base, sizeof base);
}

static lull_hostret host_via(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  side *s = env;
  return call_on(hc, s->via_target, args, s->k);
}

static lull_hostret host_via2(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  side *s = env;
  return call_on(hc, s->via2_target, args, s->k);
}

static const int32_t stops[] = {7, -1};

static void side_open(side *s, int mode) {
  memset(s, 0, sizeof *s);
  s->e = lull_engine_new(NULL);
  s->m = test_load(s->e, "snaphost");
  s->mode = mode;
  s->k = lull_cont_register(s->e, "snap.add", cont_add, s);
  assert_non_null(s->k);
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype t = {1, 1, i32, i32};
  for (int i = 0; i < 3; i++)
    s->im[i].kind = LULL_EXTERN_FUNC;
  s->im[0].of.func = snap_host(s->e, stops);
  s->im[1].of.func = lull_func_new(s->e, &t, host_via, s, NULL);
  s->im[2].of.func = lull_func_new(s->e, &t, host_via2, s, NULL);
}

/* Points via and via2 at their callees in instance `inst`. */
static void side_wire(side *s, lull_instance *inst, int via_to) {
  s->via_target = via_to == TO_INNER ? lull_instance_func(inst, "inner")
                                     : s->im[0].of.func;
  s->via2_target = s->im[1].of.func;
}

static void frames_round_trip(const char *entry, int via_to, int mode,
                              int32_t expect) {
  side a;
  side_open(&a, mode);
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(a.e, a.m, a.im, 3, &inst, &err), LULL_OK);
  side_wire(&a, inst, via_to);
  lull_thread *t = lull_thread_new(a.e);
  lull_val x = {.type = LULL_I32, .of.i32 = 7}, r;
  lull_status st = lull_call(t, lull_instance_func(inst, entry), &x, 1, &r, 1);
  if (mode == PARK_IN_CONT) {
    /* First the checkpoint, then the continuation parks. */
    assert_int_equal(st, LULL_SUSPENDED);
    lull_val ans = {.type = LULL_I32, .of.i32 = snap_answer(7)};
    st = lull_resume(t, &ans, 1, &r, 1);
    assert_int_equal(lull_thread_park_tag(t), 101);
  }
  assert_int_equal(st, LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  memset(&err, 0, sizeof err);
  st = lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err);
  if (st != LULL_OK)
    fprintf(stderr, "write: %s\n", err.message);
  assert_int_equal(st, LULL_OK);

  side b;
  side_open(&b, mode);
  lull_instance *i2;
  lull_thread *t2;
  st = lull_snapshot_read(b.e, b.m, b.im, 3, snap, len, &i2, &t2, NULL, NULL,
                          &err);
  if (st != LULL_OK)
    fprintf(stderr, "read: %s\n", err.message);
  assert_int_equal(st, LULL_OK);
  side_wire(&b, i2, via_to);
  assert_int_equal(snap_finish(t2, &r), LULL_OK);
  assert_int_equal(r.of.i32, expect);
  lull_engine_free(b.e);

  /* The parked continuation (tag 101) gets snap_answer(100) as its
   * result from snap_finish. */
  assert_int_equal(snap_finish(t, &r), LULL_OK);
  assert_int_equal(r.of.i32, expect);
  lull_snapshot_free(a.e, snap, len);
  lull_engine_free(a.e);
}

static void host_to_host(void **state) {
  frames_round_trip("outer", TO_CP, 0, snap_answer(7) + 1000 + 1);
}

static void host_to_wasm_to_host(void **state) {
  frames_round_trip("outer", TO_INNER, 0, snap_answer(7) * 2 + 1000 + 1);
}

static void host_to_host_to_host(void **state) {
  frames_round_trip("outer2", TO_CP, 0, snap_answer(7) + 2000 + 1);
}

static void host_to_host_to_wasm_to_host(void **state) {
  frames_round_trip("outer2", TO_INNER, 0, snap_answer(7) * 2 + 2000 + 1);
}

static void continuation_that_parks(void **state) {
  frames_round_trip("outer", TO_CP, PARK_IN_CONT, snap_answer(100) + 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(host_to_host),
      cmocka_unit_test(host_to_wasm_to_host),
      cmocka_unit_test(host_to_host_to_host),
      cmocka_unit_test(host_to_host_to_wasm_to_host),
      cmocka_unit_test(continuation_that_parks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
