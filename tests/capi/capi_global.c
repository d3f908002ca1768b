/* global: globals made by the host and imported, globals exported, read
 * and written from both sides; an immutable global refuses writes. */
#include "capi_test.h"

static wasm_global_t *make(wasm_store_t *store, wasm_valkind_t k,
                           wasm_mutability_t mut, const wasm_val_t *v) {
  wasm_globaltype_t *t = wasm_globaltype_new(wasm_valtype_new(k), mut);
  wasm_global_t *g = wasm_global_new(store, t, v);
  wasm_globaltype_delete(t);
  return g;
}

static wasm_val_t get(const wasm_global_t *g) {
  wasm_val_t v;
  wasm_global_get(g, &v);
  return v;
}

static wasm_val_t call0(const wasm_func_t *f) {
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return rs[0];
}

static void call1(const wasm_func_t *f, wasm_val_t v) {
  wasm_val_t as[1] = {v};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(f, &args, &results) == NULL);
}

int main(void) {
  wasm_engine_t *engine = wasm_engine_new();
  wasm_store_t *store = wasm_store_new(engine);
  wasm_module_t *module = capi_load(store, "global");

  wasm_val_t f1 = WASM_F32_VAL(1), i2 = WASM_I64_VAL(2),
             f3 = WASM_F32_VAL(3), i4 = WASM_I64_VAL(4);
  wasm_global_t *in_f32 = make(store, WASM_F32, WASM_CONST, &f1);
  wasm_global_t *in_i64 = make(store, WASM_I64, WASM_CONST, &i2);
  wasm_global_t *in_var_f32 = make(store, WASM_F32, WASM_VAR, &f3);
  wasm_global_t *in_var_i64 = make(store, WASM_I64, WASM_VAR, &i4);
  CHECK(in_f32 && in_i64 && in_var_f32 && in_var_i64);
  /* A value of another kind than the type's makes no global. */
  CHECK(make(store, WASM_I32, WASM_CONST, &f1) == NULL);

  wasm_globaltype_t *gt = wasm_global_type(in_var_i64);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(gt)) == WASM_I64);
  CHECK(wasm_globaltype_mutability(gt) == WASM_VAR);
  wasm_globaltype_delete(gt);

  wasm_extern_t *ins[] = {
      wasm_global_as_extern(in_f32), wasm_global_as_extern(in_i64),
      wasm_global_as_extern(in_var_f32), wasm_global_as_extern(in_var_i64)};
  wasm_extern_vec_t ex;
  wasm_instance_t *instance = capi_instantiate(store, module, ins, 4, &ex);
  CHECK(ex.size == 14);
  wasm_global_t *c_f32 = wasm_extern_as_global(ex.data[0]);
  wasm_global_t *c_i64 = wasm_extern_as_global(ex.data[1]);
  wasm_global_t *v_f32 = wasm_extern_as_global(ex.data[2]);
  wasm_global_t *v_i64 = wasm_extern_as_global(ex.data[3]);
  CHECK(c_f32 && c_i64 && v_f32 && v_i64);
  CHECK(wasm_extern_as_func(ex.data[0]) == NULL);
  gt = wasm_global_type(c_f32);
  CHECK(wasm_globaltype_mutability(gt) == WASM_CONST);
  wasm_globaltype_delete(gt);

  const wasm_func_t *get_in_f32 = capi_func(&ex, 4),
                    *get_in_i64 = capi_func(&ex, 5),
                    *get_in_var_f32 = capi_func(&ex, 6),
                    *get_in_var_i64 = capi_func(&ex, 7),
                    *get_var_f32 = capi_func(&ex, 8),
                    *get_var_i64 = capi_func(&ex, 9),
                    *set_in_var_f32 = capi_func(&ex, 10),
                    *set_in_var_i64 = capi_func(&ex, 11),
                    *set_var_f32 = capi_func(&ex, 12),
                    *set_var_i64 = capi_func(&ex, 13);

  /* Initial values, both ways. */
  CHECK(get(in_f32).of.f32 == 1 && call0(get_in_f32).of.f32 == 1);
  CHECK(get(in_i64).of.i64 == 2 && call0(get_in_i64).of.i64 == 2);
  CHECK(get(in_var_f32).of.f32 == 3 && call0(get_in_var_f32).of.f32 == 3);
  CHECK(get(in_var_i64).of.i64 == 4 && call0(get_in_var_i64).of.i64 == 4);
  CHECK(get(c_f32).of.f32 == 5 && get(c_i64).of.i64 == 6);
  CHECK(get(v_f32).of.f32 == 7 && call0(get_var_f32).of.f32 == 7);
  CHECK(get(v_i64).of.i64 == 8 && call0(get_var_i64).of.i64 == 8);

  /* The host writes, Wasm reads. Immutable globals stay as they are, and
   * so does a global given a value of another kind. */
  wasm_val_t v = WASM_F32_VAL(33);
  wasm_global_set(in_var_f32, &v);
  CHECK(call0(get_in_var_f32).of.f32 == 33);
  v = (wasm_val_t)WASM_I64_VAL(34);
  wasm_global_set(in_var_i64, &v);
  CHECK(call0(get_in_var_i64).of.i64 == 34);
  v = (wasm_val_t)WASM_F32_VAL(35);
  wasm_global_set(in_f32, &v);
  CHECK(call0(get_in_f32).of.f32 == 1);
  v = (wasm_val_t)WASM_I32_VAL(36);
  wasm_global_set(v_i64, &v);
  CHECK(get(v_i64).of.i64 == 8);

  /* Wasm writes, the host reads. */
  call1(set_in_var_f32, (wasm_val_t)WASM_F32_VAL(73));
  CHECK(get(in_var_f32).of.f32 == 73);
  call1(set_in_var_i64, (wasm_val_t)WASM_I64_VAL(74));
  CHECK(get(in_var_i64).of.i64 == 74);
  call1(set_var_f32, (wasm_val_t)WASM_F32_VAL(77));
  CHECK(get(v_f32).of.f32 == 77);
  call1(set_var_i64, (wasm_val_t)WASM_I64_VAL(78));
  CHECK(get(v_i64).of.i64 == 78);

  /* The same export twice is the same object. */
  wasm_extern_vec_t again;
  wasm_instance_exports(instance, &again);
  CHECK(wasm_extern_same(again.data[3], ex.data[3]));
  CHECK(!wasm_extern_same(again.data[2], ex.data[3]));
  wasm_extern_vec_delete(&again);

  wasm_global_delete(in_f32);
  wasm_global_delete(in_i64);
  wasm_global_delete(in_var_f32);
  wasm_global_delete(in_var_i64);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("global: ok\n");
  return 0;
}
