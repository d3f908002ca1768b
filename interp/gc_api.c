/*
 * gc_api.c -- the embedder's view of the GC heap: figures, collection on
 * demand, pins, and making and reading objects (lull.h, "GC objects").
 */
#include "interp_internal.h"

void lull_gc_stats_get(const lull_engine *e, lull_gc_stats *out) {
  if (!out)
    return;
  memset(out, 0, sizeof *out);
  if (!e)
    return;
  const lulli_gcheap *h = &e->gc;
  out->bytes = h->bytes;
  out->limit = h->limit;
  out->cycles = h->cycles;
  out->full = h->full;
  out->steps = h->steps;
  out->pause_max_ns = h->pause_max;
  out->pause_total_ns = h->pause_total;
  out->allocated = h->allocated;
  out->peak_bytes = h->peak;
  out->live_max = h->live_max;
}

lull_status lull_gc_collect(lull_engine *e) {
  if (!e)
    return LULL_BADARG;
  if (!e->gc.inhibit)
    lulli_gc_full(e);
  return LULL_OK;
}

lull_status lull_module_type_id(const lull_module *m, uint32_t index,
                                uint32_t *out) {
  if (!m || !out || index >= m->m->ntypes)
    return LULL_BADARG;
  *out = m->type_ids[index];
  return LULL_OK;
}

/* The object a lull_val of the any hierarchy refers to: one lull handed
 * out (so never a pointer the host made up), or NULL. */
static lulli_gcobj *object_of(const lull_engine *e, const lull_val *v) {
  if (!v || !lulld_vt_is_ref(v->type) ||
      lulld_vt_top(v->type) != LULL_HT_ANY || !lulli_gc_owns(e, v->of.externref))
    return NULL;
  return v->of.externref;
}

/* A reference to `o` for the host: its own (ref $t), remembered as
 * handed out so it is accepted back. */
static lull_status hand_out(lull_engine *e, lulli_gcobj *o, lull_val *out) {
  int fail = 0;
  if (lulli_gc_export(e, o, &fail))
    return LULL_NOMEM;
  memset(out, 0, sizeof *out);
  uint32_t code = o->kind == LULLI_GC_STRUCT  ? LULL_HT_STRUCT
                  : o->kind == LULLI_GC_ARRAY ? LULL_HT_ARRAY
                                              : LULL_HT_ANY;
  out->type = code == LULL_HT_ANY
                  ? LULL_REF(LULL_HT_ANY, 0)
                  : lulli_vt_reindex(LULL_REF(code, 0) | LULL_VT_INDEXED,
                                     o->type);
  out->of.externref = o;
  return LULL_OK;
}

void lulli_gc_hand_out(lull_engine *e, lull_valtype t, void *p) {
  int fail = 0;
  if (e && lulld_vt_is_ref(t) && lulld_vt_top(t) == LULL_HT_ANY && p &&
      !((uintptr_t)p & 1u))
    (void)lulli_gc_export(e, p, &fail);
}

lull_status lull_gc_pin(lull_engine *e, const lull_val *v) {
  if (!e || !v)
    return LULL_BADARG;
  if (lulld_vt_is_ref(v->type) &&
      (!v->of.externref || ((uintptr_t)v->of.externref & 1u)))
    return LULL_OK;
  lulli_gcobj *o = object_of(e, v);
  if (!o)
    return LULL_BADARG;
  lulli_gcheap *h = &e->gc;
  if (LULLD_GROW(&e->alloc, h->pins, &h->cap_pins, h->npins + 1))
    return LULL_NOMEM;
  h->pins[h->npins++] = o;
  return LULL_OK;
}

lull_status lull_gc_unpin(lull_engine *e, const lull_val *v) {
  if (!e || !v)
    return LULL_BADARG;
  lulli_gcheap *h = &e->gc;
  const void *p = lulld_vt_is_ref(v->type) ? v->of.externref : NULL;
  if (!p || ((uintptr_t)p & 1u))
    return LULL_OK;
  for (size_t i = h->npins; i-- > 0;)
    if (h->pins[i] == p) {
      h->pins[i] = h->pins[--h->npins];
      return LULL_OK;
    }
  return LULL_BADARG;
}

/* The value type of field k of struct (or element of array) type t, as
 * the host sees it: packed fields are i32. */
static lull_valtype field_type(const lulli_type *t, uint32_t k) {
  lull_valtype ft = t->vtypes[k];
  return ft == LULLD_PACKED_I8 || ft == LULLD_PACKED_I16 ? LULL_I32 : ft;
}

lull_status lull_gc_struct_new(lull_engine *e, uint32_t type,
                               const lull_val *fields, size_t nfields,
                               lull_val *out) {
  if (!e || !out || type >= e->ntypes ||
      e->types[type]->kind != LULLD_COMP_STRUCT)
    return LULL_BADARG;
  const lulli_type *t = e->types[type];
  if (nfields != t->nfields || (nfields && !fields))
    return LULL_BADARG;
  for (uint32_t k = 0; k < t->nfields; k++)
    if (!lulli_val_fits(e, &fields[k], field_type(t, k)))
      return LULL_BADARG;
  lulli_gcobj *o = lulli_gc_struct(e, type);
  if (!o)
    return LULL_TRAP;
  for (uint32_t k = 0; k < t->nfields; k++) {
    lulli_slot s[2];
    lulli_val_to_slots(&fields[k], s);
    memcpy(LULLI_GC_DATA(o) + lulli_gc_field_offset(t, k), s,
           8 * lulld_slots_of(t->types[k]));
  }
  return hand_out(e, o, out);
}

