/*
 * compile.c -- the compiler's driver: per-function set-up, the walk over
 * a validated body, structured control (block, loop, if, else, end),
 * calls, and the resulting lulli_code. Operands and the virtual stack are
 * in compile_emit.c, branches in compile_branch.c, everything that
 * computes in compile_ops.c.
 *
 * The body was validated, so the compiler checks nothing the validator
 * checked; it only tracks where values are.
 */
#include "compile_internal.h"

lullc_ctrl *lullc_label(lullc *c, uint32_t depth) {
  return &c->ctrl[c->nctrl - 1 - depth];
}

/* The rest of the current block is unreachable: compile nothing until
 * its else or end. */
void lullc_set_dead(lullc *c) {
  lullc_ctrl *f = &c->ctrl[c->nctrl - 1];
  f->dead = 1;
  c->sp = f->height;
}

void lullc_blocktype(lullc *c, int64_t bt, lullc_ctrl *f) {
  f->nparams = f->nresults = 0;
  f->params = f->results = NULL;
  if (bt == LULLD_BLOCK_EMPTY)
    return;
  if (bt < 0) {
    f->one = LULLD_BLOCK_VT(bt);
    f->nresults = 1;
    return;
  }
  const lulld_functype *t = &c->m->types[bt];
  f->nparams = t->nparams;
  f->nresults = t->nresults;
  f->params = t->types;
  f->results = LULLD_PAST(t->types, t->nparams);
}

/* Pushes a control frame for a block whose type is `bt`, with its
 * parameters (the top entries) put in their homes and every LOCAL entry
 * made SLOT, so all paths to its labels agree on where values are. */
lullc_ctrl *lullc_open_block(lullc *c, uint8_t kind, int64_t bt) {
  if (LULLD_GROW(c->a, c->ctrl, &c->cap_ctrl, c->nctrl + 1)) {
    lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u",
               c->func);
    return NULL;
  }
  lullc_ctrl *f = &c->ctrl[c->nctrl++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->fixups = -1;
  f->else_fixup = -1;
  f->hchain = -1;
  lullc_blocktype(c, bt, f);
  lullc_flush_locals(c);
  f->height = c->sp - f->nparams;
  for (uint32_t i = f->height; i < c->sp; i++)
    lullc_materialize(c, i);
  f->home = f->height < c->sp ? c->stack[f->height].home : lullc_top_home(c);
  return f;
}

/* Charges the region that just ended to the safepoint before it: the last
 * SAFEPOINT, or while there is none the function's entry. */
static void charge_region(lullc *c) {
  uint32_t cost = c->region ? c->region : 1;
  if (c->safepoint != UINT32_MAX)
    c->code[c->safepoint + 1].u64 = cost;
  else
    c->entry_cost = cost;
}

/* Charges the region that just ended and starts a new one here. */
static void safepoint(lullc *c, uint32_t upto) {
  charge_region(c);
  uint32_t at = lullc_emit(c, LULLI_OP_SAFEPOINT);
  c->safepoint = at;
  c->region = 0;
  lullc_parkmap(c, at + 2, upto, 0);
}

/* Pops the block's frame and leaves its results on the stack, in their
 * homes. */
static void close_block(lullc *c) {
  lullc_ctrl *f = &c->ctrl[c->nctrl - 1];
  if (f->is_try)
    lullc_try_end(c, f);
  if (!f->dead) {
    /* Fall through: the results go to the block's result slots. */
    uint16_t dst = f->home;
    for (uint32_t i = c->sp - f->nresults; i < c->sp; i++) {
      lullc_put(c, &c->stack[i], dst);
      dst = (uint16_t)(dst + lulld_slots_of(c->stack[i].type));
    }
    f->reached = 1;
  }
  if (f->else_fixup >= 0) {
    /* An if without else: when false, the parameters (in their homes)
     * are the results. */
    /* lullc_here first: settling the last instruction may move the jump
     * (compile_fuse.c). */
    uint32_t to = lullc_here(c);
    lullc_patch_rel(c, (uint32_t)f->else_fixup, (uint32_t)f->else_fixup + 1,
                    1, to);
    f->reached = 1;
  }
  if (f->kind != CF_LOOP) {
    uint32_t here = lullc_here(c);
    lullc_resolve(c, f, here);
    lullc_place_handlers(c, f, here);
  }
  lullc_ctrl done = *f;
  c->nctrl--;
  c->sp = done.height;
  for (uint32_t i = 0; i < done.nresults; i++)
    lullc_push(c, lullc_result_type(&done, i));
  if (!done.reached)
    lullc_set_dead(c);
}

