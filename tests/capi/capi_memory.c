/* memory: an exported memory read and written from both sides, its size,
 * growth up to the maximum, traps out of bounds, and a host memory. */
#include "capi_test.h"

static wasm_trap_t *call(const wasm_func_t *f, int32_t *a, size_t na,
                         int32_t *result) {
  wasm_val_t as[2], rs[1] = {WASM_INIT_VAL};
  for (size_t i = 0; i < na; i++)
    as[i] = (wasm_val_t)WASM_I32_VAL(a[i]);
  wasm_val_vec_t args = {na, as};
  wasm_val_vec_t results = {result ? 1 : 0, rs};
  wasm_trap_t *trap = wasm_func_call(f, &args, &results);
  if (!trap && result)
    *result = rs[0].of.i32;
  return trap;
}

static int32_t ok(const wasm_func_t *f, int32_t a0, int32_t a1, size_t na,
                  int has_result) {
  int32_t a[2] = {a0, a1}, r = 0;
  CHECK(call(f, a, na, has_result ? &r : NULL) == NULL);
  return r;
}

static void traps(const wasm_func_t *f, int32_t a0, int32_t a1, size_t na,
                  int has_result) {
  int32_t a[2] = {a0, a1}, r;
  capi_trapped(call(f, a, na, has_result ? &r : NULL), "out of bounds");
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "memory");
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, NULL, 0, &ex);
  CHECK(ex.size == 4);
  wasm_memory_t *memory = wasm_extern_as_memory(ex.data[0]);
  CHECK(memory);
  const wasm_func_t *size = capi_func(&ex, 1), *load = capi_func(&ex, 2),
                    *store8 = capi_func(&ex, 3);

  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 2 * MEMORY_PAGE_SIZE);
  CHECK(wasm_memory_data(memory)[0x1000] == 1);
  CHECK(wasm_memory_data(memory)[0x1003] == 4);
  CHECK(ok(size, 0, 0, 0, 1) == 2);
  CHECK(ok(load, 0, 0, 1, 1) == 0);
  CHECK(ok(load, 0x1002, 0, 1, 1) == 3);
  CHECK(ok(load, 0x1ffff, 0, 1, 1) == 0);
  traps(load, 0x20000, 0, 1, 1);

  /* Each side sees the other's writes. */
  wasm_memory_data(memory)[0x1003] = 5;
  ok(store8, 0x1002, 6, 2, 0);
  traps(store8, 0x20000, 0, 2, 0);
  CHECK(wasm_memory_data(memory)[0x1002] == 6);
  CHECK(ok(load, 0x1003, 0, 1, 1) == 5);

  /* Growth, to the maximum of 3 pages and no further. */
  wasm_memorytype_t *mt = wasm_memory_type(memory);
  CHECK(wasm_memorytype_limits(mt)->min == 2);
  CHECK(wasm_memorytype_limits(mt)->max == 3);
  wasm_memorytype_delete(mt);
  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3 && ok(size, 0, 0, 0, 1) == 3);
  CHECK(ok(load, 0x20000, 0, 1, 1) == 0);
  ok(store8, 0x20000, 7, 2, 0);
  traps(load, 0x30000, 0, 1, 1);
  CHECK(!wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_grow(memory, 0));

  /* A memory of the host's. */
  wasm_limits_t limits = {5, 5};
  mt = wasm_memorytype_new(&limits);
  wasm_memory_t *host = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  CHECK(host && wasm_memory_size(host) == 5);
  CHECK(!wasm_memory_grow(host, 1));
  CHECK(wasm_memory_grow(host, 0));
  wasm_memory_delete(host);

  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("memory: ok\n");
  return 0;
}
