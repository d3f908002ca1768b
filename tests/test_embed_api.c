/*
 * test_embed_api.c -- the embedder's conveniences: user data on instances
 * and threads, a stack limit per thread, messages from lull_global_set and
 * from imports that are missing, listing an instance's exports, and
 * reading custom sections. Misuse of each is refused with a status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

static lull_module *load(lull_engine *e, const char *text) {
  lull_module *m = NULL;
  lull_error err;
  if (lull_module_new_text(e, text, strlen(text), &m, &err) != LULL_OK)
    fail_msg("%s", err.message);
  return m;
}

/* Checks that the host function sees the data the embedder left. */
static lull_hostret see_data(lull_hostcall *hc, const lull_val *args,
                             lull_val *results, void *env) {
  (void)args;
  (void)env;
  const char *i = lull_instance_data(lull_hostcall_instance(hc));
  const char *t = lull_thread_data(lull_hostcall_thread(hc));
  results[0].of.i32 = i && t && strcmp(i, "inst") == 0 && strcmp(t, "thr") == 0;
  return LULL_HOST_RETURN;
}

static void user_data(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = load(e, "(module (import \"h\" \"see\" (func (result i32)))"
                           "  (export \"see\" (func 0))"
                           "  (func (export \"call\") (result i32) call 0))");
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {0, 1, NULL, i32};
  lull_extern imp = {LULL_EXTERN_FUNC,
                     {.func = lull_func_new(e, &ft, see_data, NULL, NULL)}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, &imp, 1, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  assert_null(lull_instance_data(inst));
  assert_null(lull_thread_data(t));
  lull_instance_set_data(inst, "inst");
  lull_thread_set_data(t, "thr");
  lull_val r;
  assert_int_equal(
      lull_call(t, lull_instance_func(inst, "call"), NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1);
  /* NULL objects: nothing set, NULL read. */
  lull_instance_set_data(NULL, "x");
  lull_thread_set_data(NULL, "x");
  assert_null(lull_instance_data(NULL));
  assert_null(lull_thread_data(NULL));
  lull_engine_free(e);
}

static const char recurse[] =
    "(module (func $f (export \"f\") (param i32) (result i32)\n"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))\n"
    "    (else (i32.add (i32.const 1)\n"
    "      (call $f (i32.sub (local.get 0) (i32.const 1))))))))\n";

/* Does f(depth) return on `t`? */
static lull_status depth_call(lull_thread *t, lull_func *f, int32_t depth) {
  lull_val a = {.type = LULL_I32, .of.i32 = depth}, r;
  return lull_call(t, f, &a, 1, &r, 1);
}

static void stack_limit_per_thread(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = load(e, recurse);
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, NULL), LULL_OK);
  lull_func *f = lull_instance_func(inst, "f");
  lull_thread *small = lull_thread_new(e), *big = lull_thread_new(e);
  assert_int_equal(lull_thread_stack_limit(big), 16u << 20);
  assert_int_equal(lull_thread_set_stack_limit(small, 32 << 10), LULL_OK);
  assert_int_equal(lull_thread_stack_limit(small), 32u << 10);
  assert_int_equal(depth_call(small, f, 10000), LULL_TRAP);
  assert_int_equal(lull_thread_trap_code(small), LULL_TRAP_STACK_EXHAUSTED);
  assert_int_equal(depth_call(small, f, 100), LULL_OK);
  /* The other thread keeps the engine's limit. */
  assert_int_equal(depth_call(big, f, 10000), LULL_OK);
  /* 0 goes back to the engine's limit. */
  assert_int_equal(lull_thread_set_stack_limit(small, 0), LULL_OK);
  assert_int_equal(lull_thread_stack_limit(small), 16u << 20);
  assert_int_equal(depth_call(small, f, 10000), LULL_OK);
  /* Lowering it under what the stack already holds takes effect at the
   * next growth. */
  assert_int_equal(lull_thread_set_stack_limit(big, 1024), LULL_OK);
  assert_int_equal(depth_call(big, f, 10), LULL_OK);
  assert_int_equal(depth_call(big, f, 100000), LULL_TRAP);
  assert_int_equal(lull_thread_set_stack_limit(NULL, 1), LULL_BADARG);
  assert_int_equal(lull_thread_stack_limit(NULL), 0);
  lull_engine_free(e);
}