void lullc_if(lullc *c, const lulld_instr *in, const lullc_cond *k) {
  lullc_ctrl *f = lullc_open_block(c, CF_IF, in->u.block);
  if (!f)
    return;
  f->else_fixup = (int32_t)lullc_emit_cond(c, k, 1);
}

static void do_else(lullc *c) {
  lullc_ctrl *f = &c->ctrl[c->nctrl - 1];
  if (!f->dead) {
    uint16_t dst = f->home;
    for (uint32_t i = c->sp - f->nresults; i < c->sp; i++) {
      lullc_put(c, &c->stack[i], dst);
      dst = (uint16_t)(dst + lulld_slots_of(c->stack[i].type));
    }
    uint32_t at = lullc_emit(c, LULLI_OP_JMP);
    lullc_add_fixup(c, f, at, at + 1, 1);
    f->reached = 1;
  }
  uint32_t to = lullc_here(c); /* first: it may move the jump */
  lullc_patch_rel(c, (uint32_t)f->else_fixup, (uint32_t)f->else_fixup + 1, 1,
                  to);
  f->else_fixup = -1;
  f->kind = CF_ELSE;
  f->dead = 0;
  c->sp = f->height;
  for (uint32_t i = 0; i < f->nparams; i++)
    lullc_push(c, f->params[i]);
}

/* Takes back the MOV or MOV_MOV just emitted, if that was the last
 * instruction, and gives its moves as CALL_MOV2's cell 2: 1, or 2 for
 * one MOV. */
static int moves_before(lullc *c, lulli_cell *moves) {
  lullc_fuse(c, LULLI_OP_CALL); /* settles the last instruction */
  uint32_t l = c->last_at;
  if (l == UINT32_MAX || l + 2 != c->ncode ||
      (c->last_op != LULLI_OP_MOV && c->last_op != LULLI_OP_MOV_MOV))
    return 0;
  const lulli_cell *L = &c->code[l];
  moves->u16[0] = moves->u16[2] = L[1].u16[0];
  moves->u16[1] = moves->u16[3] = L[1].u16[1];
  if (c->last_op == LULLI_OP_MOV_MOV) {
    moves->u16[2] = L[1].u16[2];
    moves->u16[3] = L[1].u16[3];
  }
  int one = c->last_op == LULLI_OP_MOV;
  c->ncode = l;
  c->last_at = c->prev_at = c->prev2_at = UINT32_MAX;
  return one ? 2 : 1;
}

/* call, call_indirect and call_ref, and their tail forms: the arguments
 * go to their homes, where the callee's frame (or, for a tail call, this
 * frame's base after the move) begins. A tail call never comes back, so
 * it has no park point and the rest of the block is dead. */
