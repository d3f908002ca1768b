/*
 * compile_ops.c -- instructions that compute: numeric operators (with an
 * immediate form when the right operand is a constant), conversions,
 * loads and stores, locals and globals, tables and references, bulk
 * memory. One table row per Wasm opcode chooses the register form.
 */
#include "compile_internal.h"

enum { K_NONE = 0, K_BIN, K_UN, K_RETYPE, K_LOAD, K_STORE };
enum {
  F_IMM = 1,   /* has an _I form (right operand an immediate) */
  F_COMM = 2,  /* commutative: a constant left operand may swap */
  F_TRAP = 4,  /* may trap: record the site for backtraces */
  F_CMP = 8    /* a comparison: may fuse with a following br_if or if */
};

typedef struct opmap {
  uint8_t kind;
  uint8_t flags;
  uint16_t op;    /* lulli_op */
  uint16_t swap;  /* comparisons: the Wasm op with operands swapped */
} opmap;

#define B(W, fl) [LULLD_OP_##W] = {K_BIN, (fl), LULLI_OP_##W, 0}
#define C(W, S) [LULLD_OP_##W] = {K_BIN, F_IMM | F_CMP, LULLI_OP_##W, LULLD_OP_##S}
#define FC(W) [LULLD_OP_##W] = {K_BIN, F_CMP, LULLI_OP_##W, 0}
#define U(W, fl) [LULLD_OP_##W] = {K_UN, (fl), LULLI_OP_##W, 0}
#define R(W) [LULLD_OP_##W] = {K_RETYPE, 0, 0, 0}
#define L(W, O) [LULLD_OP_##W] = {K_LOAD, F_TRAP, LULLI_OP_##O, 0}
#define S(W, O) [LULLD_OP_##W] = {K_STORE, F_TRAP, LULLI_OP_##O, 0}