/* A host function that tries to change its own thread's limit. */
static lull_hostret set_limit(lull_hostcall *hc, const lull_val *args,
                              lull_val *results, void *env) {
  (void)args;
  (void)env;
  results[0].of.i32 =
      (int32_t)lull_thread_set_stack_limit(lull_hostcall_thread(hc), 4096);
  return LULL_HOST_RETURN;
}

static void stack_limit_not_while_running(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {0, 1, NULL, i32};
  lull_func *h = lull_func_new(e, &ft, set_limit, NULL, NULL);
  lull_thread *t = lull_thread_new(e);
  lull_val r;
  assert_int_equal(lull_call(t, h, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, LULL_BADSTATE);
  assert_int_equal(lull_thread_stack_limit(t), 16u << 20);
  lull_engine_free(e);
}

static void global_set_says_why(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_val v = {.type = LULL_I32, .of.i32 = 1};
  lull_global *mut = lull_global_new(e, &v, 1), *imm = lull_global_new(e, &v, 0);
  lull_error err;
  assert_int_equal(lull_global_set(imm, &v, &err), LULL_BADARG);
  assert_string_equal(err.message, "lull_global_set: the global is immutable");
  lull_val f = {.type = LULL_F64, .of.f64 = 1.5};
  assert_int_equal(lull_global_set(mut, &f, &err), LULL_BADARG);
  assert_string_equal(err.message,
                      "lull_global_set: f64 given for a global of type i32");
  assert_int_equal(lull_global_set(mut, NULL, &err), LULL_BADARG);
  assert_string_equal(err.message, "lull_global_set: no value");
  assert_int_equal(lull_global_set(NULL, &v, &err), LULL_BADARG);
  assert_string_equal(err.message, "lull_global_set: no global");
  /* A null for a non-nullable reference. */
  lull_val fr = {.type = LULL_REF(LULL_HT_FUNC, 1), .of.funcref = NULL};
  lull_global *g = lull_global_new(e, &fr, 1);
  lull_val nn = {.type = LULL_EXTERNREF, .of.externref = &err};
  assert_int_equal(lull_global_set(g, &nn, &err), LULL_BADARG);
  assert_non_null(strstr(err.message, "externref given for a global of type"));
  /* err may be NULL; success leaves the value. */
  v.of.i32 = 9;
  assert_int_equal(lull_global_set(imm, &v, NULL), LULL_BADARG);
  assert_int_equal(lull_global_set(mut, &v, NULL), LULL_OK);
  lull_val out;
  lull_global_get(mut, &out);
  assert_int_equal(out.of.i32, 9);
  lull_engine_free(e);
}

static const char imports3[] =
    "(module (import \"env\" \"a\" (func))\n"
    "  (import \"env\" \"mem\" (memory 1))\n"
    "  (import \"wasi\" \"clock\" (global i32)))\n";

static void missing_imports_are_named(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = load(e, imports3);
  lull_functype ft = {0, 0, NULL, NULL};
  lull_extern imps[3] = {{LULL_EXTERN_FUNC, {.func = NULL}}};
  imps[0].of.func = lull_func_new(e, &ft, set_limit, NULL, NULL);
  assert_non_null(imps[0].of.func);
  imps[1].kind = LULL_EXTERN_MEMORY;
  imps[1].of.memory = lull_memory_new(e, (lull_limits){1, 0, 0, 0});
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, imps, 0, &inst, &err),
                   LULL_UNLINKABLE);
  assert_string_equal(err.message,
                      "unknown import: \"env\" \"a\" (import 0) not given: "
                      "the module has 3 imports, 0 given");
  assert_int_equal(lull_instantiate(e, m, imps, 2, &inst, &err),
                   LULL_UNLINKABLE);
  assert_string_equal(err.message,
                      "unknown import: \"wasi\" \"clock\" (import 2) not "
                      "given: the module has 3 imports, 2 given");
  assert_null(inst);
  assert_int_equal(lull_instantiate(e, m, imps, 4, &inst, &err),
                   LULL_UNLINKABLE);
  assert_string_equal(err.message,
                      "unknown import: the module has 3 imports, 4 given");
  /* A hole in the array (a function where a global goes) names the
   * import too. */
  assert_int_equal(lull_instantiate(e, m, imps, 3, &inst, &err),
                   LULL_UNLINKABLE);
  assert_non_null(strstr(err.message, "\"wasi\" \"clock\""));
  lull_engine_free(e);
}