static void do_call(lullc *c, const lulld_instr *in) {
  int indirect = in->op == LULLD_OP_CALL_INDIRECT ||
                 in->op == LULLD_OP_RETURN_CALL_INDIRECT;
  int by_ref = in->op == LULLD_OP_CALL_REF ||
               in->op == LULLD_OP_RETURN_CALL_REF;
  int tail = in->op == LULLD_OP_RETURN_CALL ||
             in->op == LULLD_OP_RETURN_CALL_INDIRECT ||
             in->op == LULLD_OP_RETURN_CALL_REF;
  uint16_t idx = 0;
  const lulld_functype *ft;
  if (indirect || by_ref) {
    ft = &c->m->types[indirect ? in->u.call_indirect.type : in->u.index];
    idx = lullc_operand(c, c->sp - 1);
    c->sp--;
  } else {
    ft = lulld_func_type(c->m, in->u.index);
  }
  uint32_t first = c->sp - ft->nparams;
  for (uint32_t i = first; i < c->sp; i++)
    lullc_materialize(c, i);
  uint16_t base = first < c->sp ? c->stack[first].home : lullc_top_home(c);
  uint32_t at;
  lulli_cell moves;
  if (indirect && !tail && in->u.call_indirect.table == 0) {
    /* Table 0 needs no cell of its own; the moves go into the call. */
    int mv = moves_before(c, &moves);
    at = lullc_emit(c, mv ? LULLI_OP_CALL_INDIRECT0_MOV2
                          : LULLI_OP_CALL_INDIRECT0);
    c->code[at + 1].u16[1] = idx;
    c->code[at + 1].u32[1] = c->mod->type_ids[in->u.call_indirect.type];
    if (mv)
      c->code[at + 2] = moves;
  } else if (indirect) {
    at = lullc_emit(c, tail ? LULLI_OP_RETURN_CALL_INDIRECT
                            : LULLI_OP_CALL_INDIRECT);
    c->code[at + 1].u16[1] = idx;
    c->code[at + 1].u32[1] = c->mod->type_ids[in->u.call_indirect.type];
    c->code[at + 2].u32[0] = in->u.call_indirect.table;
  } else if (by_ref) {
    at = lullc_emit(c, tail ? LULLI_OP_RETURN_CALL_REF : LULLI_OP_CALL_REF);
    c->code[at + 1].u16[1] = idx;
    c->code[at + 1].u32[1] = c->mod->type_ids[in->u.index];
  } else if (!tail && in->u.index >= c->m->nfunc_imports) {
    /* A function of this module; the moves that put its arguments in
     * place go into the call. */
    int mv = moves_before(c, &moves);
    /* One move to the first argument fits in cell 1. */
    int one = mv == 2 && moves.u16[0] == base;
    at = lullc_emit(c, one  ? LULLI_OP_CALL_MOV1
                       : mv ? LULLI_OP_CALL_MOV2
                            : LULLI_OP_CALL_DEF);
    c->code[at + 1].u32[1] = in->u.index;
    if (one)
      c->code[at + 1].u16[1] = moves.u16[1];
    else if (mv)
      c->code[at + 2] = moves;
  } else {
    at = lullc_emit(c, tail ? LULLI_OP_RETURN_CALL : LULLI_OP_CALL);
    c->code[at + 1].u32[1] = in->u.index;
  }
  c->code[at + 1].u16[0] = base;
  lullc_trapsite(c, at);
  if (tail) {
    lullc_set_dead(c);
    return;
  }
  lullc_parkmap(c, c->ncode, first, c->ncode - at);
  c->sp = first;
  for (uint32_t i = 0; i < ft->nresults; i++)
    lullc_push(c, ft->types[ft->nparams + i]);
}

/* Skips an instruction in dead code, tracking nesting in `depth`.
 * Returns 1 when the instruction ends or splits the dead block (an `end`
 * or `else` at depth 0), which must then be compiled. */
static int skip_dead(const lulld_instr *in, uint32_t *depth) {
  switch (in->op) {
  case LULLD_OP_BLOCK:
  case LULLD_OP_LOOP:
  case LULLD_OP_IF:
  case LULLD_OP_TRY_TABLE:
    (*depth)++;
    return 0;
  case LULLD_OP_ELSE:
    return *depth == 0;
  case LULLD_OP_END:
    if (*depth == 0)
      return 1;
    (*depth)--;
    return 0;
  default:
    return 0;
  }
}

/* Compiles one instruction (the body is live here). Returns 1 when the
 * function's final `end` was compiled. */
static int compile_instr(lullc *c, lulld_instr *in) {
  switch (in->op) {
  case LULLD_OP_UNREACHABLE: {
    uint32_t at = lullc_emit(c, LULLI_OP_UNREACHABLE);
    lullc_trapsite(c, at);
    lullc_set_dead(c);
    return 0;
  }
  case LULLD_OP_NOP:
    return 0;
  case LULLD_OP_BLOCK:
    lullc_open_block(c, CF_BLOCK, in->u.block);
    return 0;
  case LULLD_OP_LOOP: {
    lullc_ctrl *f = lullc_open_block(c, CF_LOOP, in->u.block);
    if (!f)
      return 0;
    f->loop_cell = lullc_here(c);
    safepoint(c, c->sp);
    return 0;
  }
  case LULLD_OP_IF: {
    lullc_cond k;
    lullc_pop_cond(c, 0, &k);
    lullc_if(c, in, &k);
    return 0;
  }
  case LULLD_OP_ELSE:
    do_else(c);
    return 0;
  case LULLD_OP_END:
    if (c->nctrl == 1) {
      if (!c->ctrl[0].dead)
        lullc_return(c);
      return 1;
    }
    close_block(c);
    return 0;
  case LULLD_OP_BR:
    lullc_br(c, in->u.index);
    return 0;
  case LULLD_OP_BR_IF: {
    lullc_cond k;
    lullc_pop_cond(c, 0, &k);
    lullc_br_if(c, in->u.index, &k);
    return 0;
  }
  case LULLD_OP_BR_TABLE:
    lullc_br_table(c, in);
    return 0;
  case LULLD_OP_BR_ON_NULL:
  case LULLD_OP_BR_ON_NON_NULL:
    lullc_br_on_null(c, in);
    return 0;
  case LULLD_OP_BR_ON_CAST:
  case LULLD_OP_BR_ON_CAST_FAIL:
    lullc_br_on_cast(c, in);
    return 0;
  case LULLD_OP_RETURN:
    lullc_return(c);
    lullc_set_dead(c);
    return 0;
  case LULLD_OP_CALL:
  case LULLD_OP_CALL_INDIRECT:
  case LULLD_OP_CALL_REF:
  case LULLD_OP_RETURN_CALL:
  case LULLD_OP_RETURN_CALL_INDIRECT:
  case LULLD_OP_RETURN_CALL_REF:
    do_call(c, in);
    return 0;
  case LULLD_OP_DROP:
    c->sp--;
    return 0;
  case LULLD_OP_TRY_TABLE:
    lullc_try_table(c, in);
    return 0;
  case LULLD_OP_THROW:
    lullc_throw(c, in);
    return 0;
  case LULLD_OP_THROW_REF:
    lullc_throw_ref(c);
    return 0;
  default:
    if (lullc_op(c, in) != 0)
      lullc_fail(c, LULL_LIMIT, "%s is not supported (function %u)",
                 lulld_op_name(in->op), c->func);
    return 0;
  }
}

