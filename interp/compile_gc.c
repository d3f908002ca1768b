/*
 * compile_gc.c -- the struct and array instructions and the conversions
 * between the any and extern hierarchies (ops.h, gc_heap.c). Type
 * indices become engine ids; a struct field becomes its byte offset,
 * 8 bytes a slot, so struct.new copies its operands' slots whole, which
 * it finds together once they are in their home slots.
 */
#include "compile_internal.h"

/* Pops `n` operands (deepest first) into `slots`. */
static void pop_operands(lullc *c, unsigned n, uint16_t *slots) {
  for (unsigned i = 0; i < n; i++)
    slots[i] = lullc_operand(c, c->sp - n + i);
  c->sp -= n;
}

/* Puts the top n entries in their home slots, which follow each other,
 * pops them and returns the first one's slot (0 when n is 0). */
static uint16_t pop_together(lullc *c, uint32_t n) {
  if (!n)
    return 0;
  for (uint32_t i = c->sp - n; i < c->sp; i++)
    lullc_materialize(c, i);
  uint16_t first = c->stack[c->sp - n].home;
  c->sp -= n;
  return first;
}

static uint32_t engine_id(const lullc *c, uint32_t x) {
  return c->mod->type_ids[x];
}

static lull_valtype ref_to(const lullc *c, uint32_t x) {
  return lulld_vt_resolve(c->m, LULL_REF_INDEX(x, 0));
}

/* The operand type of a field of storage type `t`. */
static lull_valtype unpacked(const lullc *c, lull_valtype t) {
  return t == LULLD_PACKED_I8 || t == LULLD_PACKED_I16
             ? LULL_I32
             : lulld_vt_resolve(c->m, t);
}

/* An instruction [h][s0 s1 s2 s3][x y] of popped operands. */
static uint32_t emit4(lullc *c, lulli_op op, uint16_t s0, uint16_t s1,
                      uint16_t s2, uint16_t s3, uint32_t x, uint32_t y,
                      int trap) {
  uint32_t at = lullc_emit(c, op);
  c->code[at + 1].u16[0] = s0;
  c->code[at + 1].u16[1] = s1;
  c->code[at + 1].u16[2] = s2;
  c->code[at + 1].u16[3] = s3;
  if (lulli_op_info(op)->cells > 2) {
    c->code[at + 2].u32[0] = x;
    c->code[at + 2].u32[1] = y;
  }
  if (trap)
    lullc_trapsite(c, at);
  return at;
}

/* [h][d a imm32]. */
static void emit_imm(lullc *c, lulli_op op, uint16_t d, uint16_t a,
                     uint32_t imm) {
  uint32_t at = lullc_emit(c, op);
  c->code[at + 1].u16[0] = d;
  c->code[at + 1].u16[1] = a;
  c->code[at + 1].u32[1] = imm;
  lullc_trapsite(c, at);
}

/* An allocating instruction is a point where the collector may run:
 * gc_point records the stack before its operands are popped, gc_at
 * names the instruction once emitted. */
static uint32_t gc_point(lullc *c) { return lullc_gcmap(c); }

static void gc_at(lullc *c, uint32_t map, uint32_t at) {
  if (!c->failed)
    c->gcmaps[map].cell = at;
}

static const uint16_t get_packed[2][2] = {
    {LULLI_OP_STRUCT_GET_S8, LULLI_OP_STRUCT_GET_U8},
    {LULLI_OP_STRUCT_GET_S16, LULLI_OP_STRUCT_GET_U16}};

