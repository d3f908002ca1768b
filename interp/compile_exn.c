/*
 * compile_exn.c -- try_table, throw and throw_ref.
 *
 * A try_table compiles to nothing but its block: entering and leaving it
 * costs what a block costs. Its catch clauses become handlers, a side
 * table of the code (lulli_code.handlers) that the unwinder reads only
 * when something throws: a cell range, a tag, where the payload goes (the
 * home slots of the label, as a branch would put it) and where execution
 * goes on (the label). A try_table's handlers are listed when it ends,
 * so inner ones come before the ones around them and the first match is
 * the innermost.
 */
#include "compile_internal.h"

static void oom(lullc *c) {
  lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
}

void lullc_try_table(lullc *c, const lulld_instr *in) {
  uint32_t first = c->ncatches, n = in->u.try_table.count;
  if (LULLD_GROW(c->a, c->catches, &c->cap_catches, (size_t)first + n + 1)) {
    oom(c);
    return;
  }
  lulld_reader r;
  lulld_reader_init(&r, c->m->bytes, in->u.try_table.pos, c->body->end);
  for (uint32_t i = 0; i < n; i++) {
    lulld_catch k;
    if (lulld_read_catch(&r, &k)) {
      lullc_fail(c, LULL_MALFORMED, "%s in function %u", r.err, c->func);
      return;
    }
    lullc_catch *x = &c->catches[first + i];
    x->kind = k.kind;
    x->tag = k.tag;
    x->ctrl = c->nctrl - 1 - k.label;
  }
  c->ncatches = first + n;
  lullc_ctrl *f = lullc_open_block(c, CF_BLOCK, in->u.try_table.block);
  if (!f)
    return;
  f->is_try = 1;
  f->try_first = first;
  f->try_n = n;
  f->try_start = lullc_here(c);
}

void lullc_try_end(lullc *c, lullc_ctrl *f) {
  uint32_t end = lullc_here(c);
  for (uint32_t i = 0; i < f->try_n; i++) {
    const lullc_catch *k = &c->catches[f->try_first + i];
    if (LULLD_GROW(c->a, c->hs, &c->cap_hs, c->nhs + 1)) {
      oom(c);
      return;
    }
    lullc_ctrl *to = &c->ctrl[k->ctrl];
    int tagged = k->kind == LULLD_CATCH || k->kind == LULLD_CATCH_REF;
    lulli_handler *h = &c->hs[c->nhs];
    h->start = f->try_start;
    h->end = end;
    h->tag = tagged ? k->tag : LULLI_CATCH_ALL;
    h->ref = k->kind == LULLD_CATCH_REF || k->kind == LULLD_CATCH_ALL_REF;
    h->dst = to->home;
    /* The slots the handler writes belong to the frame. */
    uint32_t slots = h->ref;
    if (tagged)
      slots += c->m->types[c->m->tags[k->tag]].param_slots;
    if ((uint32_t)to->home + slots > c->max_slot)
      c->max_slot = to->home + slots;
    to->reached = 1;
    if (to->kind == CF_LOOP) {
      h->target = to->loop_cell;
    } else {
      h->target = (uint32_t)to->hchain;
      to->hchain = (int32_t)c->nhs;
    }
    c->nhs++;
  }
  c->ncatches = f->try_first;
}

void lullc_place_handlers(lullc *c, lullc_ctrl *f, uint32_t target) {
  for (int32_t i = f->hchain; i >= 0;) {
    int32_t next = (int32_t)c->hs[i].target;
    c->hs[i].target = target;
    i = next;
  }
  f->hchain = -1;
}

void lullc_handlers_finish(lullc *c) {
  lullc_ctrl *f = &c->ctrl[0];
  if (f->hchain < 0)
    return;
  uint32_t pad = lullc_here(c);
  uint32_t at = lullc_emit(c, LULLI_OP_RETN);
  c->code[at + 1].u16[0] = f->home;
  c->code[at + 1].u16[1] = (uint16_t)c->type->result_slots;
  lullc_place_handlers(c, f, pad);
}

/* The payload goes to consecutive homes, as a call's arguments do. Making
 * the exception allocates: the collector may run there, and finds the
 * payload among the frame's live values. */
void lullc_throw(lullc *c, const lulld_instr *in) {
  const lulld_functype *ft = &c->m->types[c->m->tags[in->u.index]];
  uint32_t first = c->sp - ft->nparams;
  for (uint32_t i = first; i < c->sp; i++)
    lullc_materialize(c, i);
  uint16_t base = first < c->sp ? c->stack[first].home : lullc_top_home(c);
  uint32_t map = lullc_gcmap(c);
  uint32_t at = lullc_emit(c, LULLI_OP_THROW);
  if (!c->failed)
    c->gcmaps[map].cell = at;
  c->code[at + 1].u16[0] = base;
  c->code[at + 1].u32[1] = in->u.index;
  lullc_trapsite(c, at);
  lullc_set_dead(c);
}

void lullc_throw_ref(lullc *c) {
  uint16_t a = lullc_operand(c, c->sp - 1);
  c->sp--;
  uint32_t at = lullc_emit(c, LULLI_OP_THROW_REF);
  c->code[at + 1].u16[0] = a;
  lullc_trapsite(c, at);
  lullc_set_dead(c);
}