static const opmap ops[256] = {
    L(I32_LOAD, LOAD32), L(I64_LOAD, LOAD64), L(F32_LOAD, LOAD32),
    L(F64_LOAD, LOAD64), L(I32_LOAD8_S, LOAD8_S32), L(I32_LOAD8_U, LOAD8_U),
    L(I32_LOAD16_S, LOAD16_S32), L(I32_LOAD16_U, LOAD16_U),
    L(I64_LOAD8_S, LOAD8_S64), L(I64_LOAD8_U, LOAD8_U),
    L(I64_LOAD16_S, LOAD16_S64), L(I64_LOAD16_U, LOAD16_U),
    L(I64_LOAD32_S, LOAD32_S64), L(I64_LOAD32_U, LOAD32),
    S(I32_STORE, STORE32), S(I64_STORE, STORE64), S(F32_STORE, STORE32),
    S(F64_STORE, STORE64), S(I32_STORE8, STORE8), S(I32_STORE16, STORE16),
    S(I64_STORE8, STORE8), S(I64_STORE16, STORE16), S(I64_STORE32, STORE32),

    U(I32_EQZ, 0), C(I32_EQ, I32_EQ), C(I32_NE, I32_NE), C(I32_LT_S, I32_GT_S),
    C(I32_LT_U, I32_GT_U), C(I32_GT_S, I32_LT_S), C(I32_GT_U, I32_LT_U),
    C(I32_LE_S, I32_GE_S), C(I32_LE_U, I32_GE_U), C(I32_GE_S, I32_LE_S),
    C(I32_GE_U, I32_LE_U),
    U(I64_EQZ, 0), C(I64_EQ, I64_EQ), C(I64_NE, I64_NE), C(I64_LT_S, I64_GT_S),
    C(I64_LT_U, I64_GT_U), C(I64_GT_S, I64_LT_S), C(I64_GT_U, I64_LT_U),
    C(I64_LE_S, I64_GE_S), C(I64_LE_U, I64_GE_U), C(I64_GE_S, I64_LE_S),
    C(I64_GE_U, I64_LE_U),
    FC(F32_EQ), FC(F32_NE), FC(F32_LT), FC(F32_GT), FC(F32_LE), FC(F32_GE),
    FC(F64_EQ), FC(F64_NE), FC(F64_LT), FC(F64_GT), FC(F64_LE), FC(F64_GE),

    U(I32_CLZ, 0), U(I32_CTZ, 0), U(I32_POPCNT, 0),
    B(I32_ADD, F_IMM | F_COMM), B(I32_SUB, F_IMM), B(I32_MUL, F_IMM | F_COMM),
    B(I32_DIV_S, F_IMM | F_TRAP), B(I32_DIV_U, F_IMM | F_TRAP),
    B(I32_REM_S, F_IMM | F_TRAP), B(I32_REM_U, F_IMM | F_TRAP),
    B(I32_AND, F_IMM | F_COMM), B(I32_OR, F_IMM | F_COMM),
    B(I32_XOR, F_IMM | F_COMM), B(I32_SHL, F_IMM), B(I32_SHR_S, F_IMM),
    B(I32_SHR_U, F_IMM), B(I32_ROTL, F_IMM), B(I32_ROTR, F_IMM),
    U(I64_CLZ, 0), U(I64_CTZ, 0), U(I64_POPCNT, 0),
    B(I64_ADD, F_IMM | F_COMM), B(I64_SUB, F_IMM), B(I64_MUL, F_IMM | F_COMM),
    B(I64_DIV_S, F_IMM | F_TRAP), B(I64_DIV_U, F_IMM | F_TRAP),
    B(I64_REM_S, F_IMM | F_TRAP), B(I64_REM_U, F_IMM | F_TRAP),
    B(I64_AND, F_IMM | F_COMM), B(I64_OR, F_IMM | F_COMM),
    B(I64_XOR, F_IMM | F_COMM), B(I64_SHL, F_IMM), B(I64_SHR_S, F_IMM),
    B(I64_SHR_U, F_IMM), B(I64_ROTL, F_IMM), B(I64_ROTR, F_IMM),

    U(F32_ABS, 0), U(F32_NEG, 0), U(F32_CEIL, 0), U(F32_FLOOR, 0),
    U(F32_TRUNC, 0), U(F32_NEAREST, 0), U(F32_SQRT, 0),
    B(F32_ADD, 0), B(F32_SUB, 0), B(F32_MUL, 0), B(F32_DIV, 0), B(F32_MIN, 0),
    B(F32_MAX, 0), B(F32_COPYSIGN, 0),
    U(F64_ABS, 0), U(F64_NEG, 0), U(F64_CEIL, 0), U(F64_FLOOR, 0),
    U(F64_TRUNC, 0), U(F64_NEAREST, 0), U(F64_SQRT, 0),
    B(F64_ADD, 0), B(F64_SUB, 0), B(F64_MUL, 0), B(F64_DIV, 0), B(F64_MIN, 0),
    B(F64_MAX, 0), B(F64_COPYSIGN, 0),

    U(I32_WRAP_I64, 0), U(I32_TRUNC_F32_S, F_TRAP), U(I32_TRUNC_F32_U, F_TRAP),
    U(I32_TRUNC_F64_S, F_TRAP), U(I32_TRUNC_F64_U, F_TRAP),
    U(I64_EXTEND_I32_S, 0), R(I64_EXTEND_I32_U), U(I64_TRUNC_F32_S, F_TRAP),
    U(I64_TRUNC_F32_U, F_TRAP), U(I64_TRUNC_F64_S, F_TRAP),
    U(I64_TRUNC_F64_U, F_TRAP), U(F32_CONVERT_I32_S, 0),
    U(F32_CONVERT_I32_U, 0), U(F32_CONVERT_I64_S, 0), U(F32_CONVERT_I64_U, 0),
    U(F32_DEMOTE_F64, 0), U(F64_CONVERT_I32_S, 0), U(F64_CONVERT_I32_U, 0),
    U(F64_CONVERT_I64_S, 0), U(F64_CONVERT_I64_U, 0), U(F64_PROMOTE_F32, 0),
    R(I32_REINTERPRET_F32), R(I64_REINTERPRET_F64), R(F32_REINTERPRET_I32),
    R(F64_REINTERPRET_I64),
    U(I32_EXTEND8_S, 0), U(I32_EXTEND16_S, 0), U(I64_EXTEND8_S, 0),
    U(I64_EXTEND16_S, 0), U(I64_EXTEND32_S, 0),
};

/* A comparison `wop` (or eqz) followed by br_if or if, possibly through
 * an i32.eqz that negates it, becomes one conditional jump. Returns 1 when
 * it compiled the comparison and the instructions it consumed. */
