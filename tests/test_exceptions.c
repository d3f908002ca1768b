/*
 * test_exceptions.c -- exception handling: throws caught where they are
 * thrown and frames away, every catch clause, rethrows through exnref,
 * handlers of loops and of the function's own label, throws through
 * call_indirect, call_ref and another instance, a 100,000-frame unwind,
 * exceptions nobody catches (a status of their own, a message naming the
 * tag, a backtrace, a thread that can be used again), throw_ref of null,
 * host functions that throw a tag the host made, continuations of
 * lull_host_call that catch or rethrow their callee's exception, threads
 * parked (host call, fuel, interrupt) inside a try_table or holding
 * exceptions, resumed in another process (helper_snapshot_exn), exceptions
 * carrying GC objects through collections, and modules with bad tags or
 * catch clauses. The guests are tests/wat/exceptions*.wat.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode_util.h"
#include "lull.h"
#include "test_util.h"

typedef test_guest fixture;

/* An engine with exceptions on (the default) or off. */
static lull_engine *engine(int on) {
  lull_config cfg;
  lull_config_init(&cfg);
  assert_true(cfg.features & LULL_FEATURE_EXCEPTIONS);
  if (!on)
    cfg.features &= ~(lull_features)LULL_FEATURE_EXCEPTIONS;
  lull_engine *e = lull_engine_new(&cfg);
  assert_non_null(e);
  return e;
}

static void open_guest(fixture *f) {
  test_guest_open(f, "exceptions", 0);
}

static lull_status call(fixture *f, const char *name, const lull_val *args,
                        size_t nargs, lull_val *res, size_t nres) {
  return test_guest_call(f, name, args, nargs, res, nres);
}

/* The i32 that export `name` returns for argument x. */
static int32_t call_i32(fixture *f, const char *name, int32_t x) {
  lull_val a = test_i32(x), r;
  lull_status s = call(f, name, &a, 1, &r, 1);
  if (s != LULL_OK)
    fail_msg("%s(%d): %s: %s", name, x, lull_status_str(s),
             lull_thread_trap_message(f->t));
  return r.of.i32;
}

static void catches(void **state) {
  (void)state;
  fixture f;
  open_guest(&f);
  assert_int_equal(call_i32(&f, "catch_here", 41), 42);
  assert_int_equal(call_i32(&f, "rethrow", 5), 1105);
  assert_int_equal(call_i32(&f, "catch_to_return", 9), 9);
  assert_int_equal(call_i32(&f, "retry", 5), 5);
  assert_int_equal(call_i32(&f, "via_indirect", 3), 3);
  assert_int_equal(call_i32(&f, "via_ref", 4), 4);
  assert_int_equal(call_i32(&f, "deep", 10), 7);
  lull_val r[1];
  assert_int_equal(call(&f, "nested", NULL, 0, r, 1), LULL_OK);
  assert_int_equal(r[0].of.i32, 11);
  lull_val a = test_i32(-3), big[4];
  assert_int_equal(call(&f, "catch_big", &a, 1, big, 4), LULL_OK);
  assert_int_equal(big[0].of.i32, -3);
  assert_true(big[1].of.i64 == 0x1122334455667788);
  assert_true(big[2].of.f64 == 2.5);
  assert_int_equal(big[3].of.i32, 4);
  /* A million throws, each caught at once: the plain catch frees what
   * the throw made (ASan would report a leak, and the heap limit a
   * trap). */
  assert_int_equal(call_i32(&f, "churn", 1000000),
                   (int32_t)(1000000ull * 1000001 / 2));
  lull_engine_free(f.e);
}

static void deep_unwind(void **state) {
  (void)state;
  fixture f;
  open_guest(&f);
  assert_int_equal(call_i32(&f, "deep", 100000), 7);
  /* And again on the same thread: the stack was cut back cleanly. */
  assert_int_equal(call_i32(&f, "deep", 100000), 7);
  lull_engine_free(f.e);
}

