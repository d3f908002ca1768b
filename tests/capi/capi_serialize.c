/* serialize: a module serialized, deserialized in the same store and in
 * another one, instantiated and run; damaged bytes are refused. */
#include "capi_test.h"

static int calls;

static wasm_trap_t *hello(const wasm_val_vec_t *args,
                          wasm_val_vec_t *results) {
  calls++;
  return NULL;
}

/* Instantiates hello with the callback and runs it once. */
static void run(wasm_store_t *store, const wasm_module_t *module) {
  wasm_func_t *f = capi_host(store, wasm_functype_new_0_0(), hello);
  wasm_extern_t *ins[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 1, &ex);
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_EMPTY_VEC;
  int before = calls;
  CHECK(wasm_func_call(capi_func(&ex, 0), &none, &results) == NULL);
  CHECK(calls == before + 1);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "hello");

  wasm_byte_vec_t bytes;
  wasm_module_serialize(module, &bytes);
  CHECK(bytes.size > 0);
  wasm_module_delete(module);

  wasm_module_t *again = wasm_module_deserialize(store, &bytes);
  CHECK(again);
  wasm_exporttype_vec_t ets;
  wasm_module_exports(again, &ets);
  CHECK(ets.size == 1);
  wasm_exporttype_vec_delete(&ets);
  run(store, again);

  /* Another store: another lull engine. */
  wasm_store_t *other = wasm_store_new(engine);
  wasm_module_t *there = wasm_module_deserialize(other, &bytes);
  CHECK(there);
  run(other, there);
  wasm_module_delete(there);
  wasm_store_delete(other);

  /* Refused: the plain module's bytes, truncated bytes, a changed byte
   * (the checksum catches it), nothing. */
  wasm_byte_vec_t wasm;
  capi_read("hello", &wasm);
  CHECK(wasm_module_deserialize(store, &wasm) == NULL);
  wasm_byte_vec_delete(&wasm);
  wasm_byte_vec_t cut = {bytes.size - 1, bytes.data};
  CHECK(wasm_module_deserialize(store, &cut) == NULL);
  cut.size = 10;
  CHECK(wasm_module_deserialize(store, &cut) == NULL);
  wasm_byte_vec_t changed;
  wasm_byte_vec_copy(&changed, &bytes);
  changed.data[changed.size / 2] ^= 0x20;
  CHECK(wasm_module_deserialize(store, &changed) == NULL);
  wasm_byte_vec_delete(&changed);
  wasm_byte_vec_t empty = WASM_EMPTY_VEC;
  CHECK(wasm_module_deserialize(store, &empty) == NULL);

  wasm_byte_vec_delete(&bytes);
  wasm_module_delete(again);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("serialize: ok\n");
  return 0;
}