/* Lays out the frame: parameters, then declared locals, each local at a
 * fixed slot (v128 takes two). */
static int layout_locals(lullc *c) {
  const lulld_functype *ft = c->type;
  const lulld_code *body = c->body;
  uint64_t n = (uint64_t)ft->nparams + body->nlocals;
  if (LULLD_GROW(c->a, c->local_slot, &c->cap_locals, n)) {
    lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
    return -1;
  }
  /* local_type shares the capacity of local_slot. */
  size_t cap_t = c->cap_locals;
  lull_valtype *lt = lulld_realloc(c->a, c->local_type,
                                   (c->local_type ? cap_t : 0) * sizeof *lt,
                                   cap_t * sizeof *lt);
  if (!lt && cap_t) {
    lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
    return -1;
  }
  c->local_type = lt;
  uint32_t slot = 0, k = 0;
  for (uint32_t i = 0; i < ft->nparams; i++, k++) {
    c->local_type[k] = ft->types[i];
    c->local_slot[k] = (uint16_t)slot;
    slot += lulld_slots_of(ft->types[i]);
  }
  for (uint32_t g = 0; g < body->ngroups; g++)
    for (uint32_t j = 0; j < body->groups[g].count; j++, k++) {
      c->local_type[k] = body->groups[g].type;
      c->local_slot[k] = (uint16_t)slot;
      slot += lulld_slots_of(body->groups[g].type);
      if (slot > LULLI_MAX_FRAME_SLOTS)
        goto too_big;
    }
  c->nlocals = (uint32_t)n;
  c->local_slots = slot;
  if ((uint64_t)slot + body->max_height + 4 > LULLI_MAX_FRAME_SLOTS)
    goto too_big;
  return 0;
too_big:
  lullc_fail(c, LULL_LIMIT,
             "function %u needs more than %u frame slots (locals and "
             "operand stack)",
             c->func, LULLI_MAX_FRAME_SLOTS);
  return -1;
}

/* Moves a finished side table out of the compiler into the code. */
#define TAKE(dst, src, n, cap)                                                \
  do {                                                                        \
    (dst) = NULL;                                                             \
    if (n) {                                                                  \
      (dst) = lulld_malloc(c->a, (n) * sizeof *(src));                        \
      if (!(dst))                                                             \
        goto oom;                                                             \
      memcpy((dst), (src), (n) * sizeof *(src));                              \
    }                                                                         \
  } while (0)

/* The _F form of back jump `op` (ops.h), or 0. */
static unsigned fetch_form(unsigned op) {
  switch (op) {
  case LULLI_OP_JMP_BACK: return LULLI_OP_JMP_BACK_F;
  case LULLI_OP_MOV_JMP_BACK: return LULLI_OP_MOV_JMP_BACK_F;
  case LULLI_OP_LOOP_JMP: return LULLI_OP_LOOP_JMP_F;
  case LULLI_OP_STORE32_MOV_JMP_BACK: return LULLI_OP_STORE32_MOV_JMP_BACK_F;
  default: return 0;
  }
}