static void exports_are_listed(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = load(e, "(module (func (export \"f\"))"
                           "  (memory (export \"mem\") 1)"
                           "  (global (export \"g\") i32 (i32.const 7))"
                           "  (table (export \"t\") 1 funcref)"
                           "  (export \"f2\" (func 0)))");
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, NULL), LULL_OK);
  assert_int_equal(lull_instance_export_count(inst), 5);
  static const char *const names[5] = {"f", "mem", "g", "t", "f2"};
  static const lull_externkind kinds[5] = {
      LULL_EXTERN_FUNC, LULL_EXTERN_MEMORY, LULL_EXTERN_GLOBAL,
      LULL_EXTERN_TABLE, LULL_EXTERN_FUNC};
  for (size_t i = 0; i < 5; i++) {
    const char *name;
    lull_extern x, y;
    assert_int_equal(lull_instance_export_at(inst, i, &name, &x), LULL_OK);
    assert_string_equal(name, names[i]);
    assert_int_equal(x.kind, kinds[i]);
    assert_int_equal(lull_instance_export(inst, name, &y), LULL_OK);
    assert_ptr_equal(x.of.func, y.of.func);
  }
  lull_extern x;
  lull_val gv;
  assert_int_equal(lull_instance_export_at(inst, 2, NULL, &x), LULL_OK);
  lull_global_get(x.of.global, &gv);
  assert_int_equal(gv.of.i32, 7);
  assert_int_equal(lull_instance_export_at(inst, 5, NULL, &x), LULL_BADARG);
  assert_int_equal(lull_instance_export_at(NULL, 0, NULL, &x), LULL_BADARG);
  assert_int_equal(lull_instance_export_count(NULL), 0);
  lull_engine_free(e);
}

static void custom_sections(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = load(e, "(module (@custom \"meta\" \"v1\")"
                           "  (@custom \"empty\" (after func))"
                           "  (@custom \"meta\" \"second\")"
                           "  (func $named))");
  const char *name;
  const uint8_t *data;
  size_t len;
  /* lull's text format adds a name section for $named. */
  size_t n = lull_module_custom_count(m);
  assert_true(n >= 3);
  int metas = 0, empties = 0;
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(lull_module_custom(m, i, &name, &data, &len), LULL_OK);
    if (strcmp(name, "meta") == 0) {
      const char *want = metas++ ? "second" : "v1";
      assert_int_equal(len, strlen(want));
      assert_memory_equal(data, want, len);
    } else if (strcmp(name, "empty") == 0) {
      empties++;
      assert_int_equal(len, 0);
    }
  }
  assert_int_equal(metas, 2);
  assert_int_equal(empties, 1);
  assert_int_equal(lull_module_custom_find(m, "meta", &data, &len), LULL_OK);
  assert_memory_equal(data, "v1", 2);
  assert_int_equal(lull_module_custom_find(m, "met", &data, &len),
                   LULL_NOTFOUND);
  assert_int_equal(lull_module_custom_find(m, NULL, &data, &len), LULL_BADARG);
  assert_int_equal(lull_module_custom(m, n, &name, &data, &len), LULL_BADARG);
  assert_int_equal(lull_module_custom(NULL, 0, &name, &data, &len),
                   LULL_BADARG);
  assert_int_equal(lull_module_custom_count(NULL), 0);
  /* A module without custom sections. */
  lull_module *plain = load(e, "(module)");
  assert_int_equal(lull_module_custom_count(plain), 0);
  assert_int_equal(lull_module_custom_find(plain, "meta", NULL, NULL),
                   LULL_NOTFOUND);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(user_data),
      cmocka_unit_test(stack_limit_per_thread),
      cmocka_unit_test(stack_limit_not_while_running),
      cmocka_unit_test(global_set_says_why),
      cmocka_unit_test(missing_imports_are_named),
      cmocka_unit_test(exports_are_listed),
      cmocka_unit_test(custom_sections),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
