/*
 * bulk.c -- the slow paths of bulk memory and table instructions, shared
 * by the dispatch loop and instantiation. Bounds are checked in 64 bits
 * before anything is written, as the spec requires (so a failing
 * memory.copy writes nothing).
 */
#include "exec_internal.h"

static const char oob_mem[] = "out of bounds memory access";
static const char oob_table[] = "out of bounds table access";

/* Do n bytes at a fit in `size`? Written so that 64-bit addresses and
 * lengths near 2^64 cannot wrap. */
static int fits(uint64_t a, uint64_t n, uint64_t size) {
  return a <= size && n <= size - a;
}

const char *lulli_mem_fill(lull_memory *m, uint64_t d, uint32_t v,
                           uint64_t n) {
  if (!fits(d, n, m->size))
    return oob_mem;
  if (n)
    memset(m->data + d, (int)(v & 0xFF), (size_t)n);
  return NULL;
}

const char *lulli_mem_copy(lull_memory *dm, lull_memory *sm, uint64_t d,
                           uint64_t s, uint64_t n) {
  if (!fits(d, n, dm->size) || !fits(s, n, sm->size))
    return oob_mem;
  if (n)
    memmove(dm->data + d, sm->data + s, (size_t)n);
  return NULL;
}

const char *lulli_mem_init(lull_instance *inst, uint32_t seg, lull_memory *m,
                           uint64_t d, uint32_t s, uint32_t n) {
  const lulld_data *data = &inst->module->m->datas[seg];
  uint64_t size = inst->data_dropped[seg] ? 0 : data->size;
  if (!fits(s, n, size) || !fits(d, n, m->size))
    return oob_mem;
  if (n)
    memcpy(m->data + d, data->bytes + s, n);
  return NULL;
}

void lulli_table_store(lull_table *t, uint32_t i, void *v) {
  /* Keeping the owner alive can only fail when out of memory; the store
   * still happens, and the engine frees everything at the end anyway. */
  if (v && lulld_vt_is_funcref(t->elem))
    (void)lulli_table_note_func(t, v);
  t->elems[i] = v;
}

const char *lulli_table_fill(lull_table *t, uint32_t i, void *v, uint32_t n) {
  if ((uint64_t)i + n > t->size)
    return oob_table;
  if (n && v && lulld_vt_is_funcref(t->elem))
    (void)lulli_table_note_func(t, v);
  for (uint32_t k = 0; k < n; k++)
    t->elems[i + k] = v;
  return NULL;
}

/* Notes the owners of `n` functions just stored, skipping repeats. */
static void note_range(lull_table *t, void *const *elems, uint32_t n) {
  const void *last = NULL;
  for (uint32_t k = 0; k < n; k++) {
    lull_func *f = elems[k];
    if (!f)
      continue;
    const void *o = lulli_func_owner(f);
    if (o != last)
      (void)lulli_table_note_func(t, f);
    last = o;
  }
}

const char *lulli_table_copy(lull_table *dst, lull_table *src, uint32_t d,
                             uint32_t s, uint32_t n) {
  if ((uint64_t)d + n > dst->size || (uint64_t)s + n > src->size)
    return oob_table;
  if (n == 0)
    return NULL; /* an empty table's elems may be NULL */
  memmove(dst->elems + d, src->elems + s, n * sizeof *dst->elems);
  if (dst != src && lulld_vt_is_funcref(dst->elem))
    note_range(dst, dst->elems + d, n);
  return NULL;
}

void *lulli_elem_item(lull_instance *inst, uint32_t seg, uint32_t j) {
  const lulld_elem *el = &inst->module->m->elems[seg];
  if (el->funcs)
    return inst->funcs[el->funcs[j]];
  if (inst->elem_vals && inst->elem_vals[seg])
    return inst->elem_vals[seg][j];
  lulli_slot v[2];
  lulli_eval_const(inst, &el->exprs[j], v);
  return v[0].ref;
}

const char *lulli_table_init(lull_instance *inst, lull_table *t, uint32_t seg,
                             uint32_t d, uint32_t s, uint32_t n) {
  const lulld_elem *el = &inst->module->m->elems[seg];
  uint64_t size = inst->elem_dropped[seg] ? 0 : el->count;
  if ((uint64_t)s + n > size || (uint64_t)d + n > t->size)
    return oob_table;
  if (n == 0)
    return NULL; /* an empty table's elems may be NULL */
  for (uint32_t k = 0; k < n; k++)
    t->elems[d + k] = lulli_elem_item(inst, seg, s + k);
  if (lulld_vt_is_funcref(t->elem))
    note_range(t, t->elems + d, n);
  return NULL;
}