/* The _SW form of closing branch `op` (ops.h), or 0. */
static unsigned switch_form(unsigned op) {
  switch (op) {
  case LULLI_OP_LOOP_I32_LT_U: return LULLI_OP_LOOP_I32_LT_U_SW;
  case LULLI_OP_LOOP_I32_NE: return LULLI_OP_LOOP_I32_NE_SW;
  case LULLI_OP_LOOP_RSUB_I32_LT_U: return LULLI_OP_LOOP_RSUB_I32_LT_U_SW;
  default: return 0;
  }
}

/* The form of the op at pc that runs the _F jump after it too (ops.h: a
 * case's body and its jump back to the fetch in one handler), or 0. A
 * stack machine's binary case, two loads, the operation and the jump,
 * takes its whole form when the operation reads what the loads wrote
 * last and the jump's store stores its result. */
static unsigned tail_form(const lullc *c, const lulli_cell *pc, unsigned op,
                          uint32_t left) {
  const lull_engine *e = c->mod->hdr.engine;
  uint32_t len = lulli_op_length(op, pc);
  if (len >= left)
    return 0;
  const lulli_cell *n1 = pc + len;
  unsigned next = (unsigned)lulli_op_of(e, n1);
  switch (op) {
  case LULLI_OP_LOAD32_AK_ST_W:
    return next == LULLI_OP_LOOP_JMP_F ? LULLI_OP_LOAD32_AK_ST_W_LOOP_F : 0;
  case LULLI_OP_LOAD32_AK_ASH_ST_W:
    return next == LULLI_OP_LOOP_JMP_F ? LULLI_OP_LOAD32_AK_ASH_ST_W_LOOP_F
                                       : 0;
  case LULLI_OP_LOAD32_AK_SH_ASHB_ST:
    return next == LULLI_OP_JMP_BACK_F ? LULLI_OP_LOAD32_AK_SH_ASHB_ST_JMP_F
                                       : 0;
  case LULLI_OP_LOAD32_ASHW2_ASHB: {
    uint32_t len1 = lulli_op_length(next, n1);
    if (len + len1 >= left ||
        lulli_op_of(e, n1 + len1) != LULLI_OP_STORE32_MOV_JMP_BACK_F)
      return 0;
    uint16_t d1 = pc[1].u16[0], d2 = pc[4].u16[0], i = pc[4].u16[2];
    if (n1[1].u16[1] != d1 || n1[1].u16[2] != d2 || d1 == d2 || d1 == i ||
        n1[len1 + 1].u16[1] != n1[1].u16[0])
      return 0;
    switch (next) {
    case LULLI_OP_I32_ADD: return LULLI_OP_STACK_I32_ADD_F;
    case LULLI_OP_I32_SUB: return LULLI_OP_STACK_I32_SUB_F;
    case LULLI_OP_I32_MUL: return LULLI_OP_STACK_I32_MUL_F;
    case LULLI_OP_I32_AND: return LULLI_OP_STACK_I32_AND_F;
    case LULLI_OP_I32_OR: return LULLI_OP_STACK_I32_OR_F;
    case LULLI_OP_I32_XOR: return LULLI_OP_STACK_I32_XOR_F;
    case LULLI_OP_I32_SHL: return LULLI_OP_STACK_I32_SHL_F;
    case LULLI_OP_I32_SHR_U: return LULLI_OP_STACK_I32_SHR_U_F;
    case LULLI_OP_I32_ROTL: return LULLI_OP_STACK_I32_ROTL_F;
    default: return 0;
    }
  }
  default: return 0;
  }
}

/* The form of a CONST_JMP to closing branch `op` (ops.h), or 0. */
static unsigned const_switch_form(unsigned op) {
  switch (op) {
  case LULLI_OP_LOOP_I32_LT_U_SW: return LULLI_OP_CONST_JMP_LT_U_SW;
  case LULLI_OP_LOOP_I32_NE_SW: return LULLI_OP_CONST_JMP_NE_SW;
  case LULLI_OP_LOOP_RSUB_I32_LT_U_SW: return LULLI_OP_CONST_JMP_RSUB_LT_U_SW;
  default: return 0;
  }
}

/* Runs of ops that one handler runs whole (exec_chain.inc), by the op
 * that takes it: each op still reads its own cells. */
static const struct {
  uint16_t op, n, run[4];
} runs[] = {
    {LULLI_OP_SUM3_STORE8_RR,
     4,
     {LULLI_OP_I32_ADD, LULLI_OP_LOAD8_U_RR2, LULLI_OP_I32_ADD_SHL_M8_RR,
      LULLI_OP_STORE8_ADD_SHR_ADD_I}},
    {LULLI_OP_SUM3_STORE8_LOOP,
     4,
     {LULLI_OP_LOAD8_U_AK2, LULLI_OP_I32_ADD_SHL_M8, LULLI_OP_STORE8_ADD_SHR,
      LULLI_OP_LOOP_I32_NE_I}},
};

