/*
 * compile_emit.c -- the compiler's code buffer, side tables and virtual
 * operand stack (see compile_internal.h for what the entries mean).
 */
#include <stdio.h>

#include "compile_internal.h"

void lullc_fail(lullc *c, lull_status s, const char *fmt, ...) {
  if (c->failed)
    return;
  c->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  lulld_verror(c->err, s, c->wasm_off, fmt, ap);
  va_end(ap);
}

static void oom(lullc *c) {
  lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
}

uint32_t lullc_here(lullc *c) {
  lullc_fuse(c, LULLI_OP_COUNT_);
  c->last_at = c->prev_at = c->prev2_at = UINT32_MAX;
  c->nhist = 0;
  return c->ncode;
}

uint32_t lullc_emit(lullc *c, lulli_op op) {
  return lullc_emit_n(c, op, lulli_op_info(op)->cells);
}

uint32_t lullc_emit_n(lullc *c, lulli_op op, unsigned ncells) {
  lullc_fuse(c, op);
  if (LULLD_GROW(c->a, c->code, &c->cap_code, c->ncode + ncells + 1)) {
    oom(c);
    /* Keep writing harmlessly into the start, but no further than the
     * buffer goes (it has room for every fixed-size op; a br_table,
     * which may be bigger, checks c->failed before its operands). */
    c->ncode = 0;
    if (ncells >= c->cap_code)
      ncells = c->cap_code ? (unsigned)c->cap_code - 1 : 0;
    if (!c->code)
      return 0;
  }
  uint32_t at = c->ncode;
  memset(&c->code[at], 0, ncells * sizeof(lulli_cell));
  c->code[at].h = c->handlers[op];
  c->ncode += ncells;
  if (c->prev_at == UINT32_MAX) {
    c->nhist = 0;
  } else if (c->prev2_at != UINT32_MAX) {
    if (c->nhist == sizeof c->hist_at / sizeof c->hist_at[0]) {
      memmove(c->hist_at, c->hist_at + 1, (c->nhist - 1) * sizeof *c->hist_at);
      memmove(c->hist_op, c->hist_op + 1, (c->nhist - 1) * sizeof *c->hist_op);
      c->nhist--;
    }
    c->hist_at[c->nhist] = c->prev2_at;
    c->hist_op[c->nhist++] = c->prev2_op;
  }
  c->prev2_at = c->prev_at;
  c->prev2_op = c->prev_op;
  c->prev_at = c->last_at;
  c->prev_op = c->last_op;
  c->last_at = at;
  c->last_op = (uint16_t)op;
  return at;
}

void lullc_trapsite(lullc *c, uint32_t cell) {
  if (c->ntraps && c->traps[c->ntraps - 1].cell == cell)
    return;
  if (LULLD_GROW(c->a, c->traps, &c->cap_traps, c->ntraps + 1)) {
    oom(c);
    return;
  }
  c->traps[c->ntraps].cell = cell;
  c->traps[c->ntraps].wasm = c->wasm_off;
  c->ntraps++;
}

/* Fills `p` with the live slots of entries [0, upto): funcref slots,
 * extern slots, any slots (GC objects, i31s, exceptions), then the homes of
 * constants (dead slots). A type index's code is resolved first, so a
 * struct reference is never taken for a function. */
