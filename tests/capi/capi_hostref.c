/* hostref: host references (foreign objects, a function) travel through
 * an externref global, table and host function and come back as the same
 * objects with their host info. */
#include <stdint.h>

#include "capi_test.h"

static wasm_trap_t *identity(const wasm_val_vec_t *args,
                             wasm_val_vec_t *results) {
  CHECK(args->data[0].kind == WASM_ANYREF);
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

/* Is `r` the object `want` (NULL: null)? Deletes `r`. */
static int is(wasm_ref_t *r, const wasm_ref_t *want) {
  int ok = want ? r && wasm_ref_same(r, want) &&
                      wasm_ref_get_host_info(r) ==
                          wasm_ref_get_host_info(want)
                : r == NULL;
  if (r)
    wasm_ref_delete(r);
  return ok;
}

/* Calls f with `args`, returning its one anyref result (or NULL). */
static wasm_ref_t *call(const wasm_func_t *f, wasm_val_t *as, size_t n) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {n, as};
  wasm_val_vec_t results = {wasm_func_result_arity(f), rs};
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return results.size ? rs[0].of.ref : NULL;
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "hostref");
  wasm_func_t *f = capi_host(store,
                             wasm_functype_new_1_1(wasm_valtype_new_anyref(),
                                                   wasm_valtype_new_anyref()),
                             identity);
  wasm_extern_t *ins[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 1, &ex);
  CHECK(ex.size == 7);
  wasm_global_t *global = wasm_extern_as_global(ex.data[0]);
  wasm_table_t *table = wasm_extern_as_table(ex.data[1]);
  const wasm_func_t *global_set = capi_func(&ex, 2),
                    *global_get = capi_func(&ex, 3),
                    *table_set = capi_func(&ex, 4),
                    *table_get = capi_func(&ex, 5),
                    *func_call = capi_func(&ex, 6);

  wasm_ref_t *host1 = wasm_foreign_as_ref(wasm_foreign_new(store));
  wasm_ref_t *host2 = wasm_foreign_as_ref(wasm_foreign_new(store));
  wasm_ref_set_host_info(host1, (void *)1);
  wasm_ref_set_host_info(host2, (void *)2);
  CHECK(!wasm_ref_same(host1, host2));
  CHECK(is(wasm_ref_copy(host1), host1));
  CHECK(wasm_ref_as_foreign(host1) && !wasm_ref_as_func(host1));

  /* The global, through Wasm and through the API. */
  CHECK(is(call(global_get, NULL, 0), NULL));
  wasm_val_t a = WASM_REF_VAL(host1);
  call(global_set, &a, 1);
  CHECK(is(call(global_get, NULL, 0), host1));
  wasm_val_t v = WASM_REF_VAL(host2);
  wasm_global_set(global, &v);
  CHECK(is(call(global_get, NULL, 0), host2));
  wasm_global_get(global, &v);
  CHECK(v.kind == WASM_ANYREF && is(v.of.ref, host2));

  /* The table. */
  wasm_val_t ir[] = {WASM_I32_VAL(0), WASM_REF_VAL(host1)};
  CHECK(is(call(table_get, ir, 1), NULL));
  call(table_set, ir, 2);
  CHECK(is(call(table_get, ir, 1), host1));
  CHECK(is(wasm_table_get(table, 0), host1));
  CHECK(wasm_table_set(table, 1, host2));
  wasm_val_t i1[] = {WASM_I32_VAL(1)};
  CHECK(is(call(table_get, i1, 1), host2));
  CHECK(wasm_table_set(table, 1, NULL));
  CHECK(is(call(table_get, i1, 1), NULL));
  /* A function is a reference too, and stays a function. */
  CHECK(wasm_table_set(table, 2, wasm_func_as_ref(f)));
  wasm_ref_t *back = wasm_table_get(table, 2);
  CHECK(back && wasm_ref_as_func(back) && wasm_ref_same(back, wasm_func_as_ref(f)));
  wasm_ref_delete(back);

  /* Through the host function. */
  wasm_val_t r1[] = {WASM_REF_VAL(host1)};
  CHECK(is(call(func_call, r1, 1), host1));
  wasm_val_t r0[] = {WASM_REF_VAL(NULL)};
  CHECK(is(call(func_call, r0, 1), NULL));

  /* Values own their references: copies hold, deletes let go. */
  wasm_val_t vals[] = {WASM_I32_VAL(7), WASM_REF_VAL(wasm_ref_copy(host2))};
  wasm_val_vec_t vec, vec2;
  wasm_val_vec_new(&vec, 2, vals);
  wasm_val_vec_copy(&vec2, &vec);
  CHECK(vec2.data[0].of.i32 == 7 && wasm_ref_same(vec2.data[1].of.ref, host2));
  wasm_val_vec_delete(&vec);
  wasm_val_vec_delete(&vec2);
  CHECK(wasm_ref_get_host_info(host2) == (void *)2);

  wasm_ref_delete(host1);
  wasm_ref_delete(host2);
  wasm_func_delete(f);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("hostref: ok\n");
  return 0;
}
