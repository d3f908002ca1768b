/*
 * table.c -- tables of references, and keeping alive the instances whose
 * functions a table holds.
 */
#include "interp_internal.h"

lull_table *lulli_table_create(lull_engine *e, lull_valtype elem, lulld_limits l,
                               void *init) {
  lull_table *t = lulld_calloc(&e->alloc, 1, sizeof *t);
  if (!t)
    return NULL;
  t->elem = elem;
  t->limits = l;
  t->size = t->cap = l.min;
  if (l.min) {
    t->elems = lulld_calloc(&e->alloc, l.min, sizeof *t->elems);
    if (!t->elems) {
      lulld_free(&e->alloc, t, sizeof *t);
      return NULL;
    }
  }
  lulli_obj_init(e, &t->hdr, LULLI_KIND_TABLE);
  if (init) {
    for (uint32_t i = 0; i < t->size; i++)
      t->elems[i] = init;
    if (lulld_vt_is_funcref(elem) && lulli_table_note_func(t, init) != 0) {
      lulli_release(&t->hdr);
      return NULL;
    }
  }
  return t;
}

void lulli_table_destroy(lull_table *t) {
  lull_engine *e = t->hdr.engine;
  for (size_t i = 0; i < t->nkeep; i++)
    lulli_drop(e, t->keep[i]);
  lulld_free(&e->alloc, t->keep, t->cap_keep * sizeof *t->keep);
  lulld_free(&e->alloc, t->elems, t->cap * sizeof *t->elems);
  lulld_free(&e->alloc, t, sizeof *t);
}

int lulli_table_note_func(lull_table *t, lull_func *f) {
  if (!f || (f->kind == LULLI_FUNC_WASM && f->inst == t->owner))
    return 0;
  lulli_obj *o = lulli_func_owner(f);
  for (size_t i = 0; i < t->nkeep; i++)
    if (t->keep[i] == o)
      return 0;
  if (LULLD_GROW(&t->hdr.engine->alloc, t->keep, &t->cap_keep, t->nkeep + 1))
    return -1;
  lulli_retain(o);
  t->keep[t->nkeep++] = o;
  return 0;
}

int64_t lulli_table_grow(lull_table *t, uint32_t delta, void *init) {
  uint32_t old = t->size;
  uint64_t max = t->limits.has_max ? t->limits.max : LULLD_MAX_TABLE;
  if (max > LULLD_MAX_TABLE)
    max = LULLD_MAX_TABLE;
  if ((uint64_t)old + delta > max)
    return -1;
  if (delta == 0)
    return old;
  uint32_t n = old + delta;
  if (n > t->cap) {
    void **p = lulld_realloc(&t->hdr.engine->alloc, t->elems,
                             t->cap * sizeof *p, (size_t)n * sizeof *p);
    if (!p)
      return -1;
    t->elems = p;
    t->cap = n;
  }
  if (init && lulld_vt_is_funcref(t->elem) &&
      lulli_table_note_func(t, init) != 0)
    return -1;
  for (uint32_t i = old; i < n; i++)
    t->elems[i] = init;
  t->size = n;
  return old;
}

/* The element a lull_val stands for, or -1 when it is not a value of the
 * table's type. */
static int elem_of(lull_engine *e, lull_valtype elem, const lull_val *v,
                   void **out) {
  if (!v || !lulli_val_fits(e, v, elem))
    return -1;
  *out = lulld_vt_is_funcref(elem) ? (void *)v->of.funcref : v->of.externref;
  return 0;
}

lull_table *lull_table_new(lull_engine *e, lull_valtype elem,
                           lull_limits limits, const lull_val *init) {
  void *x = NULL;
  if (!e || !lulld_vt_is_ref(elem) || !lulli_vt_valid(e, elem) ||
      (limits.has_max && limits.min > limits.max) ||
      limits.min > LULLD_MAX_TABLE)
    return NULL;
  lulld_limits l = {limits.min, limits.max, (uint8_t)(limits.has_max != 0),
                    (uint8_t)(limits.addr64 != 0)};
  /* A table of a non-nullable type needs a value for its elements. */
  if (init ? elem_of(e, elem, init, &x) != 0
           : !LULL_VT_IS_NULLABLE(elem) && limits.min > 0)
    return NULL;
  return lulli_table_create(e, elem, l, x);
}

void lull_table_free(lull_table *t) {
  if (t)
    lulli_release(&t->hdr);
}

uint64_t lull_table_size(const lull_table *t) { return t ? t->size : 0; }

lull_status lull_table_get(const lull_table *t, uint64_t i, lull_val *out) {
  if (!t || !out || i >= t->size)
    return LULL_BADARG;
  out->type = t->elem;
  if (lulld_vt_is_funcref(t->elem))
    out->of.funcref = t->elems[i];
  else
    out->of.externref = t->elems[i];
  lulli_gc_hand_out(t->hdr.engine, t->elem, t->elems[i]);
  return LULL_OK;
}

lull_status lull_table_set(lull_table *t, uint64_t i, const lull_val *v) {
  void *x;
  if (!t || i >= t->size || elem_of(t->hdr.engine, t->elem, v, &x) != 0)
    return LULL_BADARG;
  if (lulld_vt_is_funcref(t->elem) && lulli_table_note_func(t, x) != 0)
    return LULL_NOMEM;
  t->elems[i] = x;
  return LULL_OK;
}

int64_t lull_table_grow(lull_table *t, uint64_t delta, const lull_val *init) {
  void *x = NULL;
  if (!t || delta > UINT32_MAX)
    return -1;
  /* A non-nullable table cannot gain null elements. */
  if (init ? elem_of(t->hdr.engine, t->elem, init, &x) != 0
           : !LULL_VT_IS_NULLABLE(t->elem) && delta > 0)
    return -1;
  return lulli_table_grow(t, (uint32_t)delta, x);
}