static void fill_map(lullc *c, lulli_parkmap *p, uint32_t upto) {
  uint32_t first = c->nrefslots, counts[4] = {0, 0, 0, 0};
  const lullc_entry *below = upto ? &c->stack[upto - 1] : NULL;
  uint16_t height = below ? (uint16_t)(below->home + lulld_slots_of(below->type))
                          : (uint16_t)c->local_slots;
  for (int pass = 0; pass < 4; pass++) {
    for (uint32_t i = 0; i < upto; i++) {
      const lullc_entry *e = &c->stack[i];
      int want;
      if (pass == 3) {
        want = e->kind == E_CONST;
      } else if (e->kind != E_SLOT || !lulld_vt_is_ref(e->type)) {
        want = 0;
      } else {
        uint32_t top = lulld_vt_top(lulld_vt_resolve(c->m, e->type));
        /* Exceptions are objects of the heap, traced as the any
         * hierarchy's are. */
        int cls = top == LULL_HT_FUNC                         ? 0
                  : top == LULL_HT_ANY || top == LULL_HT_EXN ? 2
                                                              : 1;
        want = cls == pass;
      }
      for (uint32_t k = 0; want && k < lulld_slots_of(e->type); k++) {
        if (LULLD_GROW(c->a, c->refslots, &c->cap_refslots,
                       c->nrefslots + 1)) {
          oom(c);
          return;
        }
        c->refslots[c->nrefslots++] = (uint16_t)(e->home + k);
        counts[pass]++;
      }
    }
  }
  p->height = height;
  p->first = first;
  p->nfunc = (uint16_t)counts[0];
  p->next = (uint16_t)(counts[1] + counts[2]);
  p->nany = (uint16_t)counts[2];
  p->ndead = (uint16_t)counts[3];
}

void lullc_parkmap(lullc *c, uint32_t cell, uint32_t upto, int call) {
  if (LULLD_GROW(c->a, c->parks, &c->cap_parks, c->nparks + 1)) {
    oom(c);
    return;
  }
  if (LULLD_GROW(c->a, c->pvals, &c->cap_pvals, c->npvals + upto)) {
    oom(c);
    return;
  }
  lulli_parkmap *p = &c->parks[c->nparks++];
  memset(p, 0, sizeof *p);
  p->cell = cell;
  p->wasm = c->wasm_off;
  p->call = (uint8_t)call;
  p->vals = c->npvals;
  p->nvals = upto;
  for (uint32_t i = 0; i < upto; i++) {
    const lullc_entry *e = &c->stack[i];
    lulli_parkval *v = &c->pvals[c->npvals++];
    v->type = e->type;
    v->kind = e->kind == E_SLOT    ? LULLI_PV_SLOT
              : e->kind == E_LOCAL ? LULLI_PV_LOCAL
                                   : LULLI_PV_CONST;
    v->slot = e->kind == E_LOCAL ? e->local : e->home;
    v->c[0] = e->kind == E_CONST ? e->c[0] : 0;
    v->c[1] = e->kind == E_CONST ? e->c[1] : 0;
  }
  fill_map(c, p, upto);
}

uint32_t lullc_gcmap(lullc *c) {
  if (LULLD_GROW(c->a, c->gcmaps, &c->cap_gcmaps, c->ngcmaps + 1)) {
    oom(c);
    return 0;
  }
  lulli_parkmap *p = &c->gcmaps[c->ngcmaps];
  memset(p, 0, sizeof *p);
  fill_map(c, p, c->sp);
  return c->ngcmaps++;
}

uint16_t lullc_top_home(const lullc *c) {
  if (c->sp == 0)
    return (uint16_t)c->local_slots;
  const lullc_entry *t = &c->stack[c->sp - 1];
  return (uint16_t)(t->home + lulld_slots_of(t->type));
}

lullc_entry *lullc_push(lullc *c, lull_valtype type) {
  if (LULLD_GROW(c->a, c->stack, &c->cap_stack, c->sp + 1)) {
    oom(c);
    c->sp = 0;
  }
  uint16_t home = lullc_top_home(c);
  lullc_entry *e = &c->stack[c->sp++];
  e->kind = E_SLOT;
  e->type = type;
  e->home = home;
  e->local = 0;
  e->c[0] = e->c[1] = 0;
  uint32_t top = (uint32_t)home + lulld_slots_of(type);
  if (top > c->max_slot)
    c->max_slot = top;
  return e;
}

void lullc_push_const(lullc *c, lull_valtype type, uint64_t lo,
                      uint64_t hi) {
  lullc_entry *e = lullc_push(c, type);
  e->kind = E_CONST;
  e->c[0] = lo;
  e->c[1] = hi;
}

