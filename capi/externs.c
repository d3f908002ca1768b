/*
 * externs.c -- globals, tables and memories: made by the host or
 * exported by instances, the same objects either way.
 */
#include <stdlib.h>

#include "capi_internal.h"

/* Makes a global, table or memory of type `et` (a global's value or a
 * table's elements in `v`) and its object, which takes a reference of
 * its own before the creation reference is dropped. */
static lullc_obj *host_extern(wasm_store_t *s, const lull_externtype *et,
                              const lull_val *v) {
  lull_extern x = {.kind = et->kind};
  switch (et->kind) {
  case LULL_EXTERN_GLOBAL:
    x.of.global = lull_global_new(s->e, v, et->of.global.mutable_);
    break;
  case LULL_EXTERN_TABLE:
    x.of.table = lull_table_new(s->e, et->of.table.elem,
                                et->of.table.limits, v);
    break;
  default:
    x.of.memory = lull_memory_new(s->e, et->of.memory);
    break;
  }
  if (!x.of.func) /* any member: they are all pointers */
    return NULL;
  lullc_obj *o = lullc_extern_obj(s, &x, et, NULL);
  lull_extern_release(&x);
  return o;
}

/* ---- globals ---- */

wasm_global_t *wasm_global_new(wasm_store_t *s, const wasm_globaltype_t *type,
                               const wasm_val_t *val) {
  const lullc_externtype *t = LULLC_ET(type);
  lull_val v;
  if (!s || !t || !val || lullc_val_to(s, val, t->content->kind, &v) != 0)
    return NULL;
  lull_externtype et = {.kind = LULL_EXTERN_GLOBAL};
  et.of.global.type = v.type;
  et.of.global.mutable_ = t->mut == WASM_VAR;
  return (wasm_global_t *)host_extern(s, &et, &v);
}

wasm_globaltype_t *wasm_global_type(const wasm_global_t *p) {
  const lullc_obj *o = LULLC_OBJ(p);
  lull_val v;
  lull_global_get(o->x.of.global, &v);
  return wasm_globaltype_new(wasm_valtype_new(lullc_kind_of(v.type)),
                             o->u.global.mut);
}

void wasm_global_get(const wasm_global_t *p, wasm_val_t *out) {
  const lullc_obj *o = LULLC_OBJ(p);
  lull_val v;
  lull_global_get(o->x.of.global, &v);
  if (lullc_val_from(o->store, &v, out) != 0) {
    out->kind = WASM_ANYREF; /* out of memory: null, safe to delete */
    out->of.ref = NULL;
  }
}

void wasm_global_set(wasm_global_t *p, const wasm_val_t *val) {
  lullc_obj *o = LULLC_OBJ(p);
  lull_val cur, v;
  lull_global_get(o->x.of.global, &cur);
  if (val && lullc_val_to(o->store, val, lullc_kind_of(cur.type), &v) == 0)
    lull_global_set(o->x.of.global, &v, NULL);
}

/* ---- tables ---- */

wasm_table_t *wasm_table_new(wasm_store_t *s, const wasm_tabletype_t *type,
                             wasm_ref_t *init) {
  const lullc_externtype *t = LULLC_ET(type);
  if (!s || !t)
    return NULL;
  lull_valtype elem = lullc_valtype_of(t->content->kind);
  lull_val v;
  if (!elem || !lull_valtype_is_ref(elem) ||
      lullc_ref_to(s, init, elem, &v) != 0)
    return NULL;
  lull_externtype et = {.kind = LULL_EXTERN_TABLE};
  et.of.table.elem = elem;
  et.of.table.limits = lullc_limits_to(&t->limits);
  return (wasm_table_t *)host_extern(s, &et, &v);
}

wasm_tabletype_t *wasm_table_type(const wasm_table_t *p) {
  const lullc_obj *o = LULLC_OBJ(p);
  lull_limits l = o->u.table.limits;
  l.min = lull_table_size(o->x.of.table);
  wasm_limits_t wl = lullc_limits_from(&l);
  lull_valtype elem = o->u.table.elem;
  return wasm_tabletype_new(wasm_valtype_new(lullc_kind_of(elem)), &wl);
}

wasm_ref_t *wasm_table_get(const wasm_table_t *p, wasm_table_size_t i) {
  const lullc_obj *o = LULLC_OBJ(p);
  lull_val v;
  wasm_val_t w;
  if (lull_table_get(o->x.of.table, i, &v) != LULL_OK ||
      lullc_val_from(o->store, &v, &w) != 0 || !wasm_valkind_is_ref(w.kind))
    return NULL;
  return w.of.ref;
}

bool wasm_table_set(wasm_table_t *p, wasm_table_size_t i, wasm_ref_t *r) {
  lullc_obj *o = LULLC_OBJ(p);
  lull_val v;
  return lullc_ref_to(o->store, r, o->u.table.elem, &v) == 0 &&
         lull_table_set(o->x.of.table, i, &v) == LULL_OK;
}

wasm_table_size_t wasm_table_size(const wasm_table_t *p) {
  uint64_t n = lull_table_size(LULLC_OBJ(p)->x.of.table);
  return n > UINT32_MAX ? UINT32_MAX : (wasm_table_size_t)n;
}

bool wasm_table_grow(wasm_table_t *p, wasm_table_size_t delta,
                     wasm_ref_t *init) {
  lullc_obj *o = LULLC_OBJ(p);
  lull_val v;
  return lullc_ref_to(o->store, init, o->u.table.elem, &v) == 0 &&
         lull_table_grow(o->x.of.table, delta, &v) >= 0;
}

/* ---- memories ---- */

wasm_memory_t *wasm_memory_new(wasm_store_t *s,
                               const wasm_memorytype_t *type) {
  const lullc_externtype *t = LULLC_ET(type);
  if (!s || !t)
    return NULL;
  lull_externtype et = {.kind = LULL_EXTERN_MEMORY};
  et.of.memory = lullc_limits_to(&t->limits);
  return (wasm_memory_t *)host_extern(s, &et, NULL);
}

wasm_memorytype_t *wasm_memory_type(const wasm_memory_t *p) {
  const lullc_obj *o = LULLC_OBJ(p);
  lull_limits l = o->u.memory.limits;
  l.min = lull_memory_pages(o->x.of.memory);
  wasm_limits_t wl = lullc_limits_from(&l);
  return wasm_memorytype_new(&wl);
}

byte_t *wasm_memory_data(wasm_memory_t *p) {
  return (byte_t *)lull_memory_data(LULLC_OBJ(p)->x.of.memory);
}

size_t wasm_memory_data_size(const wasm_memory_t *p) {
  return lull_memory_size(LULLC_OBJ(p)->x.of.memory);
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t *p) {
  uint64_t n = lull_memory_pages(LULLC_OBJ(p)->x.of.memory);
  return n > UINT32_MAX ? UINT32_MAX : (wasm_memory_pages_t)n;
}

bool wasm_memory_grow(wasm_memory_t *p, wasm_memory_pages_t delta) {
  return lull_memory_grow(LULLC_OBJ(p)->x.of.memory, delta) >= 0;
}