static void struct_op(lullc *c, const lulld_instr *in) {
  const lulld_module *m = c->m;
  uint16_t s[2];
  if (in->op == LULLD_OP_STRUCT_NEW || in->op == LULLD_OP_STRUCT_NEW_DEFAULT) {
    const lulld_functype *ft = &m->types[in->u.index];
    uint32_t slots = 0;
    for (uint32_t k = 0; k < ft->nfields; k++)
      slots += lulld_slots_of(ft->types[k]);
    uint16_t a = 0;
    if (in->op == LULLD_OP_STRUCT_NEW)
      for (uint32_t i = c->sp - ft->nfields; i < c->sp; i++)
        lullc_materialize(c, i);
    uint32_t map = gc_point(c);
    if (in->op == LULLD_OP_STRUCT_NEW)
      a = pop_together(c, ft->nfields);
    uint16_t d = lullc_result(c, ref_to(c, in->u.index));
    gc_at(c, map,
          emit4(c, LULLI_OP_STRUCT_NEW, d, a, 0, 0, engine_id(c, in->u.index),
                in->op == LULLD_OP_STRUCT_NEW ? 8 * slots : 0, 1));
    return;
  }
  const lulld_functype *ft = &m->types[in->u.pair.a];
  uint32_t y = in->u.pair.b, off = 0;
  for (uint32_t k = 0; k < y; k++)
    off += 8 * lulld_slots_of(ft->types[k]);
  lull_valtype t = ft->types[y];
  int wide = t == LULL_V128;
  if (in->op == LULLD_OP_STRUCT_SET) {
    lulli_op op = wide ? LULLI_OP_STRUCT_SET2 : LULLI_OP_STRUCT_SET;
    uint32_t top = lulld_vt_is_ref(t) ? lulld_vt_top(t) : 0;
    if (top == LULL_HT_ANY)
      op = LULLI_OP_STRUCT_SET_ANY;
    else if (top == LULL_HT_EXTERN)
      op = LULLI_OP_STRUCT_SET_EXTERN;
    pop_operands(c, 2, s);
    emit_imm(c, op, s[0], s[1], off);
    return;
  }
  pop_operands(c, 1, s);
  uint16_t d = lullc_result(c, unpacked(c, t));
  lulli_op op = wide ? LULLI_OP_STRUCT_GET2 : LULLI_OP_STRUCT_GET;
  if (in->op != LULLD_OP_STRUCT_GET)
    op = (lulli_op)get_packed[t == LULLD_PACKED_I16]
                             [in->op == LULLD_OP_STRUCT_GET_U];
  emit_imm(c, op, d, s[0], off);
}

static void array_new(lullc *c, const lulld_instr *in) {
  uint16_t s[2];
  uint32_t x = in->op == LULLD_OP_ARRAY_NEW || in->op == LULLD_OP_ARRAY_NEW_DEFAULT
                   ? in->u.index
                   : in->u.pair.a;
  uint32_t id = engine_id(c, x);
  if (in->op == LULLD_OP_ARRAY_NEW_FIXED)
    for (uint32_t i = c->sp - in->u.pair.b; i < c->sp; i++)
      lullc_materialize(c, i);
  uint32_t map = gc_point(c), at;
  switch (in->op) {
  case LULLD_OP_ARRAY_NEW: {
    pop_operands(c, 2, s);
    uint16_t d = lullc_result(c, ref_to(c, x));
    at = emit4(c, LULLI_OP_ARRAY_NEW, d, s[0], s[1], 0, id, 0, 1);
    break;
  }
  case LULLD_OP_ARRAY_NEW_DEFAULT: {
    pop_operands(c, 1, s);
    uint16_t d = lullc_result(c, ref_to(c, x));
    at = emit4(c, LULLI_OP_ARRAY_NEW, d, 0, s[0], 0, id, 1, 1);
    break;
  }
  case LULLD_OP_ARRAY_NEW_FIXED: {
    uint16_t a = pop_together(c, in->u.pair.b);
    uint16_t d = lullc_result(c, ref_to(c, x));
    at = emit4(c, LULLI_OP_ARRAY_NEW_FIXED, d, a, 0, 0, id, in->u.pair.b, 1);
    break;
  }
  default: { /* array.new_data, array.new_elem */
    pop_operands(c, 2, s);
    uint16_t d = lullc_result(c, ref_to(c, x));
    at = emit4(c,
               in->op == LULLD_OP_ARRAY_NEW_DATA ? LULLI_OP_ARRAY_NEW_DATA
                                                 : LULLI_OP_ARRAY_NEW_ELEM,
               d, s[0], s[1], 0, id, in->u.pair.b, 1);
    break;
  }
  }
  gc_at(c, map, at);
}

