/*
 * compile_fuse.c -- a peephole over the last instructions: pairs that
 * occur often in compiled C become one instruction (formats in ops.h), so
 * a loop iteration dispatches fewer times. Profiles of the whole benchmark
 * kernel set chose them:
 *
 *   - addresses: a + k, a - k, a + b, (x << s) + k, a + (b << s) folded
 *     into the access that uses them; a pointer stepped into a local and
 *     then read or updated through (the step stays, written first); a
 *     store followed by its pointer's step
 *   - memory operands: a load feeding arithmetic; the result stored back
 *     where it came from (x OP= m); c[j] += x * b[j] with two accesses;
 *     a body's velocity update v -= dx * m * k
 *   - arithmetic: sums of three and four, x ^ (y << k), rotations xored
 *     together (SHA-2) and added to what follows, a & ~b, xor-and, and-xor, products of three, f64
 *     operations on a constant; a byte swap written out in nine
 *     instructions (a big-endian load)
 *   - moves in a row (rotating variables), induction-variable increments,
 *     a loop's step and the branch that closes it
 *   - a stack machine's slot a + k + (b << s) in one sum; a bytecode
 *     loop's fetch: the instruction's address from the counter, then the
 *     counter's step
 *
 * A fused pair can meet the instructions before it (the last three are
 * kept, and a few more behind them while each still ends where the next
 * begins), so a chain folds up from its end.
 *
 * The first instruction's result may only be dropped when it is a
 * temporary (a stack position's home, above the locals) that the second
 * instruction consumes: nothing else reads a temporary once its stack
 * entry is popped; a result in a local is kept by the fused form. Labels
 * cut the window (lullc_here), so no jump can land inside a fused one.
 * Each access of a fused instruction keeps its own trap site (replace2).
 */
#include "compile_internal.h"

/* Scalar accesses, the ones with an _AK form. */
static int is_load(unsigned op) {
  return op < LULLI_OP_COUNT_ && lulli_op_info(op)->format == LULLI_FMT_LOAD &&
         lulli_op_info(op)->fused != LULLI_OP_NONE;
}
static int is_store(unsigned op) {
  return op < LULLI_OP_COUNT_ && lulli_op_info(op)->format == LULLI_FMT_STORE &&
         lulli_op_info(op)->fused != LULLI_OP_NONE;
}
static int is_store_i(unsigned op) {
  return op < LULLI_OP_COUNT_ &&
         lulli_op_info(op)->format == LULLI_FMT_STORE_I &&
         lulli_op_info(op)->fused != LULLI_OP_NONE;
}
/* An access an i32.add of a constant before it can fold into. */
static int takes_k(unsigned op) {
  return is_load(op) || is_store(op) || is_store_i(op);
}

/* An op after a load that fuses with none: a jump or a store. */
static int leaves_load(unsigned op) {
  if (op >= LULLI_OP_COUNT_)
    return 0;
  unsigned f = lulli_op_info(op)->format;
  return f == LULLI_FMT_JUMP || f == LULLI_FMT_JUMP_C64 || is_store(op);
}

/* The f64 op with constant operand k, from op `op` whose operand b (or
 * a, when `left`) is k, or 0. */
static unsigned const_form(unsigned op, int left) {
  switch (op) {
  case LULLI_OP_F64_ADD: return LULLI_OP_F64_ADD_K;
  case LULLI_OP_F64_MUL: return LULLI_OP_F64_MUL_K;
  case LULLI_OP_F64_SUB: return left ? LULLI_OP_F64_RSUB_K : LULLI_OP_F64_SUB_K;
  case LULLI_OP_F64_DIV: return left ? LULLI_OP_F64_RDIV_K : LULLI_OP_F64_DIV_K;
  default: return 0;
  }
}

/* The memory-operand form of binary op `op` whose operand `b` was just
 * loaded by load `lop` (plain or _AK), or 0. */
static unsigned mem_form(unsigned op, unsigned lop, int loaded_is_b) {
  if (lop == LULLI_OP_LOAD32 || lop == LULLI_OP_LOAD32_AK) {
    switch (op) {
    case LULLI_OP_I32_ADD: return LULLI_OP_I32_ADD_M;
    case LULLI_OP_I32_MUL: return LULLI_OP_I32_MUL_M;
    case LULLI_OP_F32_ADD: return LULLI_OP_F32_ADD_M;
    case LULLI_OP_F32_MUL: return LULLI_OP_F32_MUL_M;
    case LULLI_OP_F32_SUB: return loaded_is_b ? LULLI_OP_F32_SUB_M : 0;
    default: return 0;
    }
  }
  if (lop == LULLI_OP_LOAD64 || lop == LULLI_OP_LOAD64_AK) {
    switch (op) {
    case LULLI_OP_I64_ADD: return LULLI_OP_I64_ADD_M;
    case LULLI_OP_F64_ADD: return LULLI_OP_F64_ADD_M;
    case LULLI_OP_F64_MUL: return LULLI_OP_F64_MUL_M;
    case LULLI_OP_F64_SUB: return loaded_is_b ? LULLI_OP_F64_SUB_M : 0;
    default: return 0;
    }
  }
  return 0;
}

/* The form of memory-operand op `op` that stores its result back, and
 * the store that does that, or 0. */
