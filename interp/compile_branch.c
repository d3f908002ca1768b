/*
 * compile_branch.c -- branches, block results and returns: moving the
 * values a branch carries into its label's slots, fusing comparisons into
 * conditional jumps, and br_table's jump table with landing pads.
 */
#include "compile_internal.h"

/* The values a branch to `f` carries: a loop's parameters, otherwise the
 * block's results. */
static uint32_t label_arity(const lullc_ctrl *f) {
  return f->kind == CF_LOOP ? f->nparams : f->nresults;
}

int lullc_branch_needs_moves(const lullc *c, const lullc_ctrl *f) {
  uint32_t n = label_arity(f);
  uint32_t first = c->sp - n;
  uint16_t dst = f->home;
  for (uint32_t i = 0; i < n; i++) {
    const lullc_entry *e = &c->stack[first + i];
    if (e->kind != E_SLOT || e->home != dst)
      return 1;
    dst = (uint16_t)(dst + lulld_slots_of(e->type));
  }
  return 0;
}

/* Ascending order is safe: every value sits at or above the slot it goes
 * to, so no move overwrites a value still to be moved. */
int lullc_branch_moves(lullc *c, const lullc_ctrl *f) {
  uint32_t n = label_arity(f);
  uint32_t first = c->sp - n;
  uint16_t dst = f->home;
  uint32_t before = c->ncode;
  for (uint32_t i = 0; i < n; i++) {
    const lullc_entry *e = &c->stack[first + i];
    lullc_put(c, e, dst);
    dst = (uint16_t)(dst + lulld_slots_of(e->type));
  }
  return c->ncode != before;
}

void lullc_target(lullc *c, lullc_ctrl *f, uint32_t instr, uint32_t field,
                  unsigned half) {
  if (f->kind == CF_LOOP) {
    /* A back edge: the loop starts with a safepoint, which the _BACK form
     * of the jump runs inline (see ops.h). A br_table entry has no op of
     * its own and goes through the SAFEPOINT instruction. */
    if (field == instr + 1) {
      int op = lulli_op_of(c->mod->hdr.engine, &c->code[instr]);
      if (op >= 0 && lulli_op_info((unsigned)op)->back != LULLI_OP_NONE)
        c->code[instr].h = c->handlers[lulli_op_info((unsigned)op)->back];
    }
    lullc_patch_rel(c, instr, field, half, f->loop_cell);
  } else {
    f->reached = 1;
    lullc_add_fixup(c, f, instr, field, half);
  }
}

void lullc_jump_to(lullc *c, lullc_ctrl *f) {
  if (f->kind == CF_FUNC) {
    lullc_return(c);
    return;
  }
  uint32_t at = lullc_emit(c, LULLI_OP_JMP);
  lullc_target(c, f, at, at + 1, 1);
}

/* Returns the function's results from the top of the stack. One value is
 * returned from wherever it is; several are gathered in their homes first
 * so that a permutation of locals cannot overwrite itself. A return may
 * sit on a conditional path (br_if, a br_table pad), so it writes values
 * out without changing what the compiler believes about the stack. */
void lullc_return(lullc *c) {
  uint32_t n = c->type->nresults;
  uint32_t first = c->sp - n;
  uint32_t at;
  if (n == 0) {
    lullc_emit(c, LULLI_OP_RET0);
    return;
  }
  if (n == 1) {
    const lullc_entry *e = &c->stack[first];
    uint16_t src = e->kind == E_LOCAL ? e->local : e->home;
    if (e->kind == E_CONST)
      lullc_put(c, e, e->home);
    if (src == 0 && e->type != LULL_V128) {
      /* Already where the caller takes it. */
      lullc_emit(c, LULLI_OP_RET0);
      return;
    }
    at = lullc_emit(c, e->type == LULL_V128 ? LULLI_OP_RET2 : LULLI_OP_RET1);
    c->code[at + 1].u16[0] = src;
    return;
  }
  for (uint32_t i = first; i < c->sp; i++)
    lullc_put(c, &c->stack[i], c->stack[i].home);
  at = lullc_emit(c, LULLI_OP_RETN);
  c->code[at + 1].u16[0] = c->stack[first].home;
  c->code[at + 1].u16[1] = (uint16_t)c->type->result_slots;
}

