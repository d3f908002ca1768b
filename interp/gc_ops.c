/*
 * gc_ops.c -- the array instructions that work on ranges (array.new_data,
 * array.new_elem, array.fill, array.copy, array.init_data,
 * array.init_elem). Bounds are checked in 64 bits before anything is
 * written, so a failing instruction changes nothing.
 */
#include <string.h>

#include "exec_internal.h"

static const char oob_array[] = "out of bounds array access";
static const char oob_mem[] = "out of bounds memory access";
static const char oob_table[] = "out of bounds table access";
static const char no_memory[] = "out of memory: the GC heap is full";

static int fits(uint64_t a, uint64_t n, uint64_t size) {
  return a <= size && n <= size - a;
}

/* The bytes of data segment `seg` still there. */
static uint64_t data_size(const lull_instance *inst, uint32_t seg) {
  return inst->data_dropped[seg] ? 0 : inst->module->m->datas[seg].size;
}

static uint64_t elem_size(const lull_instance *inst, uint32_t seg) {
  return inst->elem_dropped[seg] ? 0 : inst->module->m->elems[seg].count;
}

const char *lulli_array_new_data(lull_instance *inst, uint32_t type,
                                 uint32_t seg, uint32_t s, uint32_t n,
                                 lulli_gcobj **out) {
  lull_engine *e = inst->hdr.engine;
  unsigned es = lulli_gc_esize(e->types[type]->types[0]);
  if (!fits(s, (uint64_t)n * es, data_size(inst, seg)))
    return oob_mem;
  lulli_gcobj *a = lulli_gc_array(e, type, n);
  if (!a)
    return no_memory;
  if (n)
    memcpy(LULLI_GC_DATA(a), inst->module->m->datas[seg].bytes + s,
           (size_t)n * es);
  *out = a;
  return NULL;
}

const char *lulli_array_new_elem(lull_instance *inst, uint32_t type,
                                 uint32_t seg, uint32_t s, uint32_t n,
                                 lulli_gcobj **out) {
  lull_engine *e = inst->hdr.engine;
  if (!fits(s, n, elem_size(inst, seg)))
    return oob_table;
  lulli_gcobj *a = lulli_gc_array(e, type, n);
  if (!a)
    return no_memory;
  void **to = (void **)LULLI_GC_DATA(a);
  for (uint32_t k = 0; k < n; k++)
    to[k] = lulli_elem_item(inst, seg, s + k);
  *out = a;
  return NULL;
}

const char *lulli_array_fill(lull_engine *e, lulli_gcobj *a, uint32_t d,
                             const lulli_slot *v, uint32_t n) {
  if (!fits(d, n, a->len))
    return oob_array;
  lulli_gc_shade_range(e, a, d, n);
  for (uint32_t k = 0; k < n; k++)
    lulli_gc_put(a, d + k, v);
  return NULL;
}

const char *lulli_array_copy(lull_engine *e, lulli_gcobj *a, uint32_t d,
                             const lulli_gcobj *b, uint32_t s, uint32_t n) {
  if (!fits(d, n, a->len) || !fits(s, n, b->len))
    return oob_array;
  lulli_gc_shade_range(e, a, d, n);
  if (n)
    memmove(LULLI_GC_DATA(a) + (size_t)d * a->esize,
            LULLI_GC_DATA(b) + (size_t)s * a->esize, (size_t)n * a->esize);
  return NULL;
}

const char *lulli_array_init_data(lull_instance *inst, lulli_gcobj *a,
                                  uint32_t seg, uint32_t d, uint32_t s,
                                  uint32_t n) {
  if (!fits(d, n, a->len))
    return oob_array;
  if (!fits(s, (uint64_t)n * a->esize, data_size(inst, seg)))
    return oob_mem;
  if (n)
    memcpy(LULLI_GC_DATA(a) + (size_t)d * a->esize,
           inst->module->m->datas[seg].bytes + s, (size_t)n * a->esize);
  return NULL;
}

const char *lulli_array_init_elem(lull_instance *inst, lulli_gcobj *a,
                                  uint32_t seg, uint32_t d, uint32_t s,
                                  uint32_t n) {
  if (!fits(d, n, a->len))
    return oob_array;
  if (!fits(s, n, elem_size(inst, seg)))
    return oob_table;
  lulli_gc_shade_range(inst->hdr.engine, a, d, n);
  void **to = (void **)LULLI_GC_DATA(a);
  for (uint32_t k = 0; k < n; k++)
    to[d + k] = lulli_elem_item(inst, seg, s + k);
  return NULL;
}
