/*
 * test_gc_api.c -- GC references through the API: a struct a guest made
 * read field by field (a packed one zero-extended), kept by a pin across
 * collections that would free it otherwise, a struct and an array made
 * by the host and read by the guest, arrays read by the host, a pointer
 * the host made up refused as an anyref, and externref round trips both
 * ways (a struct given out as an externref comes back as itself; a host
 * value boxed as an anyref comes back as the same value), and a host
 * function's argument kept while it collects and allocates. The guests
 * are tests/wat/gc_api.wat and gc_host.wat.
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
#include "test_util.h"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features |= LULL_FEATURE_GC;
  f->e = lull_engine_new(&cfg);
  assert_non_null(f->e);
  f->m = test_load(f->e, "gc_api");
  lull_error err;
  if (lull_instantiate(f->e, f->m, NULL, 0, &f->inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  f->t = lull_thread_new(f->e);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static lull_status call(fixture *f, const char *name, const lull_val *args,
                        size_t nargs, lull_val *res, size_t nres) {
  lull_func *fn = lull_instance_func(f->inst, name);
  assert_non_null(fn);
  return lull_call(f->t, fn, args, nargs, res, nres);
}

static void churn(fixture *f) {
  lull_val n = test_i32(20000);
  assert_int_equal(call(f, "churn", &n, 1, NULL, 0), LULL_OK);
}

static void guest_struct_read_and_pinned(void **state) {
  fixture *f = *state;
  lull_val a = test_i32(41), p, v;
  assert_int_equal(call(f, "make", &a, 1, &p, 1), LULL_OK);
  assert_int_equal(lull_gc_pin(f->e, &p), LULL_OK);
  churn(f);
  assert_int_equal(lull_gc_collect(f->e), LULL_OK);
  assert_int_equal(lull_gc_struct_get(f->e, &p, 0, &v), LULL_OK);
  assert_int_equal(v.type, LULL_I32);
  assert_int_equal(v.of.i32, 41);
  assert_int_equal(lull_gc_struct_get(f->e, &p, 1, &v), LULL_OK);
  assert_true(v.of.f64 == 1.5);
  assert_int_equal(lull_gc_struct_get(f->e, &p, 2, &v), LULL_OK);
  assert_int_equal(v.of.i32, 200);
  assert_int_equal(lull_gc_struct_get(f->e, &p, 3, &v), LULL_BADARG);
  lull_val r;
  assert_int_equal(call(f, "x_of", &p, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 41);
  assert_int_equal(lull_gc_unpin(f->e, &p), LULL_OK);
  assert_int_equal(lull_gc_unpin(f->e, &p), LULL_BADARG);
  lull_gc_stats st;
  lull_gc_stats_get(f->e, &st);
  assert_true(st.full >= 1);
}

static void host_made_objects(void **state) {
  fixture *f = *state;
  uint32_t pt, arr;
  assert_int_equal(lull_module_type_id(f->m, 0, &pt), LULL_OK);
  assert_int_equal(lull_module_type_id(f->m, 1, &arr), LULL_OK);
  assert_int_equal(lull_module_type_id(f->m, 9, &arr), LULL_BADARG);
  lull_val fields[3] = {test_i32(7), {.type = LULL_F64}, test_i32(-1)};
  fields[1].of.f64 = 2.0;
  lull_val s, r, v;
  assert_int_equal(lull_gc_struct_new(f->e, pt, fields, 3, &s), LULL_OK);
  assert_int_equal(lull_gc_struct_new(f->e, arr, fields, 3, &s), LULL_BADARG);
  assert_int_equal(lull_gc_struct_new(f->e, pt, fields, 2, &s), LULL_BADARG);
  assert_int_equal(lull_gc_struct_new(f->e, pt, fields, 3, &s), LULL_OK);
  assert_int_equal(call(f, "x_of", &s, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7);
  /* The packed field was wrapped to 8 bits. */
  assert_int_equal(lull_gc_struct_get(f->e, &s, 2, &v), LULL_OK);
  assert_int_equal(v.of.i32, 255);
  /* An array of five references to it, read back. */
  lull_val a;
  assert_int_equal(lull_gc_array_new(f->e, arr, 5, &s, &a), LULL_OK);
  uint32_t len = 0;
  assert_int_equal(lull_gc_array_len(f->e, &a, &len), LULL_OK);
  assert_int_equal(len, 5);
  assert_int_equal(lull_gc_array_get(f->e, &a, 4, &v), LULL_OK);
  assert_ptr_equal(v.of.externref, s.of.externref);
  assert_int_equal(lull_gc_array_get(f->e, &a, 5, &v), LULL_BADARG);
  /* The guest's array of structs. */
  lull_val n = test_i32(3);
  assert_int_equal(call(f, "pts", &n, 1, &a, 1), LULL_OK);
  assert_int_equal(lull_gc_array_get(f->e, &a, 2, &v), LULL_OK);
  assert_int_equal(lull_gc_struct_get(f->e, &v, 0, &r), LULL_OK);
  assert_int_equal(r.of.i32, 3);
}