void lullc_br(lullc *c, uint32_t depth) {
  lullc_ctrl *f = lullc_label(c, depth);
  if (f->kind == CF_FUNC) {
    lullc_return(c);
  } else {
    lullc_branch_moves(c, f);
    lullc_jump_to(c, f);
  }
  lullc_set_dead(c);
}

/* ------------------------------------------------------------------ */
/* Conditions and conditional branches                                  */
/* ------------------------------------------------------------------ */

typedef struct cmpinfo {
  uint16_t wop;
  uint16_t br;       /* branch when true */
  uint16_t swap;     /* the Wasm comparison with operands swapped */
  uint16_t inv;      /* branch when false: the negated integer
                        comparison, or the BRN_ form for floats */
  uint8_t imm;       /* the branches have _I forms (integers) */
} cmpinfo;

#define ICMP(T, W, S, I)                                                      \
  {LULLD_OP_##T##_##W, LULLI_OP_BR_##T##_##W, LULLD_OP_##T##_##S,             \
   LULLI_OP_BR_##T##_##I, 1}
#define FCMP(T, W, S)                                                         \
  {LULLD_OP_##T##_##W, LULLI_OP_BR_##T##_##W, LULLD_OP_##T##_##S,             \
   LULLI_OP_BRN_##T##_##W, 0}

static const cmpinfo cmps[] = {
    ICMP(I32, EQ, EQ, NE),       ICMP(I32, NE, NE, EQ),
    ICMP(I32, LT_S, GT_S, GE_S), ICMP(I32, LT_U, GT_U, GE_U),
    ICMP(I32, GT_S, LT_S, LE_S), ICMP(I32, GT_U, LT_U, LE_U),
    ICMP(I32, LE_S, GE_S, GT_S), ICMP(I32, LE_U, GE_U, GT_U),
    ICMP(I32, GE_S, LE_S, LT_S), ICMP(I32, GE_U, LE_U, LT_U),
    ICMP(I64, EQ, EQ, NE),       ICMP(I64, NE, NE, EQ),
    ICMP(I64, LT_S, GT_S, GE_S), ICMP(I64, LT_U, GT_U, GE_U),
    ICMP(I64, GT_S, LT_S, LE_S), ICMP(I64, GT_U, LT_U, LE_U),
    ICMP(I64, LE_S, GE_S, GT_S), ICMP(I64, LE_U, GE_U, GT_U),
    ICMP(I64, GE_S, LE_S, LT_S), ICMP(I64, GE_U, LE_U, LT_U),
    FCMP(F32, EQ, EQ), FCMP(F32, NE, NE), FCMP(F32, LT, GT),
    FCMP(F32, GT, LT), FCMP(F32, LE, GE), FCMP(F32, GE, LE),
    FCMP(F64, EQ, EQ), FCMP(F64, NE, NE), FCMP(F64, LT, GT),
    FCMP(F64, GT, LT), FCMP(F64, LE, GE), FCMP(F64, GE, LE),
};

static const cmpinfo *find_cmp(uint16_t wop) {
  for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
    if (cmps[i].wop == wop)
      return &cmps[i];
  return NULL;
}

int lullc_is_fusable_compare(uint16_t wop) {
  return wop == LULLD_OP_I32_EQZ || wop == LULLD_OP_I64_EQZ ||
         find_cmp(wop) != NULL;
}

void lullc_pop_cond(lullc *c, uint16_t wop, lullc_cond *k) {
  memset(k, 0, sizeof *k);
  if (wop == 0 || wop == LULLD_OP_I32_EQZ || wop == LULLD_OP_I64_EQZ) {
    k->a = lullc_operand(c, c->sp - 1);
    c->sp--;
    if (wop == 0) {
      k->op = LULLI_OP_JNZ;
      k->inv = LULLI_OP_JZ;
    } else if (wop == LULLD_OP_I32_EQZ) {
      k->op = LULLI_OP_JZ;
      k->inv = LULLI_OP_JNZ;
    } else {
      k->op = LULLI_OP_JZ64;
      k->inv = LULLI_OP_JNZ64;
    }
    return;
  }
  const cmpinfo *ci = find_cmp(wop);
  const lullc_entry *ea = &c->stack[c->sp - 2], *eb = &c->stack[c->sp - 1];
  if (ci->imm && ea->kind == E_CONST && eb->kind != E_CONST) {
    /* A constant on the left: compare the other way round. */
    ci = find_cmp(ci->swap);
    k->op = ci->br;
    k->inv = ci->inv;
    k->has_imm = 1;
    k->imm = ea->c[0];
    k->a = lullc_operand(c, c->sp - 1);
    c->sp -= 2;
    return;
  }
  k->op = ci->br;
  k->inv = ci->inv;
  if (ci->imm && eb->kind == E_CONST) {
    k->has_imm = 1;
    k->imm = eb->c[0];
  } else {
    k->b = lullc_operand(c, c->sp - 1);
  }
  k->a = lullc_operand(c, c->sp - 2);
  c->sp -= 2;
}

uint32_t lullc_emit_cond(lullc *c, const lullc_cond *k, int negate) {
  lulli_op op = (lulli_op)(negate ? k->inv : k->op);
  uint32_t at;
  if (k->has_imm) {
    at = lullc_emit(c, (lulli_op)lulli_op_info(op)->imm);
    c->code[at + 2].u64 = k->imm;
  } else {
    at = lullc_emit(c, op);
    c->code[at + 1].u16[1] = k->b;
  }
  c->code[at + 1].u16[0] = k->a;
  return at;
}

void lullc_br_if(lullc *c, uint32_t depth, const lullc_cond *k) {
  lullc_ctrl *f = lullc_label(c, depth);
  if (f->kind != CF_FUNC && !lullc_branch_needs_moves(c, f)) {
    uint32_t at = lullc_emit_cond(c, k, 0);
    lullc_target(c, f, at, at + 1, 1);
    return;
  }
  /* Skip over the moves (or the return) when the condition is false. */
  c->skip = lullc_emit_cond(c, k, 1);
  if (f->kind == CF_FUNC) {
    lullc_return(c);
  } else {
    lullc_branch_moves(c, f);
    lullc_jump_to(c, f);
  }
  uint32_t to = lullc_here(c), skip = c->skip;
  c->skip = UINT32_MAX;
  lullc_patch_rel(c, skip, skip + 1, 1, to);
}

/* br_on_null and br_on_non_null. A reference's slot is 0 exactly when it
 * is null (every write fills 64 bits), so JZ64 and JNZ64 test it.
 * br_on_null branches with the values below the reference and keeps the
 * reference; br_on_non_null branches with the reference as the label's
 * last value and drops it when it goes on. Neither changes what the
 * compiler believes about the stack on the way that goes on. */
void lullc_br_on_null(lullc *c, const lulld_instr *in) {
  int on_null = in->op == LULLD_OP_BR_ON_NULL;
  lullc_cond k;
  memset(&k, 0, sizeof k);
  k.a = lullc_operand(c, c->sp - 1);
  k.op = on_null ? LULLI_OP_JZ64 : LULLI_OP_JNZ64;
  k.inv = on_null ? LULLI_OP_JNZ64 : LULLI_OP_JZ64;
  if (on_null) {
    c->sp--;
    lullc_br_if(c, in->u.index, &k);
    c->sp++;
    c->stack[c->sp - 1].type |= LULL_VT_NONNULL;
  } else {
    lullc_br_if(c, in->u.index, &k);
    c->sp--;
  }
}

/* br_on_cast and br_on_cast_fail: REF_TEST into the slot above the
 * reference, then a branch on it (taken when it holds, or when it fails)
 * with the reference, unchanged, as the label's last value. The way that
 * goes on keeps the reference with what is known of it there. */
void lullc_br_on_cast(lullc *c, const lulld_instr *in) {
  int fail = in->op == LULLD_OP_BR_ON_CAST_FAIL;
  lull_valtype from = lulld_vt_resolve(c->m, in->u.cast_br.from);
  lull_valtype to = lulld_vt_resolve(c->m, in->u.cast_br.to);
  uint16_t a = lullc_operand(c, c->sp - 1);
  /* The test's result is a temporary: never a local.set that follows. */
  uint16_t d = lullc_push(c, LULL_I32)->home;
  uint32_t at = lullc_emit(c, LULLI_OP_REF_TEST);
  c->code[at + 1].u16[0] = d;
  c->code[at + 1].u16[1] = a;
  c->code[at + 1].u32[1] = LULLI_MODULE_VT(c->mod, to);
  lullc_cond k;
  lullc_pop_cond(c, 0, &k);
  if (fail) {
    uint16_t op = k.op;
    k.op = k.inv;
    k.inv = op;
  }
  lullc_br_if(c, in->u.cast_br.label, &k);
  lull_valtype rest = LULL_VT_IS_NULLABLE(to) ? from | LULL_VT_NONNULL : from;
  c->stack[c->sp - 1].type = fail ? to : rest;
}

/* ------------------------------------------------------------------ */
/* br_table                                                             */
/* ------------------------------------------------------------------ */

/* Where a br_table finds its index: slot a, or what the instruction just
 * before it did to a (a load from (u32)(a + k) + off, a copy to d, the
 * addition of k), which it then does itself. */
typedef struct brindex {
  uint16_t a, d;
  uint32_t k, off;
  lulli_cell fetch[2]; /* BR_TABLE_FETCH: the fetch's cells 1 and 2 */
  lulli_cell load[3];  /* L8_BR_TABLE_MOV: LOAD8_U_L8's cells 1 to 3 */
} brindex;

/* A byte's table has an entry for each of its values: its handler needs
 * no clamp. */
static uint32_t table_entries(lulli_op op, uint32_t n) {
  int byte = op == LULLI_OP_BR_TABLE_L8 || op == LULLI_OP_BR_TABLE_FETCH;
  return byte && n < 255 ? 255 : n;
}

/* The byte's address just computed by a bytecode loop's fetch right before
 * its load (l): the fetch goes into the br_table too, which then starts
 * where the fetch did. The fetch's step must not write the address. */
static int takes_fetch(lullc *c, uint32_t l, uint32_t n, brindex *x) {
  uint32_t p = c->prev_at;
  if (p == UINT32_MAX || c->prev_op != LULLI_OP_I32_SHL_I_ADD_I ||
      p + LULLI_CELLS_I32_SHL_I_ADD_I != l || n > 255)
    return 0;
  const lulli_cell *P = &c->code[p];
  /* The handler reads the counter once: it must be stepped in place. */
  if (P[1].u16[0] != x->a || P[1].u16[2] == P[1].u16[0] ||
      P[1].u16[1] != P[1].u16[2] || P[1].u16[3] != P[1].u16[2])
    return 0;
  x->fetch[0] = P[1];
  x->fetch[1] = P[2];
  /* The load's trap site (the fetch has none) moves to the fetch's cell. */
  for (uint32_t i = c->ntraps; i > 0 && c->traps[i - 1].cell >= p; i--)
    c->traps[i - 1].cell = p;
  c->ncode = p;
  return 1;
}

/* A byte's class read from a table (LOAD8_U_L8 at `at`) just before the
 * switch of BR_TABLE or BR_TABLE_MOV `op` on a state: the loads go into
 * the switch, which then starts where they did (their trap sites stay at
 * its first two cells). */
static lulli_op takes_class(lullc *c, lulli_op op, uint32_t at, uint32_t end,
                            brindex *x) {
  if (at == UINT32_MAX || at + LULLI_CELLS_LOAD8_U_L8 != end ||
      (op == LULLI_OP_BR_TABLE ? c->last_op : c->prev_op) !=
          LULLI_OP_LOAD8_U_L8)
    return op;
  for (unsigned k = 0; k < 3; k++)
    x->load[k] = c->code[at + 1 + k];
  if (op == LULLI_OP_BR_TABLE)
    x->d = x->a;
  c->ncode = at;
  c->last_at = c->prev_at = c->prev2_at = UINT32_MAX;
  return LULLI_OP_L8_BR_TABLE_MOV;
}

/* The index `idx` was just made by the instruction before (the dense
 * switch of a bytecode loop loads it; a switch whose cases start above
 * zero subtracts; a switch on a local copies it to another): that
 * instruction goes into the br_table, and the form that does its work is
 * returned. A load's trap site stays at the same cell, the br_table's
 * now. A load or an addition must have written a temporary, which
 * nothing else reads; the br_table makes the copy itself. */
static lulli_op index_source(lullc *c, uint16_t idx, uint32_t n,
                             brindex *x) {
  memset(x, 0, sizeof *x);
  x->a = idx;
  lullc_fuse(c, LULLI_OP_BR_TABLE); /* settles the last instruction */
  uint32_t l = c->last_at;
  if (l == UINT32_MAX)
    return LULLI_OP_BR_TABLE;
  const lulli_cell *L = &c->code[l];
  unsigned lop = c->last_op;
  if (l + lulli_op_info(lop)->cells != c->ncode)
    return LULLI_OP_BR_TABLE;
  if (L[1].u16[0] != idx)
    return takes_class(c, LULLI_OP_BR_TABLE, l, c->ncode, x);
  lulli_op op;
  switch (lop) {
  case LULLI_OP_MOV:
    op = LULLI_OP_BR_TABLE_MOV;
    x->d = idx;
    break;
  case LULLI_OP_LOAD8_U:
  case LULLI_OP_LOAD32:
    op = lop == LULLI_OP_LOAD8_U ? LULLI_OP_BR_TABLE_L8 : LULLI_OP_BR_TABLE_L32;
    x->off = L[1].u32[1];
    break;
  case LULLI_OP_LOAD8_U_AK:
  case LULLI_OP_LOAD32_AK:
    op = lop == LULLI_OP_LOAD8_U_AK ? LULLI_OP_BR_TABLE_L8
                                    : LULLI_OP_BR_TABLE_L32;
    x->k = L[1].u32[1];
    x->off = L[2].u32[0];
    break;
  case LULLI_OP_I32_ADD_I:
  case LULLI_OP_I32_SUB_I:
    op = LULLI_OP_BR_TABLE_K;
    x->k = lop == LULLI_OP_I32_SUB_I ? 0u - L[1].u32[1] : L[1].u32[1];
    break;
  default:
    return LULLI_OP_BR_TABLE;
  }
  if (idx < c->local_slots && op != LULLI_OP_BR_TABLE_MOV)
    return LULLI_OP_BR_TABLE;
  x->a = L[1].u16[1];
  c->ncode = l;
  /* A constant written to a local just before the subtraction (a state
   * machine's next state, set before the switch on a class): it goes in
   * too, written first as it was. */
  uint32_t p = c->prev_at;
  if (op == LULLI_OP_BR_TABLE_K && p != UINT32_MAX &&
      c->prev_op == LULLI_OP_CONST32 && p + LULLI_CELLS_CONST32 == l) {
    op = LULLI_OP_BR_TABLE_K_CONST;
    x->d = c->code[p + 1].u16[0];
    x->off = c->code[p + 1].u32[1];
    c->ncode = p;
  }
  if (op == LULLI_OP_BR_TABLE_L8 && takes_fetch(c, l, n, x))
    op = LULLI_OP_BR_TABLE_FETCH;
  if (op == LULLI_OP_BR_TABLE_MOV)
    op = takes_class(c, op, c->prev_at, l, x);
  c->last_at = c->prev_at = c->prev2_at = UINT32_MAX;
  return op;
}

void lullc_br_table(lullc *c, const lulld_instr *in) {
  uint32_t n = in->u.br_table.count;
  lulld_reader tr;
  lulld_reader_init(&tr, c->r.base, in->u.br_table.pos, c->r.end);
  lullc_entry *ie = &c->stack[c->sp - 1];
  if (ie->kind == E_CONST) {
    /* A constant index picks its target now. */
    uint32_t k = (uint32_t)ie->c[0], depth = 0;
    for (uint32_t i = 0; i <= n; i++) {
      uint32_t d = lulld_read_u32(&tr);
      if (i == k || i == n) {
        depth = d;
        break;
      }
    }
    c->sp--;
    lullc_br(c, depth);
    return;
  }
  uint16_t idx = lullc_operand(c, c->sp - 1);
  c->sp--;
  brindex x;
  lulli_op op = index_source(c, idx, n, &x);
  uint32_t entries = table_entries(op, n);
  uint32_t fixed = lulli_op_info(op)->cells;
  uint32_t at = lullc_emit_n(c, op, fixed + (entries + 2) / 2);
  if (c->failed)
    return;
  if (op == LULLI_OP_BR_TABLE_FETCH) {
    c->fetches = 1;
    c->code[at + 1] = x.fetch[0];
    c->code[at + 1].u32[1] = x.k; /* over d2 and a2, which are a1 */
    c->code[at + 2] = x.fetch[1];
    c->code[at + 3].u64 = x.off;
  } else {
    c->code[at + 1].u16[0] = x.a;
    c->code[at + 1].u16[1] = x.d;
    c->code[at + 1].u32[1] = entries;
  }
  if (op == LULLI_OP_L8_BR_TABLE_MOV) {
    c->switches = 1;
    c->code[at + 2] = x.load[1];
    c->code[at + 3] = x.load[2];
    c->code[at + 4] = x.load[0];
  } else if (op != LULLI_OP_BR_TABLE_FETCH && fixed > LULLI_CELLS_BR_TABLE) {
    c->code[at + 2].u32[0] = x.k;
    c->code[at + 2].u32[1] = x.off;
  }
  /* Targets whose values are in place jump straight to their label;
   * the others go through a landing pad, one per distinct label, that
   * moves the values and jumps. */
  uint32_t npads = 0;
  uint32_t pad_depth[8];
  uint32_t pad_cell[8];
  uint32_t depth = 0;
  for (uint32_t i = 0; i <= entries; i++) {
    /* Entries past the default (a byte's table) repeat it. */
    if (i <= n)
      depth = lulld_read_u32(&tr);
    lullc_ctrl *f = lullc_label(c, depth);
    uint32_t field = at + fixed + i / 2, half = i % 2;
    if (f->kind != CF_FUNC && !lullc_branch_needs_moves(c, f)) {
      lullc_target(c, f, at, field, half);
      continue;
    }
    /* Find or make the pad for this label. A handful of distinct labels
     * with moves is the common case; beyond that each gets its own. */
    uint32_t p;
    for (p = 0; p < npads && p < 8; p++)
      if (pad_depth[p] == depth)
        break;
    uint32_t pad;
    if (p < npads && p < 8) {
      pad = pad_cell[p];
    } else {
      pad = lullc_here(c);
      if (f->kind == CF_FUNC) {
        lullc_return(c);
      } else {
        lullc_branch_moves(c, f);
        lullc_jump_to(c, f);
      }
      if (npads < 8) {
        pad_depth[npads] = depth;
        pad_cell[npads] = pad;
      }
      npads++;
    }
    lullc_patch_rel(c, at, field, half, pad);
  }
  lullc_set_dead(c);
}
