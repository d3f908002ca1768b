/*
 * snapshot_exn.c -- the exceptions a snapshot carries. An exnref may sit
 * in a local, an operand slot, a global, a table or another exception's
 * payload; each exception is written once, in a table before the thread,
 * and every reference to it becomes its index there.
 */
#include "snapshot_internal.h"

int64_t lulli_exntab_find(const lulli_exntab *x, const lulli_gcobj *o) {
  for (size_t i = 0; i < x->n; i++)
    if (x->v[i] == o)
      return (int64_t)i;
  return -1;
}

static void add(lulli_exntab *x, void *p) {
  if (!lulli_is_exn(p) || lulli_exntab_find(x, p) >= 0)
    return;
  if (LULLD_GROW(x->a, x->v, &x->cap, x->n + 1)) {
    x->oom = 1;
    return;
  }
  x->v[x->n++] = p;
}

/* The slots of every Wasm frame that may hold an exception: locals of the
 * exn hierarchy, and the any group of the park map (which holds them). */
static void gather_frames(lulli_exntab *x, lull_thread *t) {
  for (uint32_t i = 1; i < t->nframes; i++) {
    const lulli_frame *fr = &t->frames[i];
    if (fr->fn->kind != LULLI_FUNC_WASM)
      continue;
    const lulli_code *code = fr->fn->code;
    const lulli_cell *at = i == t->nframes - 1 ? t->pc
                                               : t->frames[i + 1].ret_pc;
    lulli_parkmap buf;
    const lulli_parkmap *pm =
        lulli_parkmap_at(code, (uint32_t)(at - code->code), &buf);
    if (!pm)
      continue; /* the writer reports it */
    const lulli_slot *s = t->stack + fr->base;
    lulli_slotcursor cur = {0, 0};
    for (uint32_t k = 0; k < pm->height; k++) {
      uint8_t type = lulli_slot_type(code, pm, k, &cur);
      if (type == LULL_HT_EXN || type == LULLI_ANY_SLOT)
        add(x, s[k].ref);
    }
  }
}

void lulli_exntab_gather(lulli_exntab *x, lull_thread *t,
                         lull_instance *inst) {
  const lulld_module *m = inst->module->m;
  gather_frames(x, t);
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (lulli_snap_kind(inst->globals[i]->type) == LULL_HT_EXN)
      add(x, inst->globals[i]->val[0].ref);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const lull_table *tb = inst->tables[i];
    if (lulli_snap_kind(tb->elem) == LULL_HT_EXN)
      for (uint32_t k = 0; k < tb->size; k++)
        add(x, tb->elems[k]);
  }
  /* Payloads may hold more: the table grows as it is walked. */
  for (size_t i = 0; i < x->n && !x->oom; i++) {
    const lulli_type *ty = lulli_exn_tag(x->v[i])->type;
    const lulli_slot *s = lulli_exn_payload(x->v[i]);
    for (uint32_t k = 0; k < ty->nparams; k++) {
      if (lulli_snap_kind(ty->vtypes[k]) == LULL_HT_EXN)
        add(x, s->ref);
      s += lulld_slots_of(ty->vtypes[k]);
    }
  }
}

void lulli_exntab_free(lulli_exntab *x) {
  lulld_free(x->a, x->v, x->cap * sizeof *x->v);
  x->v = NULL;
  x->n = x->cap = 0;
}