static void made_up_pointers_refused(void **state) {
  fixture *f = *state;
  long local = 0;
  lull_val bad = {.type = LULL_REF(LULL_HT_ANY, 1)}, r;
  bad.of.externref = &local;
  assert_int_equal(call(f, "x_of", &bad, 1, &r, 1), LULL_BADARG);
  assert_int_equal(lull_gc_pin(f->e, &bad), LULL_BADARG);
  assert_int_equal(lull_gc_struct_get(f->e, &bad, 0, &r), LULL_BADARG);
  assert_false(lull_val_host(f->e, &bad, NULL));
}

static void extern_round_trips(void **state) {
  fixture *f = *state;
  lull_val a = test_i32(5), p, x, r;
  assert_int_equal(call(f, "make", &a, 1, &p, 1), LULL_OK);
  /* A struct as an externref, converted back by the guest. */
  assert_int_equal(lull_gc_extern_of(f->e, &p, &x), LULL_OK);
  assert_int_equal(LULL_VT_CODE(x.type), LULL_HT_EXTERN);
  assert_int_equal(call(f, "x_of_ext", &x, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 5);
  /* A host value as an anyref: the guest's externref is the value. */
  void *host = (void *)(uintptr_t)0x1235;
  lull_val h, back;
  assert_int_equal(lull_gc_host_ref(f->e, host, &h), LULL_OK);
  void *got = NULL;
  assert_true(lull_val_host(f->e, &h, &got));
  assert_ptr_equal(got, host);
  assert_int_equal(call(f, "to_ext", &h, 1, &r, 1), LULL_OK);
  assert_ptr_equal(r.of.externref, host);
  /* And the host's own conversion of that externref. */
  assert_int_equal(lull_gc_any_of(f->e, &r, &back), LULL_OK);
  assert_true(lull_val_host(f->e, &back, &got));
  assert_ptr_equal(got, host);
  /* An i31 goes out boxed and comes back as the same i31. */
  lull_val i = {.type = LULL_REF(LULL_HT_I31, 0)};
  i.of.externref = (void *)(uintptr_t)((9u << 1) | 1u);
  assert_int_equal(call(f, "to_ext", &i, 1, &r, 1), LULL_OK);
  assert_int_equal(lull_gc_any_of(f->e, &r, &back), LULL_OK);
  int32_t n = 0;
  assert_true(lull_val_i31(&back, &n));
  assert_int_equal(n, 9);
}

/* The host function collects while holding its argument only, then
 * makes an object, then reads the argument. */
static lull_hostret inspect(lull_hostcall *hc, const lull_val *args,
                            lull_val *results, void *env) {
  lull_engine *e = env;
  (void)hc;
  lull_gc_collect(e);
  uint32_t len;
  lull_val arr;
  if (lull_gc_array_new(e, 0, 1, NULL, &arr) == LULL_OK)
    (void)lull_gc_array_len(e, &arr, &len);
  lull_val x;
  if (lull_gc_struct_get(e, &args[0], 0, &x) != LULL_OK)
    return lull_host_trap(hc, "the argument is gone");
  results[0] = x;
  return LULL_HOST_RETURN;
}

/* A host function's arguments are roots while it runs. */
static void host_arguments_are_roots(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = test_load(e, "gc_host");
  static const lull_valtype p[1] = {LULL_REF(LULL_HT_ANY, 1)};
  static const lull_valtype r[1] = {LULL_I32};
  lull_functype ft = {1, 1, p, r};
  lull_extern im = {LULL_EXTERN_FUNC, {.func = lull_func_new(e, &ft, inspect,
                                                             e, NULL)}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, &im, 1, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val res;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "pass_fresh"), NULL,
                             0, &res, 1),
                   LULL_OK);
  assert_int_equal(res.of.i32, 77);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(guest_struct_read_and_pinned, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(host_made_objects, setup, teardown),
      cmocka_unit_test_setup_teardown(made_up_pointers_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(extern_round_trips, setup, teardown),
      cmocka_unit_test(host_arguments_are_roots),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