/* The op whose handler runs the ops from pc on (`left` cells, the first
 * of them `op`) whole, or 0. Only a run that starts with op costs the
 * lookups of the ops after it. */
static unsigned run_form(const lullc *c, const lulli_cell *pc, unsigned op,
                         uint32_t left) {
  const lull_engine *e = c->mod->hdr.engine;
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    if (runs[r].run[0] != op)
      continue;
    uint32_t at = lulli_op_length(op, pc), i = 1;
    for (; i < runs[r].n && at < left; i++) {
      unsigned next = (unsigned)lulli_op_of(e, pc + at);
      if (next != runs[r].run[i])
        break;
      at += lulli_op_length(next, pc + at);
    }
    if (i == runs[r].n)
      return runs[r].op;
  }
  return 0;
}

/* Ops that run what follows them in their own handler: the runs above,
 * then, where a loop's fetch was threaded, the forms of tail_form. The
 * ops after keep their cells and handlers, so a branch to one of them
 * still runs it alone. */
static void fuse_runs(lullc *c, int fetches) {
  const lull_engine *e = c->mod->hdr.engine;
  for (uint32_t at = 0; at < c->ncode;) {
    lulli_cell *pc = &c->code[at];
    unsigned op = (unsigned)lulli_op_of(e, pc);
    unsigned t = run_form(c, pc, op, c->ncode - at);
    if (!t && fetches)
      t = tail_form(c, pc, op, c->ncode - at);
    if (t)
      pc->h = c->handlers[t];
    at += lulli_op_length(op, pc);
  }
}

/* A CONST_JMP at pc that sets the state of the switch its target, a
 * closing branch's _SW form, makes next: its CONST_JMP_..._SW form, with
 * the switch's target for the constant in cell 2's high half. Not when
 * the constant is no i32 or the branch or the class loads write the
 * state's slot before the switch reads it. */
static void thread_const_jump(lullc *c, lulli_cell *pc) {
  const lull_engine *e = c->mod->hdr.engine;
  if (pc[2].u32[1] != 0)
    return;
  lulli_cell *latch = pc + pc[1].s32[1];
  int op = lulli_op_of(e, latch);
  unsigned form = op < 0 ? 0 : const_switch_form((unsigned)op);
  if (!form)
    return;
  const lulli_cell *sw = latch + latch[2].s32[1] + LULLI_CELLS_SAFEPOINT;
  uint16_t d = pc[1].u16[0];
  if (d != sw[1].u16[0] || d == sw[4].u16[0] || d == sw[4].u16[2] ||
      d == latch[1].u16[0] ||
      (op == LULLI_OP_LOOP_RSUB_I32_LT_U_SW && d == latch[3].u16[0]))
    return;
  uint32_t i = pc[2].u32[0] < sw[1].u32[1] ? pc[2].u32[0] : sw[1].u32[1];
  pc[2].s32[1] = ((const int32_t *)(sw + LULLI_CELLS_L8_BR_TABLE_MOV))[i];
  pc->h = c->handlers[form];
}

/* Back jumps to a header that is a SAFEPOINT and then a BR_TABLE_FETCH
 * take their _F form, which runs the fetch itself; those to a SAFEPOINT
 * and then an L8_BR_TABLE_MOV their _SW form. Done once the code is
 * final: fusion moves and rewrites jumps up to the last instruction. */
static void thread_fetches(lullc *c) {
  const lull_engine *e = c->mod->hdr.engine;
  for (uint32_t at = 0; at < c->ncode;) {
    lulli_cell *pc = &c->code[at];
    int op = lulli_op_of(e, pc);
    if (op < 0)
      return; /* not reached: the compiler emits only ops */
    unsigned f = fetch_form((unsigned)op), sw = switch_form((unsigned)op);
    if (f || sw) {
      int32_t rel = sw || lulli_op_info((unsigned)op)->cells == 3
                        ? pc[2].s32[1]
                        : pc[1].s32[1];
      uint32_t to = (uint32_t)((int64_t)at + rel);
      const void *head = to + LULLI_CELLS_SAFEPOINT < c->ncode &&
                                 c->code[to].h ==
                                     c->handlers[LULLI_OP_SAFEPOINT]
                             ? c->code[to + LULLI_CELLS_SAFEPOINT].h
                             : NULL;
      if (f && head == c->handlers[LULLI_OP_BR_TABLE_FETCH])
        pc->h = c->handlers[f];
      if (sw && head == c->handlers[LULLI_OP_L8_BR_TABLE_MOV])
        pc->h = c->handlers[sw];
    }
    at += lulli_op_length((unsigned)op, pc);
  }
  /* Then the jumps to the closing branches just made _SW. */
  for (uint32_t at = 0; c->switches && at < c->ncode;) {
    lulli_cell *pc = &c->code[at];
    int op = lulli_op_of(e, pc);
    if (op < 0)
      return;
    if (op == LULLI_OP_CONST_JMP)
      thread_const_jump(c, pc);
    at += lulli_op_length((unsigned)op, pc);
  }
}