static int fuse_branch(lullc *c, uint16_t wop) {
  lulld_reader r = c->r;
  lulld_instr next;
  int negate = 0;
  if (lulld_reader_eof(&r))
    return 0;
  if (r.base[r.pos] == LULLD_OP_I32_EQZ) {
    (void)lulld_read_instr(&r, c->m->features, &next);
    negate = 1;
    if (lulld_reader_eof(&r))
      return 0;
  }
  if (r.base[r.pos] != LULLD_OP_BR_IF && r.base[r.pos] != LULLD_OP_IF)
    return 0;
  if (lulld_read_instr(&r, c->m->features, &next) != 0)
    return 0;
  c->r = r;
  c->region += 1 + (unsigned)negate;
  lullc_cond k;
  lullc_pop_cond(c, wop, &k);
  if (negate) {
    uint16_t t = k.op;
    k.op = k.inv;
    k.inv = t;
  }
  if (next.op == LULLD_OP_IF)
    lullc_if(c, &next, &k);
  else
    lullc_br_if(c, next.u.index, &k);
  return 1;
}

/* d = a op b, choosing the immediate form when it exists and one operand
 * is a constant. A comparison followed by br_if or if becomes one jump. */
static void binary(lullc *c, const lulld_instr *in, const opmap *o,
                   uint8_t rtype) {
  if ((o->flags & F_CMP) && fuse_branch(c, in->op))
    return;
  const lulld_opinfo *info = lulld_opinfo_of(in->op);
  int wide_imm = info->p[0] == LULL_I64;
  lullc_entry *ea = &c->stack[c->sp - 2], *eb = &c->stack[c->sp - 1];
  uint16_t op = o->op, a, b = 0;
  /* k - x has a reverse form of its own */
  int rsub = in->op == LULLD_OP_I32_SUB || in->op == LULLD_OP_I64_SUB;
  int imm = 0;
  uint64_t k = 0;
  if ((o->flags & F_IMM) && eb->kind == E_CONST) {
    imm = 1;
    k = eb->c[0];
    a = lullc_operand(c, c->sp - 2);
  } else if ((o->flags & F_IMM) && ea->kind == E_CONST &&
             ((o->flags & F_COMM) || o->swap || rsub)) {
    if (o->swap)
      op = ops[o->swap].op;
    imm = 1 + rsub;
    k = ea->c[0];
    a = lullc_operand(c, c->sp - 1);
  } else {
    a = lullc_operand(c, c->sp - 2);
    b = lullc_operand(c, c->sp - 1);
  }
  c->sp -= 2;
  uint16_t d = lullc_result(c, rtype);
  if (imm == 2)
    op = wide_imm ? LULLI_OP_I64_RSUB_I : LULLI_OP_I32_RSUB_I;
  else if (imm)
    op = lulli_op_info(op)->imm;
  uint32_t at = lullc_emit(c, (lulli_op)op);
  if (!imm)
    c->code[at + 1].u16[2] = b;
  else if (!wide_imm)
    c->code[at + 1].u32[1] = (uint32_t)k;
  else
    c->code[at + 2].u64 = k;
  c->code[at + 1].u16[0] = d;
  c->code[at + 1].u16[1] = a;
  if (o->flags & F_TRAP)
    lullc_trapsite(c, at);
}

/* Pops `n` operands (deepest first) into `slots`. */
static void pop_operands(lullc *c, unsigned n, uint16_t *slots) {
  for (unsigned i = 0; i < n; i++)
    slots[i] = lullc_operand(c, c->sp - n + i);
  c->sp -= n;
}

/* d = op(a, imm) for instructions of the form [h][d a imm32] that pop
 * `npop` (0 or 1) operands and push one result of type `rtype`. */
static void result_op(lullc *c, lulli_op op, unsigned npop, lull_valtype rtype,
                      uint32_t imm, int trap) {
  uint16_t a = 0;
  if (npop)
    pop_operands(c, 1, &a);
  uint16_t d = lullc_result(c, rtype);
  uint32_t at = lullc_emit(c, op);
  c->code[at + 1].u16[0] = d;
  c->code[at + 1].u16[1] = a;
  c->code[at + 1].u32[1] = imm;
  if (trap)
    lullc_trapsite(c, at);
}

static void unary(lullc *c, const lulld_instr *in, lulli_op op, int trap,
                  uint8_t rtype) {
  if ((in->op == LULLD_OP_I32_EQZ || in->op == LULLD_OP_I64_EQZ) &&
      fuse_branch(c, in->op))
    return;
  result_op(c, op, 1, rtype, 0, trap);
}