void lullc_push_local(lullc *c, uint32_t local) {
  lullc_entry *e = lullc_push(c, c->local_type[local]);
  e->kind = E_LOCAL;
  e->local = c->local_slot[local];
}

void lullc_put(lullc *c, const lullc_entry *e, uint16_t dst) {
  int wide = e->type == LULL_V128;
  uint32_t at;
  switch (e->kind) {
  case E_SLOT:
    if (e->home == dst)
      return;
    at = lullc_emit(c, wide ? LULLI_OP_MOV2 : LULLI_OP_MOV);
    c->code[at + 1].u16[0] = dst;
    c->code[at + 1].u16[1] = e->home;
    break;
  case E_LOCAL:
    if (e->local == dst)
      return;
    at = lullc_emit(c, wide ? LULLI_OP_MOV2 : LULLI_OP_MOV);
    c->code[at + 1].u16[0] = dst;
    c->code[at + 1].u16[1] = e->local;
    break;
  default:
    if (wide) {
      at = lullc_emit(c, LULLI_OP_CONST128);
      c->code[at + 1].u16[0] = dst;
      c->code[at + 2].u64 = e->c[0];
      c->code[at + 3].u64 = e->c[1];
    } else if (e->c[0] <= UINT32_MAX) {
      at = lullc_emit(c, LULLI_OP_CONST32);
      c->code[at + 1].u16[0] = dst;
      c->code[at + 1].u32[1] = (uint32_t)e->c[0];
    } else {
      at = lullc_emit(c, LULLI_OP_CONST64);
      c->code[at + 1].u16[0] = dst;
      c->code[at + 2].u64 = e->c[0];
    }
    break;
  }
}

void lullc_materialize(lullc *c, uint32_t i) {
  lullc_entry *e = &c->stack[i];
  if (e->kind == E_SLOT)
    return;
  lullc_put(c, e, e->home);
  e->kind = E_SLOT;
}

void lullc_flush_locals(lullc *c) {
  for (uint32_t i = 0; i < c->sp; i++)
    if (c->stack[i].kind == E_LOCAL)
      lullc_materialize(c, i);
}

/* Whether the last instruction is one that a move may go before: an
 * arithmetic step with a constant into a slot, which traps nowhere and is
 * no label's target (an instruction came before it since the last label),
 * with no side table naming its cell. */
static int hoistable(const lullc *c, uint16_t dst, uint16_t src) {
  uint32_t l = c->last_at;
  if (l == UINT32_MAX || c->prev_at == UINT32_MAX ||
      l + LULLI_CELLS_I32_ADD_I != c->ncode)
    return 0;
  switch (c->last_op) {
  case LULLI_OP_I32_ADD_I: case LULLI_OP_I32_SUB_I: case LULLI_OP_I32_AND_I:
  case LULLI_OP_I32_OR_I: case LULLI_OP_I32_XOR_I: case LULLI_OP_I32_SHL_I:
  case LULLI_OP_I32_SHR_U_I: case LULLI_OP_I32_MUL_I:
    break;
  default:
    return 0;
  }
  const lulli_cell *L = &c->code[l];
  uint16_t d = L[1].u16[0], a = L[1].u16[1];
  return d != dst && d != src && a != dst &&
         (!c->ntraps || c->traps[c->ntraps - 1].cell < l) &&
         (!c->nparks || c->parks[c->nparks - 1].cell < l) &&
         (!c->ngcmaps || c->gcmaps[c->ngcmaps - 1].cell < l);
}

/* fp[dst] = fp[src] written before the last instruction, which then comes
 * after it again: a step with a constant (a base plus an offset) stays
 * next to the access it feeds and fuses into it, and the move meets the
 * instruction before it. Returns 0 when it cannot. */