static void compile_func(lullc *c, uint32_t def, lulli_code *out) {
  const lulld_module *m = c->m;
  c->func = m->nfunc_imports + def;
  c->type = lulld_func_type(m, c->func);
  c->body = &m->codes[def];
  c->failed = 0;
  c->sp = c->nctrl = c->ncode = c->nfix = c->ntraps = 0;
  c->nparks = c->nrefslots = c->ngcmaps = c->npvals = 0;
  c->nhs = c->ncatches = 0;
  c->fetches = c->switches = 0;
  c->safepoint = UINT32_MAX;
  c->entry_cost = 0;
  c->last_at = c->prev_at = c->prev2_at = UINT32_MAX;
  c->nhist = 0;
  c->skip = UINT32_MAX;
  c->region = 0;
  c->wasm_off = c->body->body;
  if (layout_locals(c) != 0)
    return;
  if (lullc_v128_locals(c) != 0) {
    lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
    return;
  }
  c->max_slot = c->local_slots;
  if (LULLD_GROW(c->a, c->stack, &c->cap_stack, c->body->max_height + 2) ||
      LULLD_GROW(c->a, c->ctrl, &c->cap_ctrl, 8) ||
      LULLD_GROW(c->a, c->code, &c->cap_code, 64)) {
    lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
    return;
  }
  lullc_ctrl *f = &c->ctrl[c->nctrl++];
  memset(f, 0, sizeof *f);
  f->kind = CF_FUNC;
  f->fixups = f->else_fixup = f->hchain = -1;
  f->home = (uint16_t)c->local_slots;
  f->nresults = c->type->nresults;
  f->results = LULLD_PAST(c->type->types, c->type->nparams);
  /* The entry's park point, at cell 0: its safepoint is no instruction,
   * the call checks it (exec.c, `enter`). It is named by the body's size
   * field, so a loop as the first instruction has a place of its own. */
  c->wasm_off = c->body->offset;
  lullc_parkmap(c, 0, 0, 0);
  c->wasm_off = c->body->body;

  lulld_reader_init(&c->r, m->bytes, c->body->body, c->body->end);
  uint32_t dead_depth = 0;
  lulld_instr in;
  while (!c->failed && !lulld_reader_eof(&c->r)) {
    c->wasm_off = (uint32_t)c->r.pos;
    if (lulld_read_instr(&c->r, m->features, &in) != 0) {
      lullc_fail(c, LULL_MALFORMED, "%s in function %u", c->r.err, c->func);
      break;
    }
    if (c->ctrl[c->nctrl - 1].dead && !skip_dead(&in, &dead_depth))
      continue;
    c->region++;
    if (c->table64 ? lullc_table64(c, &in, compile_instr)
                   : compile_instr(c, &in))
      break;
  }
  if (!c->failed)
    lullc_handlers_finish(c);
  lullc_here(c);
  if (c->failed)
    return;
  charge_region(c);
  int threaded = c->fetches || c->switches;
  if (threaded)
    thread_fetches(c);
  fuse_runs(c, threaded);

  out->param_slots = c->type->param_slots;
  out->local_slots = c->local_slots;
  out->nlocals = c->nlocals;
  out->frame_slots = c->max_slot + 2;
  out->entry_cost = c->entry_cost;
  out->ncells = c->ncode;
  TAKE(out->code, c->code, c->ncode, c->cap_code);
  if (lulli_codemap_store(c->a, out, c->traps, c->ntraps, c->parks,
                          c->nparks, c->pvals) != 0)
    goto oom;
  out->ngcmaps = c->ngcmaps;
  TAKE(out->gcmaps, c->gcmaps, c->ngcmaps, c->cap_gcmaps);
  out->nrefslots = c->nrefslots;
  TAKE(out->refslots, c->refslots, c->nrefslots, c->cap_refslots);
  TAKE(out->local_types, c->local_type, c->nlocals, c->cap_locals);
  out->nhandlers = c->nhs;
  TAKE(out->handlers, c->hs, c->nhs, c->cap_hs);
  return;
oom:
  lullc_fail(c, LULL_NOMEM, "out of memory compiling function %u", c->func);
}