/* A store to a constant address (a static variable's) whose sum with the
 * offset stays below 2^32 (else it always traps), in the _K form: the
 * address goes into the instruction, not into a slot first; a constant
 * value too (_K_I) when it fits in 32 bits. */
static int store_k(lullc *c, const lulld_instr *in, lulli_op op) {
  const lullc_entry *ea = &c->stack[c->sp - 2], *ev = &c->stack[c->sp - 1];
  uint64_t addr = ea->c[0] + in->u.mem.offset;
  if (c->far || ea->kind != E_CONST || addr > UINT32_MAX)
    return 0;
  lulli_op kop;
  switch (op) {
  case LULLI_OP_STORE8: kop = LULLI_OP_STORE8_K; break;
  case LULLI_OP_STORE16: kop = LULLI_OP_STORE16_K; break;
  case LULLI_OP_STORE32: kop = LULLI_OP_STORE32_K; break;
  case LULLI_OP_STORE64: kop = LULLI_OP_STORE64_K; break;
  default: return 0;
  }
  int imm = ev->kind == E_CONST && ev->c[0] <= UINT32_MAX;
  uint32_t kv = (uint32_t)ev->c[0];
  uint16_t v = imm ? 0 : lullc_operand(c, c->sp - 1);
  c->sp -= 2;
  uint32_t at = lullc_emit(c, imm ? (lulli_op)lulli_op_info(kop)->imm : kop);
  if (imm)
    c->code[at + 1].u32[0] = kv;
  else
    c->code[at + 1].u16[1] = v;
  c->code[at + 1].u32[1] = (uint32_t)addr;
  lullc_trapsite(c, at);
  return 1;
}

/* A constant value is stored from the instruction (the _I form), without
 * a move into a slot first. */
static void store(lullc *c, const lulld_instr *in, lulli_op op) {
  if (store_k(c, in, op))
    return;
  const lullc_entry *ev = &c->stack[c->sp - 1];
  int k = ev->kind == E_CONST && lulli_op_info(op)->imm != LULLI_OP_NONE;
  uint64_t kv = ev->c[0];
  uint16_t v = k ? 0 : lullc_operand(c, c->sp - 1);
  uint16_t addr = lullc_operand(c, c->sp - 2);
  c->sp -= 2;
  uint32_t at = lullc_emit(c, k ? (lulli_op)lulli_op_info(op)->imm : op);
  c->code[at + 1].u16[0] = addr;
  c->code[at + 1].u16[1] = v;
  c->code[at + 1].u32[1] = in->u.mem.offset;
  if (k)
    c->code[at + 2].u64 = kv;
  lullc_trapsite(c, at);
}


/* An instruction of the form [h][s0 s1 s2 _][imm32 imm32] (3 cells) or
 * [h][s0 s1 imm32] (2 cells) built from popped operands. */
static uint32_t emit_slots(lullc *c, lulli_op op,
                           const uint16_t *s, unsigned n) {
  uint32_t at = lullc_emit(c, op);
  for (unsigned i = 0; i < n; i++)
    c->code[at + 1].u16[i] = s[i];
  return at;
}

static void local_op(lullc *c, const lulld_instr *in) {
  uint32_t x = in->u.index;
  if (c->vconsts && c->vlocals[x].is) {
    /* A local compiled as its constant (lullc_v128_locals): a write
     * leaves the v128.const before it on the stack, or drops it. */
    const uint8_t *k = c->vlocals[x].k;
    uint64_t lo, hi;
    memcpy(&lo, k, 8);
    memcpy(&hi, k + 8, 8);
    if (in->op == LULLD_OP_LOCAL_GET)
      lullc_push_const(c, LULL_V128, lo, hi);
    else if (in->op == LULLD_OP_LOCAL_SET)
      c->sp--;
    return;
  }
  if (in->op == LULLD_OP_LOCAL_GET) {
    lullc_push_local(c, x);
    return;
  }
  uint16_t slot = c->local_slot[x];
  lullc_flush_local(c, slot);
  lullc_entry *e = &c->stack[c->sp - 1];
  lullc_put(c, e, slot);
  if (in->op == LULLD_OP_LOCAL_SET) {
    c->sp--;
  } else if (e->kind != E_CONST) {
    e->kind = E_LOCAL;
    e->local = slot;
  }
}

