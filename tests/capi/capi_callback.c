/* callback: host functions with parameters and results, one with an
 * environment and a finalizer; a result of the wrong kind traps. */
#include "capi_test.h"

static int printed = -1, finalized;

static wasm_trap_t *print(const wasm_val_vec_t *args,
                          wasm_val_vec_t *results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  CHECK(results->size == 1 && results->data[0].kind == WASM_I32);
  printed = args->data[0].of.i32;
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_trap_t *closure(void *env, const wasm_val_vec_t *args,
                            wasm_val_vec_t *results) {
  CHECK(args->size == 0 && results->size == 1);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = *(int *)env;
  return NULL;
}

static wasm_trap_t *wrong(void *env, const wasm_val_vec_t *args,
                          wasm_val_vec_t *results) {
  results->data[0].kind = WASM_F64; /* the type says i32 */
  results->data[0].of.f64 = 1;
  return NULL;
}

static void finalize(void *env) {
  CHECK(*(int *)env == 42);
  finalized++;
}

static int32_t run(wasm_func_t *f, int32_t x, int32_t y, wasm_trap_t **trap) {
  wasm_val_t as[] = {WASM_I32_VAL(x), WASM_I32_VAL(y)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  *trap = wasm_func_call(f, &args, &results);
  return *trap ? 0 : rs[0].of.i32;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "callback");
  static int env = 42;

  wasm_functype_t *i_i =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_functype_t *v_i = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t *print_func = wasm_func_new(store, i_i, print);
  wasm_func_t *closure_func =
      wasm_func_new_with_env(store, v_i, closure, &env, finalize);
  wasm_func_t *wrong_func =
      wasm_func_new_with_env(store, v_i, wrong, &env, NULL);
  wasm_functype_delete(i_i);
  wasm_functype_delete(v_i);

  wasm_extern_t *good[] = {wasm_func_as_extern(print_func),
                           wasm_func_as_extern(closure_func)};
  wasm_trap_t *trap;
  wasm_extern_vec_t exports;
  wasm_instance_t *instance = capi_instantiate(store, module, good, 2, &exports);
  CHECK(run(capi_func(&exports, 0), 3, 4, &trap) == 7 + 42 && !trap);
  CHECK(printed == 7);

  /* The same module with a host function that breaks its type. */
  wasm_extern_t *bad[] = {wasm_func_as_extern(print_func),
                          wasm_func_as_extern(wrong_func)};
  wasm_extern_vec_t bad_exports;
  wasm_instance_t *bad_instance =
      capi_instantiate(store, module, bad, 2, &bad_exports);
  run(capi_func(&bad_exports, 0), 1, 2, &trap);
  capi_trapped(trap, "wrong type");

  /* Too few imports: no instance, a trap that says why. */
  wasm_extern_vec_t one = {1, good};
  CHECK(wasm_instance_new(store, module, &one, &trap) == NULL);
  capi_trapped(trap, "import");

  /* The closure lives while the instance imports it. */
  wasm_func_delete(closure_func);
  CHECK(finalized == 0);
  CHECK(run(capi_func(&exports, 0), 1, 1, &trap) == 44 && !trap);

  wasm_extern_vec_delete(&bad_exports);
  wasm_instance_delete(bad_instance);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(print_func);
  wasm_func_delete(wrong_func);
  wasm_module_delete(module);
  wasm_store_delete(store);
  CHECK(finalized == 1);
  wasm_engine_delete(engine);
  printf("callback: ok\n");
  return 0;
}
