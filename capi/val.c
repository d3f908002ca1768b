/*
 * val.c -- values between wasm.h and lull. A funcref is a function
 * object's lull_func. An anyref is the object's own address as lull's
 * externref: any object (a foreign, a function, an instance) may travel
 * through Wasm that way and comes back as itself. Wasm does not say when
 * it lets go of one, so such an object is pinned: it lives until its
 * store dies.
 */
#include "capi_internal.h"

int lullc_ref_to(wasm_store_t *s, wasm_ref_t *r, lull_valtype want,
                 lull_val *out) {
  lullc_obj *o = LULLC_OBJ(r);
  out->type = want;
  if (LULL_VT_CODE(want) == LULL_HT_FUNC || LULL_VT_IS_INDEXED(want)) {
    if (o && o->kind != LULLC_FUNC)
      return -1;
    out->of.funcref = o ? o->x.of.func : NULL;
    return 0;
  }
  out->of.externref = o;
  if (o && !o->pinned) {
    if (lullc_map_add(&s->maps[LULLC_MAP_PINNED], o, o) != 0)
      return -1;
    o->pinned = 1;
  }
  return 0;
}

int lullc_val_to(wasm_store_t *s, const wasm_val_t *v, wasm_valkind_t k,
                 lull_val *out) {
  if (v->kind != k)
    return -1;
  out->type = lullc_valtype_of(k);
  switch (k) {
  case WASM_I32: out->of.i32 = v->of.i32; return 0;
  case WASM_I64: out->of.i64 = v->of.i64; return 0;
  case WASM_F32: out->of.f32 = v->of.f32; return 0;
  case WASM_F64: out->of.f64 = v->of.f64; return 0;
  case WASM_ANYREF:
  case WASM_FUNCREF:
    return lullc_ref_to(s, v->of.ref, out->type, out);
  default:
    return -1;
  }
}

/* The object an externref stands for: one of the store's pinned objects,
 * or, for a value some other host code put there, a new foreign object
 * (which has no identity beyond this handle). */
static lullc_obj *externref_obj(wasm_store_t *s, void *p) {
  lullc_obj *o = lullc_map_find(&s->maps[LULLC_MAP_PINNED], p);
  return o ? lullc_obj_hold(o) : lullc_obj_new(s, LULLC_FOREIGN);
}

int lullc_val_from(wasm_store_t *s, const lull_val *v, wasm_val_t *out) {
  out->kind = lullc_kind_of(v->type);
  switch (out->kind) {
  case WASM_I32: out->of.i32 = v->of.i32; return 0;
  case WASM_I64: out->of.i64 = v->of.i64; return 0;
  case WASM_F32: out->of.f32 = v->of.f32; return 0;
  case WASM_F64: out->of.f64 = v->of.f64; return 0;
  case WASM_FUNCREF:
    out->of.ref = NULL;
    if (v->of.funcref) {
      lull_extern x = {.kind = LULL_EXTERN_FUNC, .of.func = v->of.funcref};
      out->of.ref = (wasm_ref_t *)lullc_extern_obj(s, &x, NULL, NULL);
      return out->of.ref ? 0 : -1;
    }
    return 0;
  case WASM_ANYREF:
    out->of.ref = NULL;
    if (v->of.externref) {
      out->of.ref = (wasm_ref_t *)externref_obj(s, v->of.externref);
      return out->of.ref ? 0 : -1;
    }
    return 0;
  default:
    out->of.ref = NULL;
    return -1;
  }
}