static void global_op(lullc *c, const lulld_instr *in) {
  uint32_t g = in->u.index;
  lull_valtype type = c->m->globals[g].type.type;
  int wide = type == LULL_V128;
  uint32_t at;
  if (in->op == LULLD_OP_GLOBAL_GET) {
    uint16_t d = lullc_result(c, type);
    at = lullc_emit(c, wide ? LULLI_OP_GLOBAL_GET2 : LULLI_OP_GLOBAL_GET);
    c->code[at + 1].u16[0] = d;
  } else {
    uint16_t a = lullc_operand(c, c->sp - 1);
    c->sp--;
    at = lullc_emit(c, wide ? LULLI_OP_GLOBAL_SET2 : LULLI_OP_GLOBAL_SET);
    c->code[at + 1].u16[0] = a;
  }
  c->code[at + 1].u32[1] = g;
}

static void select_op(lullc *c, const lulld_instr *in) {
  uint16_t s[3];
  lull_valtype type = c->stack[c->sp - 2].type;
  (void)in;
  pop_operands(c, 3, s);
  uint16_t d = lullc_result(c, type);
  uint32_t at = lullc_emit(
      c, type == LULL_V128 ? LULLI_OP_SELECT2 : LULLI_OP_SELECT);
  c->code[at + 1].u16[0] = d;
  c->code[at + 1].u16[1] = s[0];
  c->code[at + 1].u16[2] = s[1];
  c->code[at + 1].u16[3] = s[2];
}

static const uint16_t sat_ops[8] = {
    LULLI_OP_I32_TRUNC_SAT_F32_S, LULLI_OP_I32_TRUNC_SAT_F32_U,
    LULLI_OP_I32_TRUNC_SAT_F64_S, LULLI_OP_I32_TRUNC_SAT_F64_U,
    LULLI_OP_I64_TRUNC_SAT_F32_S, LULLI_OP_I64_TRUNC_SAT_F32_U,
    LULLI_OP_I64_TRUNC_SAT_F64_S, LULLI_OP_I64_TRUNC_SAT_F64_U,
};

/* The 0xFC family: saturating truncations, bulk memory and tables. */
static int fc_op(lullc *c, const lulld_instr *in) {
  unsigned sub = in->op & 0xFF;
  uint16_t s[3];
  uint32_t at;
  if (sub < 8) {
    const lulld_opinfo *info = lulld_opinfo_of(in->op);
    unary(c, in, (lulli_op)sat_ops[sub], 0, info->r);
    return 0;
  }
  switch (in->op) {
  case LULLD_OP_MEMORY_INIT:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_MEMORY_INIT, s, 3);
    c->code[at + 2].u32[0] = in->u.pair.a;
    lullc_trapsite(c, at);
    return 0;
  case LULLD_OP_DATA_DROP:
    at = lullc_emit(c, LULLI_OP_DATA_DROP);
    c->code[at + 1].u32[1] = in->u.index;
    return 0;
  case LULLD_OP_MEMORY_COPY:
  case LULLD_OP_MEMORY_FILL:
    pop_operands(c, 3, s);
    at = emit_slots(c,
                    in->op == LULLD_OP_MEMORY_COPY ? LULLI_OP_MEMORY_COPY
                                                   : LULLI_OP_MEMORY_FILL, s, 3);
    lullc_trapsite(c, at);
    return 0;
  case LULLD_OP_TABLE_INIT:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_TABLE_INIT, s, 3);
    c->code[at + 2].u32[0] = in->u.pair.b; /* table */
    c->code[at + 2].u32[1] = in->u.pair.a; /* element segment */
    lullc_trapsite(c, at);
    return 0;
  case LULLD_OP_ELEM_DROP:
    at = lullc_emit(c, LULLI_OP_ELEM_DROP);
    c->code[at + 1].u32[1] = in->u.index;
    return 0;
  case LULLD_OP_TABLE_COPY:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_TABLE_COPY, s, 3);
    c->code[at + 2].u32[0] = in->u.pair.a; /* destination */
    c->code[at + 2].u32[1] = in->u.pair.b; /* source */
    lullc_trapsite(c, at);
    return 0;
  case LULLD_OP_TABLE_GROW: {
    pop_operands(c, 2, s);
    uint16_t d = lullc_result(c, LULL_I32);
    uint16_t t[3] = {d, s[0], s[1]};
    at = emit_slots(c, LULLI_OP_TABLE_GROW, t, 3);
    c->code[at + 2].u32[0] = in->u.index;
    return 0;
  }
  case LULLD_OP_TABLE_SIZE:
    result_op(c, LULLI_OP_TABLE_SIZE, 0, LULL_I32, in->u.index, 0);
    return 0;
  case LULLD_OP_TABLE_FILL:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_TABLE_FILL, s, 3);
    c->code[at + 2].u32[0] = in->u.index;
    lullc_trapsite(c, at);
    return 0;
  default:
    return -1;
  }
}