static unsigned to_form(unsigned op, unsigned *store) {
  static const uint16_t forms[][3] = {
      {LULLI_OP_I32_ADD_M, LULLI_OP_I32_ADD_TO, LULLI_OP_STORE32},
      {LULLI_OP_I32_MUL_M, LULLI_OP_I32_MUL_TO, LULLI_OP_STORE32},
      {LULLI_OP_I64_ADD_M, LULLI_OP_I64_ADD_TO, LULLI_OP_STORE64},
      {LULLI_OP_F32_ADD_M, LULLI_OP_F32_ADD_TO, LULLI_OP_STORE32},
      {LULLI_OP_F32_MUL_M, LULLI_OP_F32_MUL_TO, LULLI_OP_STORE32},
      {LULLI_OP_F64_ADD_M, LULLI_OP_F64_ADD_TO, LULLI_OP_STORE64},
      {LULLI_OP_F64_MUL_M, LULLI_OP_F64_MUL_TO, LULLI_OP_STORE64},
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
    if (forms[i][0] == op) {
      *store = forms[i][2];
      return forms[i][1];
    }
  return 0;
}

/* The _ADD_I form of store `op` (a pointer step after it), or 0. */
static unsigned step_form(unsigned op) {
  switch (op) {
  case LULLI_OP_STORE8: return LULLI_OP_STORE8_ADD_I;
  case LULLI_OP_STORE16: return LULLI_OP_STORE16_ADD_I;
  case LULLI_OP_STORE32: return LULLI_OP_STORE32_ADD_I;
  case LULLI_OP_STORE64: return LULLI_OP_STORE64_ADD_I;
  default: return 0;
  }
}

/* The byte store that computes its value as op `op` at `in` did, its
 * operands a, b, s put in cell 1 (from field 1; field 0 is the store's)
 * and k in cell 2: (a + b + k) >> s for sums of two, (a + k) >> s for
 * one value; or 0. */
static unsigned store8_value_form(unsigned op, const lulli_cell *in,
                                  lulli_cell *cell) {
  uint16_t a = in[1].u16[1], b = 0, s = 0;
  uint32_t k = 0;
  unsigned form = LULLI_OP_STORE8_ADDK_SHR;
  switch (op) {
  case LULLI_OP_I32_ADD3_I_SHR_U:
    b = in[1].u16[2];
    s = in[1].u16[3];
    k = in[2].u32[0];
    form = LULLI_OP_STORE8_ADD_SHR;
    break;
  case LULLI_OP_I32_ADD:
    b = in[1].u16[2];
    form = LULLI_OP_STORE8_ADD_SHR;
    break;
  case LULLI_OP_I32_ADD_I:
    k = in[1].u32[1];
    break;
  case LULLI_OP_I32_SUB_I:
    k = 0u - in[1].u32[1];
    break;
  case LULLI_OP_I32_SHR_U_I:
    s = (uint16_t)(in[1].u32[1] & 31);
    break;
  case LULLI_OP_I32_ADD_I_SHR_U_I:
    s = in[1].u16[2];
    k = in[1].u16[3];
    break;
  default:
    return 0;
  }
  cell[1].u16[1] = a;
  cell[1].u16[2] = b;
  cell[1].u16[3] = s;
  cell[2].u32[0] = k;
  return form;
}

/* The _ADD_I form (a pointer step after it) of a byte store of a value
 * computed in place, or 0. */
static unsigned value_step_form(unsigned op) {
  switch (op) {
  case LULLI_OP_STORE8_ADD_SHR: return LULLI_OP_STORE8_ADD_SHR_ADD_I;
  case LULLI_OP_STORE8_ADDK_SHR: return LULLI_OP_STORE8_ADDK_SHR_ADD_I;
  default: return 0;
  }
}

/* The _RR form of load `op` (its address a sum of two values), or 0. */
static unsigned sum_form(unsigned op) {
  switch (op) {
  case LULLI_OP_LOAD32: return LULLI_OP_LOAD32_RR;
  case LULLI_OP_LOAD64: return LULLI_OP_LOAD64_RR;
  case LULLI_OP_LOAD8_U: return LULLI_OP_LOAD8_U_RR;
  case LULLI_OP_LOAD16_U: return LULLI_OP_LOAD16_U_RR;
  case LULLI_OP_V128_LOAD: return LULLI_OP_V128_LOAD_RR;
  default: return 0;
  }
}

/* The I16X8_ADD_EXT*_SHL form that takes in widening `op`, or 0. */
static unsigned widen_form(unsigned op) {
  switch (op) {
  case LULLI_OP_I16X8_EXTEND_LOW_I8X16_U: return LULLI_OP_I16X8_ADD_EXTLO_U_SHL;
  case LULLI_OP_I16X8_EXTEND_HIGH_I8X16_U: return LULLI_OP_I16X8_ADD_EXTHI_U_SHL;
  default: return 0;
  }
}

/* The _AKW form of load `op` (its pointer stepped into a local), or 0. */
static unsigned step_load_form(unsigned op) {
  switch (op) {
  case LULLI_OP_LOAD32: return LULLI_OP_LOAD32_AKW;
  case LULLI_OP_LOAD64: return LULLI_OP_LOAD64_AKW;
  case LULLI_OP_LOAD8_U: return LULLI_OP_LOAD8_U_AKW;
  default: return 0;
  }
}

/* The LOOP_ form of conditional jump `op` (its _BACK form taken), or 0. */
static unsigned loop_form(unsigned op) {
#define L(CMP)                                                                \
  case LULLI_OP_BR_##CMP:                                                     \
    return LULLI_OP_LOOP_##CMP;                                               \
  case LULLI_OP_BR_##CMP##_I:                                                 \
    return LULLI_OP_LOOP_##CMP##_I;
  switch (op) {
  case LULLI_OP_JMP:
    return LULLI_OP_LOOP_JMP;
  case LULLI_OP_JZ:
    return LULLI_OP_LOOP_JZ;
  case LULLI_OP_JNZ:
    return LULLI_OP_LOOP_JNZ;
  L(I32_EQ) L(I32_NE) L(I32_LT_S) L(I32_LT_U) L(I32_GT_S)
  L(I32_GT_U) L(I32_LE_S) L(I32_LE_U) L(I32_GE_S) L(I32_GE_U)
  default:
    return 0;
  }
#undef L
}

/* Whether the instruction of `op` at `at` ends right where `where` is. */
static int ends_at(const lullc *c, uint32_t at, unsigned op, uint32_t where) {
  return at != UINT32_MAX && where != UINT32_MAX &&
         at + lulli_op_length(op, &c->code[at]) == where;
}

/* Rewrites the pair at p (first) and l (second) into `op` at p; its
 * operand cells are built by the caller in `cell`.
 *
 * Trap sites (cell -> Wasm offset, sorted): the first instruction's stay
 * at their cells. The second's are dropped when the first has one, which
 * then stands for the pair (the pair checks its accesses at once: one
 * address, one check); else they move to p. With `two`, the pair makes
 * two checks in order, and the second's move just after the first's
 * (p + 1 for an access of its own): its handler traps with pc + 1. */
static void replace2(lullc *c, uint32_t p, unsigned op,
                     const lulli_cell *cell, int two) {
  unsigned ncells = lulli_op_info(op)->cells;
  uint32_t l = c->last_at;
  c->code[p].h = c->handlers[op];
  for (unsigned k = 1; k < ncells; k++)
    c->code[p + k] = cell[k];
  c->ncode = p + ncells;
  uint32_t n = c->ntraps, i = n, j;
  while (i > 0 && c->traps[i - 1].cell >= l)
    i--;
  for (j = i; j > 0 && c->traps[j - 1].cell >= p;)
    j--;
  if (i < n && i > j && !two)
    c->ntraps = i;
  else
    for (uint32_t k = i; k < n; k++)
      c->traps[k].cell = p + (two ? i - j : 0) + (k - i);
  c->last_at = p;
  c->last_op = (uint16_t)op;
  /* The instructions before the pair move up, as far as they are still
   * the ones right before it. */
  c->prev_at = ends_at(c, c->prev2_at, c->prev2_op, p) ? c->prev2_at
                                                         : UINT32_MAX;
  c->prev_op = c->prev2_op;
  c->prev2_at = UINT32_MAX;
  if (c->nhist && ends_at(c, c->hist_at[c->nhist - 1],
                          c->hist_op[c->nhist - 1], c->prev_at)) {
    c->nhist--;
    c->prev2_at = c->hist_at[c->nhist];
    c->prev2_op = c->hist_op[c->nhist];
  } else {
    c->nhist = 0;
  }
}

static void replace(lullc *c, uint32_t p, unsigned op, const lulli_cell *cell) {
  replace2(c, p, op, cell, 0);
}

/* Rewrites the last three instructions, from q (the one before the
 * pair), into `op` at q, as replace does with a pair; the instruction
 * before q, if the history still has it, is then the one before. */
static void replace3(lullc *c, uint32_t q, unsigned op,
                     const lulli_cell *cell, int two) {
  c->prev2_at = UINT32_MAX;
  if (c->nhist && ends_at(c, c->hist_at[c->nhist - 1],
                          c->hist_op[c->nhist - 1], q)) {
    c->nhist--;
    c->prev2_at = c->hist_at[c->nhist];
    c->prev2_op = c->hist_op[c->nhist];
  }
  replace2(c, q, op, cell, two);
}

/* Cell 1 of a pair's form: four 16-bit fields. */
static void fields(lulli_cell *cell, uint16_t f0, uint16_t f1, uint16_t f2,
                   uint16_t f3) {
  cell[1].u16[0] = f0;
  cell[1].u16[1] = f1;
  cell[1].u16[2] = f2;
  cell[1].u16[3] = f3;
}

/* The LOOP_R_ form (a step by a register) of LOOP_ form `op`, or 0. */
static unsigned loop_by_reg(unsigned op) {
#define R(CMP)                                                                \
  case LULLI_OP_LOOP_##CMP:                                                   \
    return LULLI_OP_LOOP_R_##CMP;
  switch (op) {
  R(JZ) R(JNZ) R(I32_EQ) R(I32_NE) R(I32_LT_S) R(I32_LT_U) R(I32_GT_S)
  R(I32_GT_U) R(I32_LE_S) R(I32_LE_U) R(I32_GE_S) R(I32_GE_U)
  default:
    return 0;
  }
#undef R
}

/* The open if whose jump to its else is the instruction at `at`, or
 * NULL. */
static lullc_ctrl *if_at(lullc *c, uint32_t at) {
  for (uint32_t i = c->nctrl; i > 0; i--)
    if (c->ctrl[i - 1].else_fixup == (int32_t)at)
      return &c->ctrl[i - 1];
  return NULL;
}

/* The jump at c->last_at moves to p, its target into cell p + field
 * (half `half`) of the instruction made there. A forward target still to
 * come is a fixup (the last one made, right after the jump), which moves
 * along, or an if's jump to its else or a br_if's over its moves
 * (c->skip), which move when the target goes where they are patched
 * (cell 1's high half); a known one (a loop's,
 * backwards) is rebased into *rel. Returns 0, changing nothing, when none
 * holds. */
static int move_jump(lullc *c, uint32_t p, uint32_t field, unsigned half,
                     int back, int32_t *rel) {
  uint32_t l = c->last_at;
  const lulli_cell *L = &c->code[l];
  lullc_fixup *x = c->nfix ? &c->fix[c->nfix - 1] : NULL;
  int pending = x && x->instr == l;
  int held = !back && field == 1 && half == 1;
  lullc_ctrl *f = held ? if_at(c, l) : NULL;
  int skip = held && c->skip == l;
  if (!back && !pending && !f && !skip && L[1].s32[1] >= 0)
    return 0;
  *rel = L[1].s32[1] + (int32_t)(l - p);
  if (pending) {
    x->instr = p;
    x->field = p + field;
    x->half = (uint8_t)half;
  }
  if (f)
    f->else_fixup = (int32_t)p;
  if (skip)
    c->skip = p;
  return 1;
}

/* The load-and-test form of load `lop` and test `jop` (JZ, JNZ), or 0. */
static unsigned load_jump_form(unsigned lop, unsigned jop) {
  if (lop == LULLI_OP_LOAD32)
    return jop == LULLI_OP_JZ ? LULLI_OP_JZ_L32 : LULLI_OP_JNZ_L32;
  if (lop == LULLI_OP_LOAD8_U)
    return jop == LULLI_OP_JZ ? LULLI_OP_JZ_L8 : LULLI_OP_JNZ_L8;
  return 0;
}

/* A jump and the instruction before it: a move or a constant that
 * compile_branch.c put in place for the branch (MOV_JMP, CONST_JMP), or
 * the load of the value a JZ or JNZ tests (a pointer, a byte: JZ_L32 and
 * the like, which still write it). One instruction at p; returns 1 when
 * it fused. */
static int fuse_jump(lullc *c, uint32_t p, unsigned pop, unsigned lop,
                     lulli_cell *cell) {
  uint32_t l = c->last_at;
  const lulli_cell *P = &c->code[p], *L = &c->code[l];
  int back = lop < LULLI_OP_COUNT_ &&
             lulli_op_info(lop)->back != LULLI_OP_NONE &&
             L->h == c->handlers[lulli_op_info(lop)->back];
  unsigned op;
  int32_t rel;
  if ((lop == LULLI_OP_JZ || lop == LULLI_OP_JNZ) &&
      load_jump_form(pop, lop) && L[1].u16[0] == P[1].u16[0]) {
    op = load_jump_form(pop, lop);
    if (!move_jump(c, p, 2, 0, back, &rel))
      return 0;
    cell[1] = P[1];
    cell[2].s32[0] = rel;
  } else if (lop == LULLI_OP_JMP &&
             (pop == LULLI_OP_MOV || pop == LULLI_OP_CONST32 ||
              pop == LULLI_OP_CONST64)) {
    op = pop == LULLI_OP_MOV ? LULLI_OP_MOV_JMP : LULLI_OP_CONST_JMP;
    if (!move_jump(c, p, 1, 1, back, &rel))
      return 0;
    cell[1].u16[0] = P[1].u16[0];
    if (pop == LULLI_OP_MOV)
      cell[1].u16[1] = P[1].u16[1];
    else
      cell[2].u64 = pop == LULLI_OP_CONST32 ? P[1].u32[1] : P[2].u64;
    cell[1].s32[1] = rel;
  } else {
    return 0;
  }
  if (back)
    op = lulli_op_info(op)->back;
  replace(c, p, op, cell);
  return 1;
}

/* The constant an i32.add (i32.sub) of one at `in` adds. */
static uint32_t imm_k(unsigned op, const lulli_cell *in) {
  return op == LULLI_OP_I32_SUB_I ? 0u - in[1].u32[1] : in[1].u32[1];
}

/* An access's offset and constant, [off32 k32], from load `op` at `in`
 * (plain: no constant; _AK: its own). */
static void load_ak(lulli_cell *out, unsigned op, const lulli_cell *in) {
  int ak = lulli_op_info(op)->format == LULLI_FMT_LOAD_AK;
  out->u32[0] = ak ? in[2].u32[0] : in[1].u32[1];
  out->u32[1] = ak ? in[1].u32[1] : 0;
}

static int temp(const lullc *c, uint16_t slot) {
  return slot >= c->local_slots;
}

/* The form of rotation sum `op` (or of one already adding a value) that
 * adds one value more, or 0. */
static unsigned sum_add_form(unsigned op) {
  switch (op) {
  case LULLI_OP_I32_ROTL3_XOR: return LULLI_OP_I32_ROTL3_XOR_ADD;
  case LULLI_OP_I32_ROTL3_XOR_ADD: return LULLI_OP_I32_ROTL3_XOR_ADD2;
  case LULLI_OP_I32_ROTL2_XOR_SHR: return LULLI_OP_I32_ROTL2_XOR_SHR_ADD;
  case LULLI_OP_I32_ROTL2_XOR_SHR_ADD: return LULLI_OP_I32_ROTL2_XOR_SHR_ADD2;
  default: return 0;
  }
}

/* Is the instruction at `at` `op` with operand a `a`, result `d` and (for
 * the _I forms) immediate `k`? */
static int is_op(const lullc *c, uint32_t at, unsigned op, uint16_t d,
                 uint16_t a, uint32_t k) {
  const lulli_cell *in = &c->code[at];
  return in->h == c->handlers[op] && in[1].u16[0] == d &&
         in[1].u16[1] == a && (lulli_op_info(op)->format != LULLI_FMT_I32 ||
                               in[1].u32[1] == k);
}

/* A byte swap as LLVM writes it out for Wasm, just ended by an I32_OR:
 *   t1 = x << 24; t2 = x << 8; t2 &= 0xff0000; t1 |= t2;
 *   t2 = x >> 8; t2 &= 0xff00; t3 = x >> 24; t2 |= t3; d = t1 | t2
 * nine instructions in a row, no label among them, t1..t3 temporaries
 * and x not one of them (a local). Becomes I32_BSWAP at the first one. */
static int fuse_bswap(lullc *c) {
  uint32_t at[9];
  unsigned n = c->nhist;
  if (n < 6 || c->prev2_at == UINT32_MAX)
    return 0;
  for (unsigned i = 0; i < 6; i++)
    at[i] = c->hist_at[n - 6 + i];
  at[6] = c->prev2_at;
  at[7] = c->prev_at;
  at[8] = c->last_at;
  for (unsigned i = 0; i < 8; i++)
    if (at[i] + 2 != at[i + 1])
      return 0;
  const lulli_cell *first = &c->code[at[0]];
  uint16_t t1 = first[1].u16[0], x = first[1].u16[1];
  uint16_t t2 = c->code[at[1] + 1].u16[0], t3 = c->code[at[6] + 1].u16[0];
  if (!temp(c, t1) || !temp(c, t2) || !temp(c, t3) || temp(c, x) ||
      t1 == t2 || t2 == t3 || t1 == t3)
    return 0;
  const lulli_cell *L = &c->code[at[8]];
  if (!is_op(c, at[0], LULLI_OP_I32_SHL_I, t1, x, 24) ||
      !is_op(c, at[1], LULLI_OP_I32_SHL_I, t2, x, 8) ||
      !is_op(c, at[2], LULLI_OP_I32_AND_I, t2, t2, 0xff0000) ||
      !is_op(c, at[3], LULLI_OP_I32_OR, t1, t1, 0) ||
      c->code[at[3] + 1].u16[2] != t2 ||
      !is_op(c, at[4], LULLI_OP_I32_SHR_U_I, t2, x, 8) ||
      !is_op(c, at[5], LULLI_OP_I32_AND_I, t2, t2, 0xff00) ||
      !is_op(c, at[6], LULLI_OP_I32_SHR_U_I, t3, x, 24) ||
      !is_op(c, at[7], LULLI_OP_I32_OR, t2, t2, 0) ||
      c->code[at[7] + 1].u16[2] != t3 || L[1].u16[1] != t1 ||
      L[1].u16[2] != t2)
    return 0;
  uint16_t d = L[1].u16[0];
  uint32_t p = at[0];
  memset(&c->code[p + 1], 0, sizeof(lulli_cell));
  c->code[p].h = c->handlers[LULLI_OP_I32_BSWAP];
  c->code[p + 1].u16[0] = d;
  c->code[p + 1].u16[1] = x;
  c->ncode = p + 2;
  c->last_at = p;
  c->last_op = LULLI_OP_I32_BSWAP;
  c->prev_at = c->prev2_at = UINT32_MAX;
  c->nhist = 0;
  return 1;
}

static int fuse_pair(lullc *c, unsigned next);
static int fuse_state(lullc *c, lulli_cell *cell);

void lullc_fuse(lullc *c, unsigned next) {
  while (!c->failed && c->last_at != UINT32_MAX && c->prev_at != UINT32_MAX &&
         fuse_pair(c, next))
    ;
}

/* Fuses the last two instructions if a rule applies; 1 if it did. */
static int fuse_pair(lullc *c, unsigned next) {
  uint32_t p = c->prev_at, l = c->last_at;
  unsigned pop = c->prev_op, lop = c->last_op;
  const lulli_cell *P = &c->code[p], *L = &c->code[l];
  lulli_cell cell[LULLI_CELLS_MAX];
  memset(cell, 0, sizeof cell);

  if (fuse_jump(c, p, pop, lop, cell))
    return 1;
  if (pop == LULLI_OP_I32_AND_I &&
      (lop == LULLI_OP_BR_I32_EQ_I || lop == LULLI_OP_BR_I32_NE_I ||
       lop == LULLI_OP_JZ || lop == LULLI_OP_JNZ) &&
      P[1].u16[0] == L[1].u16[0] && temp(c, P[1].u16[0])) {
    /* A masked value tested against a constant, or for zero (a bit
     * test): the mask's result a temporary that only the test reads. */
    int is_eq = lop == LULLI_OP_BR_I32_EQ_I || lop == LULLI_OP_JZ;
    int imm = lop == LULLI_OP_BR_I32_EQ_I || lop == LULLI_OP_BR_I32_NE_I;
    int back = L->h == c->handlers[lulli_op_info(lop)->back];
    int32_t rel;
    if (!move_jump(c, p, 1, 1, back, &rel))
      return 0;
    unsigned op = is_eq ? LULLI_OP_BR_I32_AND_EQ_I : LULLI_OP_BR_I32_AND_NE_I;
    cell[1].u16[0] = P[1].u16[1];
    cell[1].s32[1] = rel;
    cell[2].u32[0] = P[1].u32[1];
    cell[2].u32[1] = imm ? L[2].u32[0] : 0;
    replace(c, p, back ? lulli_op_info(op)->back : op, cell);
    return 1;
  }
  if (lop == LULLI_OP_I32_OR && fuse_bswap(c))
    return 1;
  if (sum_add_form(pop) &&
      (lop == LULLI_OP_I32_ADD || lop == LULLI_OP_I32_ADD3)) {
    /* A rotation sum (SHA-2's sigmas) added to one or two values, or one
     * more: the sum a temporary that is one of the addition's operands.
     * x may be that temporary, read before anything is written. */
    uint16_t t = P[1].u16[0], other[2];
    unsigned n = lop == LULLI_OP_I32_ADD ? 2 : 3, k = 0, seen = 0;
    for (unsigned i = 1; i <= n; i++) {
      uint16_t s = L[1].u16[i];
      if (s == t)
        seen++;
      else if (k < 2)
        other[k++] = s;
    }
    unsigned op = sum_add_form(pop);
    int adds = op == LULLI_OP_I32_ROTL3_XOR_ADD2 ||
               op == LULLI_OP_I32_ROTL2_XOR_SHR_ADD2;
    if (!temp(c, t) || seen != 1 || (adds && lop != LULLI_OP_I32_ADD))
      return 0;
    if (!adds && k == 2)
      op = sum_add_form(op);
    cell[1] = P[1];
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u16[0] = adds ? P[2].u16[0] : other[0];
    if (adds || k == 2)
      cell[2].u16[1] = adds ? other[0] : other[1];
    replace(c, p, op, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD && lop == LULLI_OP_RET0 && P[1].u16[0] == 0) {
    cell[1] = P[1];
    replace(c, p, LULLI_OP_I32_ADD_RET, cell);
    return 1;
  }
  if (pop == LULLI_OP_MOV && lop == LULLI_OP_MOV) {
    fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
    replace(c, p, LULLI_OP_MOV_MOV, cell);
    return 1;
  }
  if (pop == LULLI_OP_MOV_MOV && lop == LULLI_OP_MOV_MOV) {
    cell[1] = P[1];
    cell[2] = L[1];
    replace(c, p, LULLI_OP_MOV4, cell);
    return 1;
  }
  if (pop == LULLI_OP_MOV4 && lop == LULLI_OP_MOV4) {
    lulli_cell moves[5] = {{0}, P[1], P[2], L[1], L[2]};
    replace(c, p, LULLI_OP_MOV8, moves);
    return 1;
  }
  unsigned form;
  if (lop == LULLI_OP_STORE8 && temp(c, P[1].u16[0]) &&
      L[1].u16[1] == P[1].u16[0] && L[1].u16[0] != P[1].u16[0] &&
      (form = store8_value_form(pop, P, cell))) {
    /* A byte computed, then stored: the value a temporary only the
     * store reads (not its address, which an access of its own may
     * take instead). */
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u32[1] = L[1].u32[1];
    replace(c, p, form, cell);
    return 1;
  }
  if ((form = value_step_form(pop)) && lop == LULLI_OP_I32_ADD_I &&
      !loop_form(next) && !(takes_k(next) && temp(c, L[1].u16[0]))) {
    /* ... then a pointer's step, as STORE8_ADD_I takes it. */
    cell[1] = P[1];
    cell[2] = P[2];
    cell[3].u16[0] = L[1].u16[0];
    cell[3].u16[1] = L[1].u16[1];
    cell[3].u32[1] = L[1].u32[1];
    replace(c, p, form, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      is_store_i(lop)) {
    /* A constant stored at a + k (a - k): memset's unrolled loops. */
    uint16_t t = P[1].u16[0];
    if (L[1].u16[0] != t || !temp(c, t))
      return 0;
    cell[1].u16[0] = P[1].u16[1];
    cell[1].u32[1] = pop == LULLI_OP_I32_SUB_I ? 0u - P[1].u32[1]
                                               : P[1].u32[1];
    cell[2].u32[0] = L[1].u32[1];
    cell[3] = L[2];
    replace(c, p, lulli_op_info(lop)->fused, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_SHL_I &&
      (lop == LULLI_OP_LOAD32 || lop == LULLI_OP_LOAD32_AK)) {
    /* A table's element: (x << s) + k, the shifted index a temporary. */
    uint16_t t = P[1].u16[0];
    int ak = lop == LULLI_OP_LOAD32_AK;
    if (L[1].u16[1] != t || !temp(c, t))
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], (uint16_t)(P[1].u32[1] & 31), 0);
    cell[2].u32[0] = ak ? L[1].u32[1] : 0;
    cell[2].u32[1] = ak ? L[2].u32[0] : L[1].u32[1];
    replace(c, p, LULLI_OP_LOAD32_SK, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_XOR_I && P[1].u32[1] == UINT32_MAX &&
       lop == LULLI_OP_I32_AND) ||
      (pop == LULLI_OP_I32_XOR && lop == LULLI_OP_I32_AND) ||
      (pop == LULLI_OP_I32_AND && lop == LULLI_OP_I32_XOR)) {
    /* a & ~b, (a ^ b) & c, (a & b) ^ c: the first result a temporary
     * that is one operand of the second. */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    uint16_t other = a == t ? b : a;
    if (pop == LULLI_OP_I32_XOR_I) {
      fields(cell, L[1].u16[0], other, P[1].u16[1], 0);
      replace(c, p, LULLI_OP_I32_ANDN, cell);
    } else {
      fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], other);
      replace(c, p,
              pop == LULLI_OP_I32_XOR ? LULLI_OP_I32_XOR_AND
                                      : LULLI_OP_I32_AND_XOR,
              cell);
    }
    return 1;
  }
  if (pop == LULLI_OP_CONST64 && const_form(lop, 0)) {
    /* An f64 operation on a constant: the constant moves into it. */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    fields(cell, L[1].u16[0], a == t ? b : a, 0, 0);
    cell[2] = P[2];
    replace(c, p, const_form(lop, a == t), cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      step_load_form(lop) && !temp(c, P[1].u16[0]) &&
      L[1].u16[1] == P[1].u16[0] && leaves_load(next)) {
    /* A pointer (a local) stepped, then read through: the step stays.
     * Only when what follows takes no load into a fusion of its own
     * (arithmetic on the loaded value may, and saves more). */
    fields(cell, L[1].u16[0], P[1].u16[1], 0, 0);
    cell[1].u32[1] = pop == LULLI_OP_I32_SUB_I ? 0u - P[1].u32[1]
                                               : P[1].u32[1];
    cell[2].u32[0] = L[1].u32[1];
    cell[2].u16[2] = P[1].u16[0];
    replace(c, p, step_load_form(lop), cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      (is_load(lop) || is_store(lop))) {
    /* The address a + k (a - k), computed into a temporary the access
     * reads. */
    uint16_t t = P[1].u16[0];
    uint16_t addr = is_load(lop) ? L[1].u16[1] : L[1].u16[0];
    if (addr != t || !temp(c, t) || (is_store(lop) && L[1].u16[1] == t))
      return 0;
    if (is_load(lop)) {
      cell[1].u16[0] = L[1].u16[0]; /* d */
      cell[1].u16[1] = P[1].u16[1]; /* a */
    } else {
      cell[1].u16[0] = P[1].u16[1]; /* a */
      cell[1].u16[1] = L[1].u16[1]; /* v */
    }
    cell[1].u32[1] = pop == LULLI_OP_I32_SUB_I ? 0u - P[1].u32[1]
                                               : P[1].u32[1]; /* k */
    cell[2].u32[0] = L[1].u32[1]; /* off */
    replace(c, p, lulli_op_info(lop)->fused, cell);
    return 1;
  }
  if (pop == LULLI_OP_LOAD32 && lop == LULLI_OP_I32_MUL_M_ADD) {
    /* mc + x * mb, mc loaded just before: the loaded temporary is the
     * addend only, not x nor mb's address. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[3] != t || L[1].u16[1] == t ||
        L[1].u16[2] == t)
      return 0;
    fields(cell, L[1].u16[0], L[1].u16[1], L[1].u16[2], P[1].u16[1]);
    cell[2] = L[2];
    cell[3].u32[0] = P[1].u32[1];
    replace2(c, p, LULLI_OP_I32_MADD_M2, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_LOAD32 || pop == LULLI_OP_LOAD32_AK) &&
      lop == LULLI_OP_STORE32 && L[1].u16[1] == P[1].u16[0]) {
    /* A word copied in memory: the load's value, still written to its
     * slot, is what the store stores; the store checks second. */
    int ak = pop == LULLI_OP_LOAD32_AK;
    cell[1].u16[0] = P[1].u16[0];
    cell[1].u16[1] = P[1].u16[1];
    cell[1].u32[1] = ak ? P[1].u32[1] : 0;
    cell[2].u32[0] = ak ? P[2].u32[0] : P[1].u32[1];
    cell[3].u16[0] = L[1].u16[0];
    cell[3].u32[1] = L[1].u32[1];
    replace2(c, p, LULLI_OP_LOAD32_AK_ST, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_LOAD32 || pop == LULLI_OP_LOAD32_AK) &&
      lop == LULLI_OP_LOAD32_ASH_ST && L[1].u16[2] == P[1].u16[0] &&
      temp(c, P[1].u16[0]) && L[1].u16[1] != P[1].u16[0] &&
      L[3].u16[0] != P[1].u16[0]) {
    /* An element at an index just loaded, copied elsewhere (a VM pushing
     * one of its registers): three accesses in order, each trapping at
     * its own cell. The index, a temporary only the element's address
     * reads, is not written. */
    int ak = pop == LULLI_OP_LOAD32_AK;
    cell[1] = L[1];
    cell[2] = L[2];
    cell[3] = L[3];
    cell[4].u16[0] = P[1].u16[0];
    cell[4].u16[1] = P[1].u16[1];
    cell[4].u32[1] = ak ? P[1].u32[1] : 0;
    cell[5].u32[0] = ak ? P[2].u32[0] : P[1].u32[1];
    replace2(c, p, LULLI_OP_LOAD32_AK_ASH_ST, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_LOAD8_U || pop == LULLI_OP_LOAD8_U_AK ||
       pop == LULLI_OP_LOAD8_U_RR) &&
      (lop == LULLI_OP_I32_ADD_SHL_I || lop == LULLI_OP_I32_ADD) &&
      temp(c, P[1].u16[0]) &&
      (L[1].u16[2] == P[1].u16[0]) != (L[1].u16[1] == P[1].u16[0]) &&
      (lop == LULLI_OP_I32_ADD || L[1].u16[2] == P[1].u16[0])) {
    /* x + (byte << s), x + byte: the byte a temporary the sum reads
     * once (the shifted operand of I32_ADD_SHL_I). */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    uint16_t s = lop == LULLI_OP_I32_ADD ? 0 : L[1].u16[3];
    cell[1].u16[0] = L[1].u16[0];
    cell[1].u16[1] = b == t ? a : b;
    if (pop == LULLI_OP_LOAD8_U_RR) {
      cell[1].u16[2] = P[1].u16[1];
      cell[1].u16[3] = P[1].u16[2];
      cell[2].u32[0] = P[2].u32[0];
      cell[2].u16[2] = P[1].u16[3];
      cell[2].u16[3] = s;
      replace(c, p, LULLI_OP_I32_ADD_SHL_M8_RR, cell);
    } else {
      cell[1].u16[2] = P[1].u16[1];
      cell[1].u16[3] = s;
      load_ak(cell + 2, pop, P);
      replace(c, p, LULLI_OP_I32_ADD_SHL_M8, cell);
    }
    return 1;
  }
  if (pop == LULLI_OP_LOAD32 || pop == LULLI_OP_LOAD64 ||
      pop == LULLI_OP_LOAD32_AK || pop == LULLI_OP_LOAD64_AK) {
    /* d = x OP loaded, the loaded value in a temporary read once. */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    unsigned op = mem_form(lop, pop, b == t);
    if (!op)
      return 0;
    int ak = pop == LULLI_OP_LOAD32_AK || pop == LULLI_OP_LOAD64_AK;
    cell[1].u16[0] = L[1].u16[0];
    cell[1].u16[1] = b == t ? a : b;
    cell[1].u16[2] = P[1].u16[1];
    cell[2].u32[0] = ak ? P[2].u32[0] : P[1].u32[1]; /* off */
    cell[2].u32[1] = ak ? P[1].u32[1] : 0;           /* k */
    replace(c, p, op, cell);
    return 1;
  }
  unsigned store = 0, to = to_form(pop, &store);
  if (to && lop == store) {
    /* m = x OP m: the result, a temporary, stored where m came from (the
     * same address slot, no k, the same offset and width), and the
     * address not overwritten by the result. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[0] != P[1].u16[2] ||
        P[1].u16[2] == t || P[2].u32[1] != 0 || L[1].u32[1] != P[2].u32[0])
      return 0;
    cell[1].u16[1] = P[1].u16[1];
    cell[1].u16[2] = P[1].u16[2];
    cell[2] = P[2];
    replace(c, p, to, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ROTL_I && lop == LULLI_OP_I32_XOR_ROTL_I) {
    /* rotl(x, a) ^ rotl(x, b), x not the temporary the first wrote. */
    uint16_t t = P[1].u16[0], x = P[1].u16[1];
    if (!temp(c, t) || x == t || L[1].u16[1] != t || L[1].u16[2] != x)
      return 0;
    fields(cell, L[1].u16[0], x, (uint16_t)(P[1].u32[1] & 31), L[1].u16[3]);
    replace(c, p, LULLI_OP_I32_ROTL2_XOR, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ROTL2_XOR &&
      (lop == LULLI_OP_I32_XOR_ROTL_I || lop == LULLI_OP_I32_XOR_SHR_U_I)) {
    /* ... ^ rotl(x, c) or ^ (x >> c), of the same x. */
    uint16_t t = P[1].u16[0], x = P[1].u16[1];
    if (!temp(c, t) || x == t || L[1].u16[1] != t || L[1].u16[2] != x)
      return 0;
    fields(cell, L[1].u16[0], x, (uint16_t)(P[1].u16[2] | P[1].u16[3] << 8),
           L[1].u16[3]);
    replace(c, p,
            lop == LULLI_OP_I32_XOR_ROTL_I ? LULLI_OP_I32_ROTL3_XOR
                                           : LULLI_OP_I32_ROTL2_XOR_SHR,
            cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_MADD_M2 && lop == LULLI_OP_STORE32) {
    /* ... stored back to mc's place: the same address slot and offset,
     * the address not the result. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[0] != P[1].u16[3] ||
        P[1].u16[3] == t || L[1].u32[1] != P[3].u32[0] || P[3].u32[1] != 0)
      return 0;
    cell[1] = P[1];
    cell[1].u16[0] = 0;
    cell[2] = P[2];
    cell[3] = P[3];
    replace(c, p, LULLI_OP_I32_MADD_TO, cell);
    return 1;
  }
  if (pop == LULLI_OP_F64_MUL_M && lop == LULLI_OP_F64_ADD_TO) {
    /* mc += x * mb: the product, a temporary, is what the update adds;
     * the update's address is not the product. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t)
      return 0;
    fields(cell, 0, P[1].u16[1], P[1].u16[2], L[1].u16[2]);
    cell[2] = P[2];
    cell[3].u32[0] = L[2].u32[0];
    replace2(c, p, LULLI_OP_F64_MADD_TO, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      (lop == LULLI_OP_I32_MADD_TO || lop == LULLI_OP_F64_MADD_TO) &&
      L[1].u16[3] == P[1].u16[0] && L[3].u32[1] == 0) {
    /* The update's address c + k stepped into a local just before it:
     * the step stays, written before the update reads anything. */
    cell[1] = L[1];
    cell[1].u16[0] = P[1].u16[0];
    cell[1].u16[3] = P[1].u16[1];
    cell[2] = L[2];
    cell[3].u32[0] = L[3].u32[0];
    cell[3].u32[1] = pop == LULLI_OP_I32_SUB_I ? 0u - P[1].u32[1]
                                               : P[1].u32[1];
    replace2(c, p,
             lop == LULLI_OP_I32_MADD_TO ? LULLI_OP_I32_MADD_TO_AKW
                                         : LULLI_OP_F64_MADD_TO_AKW,
             cell, 0);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      lop == LULLI_OP_F64_MUL3_ADD_TO && L[1].u16[1] == P[1].u16[0]) {
    /* A body's field at p - k stepped into a local, then updated: the
     * step stays; k must fit the 16 bits the update has room for. */
    uint32_t k = pop == LULLI_OP_I32_SUB_I ? 0u - P[1].u32[1] : P[1].u32[1];
    if ((int32_t)k != (int16_t)k)
      return 0;
    cell[1] = L[1];
    cell[1].u16[0] = P[1].u16[0];
    cell[1].u16[1] = P[1].u16[1];
    cell[2] = L[2];
    cell[2].u16[1] = (uint16_t)k;
    replace(c, p, LULLI_OP_F64_MUL3_ADD_TO_AKW, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_SHL_I || pop == LULLI_OP_I32_ADD_SHL_IK) &&
      lop == LULLI_OP_LOAD32 && L[1].u16[1] == P[1].u16[0] &&
      !temp(c, P[1].u16[0])) {
    /* An array's element whose address is kept in a local (a stack
     * slot's, read and later written): the sum stays, written first. */
    cell[1] = P[1];
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u32[0] = pop == LULLI_OP_I32_ADD_SHL_IK ? P[2].u32[0] : 0;
    cell[2].u32[1] = L[1].u32[1];
    cell[3].u16[0] = P[1].u16[0];
    replace(c, p, LULLI_OP_LOAD32_ASHW, cell);
    return 1;
  }
  if (pop == LULLI_OP_LOAD32_ASHW && lop == LULLI_OP_MOV &&
      L[1].u16[1] == P[3].u16[0] && L[1].u16[0] != P[1].u16[0] &&
      P[3].u16[0] != P[1].u16[0]) {
    /* The address copied out of its local right away (a stack slot's,
     * kept while the local moves on). Neither the copy nor the address
     * may share the loaded value's slot, which the load writes last. */
    cell[1] = P[1];
    cell[2] = P[2];
    cell[3].u16[0] = P[3].u16[0];
    cell[3].u16[1] = L[1].u16[0];
    replace(c, p, LULLI_OP_LOAD32_ASHW2, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_SHL_I || pop == LULLI_OP_I32_ADD_SHL_IK) &&
      (lop == LULLI_OP_LOAD32 || lop == LULLI_OP_LOAD32_AK)) {
    /* An array's element, its address a temporary the load reads; the
     * constants of the sum and of the load add up. */
    uint16_t t = P[1].u16[0];
    int ak = lop == LULLI_OP_LOAD32_AK;
    if (!temp(c, t) || L[1].u16[1] != t)
      return 0;
    cell[1] = P[1];
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u32[0] = (pop == LULLI_OP_I32_ADD_SHL_IK ? P[2].u32[0] : 0) +
                     (ak ? L[1].u32[1] : 0);
    cell[2].u32[1] = ak ? L[2].u32[0] : L[1].u32[1];
    replace(c, p, LULLI_OP_LOAD32_ASH, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_SHL_IK || pop == LULLI_OP_I32_ADD_SHL_I) &&
      (lop == LULLI_OP_LOAD32_AK_ST || lop == LULLI_OP_LOAD32_AK_ASH_ST)) {
    /* The store's address made just before the loads (a stack's top,
     * base + (sp << 2) + k): made first still, then kept in a register
     * for the store, never written. No load may read or write its slot,
     * which the store read after them. */
    int ash = lop == LULLI_OP_LOAD32_AK_ASH_ST;
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[3].u16[0] != t || L[1].u16[0] == t ||
        L[1].u16[1] == t || (ash && (L[4].u16[0] == t || L[4].u16[1] == t)))
      return 0;
    int ik = pop == LULLI_OP_I32_ADD_SHL_IK;
    unsigned last = ash ? 6 : 4;
    cell[1] = L[1];
    cell[2] = L[2];
    cell[3].u16[0] = t;
    cell[3].u16[1] = P[1].u16[1];
    cell[3].u16[2] = P[1].u16[2];
    cell[3].u16[3] = ik ? P[1].u16[3] : (uint16_t)(P[1].u16[3] & 31);
    if (ash) {
      cell[4] = L[4];
      cell[5] = L[5];
    }
    cell[last].u32[0] = ik ? P[2].u32[0] : 0;
    cell[last].u32[1] = L[3].u32[1];
    replace(c, p, ash ? LULLI_OP_LOAD32_AK_ASH_ST_W : LULLI_OP_LOAD32_AK_ST_W,
            cell);
    return 1;
  }
  if (pop == LULLI_OP_STORE32 && lop == LULLI_OP_MOV_JMP_BACK) {
    /* A case that stores its result, moves a counter on and jumps back:
     * the jump's target is known (a loop's), rebased to the pair. */
    cell[1] = P[1];
    cell[2].u16[0] = L[1].u16[0];
    cell[2].u16[1] = L[1].u16[1];
    cell[2].s32[1] = L[1].s32[1] + (int32_t)(l - p);
    replace(c, p, LULLI_OP_STORE32_MOV_JMP_BACK, cell);
    return 1;
  }
  if ((pop == LULLI_OP_LOAD32_ASH || pop == LULLI_OP_LOAD32_ASHB) &&
      lop == LULLI_OP_STORE32 && L[1].u16[1] == P[1].u16[0]) {
    /* A stack slot copied to another: the element, still written to its
     * slot, is the value stored (a popped one's step stays last). */
    int stepped = pop == LULLI_OP_LOAD32_ASHB;
    cell[1] = P[1];
    cell[2] = P[2];
    cell[3].u16[0] = L[1].u16[0];
    cell[3].u32[1] = L[1].u32[1];
    if (stepped)
      cell[4] = P[3];
    replace2(c, p, stepped ? LULLI_OP_LOAD32_ASHB_ST : LULLI_OP_LOAD32_ASH_ST,
             cell, 1);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD_SHL_I && lop == LULLI_OP_LOAD32_ASHB_ST &&
      ends_at(c, c->prev2_at, c->prev2_op, p) &&
      (c->prev2_op == LULLI_OP_LOAD32 || c->prev2_op == LULLI_OP_LOAD32_AK)) {
    /* A pop stored to an element at an index just loaded (a VM's
     * register set): x, the index, and p, the element's address, are
     * temporaries that only the sum and the store read, so they stay in
     * registers; the pop may neither read them nor write p. */
    uint32_t q = c->prev2_at;
    const lulli_cell *Q = &c->code[q];
    uint16_t x = Q[1].u16[0], pt = P[1].u16[0], pa = P[1].u16[1];
    uint16_t a = L[1].u16[1], b = L[1].u16[2], cc = L[4].u16[0];
    if (!temp(c, x) || !temp(c, pt) || P[1].u16[2] != x || pa == x ||
        L[3].u16[0] != pt || a == x || a == pt || cc == x || cc == pt ||
        b == pt || L[1].u16[0] == pt)
      return 0;
    int ak = c->prev2_op == LULLI_OP_LOAD32_AK;
    cell[1] = L[1];
    cell[2] = L[2];
    cell[3].u16[1] = pa;
    cell[3].u32[1] = L[3].u32[1];
    cell[4] = L[4];
    cell[5].u16[1] = Q[1].u16[1];
    cell[5].u32[1] = ak ? Q[1].u32[1] : 0;
    cell[6].u32[0] = ak ? Q[2].u32[0] : Q[1].u32[1];
    cell[6].u32[1] = P[1].u16[3];
    replace3(c, q, LULLI_OP_LOAD32_AK_SH_ASHB_ST, cell, 1);
    return 1;
  }
  if (pop == LULLI_OP_LOAD32_ASHW2 && lop == LULLI_OP_LOAD32_ASHB &&
      next != LULLI_OP_STORE32) {
    /* A stack machine's two operands, read in order; not a pop that a
     * store after it would rather take (LOAD32_ASHB_ST). */
    for (unsigned k = 1; k < LULLI_CELLS_LOAD32_ASHW2; k++) {
      cell[k] = P[k];
      cell[k + 3] = L[k];
    }
    replace2(c, p, LULLI_OP_LOAD32_ASHW2_ASHB, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      (lop == LULLI_OP_LOAD32_ASH || lop == LULLI_OP_LOAD32_ASH_ST) &&
      L[1].u16[2] == P[1].u16[0]) {
    /* A stack's pop: its pointer stepped (kept, maybe in a local), then
     * the slot it points at read; the step goes last, after any store's
     * cell. */
    int st = lop == LULLI_OP_LOAD32_ASH_ST;
    cell[1] = L[1];
    cell[2] = L[2];
    if (st)
      cell[3] = L[3];
    cell[3 + st].u16[0] = P[1].u16[1];
    cell[3 + st].u32[1] = imm_k(pop, P);
    replace2(c, p, st ? LULLI_OP_LOAD32_ASHB_ST : LULLI_OP_LOAD32_ASHB, cell,
             0);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      (lop == LULLI_OP_LOAD32_ASH || lop == LULLI_OP_LOAD32_ASH_ST ||
       lop == LULLI_OP_LOAD32_ASHB || lop == LULLI_OP_LOAD32_ASHB_ST)) {
    /* The element's base a + k in a temporary: k joins the element's
     * constant. Nothing else of the access may read that temporary. */
    uint16_t t = P[1].u16[0];
    unsigned n = lulli_op_info(lop)->cells;
    int st = lop == LULLI_OP_LOAD32_ASH_ST || lop == LULLI_OP_LOAD32_ASHB_ST;
    int stepped = lop == LULLI_OP_LOAD32_ASHB || lop == LULLI_OP_LOAD32_ASHB_ST;
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t ||
        (st && L[3].u16[0] == t) || (stepped && L[n - 1].u16[0] == t))
      return 0;
    /* The step comes first in the stepped forms: a base read from b
     * would see b stepped. */
    if (stepped && P[1].u16[1] == L[1].u16[2])
      return 0;
    for (unsigned k = 1; k < n; k++)
      cell[k] = L[k];
    cell[1].u16[1] = P[1].u16[1];
    cell[2].u32[0] += imm_k(pop, P);
    replace2(c, p, lop, cell, 0);
    return 1;
  }
  if (((pop == LULLI_OP_LOAD8_U_AK && lop == LULLI_OP_LOAD8_U_AK &&
        L[1].u16[1] != P[1].u16[0]) ||
       (pop == LULLI_OP_LOAD8_U_RR && lop == LULLI_OP_LOAD8_U_RR)) &&
      next != LULLI_OP_BR_TABLE) {
    /* Two byte loads in a row (of two rows, two strings): one dispatch,
     * each access checked and trapping at its own site; a second that
     * indexes by the first byte is LOAD8_U_L8's, one a br_table switches
     * on is BR_TABLE_L8's. */
    int rr = pop == LULLI_OP_LOAD8_U_RR;
    if (rr) {
      cell[1] = P[1];
      cell[2] = L[1];
    } else {
      fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
      cell[2].u32[0] = P[1].u32[1];
      cell[2].u32[1] = L[1].u32[1];
    }
    cell[3].u32[0] = P[2].u32[0];
    cell[3].u32[1] = L[2].u32[0];
    replace2(c, p, rr ? LULLI_OP_LOAD8_U_RR2 : LULLI_OP_LOAD8_U_AK2, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_LOAD8_U || pop == LULLI_OP_LOAD8_U_AK) &&
      (lop == LULLI_OP_LOAD8_U || lop == LULLI_OP_LOAD8_U_AK)) {
    /* table[text[i]]: the first byte the second's address, kept in its
     * slot (a local may hold it). */
    uint16_t t = P[1].u16[0];
    if (L[1].u16[1] != t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], t, 0);
    load_ak(cell + 2, pop, P);
    load_ak(cell + 3, lop, L);
    replace2(c, p, LULLI_OP_LOAD8_U_L8, cell, 1);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I) &&
      lop == LULLI_OP_I32_ADD_SHL_I) {
    /* (x + k) + (i << s): a stack's base, then its slot. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], L[1].u16[2], L[1].u16[3]);
    cell[2].u32[0] = imm_k(pop, P);
    replace(c, p, LULLI_OP_I32_ADD_SHL_IK, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD_SHL_I &&
      (lop == LULLI_OP_I32_ADD_I || lop == LULLI_OP_I32_SUB_I) &&
      !loop_form(next)) {
    /* (x + (i << s)) + k, the sum maybe kept in a local. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t)
      return 0;
    cell[1] = P[1];
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u32[0] = imm_k(lop, L);
    replace(c, p, LULLI_OP_I32_ADD_SHL_IK, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_SHL_I &&
      (lop == LULLI_OP_I32_ADD_I || lop == LULLI_OP_I32_SUB_I) &&
      L[1].u16[1] != P[1].u16[0] && !loop_form(next) &&
      !(takes_k(next) && temp(c, L[1].u16[0]))) {
    /* Two steps of their own: an instruction's address from its index,
     * then the index's increment (a bytecode loop's fetch). */
    fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
    cell[2].u32[0] = P[1].u32[1] & 31;
    cell[2].u32[1] = imm_k(lop, L);
    replace(c, p, LULLI_OP_I32_SHL_I_ADD_I, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_MUL_M && lop == LULLI_OP_I32_ADD) {
    /* y + x * m: a product accumulated. */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], a == t ? b : a);
    cell[2] = P[2];
    replace(c, p, LULLI_OP_I32_MUL_M_ADD, cell);
    return 1;
  }
  if (step_form(pop) && lop == LULLI_OP_I32_ADD_I && !loop_form(next) &&
      !(takes_k(next) && temp(c, L[1].u16[0]))) {
    /* A store, then a pointer's step; not one a loop's closing branch or
     * an access that follows would rather take. */
    fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
    cell[2].u32[0] = P[1].u32[1];
    cell[2].u32[1] = L[1].u32[1];
    replace(c, p, step_form(pop), cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD && sum_form(lop) &&
      L[1].u16[1] == P[1].u16[0]) {
    /* A load from a + b, the sum written too. */
    fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], P[1].u16[0]);
    cell[2].u32[0] = L[1].u32[1];
    replace(c, p, sum_form(lop), cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD3 && lop == LULLI_OP_I32_ADD) {
    /* a + b + c + e */
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    cell[1] = P[1];
    cell[1].u16[0] = L[1].u16[0];
    cell[2].u16[0] = a == t ? b : a;
    replace(c, p, LULLI_OP_I32_ADD4, cell);
    return 1;
  }
  if (pop == LULLI_OP_F64_MUL3 && lop == LULLI_OP_F64_SUB) {
    /* x - (a * b) * c */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[2] != t || L[1].u16[1] == t)
      return 0;
    fields(cell, L[1].u16[0], L[1].u16[1], P[1].u16[1], P[1].u16[2]);
    cell[2].u16[0] = P[1].u16[3];
    replace(c, p, LULLI_OP_F64_MUL3_SUB, cell);
    return 1;
  }
  if (pop == LULLI_OP_F64_MUL3 && lop == LULLI_OP_F64_ADD_TO) {
    /* m += (a * b) * c */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t)
      return 0;
    fields(cell, 0, L[1].u16[2], P[1].u16[1], P[1].u16[2]);
    cell[2].u16[0] = P[1].u16[3];
    cell[2].u32[1] = L[2].u32[0];
    replace(c, p, LULLI_OP_F64_MUL3_ADD_TO, cell);
    return 1;
  }
  if (pop == LULLI_OP_F64_MUL3_SUB && lop == LULLI_OP_STORE64 &&
      c->prev2_at != UINT32_MAX && c->prev2_op == LULLI_OP_LOAD64) {
    /* m -= (a * b) * c: m loaded just before the pair into the
     * temporary the subtraction starts from, the result stored back to
     * the same address slot and offset, which neither result wrote. */
    uint32_t q = c->prev2_at;
    const lulli_cell *Q = &c->code[q];
    uint16_t t = Q[1].u16[0], u = P[1].u16[0], addr = Q[1].u16[1];
    if (!temp(c, t) || !temp(c, u) || P[1].u16[1] != t ||
        P[1].u16[2] == t || P[1].u16[3] == t || P[2].u16[0] == t ||
        L[1].u16[1] != u || L[1].u16[0] != addr || addr == t ||
        addr == u || L[1].u32[1] != Q[1].u32[1])
      return 0;
    fields(cell, 0, addr, P[1].u16[2], P[1].u16[3]);
    cell[2].u16[0] = P[2].u16[0];
    cell[2].u32[1] = Q[1].u32[1];
    replace3(c, q, LULLI_OP_F64_MUL3_SUB_TO, cell, 0);
    return 1;
  }
  if (pop == LULLI_OP_F64_MUL && lop == LULLI_OP_F64_MUL) {
    /* (a * b) * c: the product on the left, as it was computed. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], L[1].u16[2]);
    replace(c, p, LULLI_OP_F64_MUL3, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_SHL_I || pop == LULLI_OP_I32_SHR_U_I ||
       pop == LULLI_OP_I32_ROTL_I || pop == LULLI_OP_I32_ADD) &&
      (lop == LULLI_OP_I32_XOR || lop == LULLI_OP_I32_ADD)) {
    /* Hashes and random generators: x ^ (y << k), and sums of three;
     * array indexing: x + (i << k). */
    int add = pop == LULLI_OP_I32_ADD;
    int index = pop == LULLI_OP_I32_SHL_I && lop == LULLI_OP_I32_ADD;
    if (add != (lop == LULLI_OP_I32_ADD) && !index)
      return 0;
    uint16_t t = P[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t))
      return 0;
    fields(cell, L[1].u16[0], a == t ? b : a, P[1].u16[1],
           add ? P[1].u16[2] : (uint16_t)(P[1].u32[1] & 31));
    unsigned op = add     ? LULLI_OP_I32_ADD3
                  : index ? LULLI_OP_I32_ADD_SHL_I
                  : pop == LULLI_OP_I32_SHL_I   ? LULLI_OP_I32_XOR_SHL_I
                  : pop == LULLI_OP_I32_SHR_U_I ? LULLI_OP_I32_XOR_SHR_U_I
                                                : LULLI_OP_I32_XOR_ROTL_I;
    replace(c, p, op, cell);
    return 1;
  }
  if ((pop == LULLI_OP_I32_ADD_I || pop == LULLI_OP_I32_SUB_I ||
       (pop == LULLI_OP_I32_ADD && loop_by_reg(loop_form(lop)))) &&
      loop_form(lop) &&
      L->h == c->handlers[lulli_op_info(lop)->back]) {
    /* A loop's step and its closing branch: the jump goes back, so its
     * target is known, and moves with it to the pair's first cell. A
     * step by a register (a stride) has its slot where k goes. */
    uint32_t k = P[1].u32[1];
    unsigned op = loop_form(lop);
    if (pop == LULLI_OP_I32_ADD) {
      op = loop_by_reg(op);
      k = P[1].u16[2];
    }
    fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
    cell[2].u32[0] = pop == LULLI_OP_I32_SUB_I ? 0u - k : k;
    cell[2].s32[1] = L[1].s32[1] + (int32_t)(l - p);
    if (lulli_op_info(op)->cells == 4)
      cell[3] = L[2];
    replace(c, p, op, cell);
    return 1;
  }
  if (pop == LULLI_OP_V128_LOAD_RR &&
      ((lop == LULLI_OP_I16X8_EXTEND_LOW_I8X16_U &&
        next != LULLI_OP_I16X8_SHL_I && next != LULLI_OP_I16X8_ADD) ||
       lop == LULLI_OP_I16X8_ADD_EXTLO_U_SHL)) {
    /* A row loaded (into a local, for its high half later) and its low
     * half widened, alone or added to a sum; not a widening that a sum
     * after it would rather take. The sum a + b of the address is a
     * temporary the load read. */
    uint16_t v = P[1].u16[0], w = P[1].u16[3];
    int add = lop == LULLI_OP_I16X8_ADD_EXTLO_U_SHL;
    if (!temp(c, w) || L[1].u16[add ? 2 : 1] != v ||
        (add && (L[1].u16[1] == v || L[1].u16[1] == w)))
      return 0;
    if (add) {
      fields(cell, L[1].u16[0], L[1].u16[1], P[1].u16[1], P[1].u16[2]);
      cell[2].u16[0] = v;
      cell[2].u16[1] = L[1].u16[3];
      cell[2].u32[1] = P[2].u32[0];
    } else {
      fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], v);
      cell[2].u32[0] = P[2].u32[0];
    }
    replace(c, p, add ? LULLI_OP_I16X8_ADD_EXTLO_U_SHL_RR
                      : LULLI_OP_V128_LOAD_RR_EXTLO_U, cell);
    return 1;
  }
  if (pop == LULLI_OP_I16X8_EXTEND_HIGH_I8X16_U &&
      lop == LULLI_OP_I16X8_ADD_EXTHI_U_SHL) {
    /* A sum that starts from a widened row: the first row's widening
     * (a temporary) is what the second row is added to. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[2] == t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], L[1].u16[2], L[1].u16[3]);
    replace(c, p, LULLI_OP_I16X8_EXT2HI_U_SHL, cell);
    return 1;
  }
  if (lop == LULLI_OP_I16X8_ADD && (widen_form(pop) ||
                                    (pop == LULLI_OP_I16X8_SHL_I &&
                                     c->prev2_at != UINT32_MAX &&
                                     widen_form(c->prev2_op)))) {
    /* x + (widened bytes << k): a weighted row added to a sum, the
     * widened (and shifted) value a temporary the sum reads once. */
    int shl = pop == LULLI_OP_I16X8_SHL_I;
    uint32_t q = shl ? c->prev2_at : p;
    const lulli_cell *Q = &c->code[q];
    uint16_t t = Q[1].u16[0], a = L[1].u16[1], b = L[1].u16[2];
    if (!temp(c, t) || (a == t) == (b == t) ||
        (shl && (P[1].u16[0] != t || P[1].u16[1] != t)))
      return 0;
    fields(cell, L[1].u16[0], a == t ? b : a, Q[1].u16[1],
           shl ? (uint16_t)(P[1].u32[1] & 15) : 0);
    if (shl)
      replace3(c, q, widen_form(c->prev2_op), cell, 0);
    else
      replace(c, p, widen_form(pop), cell);
    return 1;
  }
  if (lop == LULLI_OP_V128_AND_I && pop == LULLI_OP_I16X8_SHR_U_I &&
      c->prev2_at != UINT32_MAX && c->prev2_op == LULLI_OP_I16X8_ADD_I) {
    /* ((a + k) >> s) & m, each step's result a temporary the next
     * reads. */
    uint32_t q = c->prev2_at;
    const lulli_cell *Q = &c->code[q];
    uint16_t t = Q[1].u16[0], u = P[1].u16[0];
    if (!temp(c, t) || !temp(c, u) || P[1].u16[1] != t || L[1].u16[1] != u)
      return 0;
    fields(cell, L[1].u16[0], Q[1].u16[1], (uint16_t)(P[1].u32[1] & 15), 0);
    cell[2] = Q[2];
    cell[3] = Q[3];
    cell[4] = L[2];
    cell[5] = L[3];
    replace3(c, q, LULLI_OP_I16X8_ADD_SHR_U_AND_I, cell, 0);
    return 1;
  }
  if (pop == LULLI_OP_I8X16_NARROW_I16X8_U && lop == LULLI_OP_V128_STORE) {
    /* Packed to bytes and stored: the packed value a temporary. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t || L[1].u16[0] == t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], 0);
    cell[2].u32[0] = L[1].u32[1];
    replace(c, p, LULLI_OP_I8X16_NARROW_I16X8_U_STORE, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD_I && lop == LULLI_OP_I32_SHR_U_I &&
      P[1].u32[1] <= UINT16_MAX) {
    /* (a + k) >> s, the sum a temporary: a rounding division. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], (uint16_t)(L[1].u32[1] & 31),
           (uint16_t)P[1].u32[1]);
    replace(c, p, LULLI_OP_I32_ADD_I_SHR_U_I, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD && lop == LULLI_OP_I32_ADD_I_SHR_U_I) {
    /* (a + b + k) >> s: the sum a temporary the rounding shift reads. */
    uint16_t t = P[1].u16[0];
    if (!temp(c, t) || L[1].u16[1] != t)
      return 0;
    fields(cell, L[1].u16[0], P[1].u16[1], P[1].u16[2], L[1].u16[2]);
    cell[2].u32[0] = L[1].u16[3];
    replace(c, p, LULLI_OP_I32_ADD3_I_SHR_U, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD_I2 && lop == LULLI_OP_LOOP_I32_NE) {
    /* An unrolled loop's pointer steps, then its counter's step and
     * closing branch: the jump's target moves to the first cell. */
    cell[1] = L[1];
    cell[2].u32[0] = L[2].u32[0];
    cell[2].s32[1] = L[2].s32[1] + (int32_t)(l - p);
    cell[3] = P[1];
    cell[4] = P[2];
    replace(c, p, LULLI_OP_LOOP_A2_I32_NE, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_RSUB_I && lop == LULLI_OP_LOOP_I32_LT_U) {
    /* A value computed where the body's paths join (a tokenizer's
     * -start), then the loop's step and closing branch: it goes first,
     * as it came. */
    cell[1] = L[1];
    cell[2].u32[0] = L[2].u32[0];
    cell[2].s32[1] = L[2].s32[1] + (int32_t)(l - p);
    cell[3] = P[1];
    replace(c, p, LULLI_OP_LOOP_RSUB_I32_LT_U, cell);
    return 1;
  }
  if (pop == LULLI_OP_I32_ADD_I && lop == LULLI_OP_I32_ADD_I &&
      !takes_k(next)) {
    /* Leave the second one free to fuse with an access that follows. */
    fields(cell, P[1].u16[0], P[1].u16[1], L[1].u16[0], L[1].u16[1]);
    cell[2].u32[0] = P[1].u32[1];
    cell[2].u32[1] = L[1].u32[1];
    replace(c, p, LULLI_OP_I32_ADD_I2, cell);
    return 1;
  }
  return fuse_state(c, cell);
}

/* A state machine's next state: two constants in a row (CONST32_2), a
 * SELECT between two just set in temporaries (SELECT_K2); a copy loop's
 * closing test (LOOP_MOV_I32_LT_U_I). The pair is at p and l, as
 * fuse_pair has them. */
static int fuse_state(lullc *c, lulli_cell *cell) {
  uint32_t p = c->prev_at;
  unsigned pop = c->prev_op, lop = c->last_op;
  const lulli_cell *P = &c->code[p], *L = &c->code[c->last_at];
  if (pop == LULLI_OP_CONST32 && lop == LULLI_OP_CONST32) {
    fields(cell, P[1].u16[0], L[1].u16[0], 0, 0);
    cell[2].u32[0] = P[1].u32[1];
    cell[2].u32[1] = L[1].u32[1];
    replace(c, p, LULLI_OP_CONST32_2, cell);
    return 1;
  }
  if (pop == LULLI_OP_CONST32_2 && lop == LULLI_OP_SELECT) {
    uint16_t t1 = P[1].u16[0], t2 = P[1].u16[1], a = L[1].u16[1];
    uint16_t b = L[1].u16[2], cond = L[1].u16[3];
    if (!temp(c, t1) || !temp(c, t2) || t1 == t2 || cond == t1 ||
        cond == t2 || a != t1 || b != t2)
      return 0;
    fields(cell, L[1].u16[0], cond, 0, 0);
    cell[2] = P[2];
    replace(c, p, LULLI_OP_SELECT_K2, cell);
    return 1;
  }
  uint32_t q = c->prev2_at;
  if (pop == LULLI_OP_MOV && lop == LULLI_OP_JNZ &&
      L->h == c->handlers[LULLI_OP_JNZ_BACK] &&
      c->prev2_op == LULLI_OP_I32_LT_U_I && ends_at(c, q, c->prev2_op, p)) {
    /* A loop's test kept in a local, a move, the branch back on it: the
     * move must leave the test's local alone. */
    const lulli_cell *Q = &c->code[q];
    uint16_t t = Q[1].u16[0];
    if (L[1].u16[0] != t || P[1].u16[0] == t)
      return 0;
    fields(cell, t, Q[1].u16[1], P[1].u16[0], P[1].u16[1]);
    cell[2].u32[0] = Q[1].u32[1];
    cell[2].s32[1] = L[1].s32[1] + (int32_t)(c->last_at - q);
    replace3(c, q, LULLI_OP_LOOP_MOV_I32_LT_U_I, cell, 0);
    return 1;
  }
  return 0;
}
