/* table: an exported funcref table read, written and grown by the host,
 * with Wasm and host functions in it; call_indirect sees every change. */
#include "capi_test.h"

static wasm_trap_t *neg(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static wasm_trap_t *call_indirect(const wasm_func_t *f, int32_t arg,
                                  int32_t index, int32_t *result) {
  wasm_val_t as[] = {WASM_I32_VAL(arg), WASM_I32_VAL(index)};
  wasm_val_t rs[] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  wasm_trap_t *trap = wasm_func_call(f, &args, &results);
  *result = rs[0].of.i32;
  return trap;
}

static int32_t ok(const wasm_func_t *f, int32_t arg, int32_t index) {
  int32_t r;
  CHECK(call_indirect(f, arg, index, &r) == NULL);
  return r;
}

static void traps(const wasm_func_t *f, int32_t arg, int32_t index,
                  const char *want) {
  int32_t r;
  capi_trapped(call_indirect(f, arg, index, &r), want);
}

/* Is element i the function f (NULL: null)? */
static int holds(const wasm_table_t *t, uint32_t i, const wasm_func_t *f) {
  wasm_ref_t *r = wasm_table_get(t, i);
  int same = f ? r && wasm_func_same(wasm_ref_as_func(r), f) : r == NULL;
  wasm_ref_delete(r);
  return same;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "table");
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, NULL, 0, &ex);
  CHECK(ex.size == 4);
  wasm_table_t *table = wasm_extern_as_table(ex.data[0]);
  CHECK(table);
  const wasm_func_t *ci = capi_func(&ex, 1);
  wasm_func_t *f = capi_func(&ex, 2), *g = capi_func(&ex, 3);

  wasm_func_t *h = capi_host(
      store,
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32()),
      neg);

  /* As instantiated: null, then f. */
  CHECK(wasm_table_size(table) == 2);
  CHECK(holds(table, 0, NULL) && holds(table, 1, f) && holds(table, 2, NULL));
  CHECK(ok(ci, 7, 1) == 7);
  traps(ci, 0, 0, "uninitialized element");
  traps(ci, 0, 2, "undefined element");

  /* Writes from the host. */
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(g)));
  CHECK(wasm_table_set(table, 1, wasm_func_as_ref(h)));
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));
  CHECK(holds(table, 0, g) && holds(table, 1, h));
  CHECK(ok(ci, 7, 0) == 666);
  CHECK(ok(ci, 7, 1) == -7);
  CHECK(wasm_table_set(table, 0, NULL));
  CHECK(holds(table, 0, NULL));
  traps(ci, 0, 0, "uninitialized element");
  /* Only functions go into a funcref table. */
  wasm_foreign_t *foreign = wasm_foreign_new(store);
  CHECK(!wasm_table_set(table, 0, wasm_foreign_as_ref(foreign)));
  wasm_foreign_delete(foreign);

  /* Growth, up to the maximum of 10. */
  CHECK(wasm_table_grow(table, 3, NULL));
  CHECK(wasm_table_size(table) == 5 && holds(table, 4, NULL));
  CHECK(wasm_table_grow(table, 2, wasm_func_as_ref(h)));
  CHECK(wasm_table_size(table) == 7 && holds(table, 5, h));
  CHECK(ok(ci, 5, 6) == -5);
  CHECK(!wasm_table_grow(table, 4, NULL));
  CHECK(wasm_table_grow(table, 3, NULL) && wasm_table_size(table) == 10);
  wasm_tabletype_t *tt = wasm_table_type(table);
  CHECK(wasm_tabletype_limits(tt)->min == 10);
  CHECK(wasm_tabletype_limits(tt)->max == 10);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
  wasm_tabletype_delete(tt);

  /* A table of the host's, every element g. */
  wasm_limits_t limits = {5, 5};
  tt = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t *host = wasm_table_new(store, tt, wasm_func_as_ref(g));
  wasm_tabletype_delete(tt);
  CHECK(host && wasm_table_size(host) == 5 && holds(host, 4, g));
  CHECK(!wasm_table_grow(host, 1, NULL));
  wasm_table_delete(host);

  wasm_func_delete(h);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("table: ok\n");
  return 0;
}
