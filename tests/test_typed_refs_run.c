/*
 * test_typed_refs_run.c -- typed function references through the API and
 * in snapshots: values of (ref $t) and (ref func) in and out of lull_val,
 * and each misuse refused (null where the type is non-null, a function of
 * another type, an externref for a funcref) by lull_call, host results,
 * globals and tables; types reported in full (lull_func_type,
 * lull_engine_functype, lull_valtype_str); a table filled by its
 * initializer and a global from an extended constant expression; and a
 * thread parked with typed references in its frame, under a call_ref,
 * saved and resumed in another process (helper_snapshot_refs); and the
 * traps of call_ref and ref.as_non_null on null.
 */
#include <unistd.h>

#include "decode_util.h"
#include "snap_refs.h"
#include "test_util.h"

/*
 * (type $t (func (result i32)))
 * (table (export "t") 2 (ref func) (ref.func $target))
 * (global (export "g") i32 (i32.add (i32.const 1)
 *                                   (i32.mul (i32.const 2) (i32.const 3))))
 * (func $target (export "target") (type $t) (i32.const 42))
 * (func (export "take") (param (ref $t)) (result i32) (i32.const 1))
 * (func (export "take_null") (param (ref null $t)) (result i32)
 *   (ref.is_null (local.get 0)))
 * (func (export "call") (param (ref null $t)) (result i32)
 *   (call_ref $t (local.get 0)))
 * (func (export "as_non_null") (param (ref null $t)) (result i32)
 *   (call_ref $t (ref.as_non_null (local.get 0))))
 */
#define API_MODULE                                                            \
  HDR "01{03 60 00 01 7f  60 01 64 00 01 7f  60 01 63 00 01 7f}"            \
      "03{05 00 01 02 02 02}"                                                 \
      "04{01 40 00 64 70 00 02 d2 00 0b}"                                     \
      "06{01 7f 00 41 01 41 02 41 03 6c 6a 0b}"                               \
      "07{07 {'target'} 00 00 {'take'} 00 01 {'take_null'} 00 02"             \
      "   {'call'} 00 03 {'as_non_null'} 00 04 {'t'} 01 00 {'g'} 03 00}"      \
      "0a{05 {00 41 2a 0b} {00 41 01 0b} {00 20 00 d1 0b}"                    \
      "   {00 20 00 14 00 0b} {00 20 00 d4 14 00 0b}}"

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
  lull_thread *t;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->e = lull_engine_new(NULL);
  assert_non_null(f->e);
  size_t n;
  uint8_t *b = hex_bytes(API_MODULE, &n);
  lull_error err;
  if (lull_module_new(f->e, b, n, &f->m, &err) != LULL_OK)
    fail_msg("module: %s", err.message);
  free(b);
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

static lull_val funcref(lull_func *fn) {
  lull_val v;
  memset(&v, 0, sizeof v);
  v.type = LULL_FUNCREF;
  v.of.funcref = fn;
  return v;
}

static lull_hostret host_i32(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  (void)hc;
  (void)env;
  results[0].of.i32 = args[0].of.i32;
  return LULL_HOST_RETURN;
}

/* Returns a null reference for its (ref func) result. */
static lull_hostret host_null(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)hc;
  (void)args;
  (void)env;
  results[0].of.funcref = NULL;
  return LULL_HOST_RETURN;
}