lull_status lull_gc_array_new(lull_engine *e, uint32_t type, uint32_t len,
                              const lull_val *init, lull_val *out) {
  if (!e || !out || type >= e->ntypes ||
      e->types[type]->kind != LULLD_COMP_ARRAY)
    return LULL_BADARG;
  const lulli_type *t = e->types[type];
  lull_valtype et = field_type(t, 0);
  if (init ? !lulli_val_fits(e, init, et) : !lulld_vt_defaultable(et))
    return LULL_BADARG;
  lulli_gcobj *o = lulli_gc_array(e, type, len);
  if (!o)
    return LULL_TRAP;
  if (init) {
    lulli_slot s[2];
    lulli_val_to_slots(init, s);
    for (uint32_t k = 0; k < len; k++)
      lulli_gc_put(o, k, s);
  }
  return hand_out(e, o, out);
}

lull_status lull_gc_struct_get(lull_engine *e, const lull_val *ref,
                               uint32_t field, lull_val *out) {
  lulli_gcobj *o = object_of(e, ref);
  if (!o || !out || o->kind != LULLI_GC_STRUCT ||
      field >= e->types[o->type]->nfields)
    return LULL_BADARG;
  const lulli_type *t = e->types[o->type];
  lulli_slot s[2];
  memcpy(s, LULLI_GC_DATA(o) + lulli_gc_field_offset(t, field),
         8 * lulld_slots_of(t->types[field]));
  if (t->types[field] == LULLD_PACKED_I8)
    s[0].u64 &= 0xFF;
  else if (t->types[field] == LULLD_PACKED_I16)
    s[0].u64 &= 0xFFFF;
  lulli_slots_to_val(e, field_type(t, field), s, out);
  return LULL_OK;
}

lull_status lull_gc_array_len(lull_engine *e, const lull_val *ref,
                              uint32_t *out) {
  lulli_gcobj *o = object_of(e, ref);
  if (!o || !out || o->kind != LULLI_GC_ARRAY)
    return LULL_BADARG;
  *out = o->len;
  return LULL_OK;
}

lull_status lull_gc_array_get(lull_engine *e, const lull_val *ref,
                              uint32_t i, lull_val *out) {
  lulli_gcobj *o = object_of(e, ref);
  if (!o || !out || o->kind != LULLI_GC_ARRAY || i >= o->len)
    return LULL_BADARG;
  lulli_slot s[2];
  lulli_gc_get(o, i, s);
  lulli_slots_to_val(e, field_type(e->types[o->type], 0), s, out);
  return LULL_OK;
}

lull_status lull_gc_host_ref(lull_engine *e, void *host, lull_val *out) {
  if (!e || !out)
    return LULL_BADARG;
  int fail = 0;
  memset(out, 0, sizeof *out);
  out->type = LULL_REF(LULL_HT_ANY, host == NULL);
  if (!host)
    return LULL_OK;
  /* A host value is never taken for an object lull exported: it is
   * boxed whatever its bits. */
  lulli_gcobj *box = lulli_gc_alloc(e, LULLI_GC_HOST, 0, 0, sizeof host);
  if (!box)
    return LULL_TRAP;
  memcpy(LULLI_GC_DATA(box), &host, sizeof host);
  if (lulli_gc_export(e, box, &fail))
    return LULL_NOMEM;
  out->of.externref = box;
  return LULL_OK;
}

int lull_val_host(const lull_engine *e, const lull_val *v, void **out) {
  const lulli_gcobj *o = e ? object_of(e, v) : NULL;
  if (!o || o->kind != LULLI_GC_HOST)
    return 0;
  if (out)
    memcpy(out, LULLI_GC_DATA(o), sizeof *out);
  return 1;
}

lull_status lull_gc_extern_of(lull_engine *e, const lull_val *any,
                              lull_val *out) {
  if (!e || !out || !any || !lulli_val_fits(e, any, LULL_REF(LULL_HT_ANY, 1)))
    return LULL_BADARG;
  int fail = 0;
  void *x = lulli_gc_externalize(e, any->of.externref, &fail);
  if (fail)
    return LULL_TRAP;
  memset(out, 0, sizeof *out);
  out->type = LULL_REF(LULL_HT_EXTERN, x == NULL);
  out->of.externref = x;
  return LULL_OK;
}

lull_status lull_gc_any_of(lull_engine *e, const lull_val *ext,
                           lull_val *out) {
  if (!e || !out || !ext ||
      !lulli_val_fits(e, ext, LULL_REF(LULL_HT_EXTERN, 1)))
    return LULL_BADARG;
  int fail = 0;
  void *a = lulli_gc_internalize(e, ext->of.externref, &fail);
  if (fail)
    return LULL_TRAP;
  memset(out, 0, sizeof *out);
  out->type = LULL_REF(LULL_HT_ANY, a == NULL);
  out->of.externref = a;
  lulli_gc_hand_out(e, out->type, a);
  return LULL_OK;
}