static void uncaught(void **state) {
  (void)state;
  fixture f;
  open_guest(&f);
  lull_val a = test_i32(1), r;
  assert_int_equal(call(&f, "uncaught", &a, 1, &r, 1), LULL_EXCEPTION);
  assert_string_equal(lull_thread_trap_message(f.t),
                      "uncaught exception: tag \"e\"");
  lull_frame_info bt[4];
  size_t n = lull_thread_backtrace(f.t, bt, 4);
  assert_int_equal(n, 2);
  assert_string_equal(bt[0].func_name, "thrower");
  assert_string_equal(bt[1].func_name, "uncaught");
  assert_int_equal(lull_thread_state_of(f.t), LULL_THREAD_TRAPPED);
  /* A tag that no clause names goes past them all. */
  assert_int_equal(call(&f, "other_tag", NULL, 0, &r, 1), LULL_EXCEPTION);
  assert_string_equal(lull_thread_trap_message(f.t),
                      "uncaught exception: tag \"none\"");
  /* The thread is as good as new. */
  assert_int_equal(call_i32(&f, "catch_here", 1), 2);
  assert_int_equal(call(&f, "throw_null", NULL, 0, NULL, 0), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f.t),
                      "null exception reference");
  lull_engine_free(f.e);
}

static void across_instances(void **state) {
  (void)state;
  fixture f;
  open_guest(&f);
  lull_module *m2 = test_load(f.e, "exceptions_other");
  lull_linker *l = lull_linker_new(f.e);
  assert_int_equal(lull_linker_define_instance(l, "exc", f.inst), LULL_OK);
  lull_instance *i2;
  lull_error err;
  if (lull_linker_instantiate(l, m2, &i2, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  lull_val a = test_i32(12), r;
  lull_func *fn = lull_instance_func(i2, "catch_imported");
  assert_int_equal(lull_call(f.t, fn, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 12);
  fn = lull_instance_func(i2, "catch_mine_only");
  assert_int_equal(lull_call(f.t, fn, &a, 1, &r, 1), LULL_EXCEPTION);
  /* Named as the instance that threw it knows it. */
  assert_string_equal(lull_thread_trap_message(f.t),
                      "uncaught exception: tag \"e\"");
  /* A tag import must have the same type. */
  lull_tag *wrong;
  lull_valtype i64 = LULL_I64;
  lull_functype ft = {1, 0, &i64, NULL};
  wrong = lull_tag_new(f.e, &ft);
  assert_non_null(wrong);
  lull_extern x = {.kind = LULL_EXTERN_TAG};
  x.of.tag = wrong;
  assert_int_equal(lull_linker_define(l, "exc", "e", &x), LULL_OK);
  lull_instance *i3 = NULL;
  assert_int_equal(lull_linker_instantiate(l, m2, &i3, &err),
                   LULL_UNLINKABLE);
  assert_non_null(strstr(err.message, "incompatible import type"));
  lull_tag_free(wrong);
  lull_instance_free(i2);
  lull_module_free(m2);
  lull_linker_free(l);
  lull_engine_free(f.e);
}

/* The host side of exceptions_host.wat. */
typedef struct host {
  lull_tag *tag;      /* (param i32 i64), imported as "host" "tag" */
  lull_func *inner;   /* the guest's export, called back */
  const lull_cont *k;
} host;

/* Throws the host's tag with (x, x * 1000). */
static lull_hostret host_throw(lull_hostcall *hc, const lull_val *args,
                               lull_val *results, void *env) {
  (void)results;
  host *h = env;
  lull_val v[2] = {args[0], {.type = LULL_I64}};
  v[1].of.i64 = (int64_t)args[0].of.i32 * 1000;
  return lull_host_throw(hc, h->tag, v, 2);
}

static lull_hostret host_call(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)results;
  host *h = env;
  return lull_host_call(hc, h->inner, args, 1, h->k, NULL, 0);
}

/* The callee returned: its result. It threw 1: caught here, 101. It
 * threw anything else: on it goes. */
static lull_hostret host_cont(lull_hostcall *hc, const lull_val *callee,
                              void *state, size_t len, lull_val *results,
                              void *env) {
  (void)state, (void)len, (void)env;
  lull_tag *tag;
  lull_val payload[2];
  size_t n = lull_hostcall_exception(hc, &tag, payload, 2);
  if (!tag) {
    assert_non_null(callee);
    results[0] = callee[0];
    return LULL_HOST_RETURN;
  }
  assert_null(callee);
  assert_int_equal(n, 1);
  if (payload[0].of.i32 != 1)
    return lull_host_rethrow(hc);
  results[0] = test_i32(100 + payload[0].of.i32);
  return LULL_HOST_RETURN;
}

static void with_host(void **state) {
  (void)state;
  lull_engine *e = engine(1);
  host h;
  lull_valtype tt[2] = {LULL_I32, LULL_I64}, i32 = LULL_I32;
  lull_functype tag_type = {2, 0, tt, NULL}, bad_type = {0, 1, NULL, &i32};
  assert_null(lull_tag_new(e, &bad_type)); /* a tag has no results */
  h.tag = lull_tag_new(e, &tag_type);
  assert_non_null(h.tag);
  h.k = lull_cont_register(e, "exc.k", host_cont, NULL);
  lull_functype ft_throw = {1, 0, &i32, NULL}, ft_call = {1, 1, &i32, &i32};
  lull_extern imp[3] = {{.kind = LULL_EXTERN_TAG},
                        {.kind = LULL_EXTERN_FUNC},
                        {.kind = LULL_EXTERN_FUNC}};
  imp[0].of.tag = h.tag;
  imp[1].of.func = lull_func_new(e, &ft_throw, host_throw, &h, NULL);
  imp[2].of.func = lull_func_new(e, &ft_call, host_call, &h, NULL);
  lull_module *m = test_load(e, "exceptions_host");
  lull_instance *inst;
  lull_error err;
  if (lull_instantiate(e, m, imp, 3, &inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  h.inner = lull_instance_func(inst, "inner");
  lull_thread *t = lull_thread_new(e);
  lull_val a = test_i32(6), r[2];

  /* A host function throws; Wasm catches. */
  lull_func *f = lull_instance_func(inst, "catch_host");
  assert_int_equal(lull_call(t, f, &a, 1, r, 2), LULL_OK);
  assert_int_equal(r[0].of.i32, 6);
  assert_true(r[1].of.i64 == 6000);

  /* Nobody catches: the embedder reads tag and payload. */
  f = lull_instance_func(inst, "host_uncaught");
  assert_int_equal(lull_call(t, f, &a, 1, NULL, 0), LULL_EXCEPTION);
  lull_tag *tag;
  assert_int_equal(lull_thread_exception(t, &tag, r, 2), 2);
  assert_ptr_equal(tag, h.tag);
  assert_int_equal(r[0].of.i32, 6);
  assert_true(r[1].of.i64 == 6000);
  assert_string_equal(lull_thread_trap_message(t),
                      "uncaught exception: tag \"host\" \"tag\"");
  assert_int_equal(lull_tag_type(tag).nparams, 2);

  /* Through a continuation: returned, caught there, rethrown into the
   * Wasm caller. */
  f = lull_instance_func(inst, "through_host");
  for (int32_t x = 0; x <= 2; x++) {
    a = test_i32(x);
    assert_int_equal(lull_call(t, f, &a, 1, r, 1), LULL_OK);
    assert_int_equal(r[0].of.i32, x == 0 ? 5 : x == 1 ? 101 : 2);
  }
  assert_int_equal(lull_thread_exception(t, &tag, NULL, 0), 0);
  assert_null(tag);

  /* The root call is the host callee: nothing catches. */
  a = test_i32(3);
  assert_int_equal(lull_call(t, imp[2].of.func, &a, 1, r, 1),
                   LULL_EXCEPTION);
  assert_int_equal(lull_thread_exception(t, &tag, r, 1), 1);
  assert_int_equal(r[0].of.i32, 3);
  lull_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                            */
/* ------------------------------------------------------------------ */

static lull_hostret park(lull_hostcall *hc, const lull_val *args,
                         lull_val *results, void *env) {
  (void)args, (void)results, (void)env;
  return lull_host_suspend(hc, 1);
}

/* exceptions_snap.wat with its host function. */
static void open_snap(fixture *f) {
  memset(f, 0, sizeof *f);
  f->e = engine(1);
  lull_valtype i32 = LULL_I32;
  lull_functype ft = {1, 1, &i32, &i32};
  lull_extern im = {.kind = LULL_EXTERN_FUNC};
  im.of.func = lull_func_new(f->e, &ft, park, NULL, NULL);
  f->m = test_load(f->e, "exceptions_snap");
  lull_error err;
  if (lull_instantiate(f->e, f->m, &im, 1, &f->inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  f->t = lull_thread_new(f->e);
}

/* Snapshots the parked thread, has helper_snapshot_exn resume it in
 * another process, and checks what it printed. */
static void resume_elsewhere(fixture *f, const char *want) {
  char out[64];
  assert_int_equal(test_resume_in_helper(f->e, f->t, f->inst,
                                         "helper_snapshot_exn",
                                         "exceptions_snap", out, sizeof out),
                   0);
  assert_string_equal(out, want);
}

static void snapshots(void **state) {
  (void)state;
  fixture f;
  open_snap(&f);
  lull_val a = test_i32(5), r, back = test_i32(10);
  /* Parked in the host inside a try_table: the handler still catches
   * there, and here. */
  assert_int_equal(call(&f, "park_in_try", &a, 1, &r, 1), LULL_SUSPENDED);
  resume_elsewhere(&f, "11 -1\n");
  assert_int_equal(lull_resume(f.t, &back, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 11);
  /* Holding an exception in a local, a global and an operand slot. */
  a = test_i32(7);
  assert_int_equal(call(&f, "park_holding", &a, 1, &r, 1), LULL_SUSPENDED);
  resume_elsewhere(&f, "7 7\n");
  assert_int_equal(lull_resume(f.t, &back, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7);
  /* Out of fuel in a loop inside a try_table. */
  a = test_i32(1000000);
  lull_thread_set_fuel(f.t, 5000);
  assert_int_equal(call(&f, "spin_in_try", &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f.t), LULL_PARK_FUEL);
  resume_elsewhere(&f, "42 7\n");
  lull_thread_set_fuel(f.t, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(f.t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
  /* Interrupted there. */
  lull_thread_interrupt(f.t);
  assert_int_equal(call(&f, "spin_in_try", &a, 1, &r, 1), LULL_SUSPENDED);
  assert_int_equal(lull_thread_park_reason(f.t), LULL_PARK_INTERRUPT);
  resume_elsewhere(&f, "42 7\n");
  assert_int_equal(lull_resume(f.t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
  lull_engine_free(f.e);
}

/* Exceptions whose payloads are structs, held only through a struct's
 * field, an array, a global and a local while 40 MiB of garbage makes the
 * collector run: all survive. */
static void with_gc(void **state) {
  (void)state;
  test_guest g;
  test_guest_open(&g, "exceptions_gc", LULL_FEATURE_GC);
  lull_val a[2] = {test_i32(77), test_i32(10000)}, r;
  assert_int_equal(test_guest_call(&g, "held_across_gc", a, 2, &r, 1),
                   LULL_OK);
  assert_int_equal(r.of.i32, 77 * 4 + 6);
  lull_gc_stats st;
  lull_gc_stats_get(g.e, &st);
  assert_true(st.cycles >= 2);
  /* Parked holding exceptions that carry structs: a snapshot cannot
   * carry those yet, and says so. */
  lull_thread_set_fuel(g.t, 2000);
  assert_int_equal(test_guest_call(&g, "held_across_gc", a, 2, &r, 1),
                   LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  lull_error err;
  assert_int_not_equal(
      lull_snapshot_write(g.t, g.inst, NULL, 0, &snap, &len, &err), LULL_OK);
  assert_non_null(strstr(err.message, "an exception carries a GC object"));
  /* Nor an exception held by a struct (in a fresh instance: the global
   * holds one that carries a struct). */
  lull_engine_free(g.e);
  test_guest_open(&g, "exceptions_gc", LULL_FEATURE_GC);
  lull_thread_set_fuel(g.t, 2000);
  assert_int_equal(test_guest_call(&g, "struct_holds", &a[1], 1, &r, 1),
                   LULL_SUSPENDED);
  assert_int_not_equal(
      lull_snapshot_write(g.t, g.inst, NULL, 0, &snap, &len, &err), LULL_OK);
  if (!strstr(err.message, "an object holds an exception"))
    fail_msg("snapshot: %s", err.message);
  lull_engine_free(g.e);
}

/* Modules that must be refused, and how. */
static const struct {
  const char *hex;
  int on;              /* exceptions on */
  lull_status status;
  const char *why;     /* in the message */
} bad[] = {
    /* A tag whose type has a result. */
    {HDR "01{01 60 00 01 7f} 0d{01 00 00}", 1, LULL_INVALID,
     "non-empty tag result type"},
    /* A tag of a type that does not exist. */
    {HDR "01{01 60 00 00} 0d{01 00 05}", 1, LULL_INVALID, "unknown type"},
    /* The attribute byte must be 0. */
    {HDR "01{01 60 00 00} 0d{01 01 00}", 1, LULL_MALFORMED,
     "malformed tag attribute"},
    /* Without the feature the tag section is not one. */
    {HDR "01{01 60 00 00} 0d{01 00 00}", 0, LULL_MALFORMED,
     "malformed section id"},
    /* throw of a tag that does not exist. */
    {HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 08 00 0b}}", 1, LULL_INVALID,
     "unknown tag 0"},
    /* A catch clause of kind 4. */
    {HDR "01{01 60 00 00} 03{01 00} 0d{01 00 00}"
         "0a{01 {00 1f 40 01 04 00 0b 0b}}",
     1, LULL_MALFORMED, "malformed catch clause"},
    /* catch_ref to a label that does not take an exnref. */
    {HDR "01{01 60 00 00} 03{01 00} 0d{01 00 00}"
         "0a{01 {00 02 40 1f 40 01 01 00 00 0b 0b 0b}}",
     1, LULL_INVALID, "type mismatch"},
    /* try_table is no instruction without the feature. */
    {HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 1f 40 00 0b 0b}}", 0,
     LULL_MALFORMED, "illegal opcode"},
    /* throw_ref of something else than an exnref. */
    {HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 41 00 0a 0b}}", 1,
     LULL_INVALID, "type mismatch"},
    /* An exported tag that does not exist. */
    {HDR "07{01 01 'e' 04 00}", 1, LULL_INVALID, "unknown tag 0"},
};

static void bad_modules(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    lull_engine *e = engine(bad[i].on);
    size_t len;
    uint8_t *b = hex_bytes(bad[i].hex, &len);
    lull_module *m = NULL;
    lull_error err;
    lull_status s = lull_module_new(e, b, len, &m, &err);
    free(b);
    if (s != bad[i].status || !strstr(err.message, bad[i].why))
      fail_msg("module %zu: %s: %s, expected %s", i, lull_status_str(s),
               s == LULL_OK ? "" : err.message, bad[i].why);
    lull_engine_free(e);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(catches),
      cmocka_unit_test(deep_unwind),
      cmocka_unit_test(uncaught),
      cmocka_unit_test(across_instances),
      cmocka_unit_test(with_host),
      cmocka_unit_test(snapshots),
      cmocka_unit_test(with_gc),
      cmocka_unit_test(bad_modules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