/* Does this memory instruction leave the fast path (memory 0 with 32-bit
 * addresses)? Then it names its memory, or the address is 64-bit, or the
 * offset does not fit the plain ops' 32 bits. */
static int far_memory(const lullc *c, uint32_t x) {
  return x != 0 || c->m->memories[0].is64;
}

static int is_access(const lulld_instr *in) {
  uint8_t imm = lulld_opinfo_of(in->op)->imm;
  return imm == LULLD_IMM_MEMARG || imm == LULLD_IMM_MEMARG_LANE;
}

/* A load or store of another memory or with a 64-bit address: MEMORY_AT,
 * the plain access at offset 0 from an address slot it zeroes (the
 * address entry's home), MEMORY_RESTORE (ops.h). */
static int far_access(lullc *c, const lulld_instr *in) {
  const lulld_opinfo *info = lulld_opinfo_of(in->op);
  uint32_t ai = c->sp - (info->p[1] ? 2 : 1);
  uint16_t a = lullc_operand(c, ai);
  uint16_t z = c->stack[ai].home;
  uint32_t at = lullc_emit(c, LULLI_OP_MEMORY_AT);
  c->code[at + 1].u16[0] = z;
  c->code[at + 1].u16[1] = a;
  c->code[at + 1].u32[1] = in->u.mem.memory;
  c->code[at + 2].u64 = in->u.mem.offset;
  lullc_trapsite(c, at);
  c->stack[ai].kind = E_SLOT;
  lulld_instr near = *in;
  near.u.mem.memory = 0;
  near.u.mem.offset = 0;
  c->far = 1;
  int r = lullc_op(c, &near);
  c->far = 0;
  lullc_emit(c, LULLI_OP_MEMORY_RESTORE);
  return r;
}

/* memory.size, grow, fill, copy and init of any memory (the _X ops). */
static int far_bulk(lullc *c, const lulld_instr *in) {
  uint16_t s[3];
  /* memory.init names its data segment first, its memory second. */
  uint32_t at, x = in->op == LULLD_OP_MEMORY_INIT ? in->u.pair.b : in->u.index;
  lull_valtype at_type = c->m->memories[x].is64 ? LULL_I64 : LULL_I32;
  switch (in->op) {
  case LULLD_OP_MEMORY_SIZE:
    result_op(c, LULLI_OP_MEMORY_SIZE_X, 0, at_type, x, 0);
    return 0;
  case LULLD_OP_MEMORY_GROW:
    result_op(c, LULLI_OP_MEMORY_GROW_X, 1, at_type, x, 0);
    return 0;
  case LULLD_OP_MEMORY_FILL:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_MEMORY_FILL_X, s, 3);
    c->code[at + 2].u32[0] = x;
    break;
  case LULLD_OP_MEMORY_COPY:
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_MEMORY_COPY_X, s, 3);
    c->code[at + 2].u32[0] = in->u.pair.a;
    c->code[at + 2].u32[1] = in->u.pair.b;
    break;
  default: /* memory.init */
    pop_operands(c, 3, s);
    at = emit_slots(c, LULLI_OP_MEMORY_INIT_X, s, 3);
    c->code[at + 2].u32[0] = in->u.pair.a;
    c->code[at + 2].u32[1] = in->u.pair.b;
    break;
  }
  lullc_trapsite(c, at);
  return 0;
}

/* Replaces stack entry i (an i64) by its value clamped to 2^32-1, in its
 * home slot. */
static void clamp_entry(lullc *c, uint32_t i) {
  uint16_t a = lullc_operand(c, i);
  uint32_t at = lullc_emit(c, LULLI_OP_I64_CLAMP32);
  c->code[at + 1].u16[0] = c->stack[i].home;
  c->code[at + 1].u16[1] = a;
  c->stack[i].kind = E_SLOT;
}