void lulli_code_free(const lulld_alloc *a, lulli_code *c) {
  if (c->ncells) /* else: the engine's COMPILE stub, or nothing */
    lulld_free(a, c->code, c->ncells * sizeof *c->code);
  lulld_free(a, c->traps, c->ntrapbytes);
  lulld_free(a, c->refslots, c->nrefslots * sizeof *c->refslots);
  lulld_free(a, c->parks, c->nparkbytes);
  lulld_free(a, c->gcmaps, c->ngcmaps * sizeof *c->gcmaps);
  lulld_free(a, c->local_types, c->nlocals * sizeof *c->local_types);
  lulld_free(a, c->handlers, c->nhandlers * sizeof *c->handlers);
  memset(c, 0, sizeof *c);
}

void lulli_compile_later(lull_module *mod, uint32_t def) {
  const lulld_module *m = mod->m;
  const lulld_code *body = &m->codes[def];
  const lulld_functype *ft = lulld_func_type(m, m->nfunc_imports + def);
  lulli_code *out = &mod->codes[def];
  uint32_t slots = ft->param_slots;
  for (uint32_t g = 0; g < body->ngroups; g++)
    slots += body->groups[g].count * lulld_slots_of(body->groups[g].type);
  out->param_slots = ft->param_slots;
  out->local_slots = slots;
  /* The compiler never goes above the validated height (see lullc_push),
   * so this bounds the frame it will lay out. */
  out->frame_slots = slots + body->max_height + 2;
  out->code = mod->hdr.engine->lazy_stub;
  out->ncells = 0;
}

lull_status lulli_compiled(lull_module *mod, uint32_t def, lull_error *err) {
  if (mod->codes[def].ncells)
    return LULL_OK;
  uint32_t frame = mod->codes[def].frame_slots;
  lull_status s = lulli_compile(mod, def, 1, err);
  /* Frames entered before the compile were sized by the bound. */
  if (s == LULL_OK && mod->codes[def].frame_slots < frame)
    mod->codes[def].frame_slots = frame;
  return s;
}

lull_status lulli_compile(lull_module *mod, uint32_t first, uint32_t count,
                          lull_error *err) {
  lull_engine *e = mod->hdr.engine;
  lullc c;
  memset(&c, 0, sizeof c);
  c.mod = mod;
  c.m = mod->m;
  c.a = &e->alloc;
  c.handlers = e->handlers;
  for (uint32_t i = 0; i < mod->m->ntables; i++)
    c.table64 |= mod->m->tables[i].limits.is64;
  c.err = err;
  for (uint32_t i = first; i < first + count && !c.failed; i++)
    compile_func(&c, i, &mod->codes[i]);
  lulld_free(c.a, c.local_slot, c.cap_locals * sizeof *c.local_slot);
  lulld_free(c.a, c.local_type, c.cap_locals * sizeof *c.local_type);
  lulld_free(c.a, c.vlocals, c.cap_vlocals * sizeof *c.vlocals);
  lulld_free(c.a, c.stack, c.cap_stack * sizeof *c.stack);
  lulld_free(c.a, c.ctrl, c.cap_ctrl * sizeof *c.ctrl);
  lulld_free(c.a, c.code, c.cap_code * sizeof *c.code);
  lulld_free(c.a, c.fix, c.cap_fix * sizeof *c.fix);
  lulld_free(c.a, c.traps, c.cap_traps * sizeof *c.traps);
  lulld_free(c.a, c.parks, c.cap_parks * sizeof *c.parks);
  lulld_free(c.a, c.gcmaps, c.cap_gcmaps * sizeof *c.gcmaps);
  lulld_free(c.a, c.refslots, c.cap_refslots * sizeof *c.refslots);
  lulld_free(c.a, c.hs, c.cap_hs * sizeof *c.hs);
  lulld_free(c.a, c.catches, c.cap_catches * sizeof *c.catches);
  lulld_free(c.a, c.pvals, c.cap_pvals * sizeof *c.pvals);
  return c.failed ? (err ? err->status : LULL_NOMEM) : LULL_OK;
}
