/*
 * exn.c -- exception objects: made by a throw, floating until something
 * holds them as an exnref, then part of the engine's heap.
 *
 * Most exceptions are caught by a plain `catch` and never seen as a
 * value, so they float: allocated from the engine's allocator and
 * counted against the heap limit, but not in the heap's list, so the
 * catch frees them at once and a loop of throws holds no memory. An
 * exception that Wasm catches with catch_ref (or that the host keeps)
 * joins the list and lives until the collector or the engine frees it.
 */
#include <string.h>

#include "interp_internal.h"

/* The payload: the tag pointer, then the values' slots. */
#define TAG_BYTES sizeof(lulli_slot)

lulli_gcobj *lulli_exn_alloc(lull_engine *e, lull_tag *tag) {
  lulli_gcheap *h = &e->gc;
  size_t bytes = TAG_BYTES + (size_t)tag->type->param_slots * sizeof(lulli_slot);
  size_t size = sizeof(lulli_gcobj) + bytes;
  if (h->bytes + size > h->limit)
    return NULL;
  lulli_gcobj *x = e->exn_spare;
  if (x && lulli_gc_size(x) == size)
    e->exn_spare = NULL;
  else if (!(x = lulld_malloc(&e->alloc, size)))
    return NULL;
  memset(x, 0, size);
  x->kind = LULLI_GC_EXN;
  x->type = tag->type_id;
  x->len = (uint32_t)bytes;
  x->color = h->live;
  memcpy(LULLI_GC_DATA(x), &tag, sizeof tag);
  lulli_retain(&tag->hdr);
  h->bytes += size;
  return x;
}

lulli_gcobj *lulli_exn_new(lull_engine *e, lull_tag *tag,
                           const lulli_slot *payload) {
  size_t n = tag->type->param_slots;
  size_t size = sizeof(lulli_gcobj) + TAG_BYTES + n * sizeof *payload;
  /* Floating or not, it counts: the collector runs as it would for any
   * allocation, so held exceptions that nothing reaches are freed. */
  if (!lulli_gc_room(e, size))
    return NULL;
  lulli_gc_pay(e, size);
  lulli_gcobj *x = lulli_exn_alloc(e, tag);
  if (x && payload)
    memcpy(lulli_exn_payload(x), payload, n * sizeof *payload);
  return x;
}

lull_tag *lulli_exn_tag(const lulli_gcobj *x) {
  lull_tag *tag;
  memcpy(&tag, LULLI_GC_DATA(x), sizeof tag);
  return tag;
}

lulli_slot *lulli_exn_payload(lulli_gcobj *x) {
  return (lulli_slot *)(LULLI_GC_DATA(x) + TAG_BYTES);
}

void lulli_exn_hold(lull_engine *e, lulli_gcobj *x) {
  if (x->held)
    return;
  x->held = 1;
  /* Born marked when it joins: a cycle in progress keeps it. */
  x->color = e->gc.live;
  x->next = e->gc.objects;
  e->gc.objects = x;
}

void lulli_exn_drop(lull_engine *e, lulli_gcobj *x) {
  if (!x || x->held)
    return;
  if (e->exn_spare) {
    lulli_gc_release(e, x);
    return;
  }
  /* Kept for the next throw (lull_engine's exn_spare). */
  lulli_drop(e, &lulli_exn_tag(x)->hdr);
  e->gc.bytes -= lulli_gc_size(x);
  e->exn_spare = x;
}

size_t lulli_exn_read(lulli_gcobj *x, lull_tag **tag, lull_val *payload,
                      size_t max) {
  if (tag)
    *tag = x ? lulli_exn_tag(x) : NULL;
  if (!x)
    return 0;
  const lulli_type *ty = lulli_exn_tag(x)->type;
  const lulli_slot *s = lulli_exn_payload(x);
  for (uint32_t i = 0; i < ty->nparams && i < max && payload; i++) {
    lulli_slots_to_val(lulli_exn_tag(x)->hdr.engine, ty->vtypes[i], s,
                       &payload[i]);
    s += lulld_slots_of(ty->vtypes[i]);
  }
  return ty->nparams;
}

size_t lull_thread_exception(const lull_thread *t, lull_tag **tag,
                             lull_val *payload, size_t max) {
  return lulli_exn_read(t ? t->exn : NULL, tag, payload, max);
}