static void types_are_reported_in_full(void **state) {
  fixture *f = *state;
  lull_func *take = lull_instance_func(f->inst, "take");
  assert_non_null(take);
  lull_functype ft = lull_func_type(take);
  assert_int_equal(ft.nparams, 1);
  lull_valtype p = ft.params[0];
  assert_true(lull_valtype_is_ref(p));
  assert_true(LULL_VT_IS_INDEXED(p));
  assert_false(LULL_VT_IS_NULLABLE(p));
  assert_string_equal(lull_valtype_str(p), "(ref $t)");
  /* The index names the engine's function type () -> i32, the type of
   * "target". */
  lull_functype t;
  assert_int_equal(lull_engine_functype(f->e, LULL_VT_INDEX(p), &t), LULL_OK);
  assert_int_equal(t.nparams, 0);
  assert_int_equal(t.nresults, 1);
  assert_int_equal(t.results[0], LULL_I32);
  assert_int_equal(lull_engine_functype(f->e, 1u << 20, &t), LULL_BADARG);
  /* The shorthands keep their values and names. */
  assert_int_equal(LULL_FUNCREF, LULL_REF(LULL_HT_FUNC, 1));
  assert_int_equal(LULL_EXTERNREF, LULL_REF(LULL_HT_EXTERN, 1));
  assert_string_equal(lull_valtype_str(LULL_FUNCREF), "funcref");
  assert_string_equal(lull_valtype_str(LULL_REF(LULL_HT_FUNC, 0)),
                      "(ref func)");
  assert_string_equal(lull_valtype_str(LULL_REF_INDEX(3, 1)), "(ref null $t)");
  assert_string_equal(lull_valtype_str(0x42), "?");
  assert_false(lull_valtype_is_ref(LULL_I64));
  /* An exported table and global report their types. */
  lull_extern x;
  assert_int_equal(lull_instance_export(f->inst, "t", &x), LULL_OK);
  lull_val v;
  assert_int_equal(lull_table_get(x.of.table, 1, &v), LULL_OK);
  assert_int_equal(v.type, LULL_REF(LULL_HT_FUNC, 0));
}

static void calls_check_what_references_hold(void **state) {
  fixture *f = *state;
  lull_func *take = lull_instance_func(f->inst, "take");
  lull_func *take_null = lull_instance_func(f->inst, "take_null");
  lull_func *target = lull_instance_func(f->inst, "target");
  lull_val r, a = funcref(target);
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1);
  /* Null where the parameter is (ref $t). */
  a = funcref(NULL);
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_BADARG);
  assert_non_null(strstr(lull_thread_trap_message(f->t), "argument 0"));
  assert_int_equal(lull_call(f->t, take_null, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1);
  /* A function of another type. */
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ty = {1, 1, i32, i32};
  lull_func *other = lull_func_new(f->e, &ty, host_i32, NULL, NULL);
  a = funcref(other);
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_BADARG);
  assert_int_equal(lull_call(f->t, take_null, &a, 1, &r, 1), LULL_BADARG);
  /* An externref, or a number, for a function reference. */
  a.type = LULL_EXTERNREF;
  a.of.externref = (void *)0x10;
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_BADARG);
  a.type = LULL_I32;
  a.of.i32 = 0;
  assert_int_equal(lull_call(f->t, take_null, &a, 1, &r, 1), LULL_BADARG);
  /* A value may call itself (ref func) or name the type exactly. */
  a = funcref(target);
  a.type = LULL_REF(LULL_HT_FUNC, 0);
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_OK);
  a.type = lull_func_type(take).params[0];
  assert_int_equal(lull_call(f->t, take, &a, 1, &r, 1), LULL_OK);
  lull_func_free(other);
}

static void host_results_check_non_null(void **state) {
  fixture *f = *state;
  lull_valtype ref_func = LULL_REF(LULL_HT_FUNC, 0);
  lull_functype ty = {0, 1, NULL, &ref_func};
  lull_func *h = lull_func_new(f->e, &ty, host_null, NULL, NULL);
  assert_non_null(h);
  lull_val r;
  assert_int_equal(lull_call(f->t, h, NULL, 0, &r, 1), LULL_TRAP);
  assert_non_null(strstr(lull_thread_trap_message(f->t),
                         "host function returned"));
  lull_func_free(h);
  /* A type index the engine does not have makes no function. */
  lull_valtype bad = LULL_REF_INDEX(12345, 1);
  lull_functype tb = {1, 0, &bad, NULL};
  assert_null(lull_func_new(f->e, &tb, host_null, NULL, NULL));
}

