/*
 * gc_roots.c -- where references live, for whoever must see them all:
 * the collector (marking), snapshots (writing the object graph, and
 * translating references when reading it back). Each visitor calls `fn`
 * with the slot and the type declared for it (engine ids; only the
 * hierarchy, as (ref null any) or (ref null extern), where the code knows
 * no more), for references of the any and extern hierarchies only:
 * function references are no GC objects.
 */
#include "interp_internal.h"

static int gc_ref(lull_valtype t) {
  if (!lulld_vt_is_ref(t))
    return 0;
  uint32_t top = lulld_vt_top(t);
  /* Exceptions are objects of the heap too (exn.c). */
  return top == LULL_HT_ANY || top == LULL_HT_EXTERN || top == LULL_HT_EXN;
}

/* The slots of one Wasm frame: locals by their declared types, operand
 * slots by the map (extern ones first, then the any ones). */
static void visit_frame(const lull_func *fn, const lulli_parkmap *pm,
                        lulli_slot *fp, lulli_ref_fn visit, void *ctx) {
  const lulli_code *code = fn->code;
  const lull_module *mod = fn->inst->module;
  uint32_t slot = 0;
  for (uint32_t k = 0; k < code->nlocals; k++) {
    lull_valtype t = code->local_types[k];
    if (gc_ref(t))
      visit(ctx, LULLI_MODULE_VT(mod, t), &fp[slot].ref);
    slot += lulld_slots_of(t);
  }
  if (!pm || pm->next == 0)
    return; /* refslots may be NULL: no arithmetic on it */
  const uint16_t *rs = code->refslots + pm->first;
  uint32_t ext = (uint32_t)pm->next - pm->nany;
  for (uint32_t j = 0; j < pm->next; j++)
    visit(ctx, LULL_REF(j < ext ? LULL_HT_EXTERN : LULL_HT_ANY, 1),
          &fp[rs[pm->nfunc + j]].ref);
}

static const lulli_parkmap *map_at(const lulli_parkmap *maps, uint32_t n,
                                   uint32_t cell) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (maps[mid].cell == cell)
      return &maps[mid];
    if (maps[mid].cell < cell)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

void lulli_gc_visit_thread(lull_thread *t, const lulli_cell *pc, int at_alloc,
                           lulli_ref_fn visit, void *ctx) {
  for (uint32_t i = 1; i < t->nframes; i++) {
    const lulli_frame *fr = &t->frames[i];
    if (fr->fn->kind != LULLI_FUNC_WASM || !fr->fn->code->ncells)
      continue;
    const lulli_code *code = fr->fn->code;
    int top = i == t->nframes - 1;
    const lulli_cell *at = top ? pc : t->frames[i + 1].ret_pc;
    const lulli_parkmap *pm = NULL;
    lulli_parkmap buf;
    if (at >= code->code && at < code->code + code->ncells) {
      uint32_t cell = (uint32_t)(at - code->code);
      pm = top && at_alloc ? map_at(code->gcmaps, code->ngcmaps, cell)
                           : lulli_parkmap_at(code, cell, &buf);
    }
    visit_frame(fr->fn, pm, t->stack + fr->base, visit, ctx);
  }
}

void lulli_gc_visit_global(lull_global *g, lulli_ref_fn visit, void *ctx) {
  if (gc_ref(g->type))
    visit(ctx, g->type, &g->val[0].ref);
}

void lulli_gc_visit_table(lull_table *tb, lulli_ref_fn visit, void *ctx) {
  if (!gc_ref(tb->elem))
    return;
  for (uint32_t i = 0; i < tb->size; i++)
    visit(ctx, tb->elem, &tb->elems[i]);
}

void lulli_gc_visit_segments(lull_instance *inst, lulli_ref_fn visit,
                             void *ctx) {
  const lulld_module *m = inst->module ? inst->module->m : NULL;
  for (uint32_t i = 0; m && inst->elem_vals && i < m->nelems; i++) {
    lull_valtype t = LULLI_MODULE_VT(inst->module, m->elems[i].type);
    if (!inst->elem_vals[i] || inst->elem_dropped[i] || !gc_ref(t))
      continue;
    for (uint32_t j = 0; j < m->elems[i].count; j++)
      visit(ctx, t, &inst->elem_vals[i][j]);
  }
}

void lulli_gc_visit_object(lull_engine *e, lulli_gcobj *o, lulli_ref_fn visit,
                           void *ctx) {
  if (o->kind == LULLI_GC_ARRAY) {
    if (!o->eref)
      return;
    lull_valtype t = e->types[o->type]->vtypes[0];
    void **p = (void **)LULLI_GC_DATA(o);
    for (uint32_t k = 0; k < o->len; k++)
      visit(ctx, t, &p[k]);
    return;
  }
  if (o->kind != LULLI_GC_STRUCT)
    return;
  const lulli_type *t = e->types[o->type];
  uint32_t off = 0;
  for (uint32_t k = 0; k < t->nfields; k++) {
    if (gc_ref(t->types[k]))
      visit(ctx, t->vtypes[k], (void **)(LULLI_GC_DATA(o) + off));
    off += 8 * lulld_slots_of(t->types[k]);
  }
}
