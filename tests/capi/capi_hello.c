/* hello: a module calls a host function with no parameters; the export
 * stays callable after its instance and module handles are deleted. */
#include "capi_test.h"

static int calls;

static wasm_trap_t *hello(const wasm_val_vec_t *args,
                          wasm_val_vec_t *results) {
  CHECK(args->size == 0 && results->size == 0);
  calls++;
  return NULL;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  CHECK(engine && store);
  wasm_module_t *module = capi_load(store, "hello");

  wasm_func_t *hello_func = capi_host(store, wasm_functype_new_0_0(), hello);

  wasm_extern_t *externs[] = {wasm_func_as_extern(hello_func)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t *trap = NULL;
  wasm_instance_t *instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_func_delete(hello_func);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  CHECK(wasm_extern_kind(exports.data[0]) == WASM_EXTERN_FUNC);
  const wasm_func_t *run = capi_func(&exports, 0);
  CHECK(wasm_func_param_arity(run) == 0 && wasm_func_result_arity(run) == 0);
  wasm_module_delete(module);
  wasm_instance_delete(instance);

  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(wasm_func_call(run, &args, &results) == NULL);
  CHECK(calls == 2);

  /* Misuse: an argument too many is a trap, not a call. */
  wasm_val_t one[] = {WASM_I32_VAL(1)};
  wasm_val_vec_t extra = WASM_ARRAY_VEC(one);
  trap = wasm_func_call(run, &extra, &results);
  CHECK(trap != NULL && calls == 2);
  wasm_trap_delete(trap);

  /* Bad bytes: no module, and validate says no. */
  wasm_byte_vec_t junk;
  wasm_name_new_from_string(&junk, "\0asm junk");
  CHECK(!wasm_module_validate(store, &junk));
  CHECK(wasm_module_new(store, &junk) == NULL);
  wasm_byte_vec_delete(&junk);

  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("hello: ok\n");
  return 0;
}
