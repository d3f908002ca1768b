/*
 * gc_heap.c -- the engine's heap of GC objects: allocation through the
 * engine's allocator under the configured limit, object layout, and the
 * boxes that carry values between the any and extern hierarchies.
 */
#include <string.h>

#include "interp_internal.h"

unsigned lulli_gc_esize(lull_valtype t) {
  switch (t) {
  case LULLD_PACKED_I8:
    return 1;
  case LULLD_PACKED_I16:
    return 2;
  case LULL_I32:
  case LULL_F32:
    return 4;
  case LULL_V128:
    return 16;
  default:
    return 8;
  }
}

uint32_t lulli_gc_field_offset(const lulli_type *t, uint32_t k) {
  uint32_t off = 0;
  for (uint32_t i = 0; i < k; i++)
    off += 8 * lulld_slots_of(t->types[i]);
  return off;
}

lulli_gcobj *lulli_gc_alloc(lull_engine *e, uint8_t kind, uint32_t type,
                            uint32_t len, size_t payload) {
  lulli_gcheap *h = &e->gc;
  size_t size = sizeof(lulli_gcobj) + payload;
  if (payload > h->limit || !lulli_gc_room(e, size))
    return NULL;
  lulli_gc_pay(e, size);
  lulli_gcobj *o = lulld_malloc(&e->alloc, size);
  if (!o)
    return NULL;
  memset(o, 0, size);
  o->type = type;
  o->kind = kind;
  o->len = len;
  /* Born marked: a cycle in progress keeps it (set after paying, which
   * may have started a cycle and so changed the color). */
  o->color = h->live;
  o->next = h->objects;
  h->objects = o;
  h->bytes += size;
  h->allocated += size;
  if (h->bytes > h->peak)
    h->peak = h->bytes;
  return o;
}

lulli_gcobj *lulli_gc_array(lull_engine *e, uint32_t type, uint32_t n) {
  lull_valtype et = e->types[type]->types[0];
  unsigned es = lulli_gc_esize(et);
  lulli_gcobj *o = lulli_gc_alloc(e, LULLI_GC_ARRAY, type, n, (size_t)n * es);
  if (o) {
    o->esize = (uint8_t)es;
    if (lulld_vt_is_ref(et) && lulld_vt_top(et) != LULL_HT_FUNC)
      /* Exceptions are traced as objects of the any hierarchy are. */
      o->eref = lulld_vt_top(et) == LULL_HT_ANY ||
                        lulld_vt_top(et) == LULL_HT_EXN
                    ? 1
                    : 2;
  }
  return o;
}

lulli_gcobj *lulli_gc_struct(lull_engine *e, uint32_t type) {
  const lulli_type *t = e->types[type];
  uint32_t size = lulli_gc_field_offset(t, t->nfields);
  return lulli_gc_alloc(e, LULLI_GC_STRUCT, type, size, size);
}

void lulli_gc_put(lulli_gcobj *o, uint32_t i, const lulli_slot *v) {
  /* Little-endian slots: the low bytes of a slot are its narrow value. */
  memcpy(LULLI_GC_DATA(o) + (size_t)i * o->esize, v, o->esize);
}

void lulli_gc_get(const lulli_gcobj *o, uint32_t i, lulli_slot *v) {
  v[0].u64 = 0;
  memcpy(v, LULLI_GC_DATA(o) + (size_t)i * o->esize, o->esize);
}

void *lulli_gc_internalize(lull_engine *e, void *ext, int *fail) {
  lulli_gcobj *o = ext;
  if (!ext)
    return NULL;
  if (lulli_gc_owns(e, ext)) {
    /* Something lull gave out as an externref comes back as it was. */
    if (o->kind == LULLI_GC_I31)
      return *(void **)LULLI_GC_DATA(o);
    return o;
  }
  lulli_gcobj *box = lulli_gc_alloc(e, LULLI_GC_HOST, 0, 0, sizeof(void *));
  if (!box) {
    *fail = 1;
    return NULL;
  }
  memcpy(LULLI_GC_DATA(box), &ext, sizeof ext);
  return box;
}

void *lulli_gc_externalize(lull_engine *e, void *any, int *fail) {
  lulli_gcobj *o = any;
  if (!any)
    return NULL;
  if (!((uintptr_t)any & 1u)) {
    if (o->kind == LULLI_GC_HOST)
      return *(void **)LULLI_GC_DATA(o);
    return lulli_gc_export(e, o, fail) ? NULL : o;
  }
  lulli_gcobj *box = lulli_gc_alloc(e, LULLI_GC_I31, 0, 0, sizeof(void *));
  if (!box || lulli_gc_export(e, box, fail)) {
    *fail = 1;
    return NULL;
  }
  memcpy(LULLI_GC_DATA(box), &any, sizeof any);
  return box;
}

void lulli_gc_free_all(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  while (h->objects) {
    lulli_gcobj *o = h->objects;
    h->objects = o->next;
    lulli_gc_release(e, o);
  }
  lulli_gc_exports_free(e);
  lulli_gc_fini(e);
}

size_t lulli_gc_size(const lulli_gcobj *o) {
  size_t payload = o->kind == LULLI_GC_STRUCT || o->kind == LULLI_GC_EXN
                       ? o->len
                   : o->kind == LULLI_GC_ARRAY ? (size_t)o->len * o->esize
                                               : sizeof(void *);
  return sizeof *o + payload;
}

void lulli_gc_release(lull_engine *e, lulli_gcobj *o) {
  size_t size = lulli_gc_size(o);
  if (o->exported)
    lulli_gc_unexport(e, o);
  if (o->kind == LULLI_GC_EXN)
    lulli_drop(e, &lulli_exn_tag(o)->hdr);
  e->gc.bytes -= size;
  lulld_free(&e->alloc, o, size);
}
