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
 * and the deepest of them (host -> host -> Wasm -> host) once more with
 * every allocation of its life failing in turn, from loading the module
 * through the chain's calls, the snapshot and both threads' ends.
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
#include "suspend_util.h"
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

/* Finishes a thread; 1 with the result in *out, 0 if the allocator ran
 * out on the way (the only trap this chain can meet). */
static int finish_or_oom(lull_thread *t, int32_t *out) {
  lull_val r;
  int k = snap_finish_or_oom(t, &r);
  assert_int_not_equal(k, -1);
  if (k)
    *out = r.of.i32;
  return k;
}

/* One life of the host -> host -> Wasm -> host chain in an engine on
 * allocator `fa`, snapshot read back into the same engine; returns 1 when
 * both threads reached the end with `expect`, 0 when a step was refused
 * for want of memory. Any other outcome fails the test. */
static int chain_life(const unsigned char *bytes, size_t len, failing *fa,
                      int32_t expect) {
  int done = 0;
  side s;
  memset(&s, 0, sizeof s);
  s.e = failing_engine(fa);
  if (!s.e)
    return 0;
  lull_instance *inst = NULL, *i2 = NULL;
  lull_thread *t = NULL, *t2 = NULL;
  uint8_t *snap = NULL;
  size_t slen = 0;
  lull_error err;
  lull_status st = lull_module_new(s.e, bytes, len, &s.m, &err);
  if (st != LULL_OK) {
    assert_int_equal(st, LULL_NOMEM);
    goto out;
  }
  s.k = lull_cont_register(s.e, "snap.add", cont_add, &s);
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {1, 1, i32, i32};
  for (int i = 0; i < 3; i++)
    s.im[i].kind = LULL_EXTERN_FUNC;
  s.im[0].of.func = snap_host(s.e, stops);
  s.im[1].of.func = lull_func_new(s.e, &ft, host_via, &s, NULL);
  s.im[2].of.func = lull_func_new(s.e, &ft, host_via2, &s, NULL);
  t = lull_thread_new(s.e);
  if (!s.k || !s.im[0].of.func || !s.im[1].of.func || !s.im[2].of.func || !t)
    goto out;
  st = lull_instantiate(s.e, s.m, s.im, 3, &inst, &err);
  if (st != LULL_OK) {
    if (st != LULL_NOMEM && st != LULL_TRAP)
      fail_msg("instantiate: %s", err.message);
    goto out;
  }
  side_wire(&s, inst, TO_INNER);
  lull_val x = {.type = LULL_I32, .of.i32 = 7}, r;
  st = lull_call(t, lull_instance_func(inst, "outer2"), &x, 1, &r, 1);
  if (st != LULL_SUSPENDED) {
    if (st != LULL_TRAP && st != LULL_NOMEM)
      fail_msg("call: %s", lull_status_str(st));
    if (st == LULL_TRAP)
      assert_int_equal(lull_thread_trap_code(t), LULL_TRAP_OUT_OF_MEMORY);
    goto out;
  }
  st = lull_snapshot_write(t, inst, NULL, 0, &snap, &slen, &err);
  if (st != LULL_OK) {
    assert_int_equal(st, LULL_NOMEM);
    goto out;
  }
  st = lull_snapshot_read(s.e, s.m, s.im, 3, snap, slen, &i2, &t2, NULL, NULL,
                          &err);
  if (st != LULL_OK) {
    if (st != LULL_NOMEM)
      fail_msg("snapshot read: %s", err.message);
    goto out;
  }
  int32_t a = 0, b = 0;
  int fa_ok = finish_or_oom(t2, &a);
  int fb_ok = finish_or_oom(t, &b);
  if (fa_ok)
    assert_int_equal(a, expect);
  if (fb_ok)
    assert_int_equal(b, expect);
  done = fa_ok && fb_ok;
out:
  if (snap)
    lull_snapshot_free(s.e, snap, slen);
  lull_engine_free(s.e); /* and with it what is left */
  return done;
}

static void out_of_memory_at_every_step(void **state) {
  (void)state;
  size_t len;
  unsigned char *bytes = test_wasm_bytes("snaphost", &len);
  int32_t expect = snap_answer(7) * 2 + 2000 + 1;
  failing never = {{0, 0}, -1};
  assert_true(chain_life(bytes, len, &never, expect));
  assert_int_equal(never.c.live, 0);
  long n;
  for (n = 0;; n++) {
    failing fa = {{0, 0}, n};
    int done = chain_life(bytes, len, &fa, expect);
    assert_int_equal(fa.c.bad_size, 0);
    assert_int_equal(fa.c.live, 0);
    if (fa.countdown > 0) {
      assert_true(done); /* nothing failed: the whole life ran */
      break;
    }
  }
  assert_true(n > 20);
  free(bytes);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(host_to_host),
      cmocka_unit_test(host_to_wasm_to_host),
      cmocka_unit_test(host_to_host_to_host),
      cmocka_unit_test(host_to_host_to_wasm_to_host),
      cmocka_unit_test(continuation_that_parks),
      cmocka_unit_test(out_of_memory_at_every_step),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