static int mov_before_last(lullc *c, uint16_t dst, uint16_t src) {
  if (!hoistable(c, dst, src))
    return 0;
  unsigned op = c->last_op;
  lulli_cell step = c->code[c->last_at + 1];
  /* Take the step back out, the history with it. */
  c->ncode = c->last_at;
  c->last_at = c->prev_at;
  c->last_op = c->prev_op;
  c->prev_at = c->prev2_at;
  c->prev_op = c->prev2_op;
  if (c->nhist) {
    c->nhist--;
    c->prev2_at = c->hist_at[c->nhist];
    c->prev2_op = c->hist_op[c->nhist];
  } else {
    c->prev2_at = UINT32_MAX;
  }
  uint32_t at = lullc_emit(c, LULLI_OP_MOV);
  c->code[at + 1].u16[0] = dst;
  c->code[at + 1].u16[1] = src;
  at = lullc_emit(c, (lulli_op)op);
  c->code[at + 1] = step;
  return 1;
}

void lullc_flush_local(lullc *c, uint16_t slot) {
  for (uint32_t i = 0; i < c->sp; i++) {
    lullc_entry *e = &c->stack[i];
    if (e->kind != E_LOCAL || e->local != slot)
      continue;
    if (e->type != LULL_V128 && e->home != slot &&
        mov_before_last(c, e->home, slot))
      e->kind = E_SLOT;
    else
      lullc_materialize(c, i);
  }
}

uint16_t lullc_operand(lullc *c, uint32_t i) {
  lullc_entry *e = &c->stack[i];
  if (e->kind == E_LOCAL)
    return e->local;
  if (e->kind == E_CONST)
    lullc_materialize(c, i);
  return e->home;
}

/* Peeks at the next instruction: if it is local.set or local.tee, the
 * result goes straight into that local and the instruction is consumed.
 * Other LOCAL entries naming the local are materialized first, while the
 * local still holds its old value. If it returns the result, the
 * function's only one, the result goes straight to slot 0, where the
 * caller takes it (lullc_return then moves nothing): the frame's locals
 * are read no more. */
uint16_t lullc_result(lullc *c, lull_valtype type) {
  lulld_reader r = c->r;
  if (!lulld_reader_eof(&r)) {
    uint8_t op = r.base[r.pos];
    if (((op == LULLD_OP_END && c->nctrl == 1) || op == LULLD_OP_RETURN) &&
        c->type->nresults == 1 && type != LULL_V128) {
      lullc_entry *e = lullc_push(c, type);
      e->kind = E_LOCAL;
      e->local = 0;
      return 0;
    }
    if (op == LULLD_OP_LOCAL_SET || op == LULLD_OP_LOCAL_TEE) {
      lulld_instr in;
      if (lulld_read_instr(&r, c->m->features, &in) == 0 &&
          in.u.index < c->nlocals &&
          !(c->vconsts && c->vlocals[in.u.index].is)) {
        uint16_t slot = c->local_slot[in.u.index];
        lullc_flush_local(c, slot);
        c->r = r;
        c->region++;
        if (op == LULLD_OP_LOCAL_TEE)
          lullc_push_local(c, in.u.index);
        return slot;
      }
    }
  }
  return lullc_push(c, type)->home;
}

void lullc_patch_rel(lullc *c, uint32_t instr, uint32_t field, unsigned half,
                     uint32_t target) {
  if (c->failed)
    return;
  c->code[field].s32[half] = (int32_t)((int64_t)target - (int64_t)instr);
}

void lullc_add_fixup(lullc *c, lullc_ctrl *f, uint32_t instr, uint32_t field,
                     unsigned half) {
  if (LULLD_GROW(c->a, c->fix, &c->cap_fix, c->nfix + 1)) {
    oom(c);
    return;
  }
  lullc_fixup *x = &c->fix[c->nfix];
  x->instr = instr;
  x->field = field;
  x->half = (uint8_t)half;
  x->next = f->fixups;
  f->fixups = (int32_t)c->nfix++;
}

void lullc_resolve(lullc *c, lullc_ctrl *f, uint32_t target) {
  for (int32_t i = f->fixups; i >= 0; i = c->fix[i].next)
    lullc_patch_rel(c, c->fix[i].instr, c->fix[i].field, c->fix[i].half,
                    target);
  f->fixups = -1;
}
