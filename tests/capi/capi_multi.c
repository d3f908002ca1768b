/* multi: functions with several results, through a host function and
 * Wasm, and ten values each way. */
#include "capi_test.h"

static wasm_trap_t *echo(const wasm_val_vec_t *args, wasm_val_vec_t *results) {
  CHECK(args->size == 4 && results->size == 4);
  for (size_t i = 0; i < 4; i++) {
    CHECK(results->data[i].kind == args->data[i].kind);
    wasm_val_copy(&results->data[i], &args->data[i]);
  }
  return NULL;
}

/* (i32 i64 i64 i32) -> (i32 i64 i64 i32) */
static wasm_functype_t *quad_type(void) {
  wasm_valtype_t *ps[] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(),
                          wasm_valtype_new_i64(), wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_copy(&results, &params);
  return wasm_functype_new(&params, &results);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "multi");
  wasm_func_t *f = capi_host(store, quad_type(), echo);
  wasm_extern_t *ins[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 1, &ex);
  CHECK(ex.size == 2);

  /* g swaps the middle two on the way to f, which echoes them. */
  wasm_val_t as[] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3),
                     WASM_I32_VAL(4)};
  wasm_val_t rs[4];
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(capi_func(&ex, 0), &args, &results) == NULL);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 1);
  CHECK(rs[1].kind == WASM_I64 && rs[1].of.i64 == 3);
  CHECK(rs[2].kind == WASM_I64 && rs[2].of.i64 == 2);
  CHECK(rs[3].kind == WASM_I32 && rs[3].of.i32 == 4);
  /* The host function alone echoes in order. */
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  CHECK(rs[1].of.i64 == 2 && rs[2].of.i64 == 3);
  /* Arguments of the wrong kinds: a trap naming the first. */
  as[1] = (wasm_val_t)WASM_I32_VAL(2);
  capi_trapped(wasm_func_call(f, &args, &results), "argument 1");

  /* Ten in, the same ten out. */
  wasm_val_t many[10], back[10];
  for (int i = 0; i < 10; i++)
    many[i] = (wasm_val_t)WASM_I64_VAL((int64_t)i * 1000000007);
  wasm_val_vec_t margs = WASM_ARRAY_VEC(many), mres = WASM_ARRAY_VEC(back);
  CHECK(wasm_func_call(capi_func(&ex, 1), &margs, &mres) == NULL);
  for (int i = 0; i < 10; i++)
    CHECK(back[i].kind == WASM_I64 && back[i].of.i64 == many[i].of.i64);
  /* Room for too few results: a trap, nothing written. */
  wasm_val_vec_t short_res = {9, back};
  capi_trapped(wasm_func_call(capi_func(&ex, 1), &margs, &short_res),
               "room for 9 results");

  wasm_func_delete(f);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("multi: ok\n");
  return 0;
}