static void globals_and_tables_keep_their_types(void **state) {
  fixture *f = *state;
  lull_func *target = lull_instance_func(f->inst, "target");
  lull_val v = funcref(NULL);
  v.type = LULL_REF(LULL_HT_FUNC, 0);
  assert_null(lull_global_new(f->e, &v, 1));
  v.of.funcref = target;
  lull_global *g = lull_global_new(f->e, &v, 1);
  assert_non_null(g);
  lull_val n = funcref(NULL);
  assert_int_equal(lull_global_set(g, &n, NULL), LULL_BADARG);
  lull_global_get(g, &v);
  assert_ptr_equal(v.of.funcref, target);
  assert_int_equal(v.type, LULL_REF(LULL_HT_FUNC, 0));
  lull_global_free(g);

  lull_limits one = {1, 2, 1, 0};
  assert_null(lull_table_new(f->e, LULL_REF(LULL_HT_FUNC, 0), one, NULL));
  assert_null(lull_table_new(f->e, LULL_REF(LULL_HT_FUNC, 0), one, &n));
  lull_val init = funcref(target);
  lull_table *tb = lull_table_new(f->e, LULL_REF(LULL_HT_FUNC, 0), one, &init);
  assert_non_null(tb);
  assert_int_equal(lull_table_set(tb, 0, &n), LULL_BADARG);
  lull_table_free(tb);
}

static void initializers_run_at_instantiation(void **state) {
  fixture *f = *state;
  lull_extern x;
  lull_val v;
  assert_int_equal(lull_instance_export(f->inst, "g", &x), LULL_OK);
  lull_global_get(x.of.global, &v);
  assert_int_equal(v.of.i32, 7);
  assert_int_equal(lull_instance_export(f->inst, "t", &x), LULL_OK);
  assert_int_equal(lull_table_size(x.of.table), 2);
  for (uint32_t i = 0; i < 2; i++) {
    assert_int_equal(lull_table_get(x.of.table, i, &v), LULL_OK);
    assert_ptr_equal(v.of.funcref, lull_instance_func(f->inst, "target"));
  }
}

static void null_references_trap(void **state) {
  fixture *f = *state;
  lull_func *target = lull_instance_func(f->inst, "target");
  lull_val r, a = funcref(target);
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "call"), &a, 1,
                             &r, 1),
                   LULL_OK);
  assert_int_equal(r.of.i32, 42);
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "as_non_null"),
                             &a, 1, &r, 1),
                   LULL_OK);
  assert_int_equal(r.of.i32, 42);
  a = funcref(NULL);
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "call"), &a, 1,
                             &r, 1),
                   LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "null function reference");
  assert_int_equal(lull_call(f->t, lull_instance_func(f->inst, "as_non_null"),
                             &a, 1, &r, 1),
                   LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "null reference");
}

static void typed_references_in_a_snapshot(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, snap_refs_wasm, sizeof snap_refs_wasm,
                                   &m, &err),
                   LULL_OK);
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_refs_host(e)}};
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, &im, 1, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val r[3];
  assert_int_equal(
      lull_call(t, lull_instance_func(inst, "run"), NULL, 0, r, 3),
      LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  assert_int_equal(lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err),
                   LULL_OK);
  char path[256], out[64];
  snprintf(path, sizeof path, "/tmp/lull-test-snap-refs-%d", (int)getpid());
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(snap, 1, len, fp), len);
  fclose(fp);
  lull_snapshot_free(e, snap, len);
  assert_int_equal(
      test_run_helper("helper_snapshot_refs", path, NULL, out, sizeof out), 0);
  unlink(path);
  assert_string_equal(out, "ok\n");
  /* And here, from the same park. */
  assert_string_equal(snap_refs_finish(t, inst), "ok");
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(types_are_reported_in_full, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(calls_check_what_references_hold, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(host_results_check_non_null, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(globals_and_tables_keep_their_types,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(initializers_run_at_instantiation, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(null_references_trap, setup, teardown),
      cmocka_unit_test(typed_references_in_a_snapshot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
