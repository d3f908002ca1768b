/* reflect: the types of a module's imports and exports, and of the
 * objects an instance exports. */
#include "capi_test.h"

static wasm_trap_t *nop(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  return NULL;
}

static int name_is(const wasm_name_t *n, const char *s) {
  return n->size == strlen(s) && memcmp(n->data, s, n->size) == 0;
}

static int kinds_are(const wasm_valtype_vec_t *v, const wasm_valkind_t *k,
                     size_t n) {
  if (v->size != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (wasm_valtype_kind(v->data[i]) != k[i])
      return 0;
  return 1;
}

/* The export types this module declares, in order: func, global, table,
 * memory. */
static void check_exports(const wasm_externtype_t *const *types) {
  const wasm_functype_t *ft = wasm_externtype_as_functype_const(types[0]);
  CHECK(ft && !wasm_externtype_as_globaltype_const(types[0]));
  static const wasm_valkind_t params[] = {WASM_I32, WASM_F32, WASM_F64,
                                          WASM_I64};
  static const wasm_valkind_t results[] = {WASM_F64, WASM_I64, WASM_FUNCREF};
  CHECK(kinds_are(wasm_functype_params(ft), params, 4));
  CHECK(kinds_are(wasm_functype_results(ft), results, 3));

  const wasm_globaltype_t *gt = wasm_externtype_as_globaltype_const(types[1]);
  CHECK(gt && wasm_externtype_kind(types[1]) == WASM_EXTERN_GLOBAL);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_F64);
  CHECK(wasm_globaltype_mutability(gt) == WASM_VAR);

  const wasm_tabletype_t *tt = wasm_externtype_as_tabletype_const(types[2]);
  CHECK(tt && wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
  CHECK(wasm_tabletype_limits(tt)->min == 5);
  CHECK(wasm_tabletype_limits(tt)->max == 50);

  const wasm_memorytype_t *mt = wasm_externtype_as_memorytype_const(types[3]);
  CHECK(mt && wasm_memorytype_limits(mt)->min == 1);
  CHECK(wasm_memorytype_limits(mt)->max == wasm_limits_max_default);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "reflect");

  wasm_importtype_vec_t its;
  wasm_module_imports(module, &its);
  CHECK(its.size == 2);
  CHECK(name_is(wasm_importtype_module(its.data[0]), "host"));
  CHECK(name_is(wasm_importtype_name(its.data[0]), "log"));
  const wasm_functype_t *log_type =
      wasm_externtype_as_functype_const(wasm_importtype_type(its.data[0]));
  static const wasm_valkind_t log_params[] = {WASM_I32, WASM_I64};
  CHECK(log_type && kinds_are(wasm_functype_params(log_type), log_params, 2));
  CHECK(wasm_functype_results(log_type)->size == 0);
  CHECK(name_is(wasm_importtype_name(its.data[1]), "limit"));
  CHECK(wasm_externtype_kind(wasm_importtype_type(its.data[1])) ==
        WASM_EXTERN_GLOBAL);
  /* Copies are deep and equal. */
  wasm_importtype_vec_t its2;
  wasm_importtype_vec_copy(&its2, &its);
  CHECK(its2.size == 2 && its2.data[0] != its.data[0]);
  CHECK(name_is(wasm_importtype_module(its2.data[1]), "host"));

  wasm_exporttype_vec_t ets;
  wasm_module_exports(module, &ets);
  CHECK(ets.size == 4);
  static const char *const names[] = {"func", "global", "table", "memory"};
  const wasm_externtype_t *types[4];
  for (size_t i = 0; i < 4; i++) {
    CHECK(name_is(wasm_exporttype_name(ets.data[i]), names[i]));
    types[i] = wasm_exporttype_type(ets.data[i]);
  }
  check_exports(types);

  /* The instance's objects have the same types. */
  wasm_functype_t *ft = wasm_functype_copy(log_type);
  wasm_func_t *log = wasm_func_new(store, ft, nop);
  wasm_functype_delete(ft);
  wasm_globaltype_t *gt =
      wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t ten = WASM_I32_VAL(10);
  wasm_global_t *limit = wasm_global_new(store, gt, &ten);
  wasm_globaltype_delete(gt);
  wasm_extern_t *ins[] = {wasm_func_as_extern(log),
                          wasm_global_as_extern(limit)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 2, &ex);
  CHECK(ex.size == 4);
  wasm_externtype_t *owned[4];
  for (size_t i = 0; i < 4; i++) {
    owned[i] = wasm_extern_type(ex.data[i]);
    CHECK(owned[i] && wasm_extern_kind(ex.data[i]) ==
                          wasm_externtype_kind(owned[i]));
  }
  check_exports((const wasm_externtype_t *const *)owned);
  CHECK(wasm_func_param_arity(wasm_extern_as_func(ex.data[0])) == 4);
  CHECK(wasm_func_result_arity(wasm_extern_as_func(ex.data[0])) == 3);
  for (size_t i = 0; i < 4; i++)
    wasm_externtype_delete(owned[i]);

  /* Types made by hand. */
  wasm_valtype_t *ps[] = {wasm_valtype_new_i64(), wasm_valtype_new_anyref()};
  wasm_valtype_vec_t pv, rv;
  wasm_valtype_vec_new(&pv, 2, ps);
  wasm_valtype_vec_new_empty(&rv);
  wasm_functype_t *made = wasm_functype_new(&pv, &rv);
  CHECK(pv.size == 0 && made); /* taken */
  CHECK(wasm_valtype_is_ref(wasm_functype_params(made)->data[1]));
  CHECK(wasm_valtype_is_num(wasm_functype_params(made)->data[0]));
  wasm_externtype_t *as_ext = wasm_functype_as_externtype(made);
  CHECK(wasm_externtype_as_functype(as_ext) == made);
  CHECK(wasm_externtype_as_memorytype(as_ext) == NULL);
  wasm_functype_delete(made);

  wasm_func_delete(log);
  wasm_global_delete(limit);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_exporttype_vec_delete(&ets);
  wasm_importtype_vec_delete(&its2);
  wasm_importtype_vec_delete(&its);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("reflect: ok\n");
  return 0;
}