static void array_op(lullc *c, const lulld_instr *in) {
  uint16_t s[5];
  switch (in->op) {
  case LULLD_OP_ARRAY_GET:
  case LULLD_OP_ARRAY_GET_S:
  case LULLD_OP_ARRAY_GET_U: {
    lull_valtype t = c->m->types[in->u.index].types[0];
    pop_operands(c, 2, s);
    uint16_t d = lullc_result(c, unpacked(c, t));
    emit4(c,
          in->op == LULLD_OP_ARRAY_GET_S ? LULLI_OP_ARRAY_GET_S
                                         : LULLI_OP_ARRAY_GET,
          d, s[0], s[1], 0, 0, 0, 1);
    return;
  }
  case LULLD_OP_ARRAY_SET:
    pop_operands(c, 3, s);
    emit4(c, LULLI_OP_ARRAY_SET, s[0], s[1], s[2], 0, 0, 0, 1);
    return;
  case LULLD_OP_ARRAY_LEN: {
    pop_operands(c, 1, s);
    uint16_t d = lullc_result(c, LULL_I32);
    emit4(c, LULLI_OP_ARRAY_LEN, d, s[0], 0, 0, 0, 0, 1);
    return;
  }
  case LULLD_OP_ARRAY_FILL:
    pop_operands(c, 4, s);
    emit4(c, LULLI_OP_ARRAY_FILL, s[0], s[1], s[2], s[3], 0, 0, 1);
    return;
  case LULLD_OP_ARRAY_COPY:
    pop_operands(c, 5, s);
    emit4(c, LULLI_OP_ARRAY_COPY, s[0], s[1], s[2], s[3], s[4], 0, 1);
    return;
  default: /* array.init_data, array.init_elem */
    pop_operands(c, 4, s);
    emit4(c,
          in->op == LULLD_OP_ARRAY_INIT_DATA ? LULLI_OP_ARRAY_INIT_DATA
                                             : LULLI_OP_ARRAY_INIT_ELEM,
          s[0], s[1], s[2], s[3], in->u.pair.b, 0, 1);
    return;
  }
}

int lullc_gc_op(lullc *c, const lulld_instr *in) {
  uint16_t s[1];
  switch (in->op) {
  case LULLD_OP_STRUCT_NEW:
  case LULLD_OP_STRUCT_NEW_DEFAULT:
  case LULLD_OP_STRUCT_GET:
  case LULLD_OP_STRUCT_GET_S:
  case LULLD_OP_STRUCT_GET_U:
  case LULLD_OP_STRUCT_SET:
    struct_op(c, in);
    return 0;
  case LULLD_OP_ARRAY_NEW:
  case LULLD_OP_ARRAY_NEW_DEFAULT:
  case LULLD_OP_ARRAY_NEW_FIXED:
  case LULLD_OP_ARRAY_NEW_DATA:
  case LULLD_OP_ARRAY_NEW_ELEM:
    array_new(c, in);
    return 0;
  case LULLD_OP_ARRAY_GET:
  case LULLD_OP_ARRAY_GET_S:
  case LULLD_OP_ARRAY_GET_U:
  case LULLD_OP_ARRAY_SET:
  case LULLD_OP_ARRAY_LEN:
  case LULLD_OP_ARRAY_FILL:
  case LULLD_OP_ARRAY_COPY:
  case LULLD_OP_ARRAY_INIT_DATA:
  case LULLD_OP_ARRAY_INIT_ELEM:
    array_op(c, in);
    return 0;
  case LULLD_OP_ANY_CONVERT_EXTERN:
  case LULLD_OP_EXTERN_CONVERT_ANY: {
    int to_any = in->op == LULLD_OP_ANY_CONVERT_EXTERN;
    lull_valtype t = c->stack[c->sp - 1].type;
    int nullable = LULL_VT_IS_NULLABLE(t);
    uint32_t map = gc_point(c);
    pop_operands(c, 1, s);
    uint16_t d = lullc_result(
        c, LULL_REF(to_any ? LULL_HT_ANY : LULL_HT_EXTERN, nullable));
    gc_at(c, map,
          emit4(c,
                to_any ? LULLI_OP_ANY_CONVERT_EXTERN
                       : LULLI_OP_EXTERN_CONVERT_ANY,
                d, s[0], 0, 0, 0, 0, 1));
    return 0;
  }
  default:
    return -1;
  }
}