int lullc_table64(lullc *c, lulld_instr *in,
                  int (*plain)(lullc *, lulld_instr *)) {
  const lulld_tabletype *t = c->m->tables;
  unsigned wide = 0; /* bit k: the entry k below the top is a wide index */
  int grow = 0, size = 0;
  switch (in->op) {
  case LULLD_OP_TABLE_GET:
    wide = t[in->u.index].limits.is64 ? 1 : 0;
    break;
  case LULLD_OP_TABLE_SET:
    wide = t[in->u.index].limits.is64 ? 2 : 0;
    break;
  case LULLD_OP_TABLE_GROW:
    wide = grow = t[in->u.index].limits.is64;
    break;
  case LULLD_OP_TABLE_SIZE:
    size = t[in->u.index].limits.is64;
    break;
  case LULLD_OP_TABLE_FILL:
    wide = t[in->u.index].limits.is64 ? 4 | 1 : 0;
    break;
  case LULLD_OP_TABLE_COPY: {
    int d = t[in->u.pair.a].limits.is64, s = t[in->u.pair.b].limits.is64;
    wide = (d ? 4u : 0u) | (s ? 2u : 0u) | (d && s ? 1u : 0u);
    break;
  }
  case LULLD_OP_TABLE_INIT:
    wide = t[in->u.pair.b].limits.is64 ? 4 : 0;
    break;
  case LULLD_OP_CALL_INDIRECT:
  case LULLD_OP_RETURN_CALL_INDIRECT:
    wide = t[in->u.call_indirect.table].limits.is64 ? 1 : 0;
    break;
  default:
    break;
  }
  for (unsigned k = 0; k < 3; k++)
    if (wide >> k & 1)
      clamp_entry(c, c->sp - 1 - k);
  int r = plain(c, in);
  if (grow) {
    uint16_t a = lullc_operand(c, c->sp - 1);
    uint32_t at = lullc_emit(c, LULLI_OP_I64_EXTEND_I32_S);
    c->code[at + 1].u16[0] = c->stack[c->sp - 1].home;
    c->code[at + 1].u16[1] = a;
    c->stack[c->sp - 1].kind = E_SLOT;
  }
  if (grow || size)
    c->stack[c->sp - 1].type = LULL_I64;
  return r;
}

/* The memory a bulk memory instruction names, or -1 for others. */
static int64_t bulk_memory(const lulld_instr *in) {
  switch (in->op) {
  case LULLD_OP_MEMORY_SIZE:
  case LULLD_OP_MEMORY_GROW:
  case LULLD_OP_MEMORY_FILL:
    return in->u.index;
  case LULLD_OP_MEMORY_COPY:
    return in->u.pair.a | in->u.pair.b; /* 0 only when both are */
  case LULLD_OP_MEMORY_INIT:
    return in->u.pair.b;
  default:
    return -1;
  }
}

int lullc_op(lullc *c, const lulld_instr *in) {
  uint32_t at;
  uint16_t s[3];
  if (!c->far && c->m->nmemories) {
    if (is_access(in) &&
        (far_memory(c, in->u.mem.memory) || in->u.mem.offset > UINT32_MAX))
      return far_access(c, in);
    int64_t bx = bulk_memory(in);
    if (bx >= 0 && (far_memory(c, (uint32_t)bx) ||
                    (in->op == LULLD_OP_MEMORY_COPY &&
                     c->m->memories[in->u.pair.a].is64)))
      return far_bulk(c, in);
  }
  if (in->op >> 8 == LULLD_OP_PREFIX_FC)
    return fc_op(c, in);
  if (in->op >> 8 == LULLD_OP_PREFIX_FD ||
      in->op >> 8 == LULLD_OP_FD_RELAXED)
    return lullc_simd_op(c, in);
  if (in->op >> 8 == LULLD_OP_PREFIX_FB && lullc_gc_op(c, in) == 0)
    return 0;
  /* The 0xFB family has no row in `ops`: all of it is compiled below. */
  static const opmap by_hand = {0};
  const opmap *o = in->op < 0x100 ? &ops[in->op] : &by_hand;
  const lulld_opinfo *info = lulld_opinfo_of(in->op);
  switch (o->kind) {
  case K_BIN:
    binary(c, in, o, info->r);
    return 0;
  case K_UN:
    unary(c, in, (lulli_op)o->op, (o->flags & F_TRAP) != 0, info->r);
    return 0;
  case K_RETYPE:
    c->stack[c->sp - 1].type = info->r;
    return 0;
  case K_LOAD:
    result_op(c, (lulli_op)o->op, 1, info->r, in->u.mem.offset, 1);
    return 0;
  case K_STORE:
    store(c, in, (lulli_op)o->op);
    return 0;
  default:
    break;
  }
  switch (in->op) {
  case LULLD_OP_I32_CONST:
    lullc_push_const(c, LULL_I32, (uint32_t)in->u.i32, 0);
    return 0;
  case LULLD_OP_I64_CONST:
    lullc_push_const(c, LULL_I64, (uint64_t)in->u.i64, 0);
    return 0;
  case LULLD_OP_F32_CONST:
    lullc_push_const(c, LULL_F32, in->u.f32, 0);
    return 0;
  case LULLD_OP_F64_CONST:
    lullc_push_const(c, LULL_F64, in->u.f64, 0);
    return 0;
  case LULLD_OP_LOCAL_GET:
  case LULLD_OP_LOCAL_SET:
  case LULLD_OP_LOCAL_TEE:
    local_op(c, in);
    return 0;
  case LULLD_OP_GLOBAL_GET:
  case LULLD_OP_GLOBAL_SET:
    global_op(c, in);
    return 0;
  case LULLD_OP_SELECT:
  case LULLD_OP_SELECT_T:
    select_op(c, in);
    return 0;
  case LULLD_OP_MEMORY_SIZE:
    result_op(c, LULLI_OP_MEMORY_SIZE, 0, LULL_I32, 0, 0);
    return 0;
  case LULLD_OP_MEMORY_GROW:
    result_op(c, LULLI_OP_MEMORY_GROW, 1, LULL_I32, 0, 0);
    return 0;
  case LULLD_OP_TABLE_GET:
    result_op(c, LULLI_OP_TABLE_GET, 1, c->m->tables[in->u.index].elem,
              in->u.index, 1);
    return 0;
  case LULLD_OP_TABLE_SET:
    pop_operands(c, 2, s);
    at = emit_slots(c, LULLI_OP_TABLE_SET, s, 2);
    c->code[at + 1].u32[1] = in->u.index;
    lullc_trapsite(c, at);
    return 0;
  case LULLD_OP_REF_NULL:
    lullc_push_const(c, in->u.reftype, 0, 0);
    return 0;
  case LULLD_OP_REF_IS_NULL:
    result_op(c, LULLI_OP_REF_IS_NULL, 1, LULL_I32, 0, 0);
    return 0;
  case LULLD_OP_REF_AS_NON_NULL:
    result_op(c, LULLI_OP_REF_AS_NON_NULL, 1,
              c->stack[c->sp - 1].type | LULL_VT_NONNULL, 0, 1);
    return 0;
  case LULLD_OP_REF_FUNC:
    result_op(c, LULLI_OP_REF_FUNC, 0, LULL_FUNCREF, in->u.index, 0);
    return 0;
  case LULLD_OP_REF_EQ:
    /* Equal references have equal slot bits. */
    pop_operands(c, 2, s + 1);
    s[0] = lullc_result(c, LULL_I32);
    emit_slots(c, LULLI_OP_I64_EQ, s, 3);
    return 0;
  case LULLD_OP_REF_I31:
    result_op(c, LULLI_OP_REF_I31, 1, LULL_REF(LULL_HT_I31, 0), 0, 0);
    return 0;
  case LULLD_OP_I31_GET_S:
    result_op(c, LULLI_OP_I31_GET_S, 1, LULL_I32, 0, 1);
    return 0;
  case LULLD_OP_I31_GET_U:
    result_op(c, LULLI_OP_I31_GET_U, 1, LULL_I32, 0, 1);
    return 0;
  case LULLD_OP_REF_TEST:
  case LULLD_OP_REF_TEST_NULL:
  case LULLD_OP_REF_CAST:
  case LULLD_OP_REF_CAST_NULL: {
    /* The target as an engine type: a type index becomes its id. */
    int null = in->op == LULLD_OP_REF_TEST_NULL ||
               in->op == LULLD_OP_REF_CAST_NULL;
    lull_valtype t = lulld_vt_resolve(c->m, in->u.reftype);
    if (!null)
      t |= LULL_VT_NONNULL;
    if (in->op == LULLD_OP_REF_TEST || in->op == LULLD_OP_REF_TEST_NULL)
      result_op(c, LULLI_OP_REF_TEST, 1, LULL_I32, LULLI_MODULE_VT(c->mod, t),
                0);
    else
      result_op(c, LULLI_OP_REF_CAST, 1, t, LULLI_MODULE_VT(c->mod, t), 1);
    return 0;
  }
  default:
    return -1;
  }
}
