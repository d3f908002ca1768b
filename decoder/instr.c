/*
 * instr.c -- the opcode tables generated from opcodes.h, and reading one
 * instruction with its immediates.
 */
#include "instr.h"

#define INFO(name, code, text, imm, p1, p2, p3, r, a)                        \
  [code] = {text, LULLD_IMM_##imm, {p1, p2, p3}, r, a},

static const lulld_opinfo info_main[256] = {LULLD_OPCODES(INFO)};
static const lulld_opinfo info_fb[LULLD_FB_COUNT] = {LULLD_OPCODES_FB(INFO)};
static const lulld_opinfo info_fc[18] = {LULLD_OPCODES_FC(INFO)};
static const lulld_opinfo info_fd[256] = {LULLD_OPCODES_FD(INFO)};
static const lulld_opinfo info_fdr[LULLD_RELAXED_COUNT] = {
    LULLD_OPCODES_FD_RELAXED(INFO)};
#undef INFO

const lulld_opinfo *lulld_opinfo_of(uint16_t op) {
  const lulld_opinfo *i = NULL;
  if (op < 0x100)
    i = &info_main[op];
  else if ((op >> 8) == 0xFB && (op & 0xFF) < LULLD_FB_COUNT)
    i = &info_fb[op & 0xFF];
  else if ((op >> 8) == 0xFC && (op & 0xFF) < 18)
    i = &info_fc[op & 0xFF];
  else if ((op >> 8) == 0xFD)
    i = &info_fd[op & 0xFF];
  else if ((op >> 8) == LULLD_OP_FD_RELAXED && (op & 0xFF) < LULLD_RELAXED_COUNT)
    i = &info_fdr[op & 0xFF];
  return i && i->name ? i : NULL;
}

const char *lulld_op_name(uint16_t op) {
  const lulld_opinfo *i = lulld_opinfo_of(op);
  return i ? i->name : "<unknown>";
}

static void zero_byte(lulld_reader *r) {
  size_t at = r->pos;
  if (lulld_read_u8(r) != 0)
    lulld_reader_fail(r, "zero byte expected", at);
}

/* A memory index: any u32 with multi-memory, else a 0x00 byte. */
static uint32_t mem_index(lulld_reader *r, uint32_t features) {
  if (features & LULL_FEATURE_MULTI_MEMORY)
    return lulld_read_u32(r);
  zero_byte(r);
  return 0;
}

/* A block type: 0x40 (empty), a value type, or a type index, all read
 * as one s33 whose one-byte negative values are the first two (the 0x63
 * and 0x64 reference forms go on with a heap type). */
static void block_type(lulld_reader *r, uint32_t features, lulld_instr *in) {
  size_t at = r->pos;
  in->u.block = LULLD_BLOCK_EMPTY;
  if (r->pos < r->end && (r->base[r->pos] & 0xC0) == 0x40) {
    /* A one-byte negative number: empty or a value type. */
    if (r->base[r->pos] == 0x40) {
      r->pos++;
      return;
    }
    lull_valtype t;
    if (lulld_read_valtype(r, features, 0, &t) == 0) {
      in->u.block = -(int64_t)t;
    } else if (strcmp(r->err, "malformed value type") == 0) {
      /* The same byte is named as what it is here. */
      r->err = "malformed block type";
      r->err_pos = at;
    }
    return;
  }
  int64_t bt = lulld_read_sleb(r, 33);
  if (!r->err && bt < 0)
    lulld_reader_fail(r, "malformed block type", at);
  in->u.block = bt;
}

int lulld_read_catch(lulld_reader *r, lulld_catch *out) {
  size_t at = r->pos;
  out->kind = lulld_read_u8(r);
  out->tag = 0;
  if (r->err)
    return -1;
  if (out->kind > LULLD_CATCH_ALL_REF) {
    lulld_reader_fail(r, "malformed catch clause", at);
    return -1;
  }
  if (out->kind <= LULLD_CATCH_REF)
    out->tag = lulld_read_u32(r);
  out->label = lulld_read_u32(r);
  return r->err ? -1 : 0;
}

int lulld_read_instr(lulld_reader *r, uint32_t features, lulld_instr *in) {
  in->offset = (uint32_t)r->pos;
  uint32_t op = lulld_read_u8(r);
  if (op == LULLD_OP_PREFIX_FC || op == LULLD_OP_PREFIX_FD ||
      (op == LULLD_OP_PREFIX_FB && (features & LULL_FEATURE_GC))) {
    uint32_t sub = lulld_read_u32(r);
    if (r->err)
      return -1;
    if (op == LULLD_OP_PREFIX_FD && sub >= LULLD_RELAXED_BASE &&
        sub < LULLD_RELAXED_BASE + LULLD_RELAXED_COUNT &&
        (features & LULL_FEATURE_RELAXED_SIMD)) {
      op = LULLD_OP_FD_RELAXED << 8 | (sub - LULLD_RELAXED_BASE);
    } else if (sub > 0xFF) {
      lulld_reader_fail(r, "illegal opcode", in->offset);
      return -1;
    } else {
      op = op << 8 | sub;
    }
  }
  if (r->err)
    return -1;
  const lulld_opinfo *info = lulld_opinfo_of((uint16_t)op);
  if (!info || (op < 0x100 && (LULLD_MAIN_FEATURE(op) & ~features))) {
    lulld_reader_fail(r, "illegal opcode", in->offset);
    return -1;
  }
  in->op = (uint16_t)op;
  in->imm = info->imm;
  switch ((lulld_imm)info->imm) {
  case LULLD_IMM_NONE:
    break;
  case LULLD_IMM_BLOCKTYPE:
    block_type(r, features, in);
    break;
  case LULLD_IMM_INDEX:
    in->u.index = lulld_read_u32(r);
    break;
  case LULLD_IMM_BR_TABLE: {
    uint32_t n = lulld_read_u32(r);
    in->u.br_table.count = n;
    in->u.br_table.pos = (uint32_t)r->pos;
    /* Each target takes at least one byte: a count larger than what is
     * left cannot be right, and checking it first bounds the loop. */
    if (!r->err && n > r->end - r->pos) {
      lulld_reader_fail(r, "unexpected end", r->pos);
      break;
    }
    for (uint64_t i = 0; i <= n && !r->err; i++)
      (void)lulld_read_u32(r);
    break;
  }
  case LULLD_IMM_CALL_INDIRECT:
    in->u.call_indirect.type = lulld_read_u32(r);
    in->u.call_indirect.table = lulld_read_u32(r);
    break;
  case LULLD_IMM_SELECT_T: {
    uint32_t n = lulld_read_u32(r);
    in->u.select_t.count = n;
    in->u.select_t.type = 0;
    if (!r->err && n > r->end - r->pos) {
      lulld_reader_fail(r, "unexpected end", r->pos);
      break;
    }
    for (uint32_t i = 0; i < n && !r->err; i++) {
      lull_valtype t = 0;
      (void)lulld_read_valtype(r, features, 0, &t);
      if (i == 0)
        in->u.select_t.type = t;
    }
    break;
  }
  case LULLD_IMM_MEMARG:
  case LULLD_IMM_MEMARG_LANE:
    in->u.mem.align = lulld_read_u32(r);
    in->u.mem.memory = 0;
    if (features & LULL_FEATURE_MULTI_MEMORY) {
      /* Bit 6 says a memory index follows; larger flags mean nothing. */
      if (!r->err && in->u.mem.align >= 0x80) {
        lulld_reader_fail(r, "malformed memop flags", r->pos);
        break;
      }
      if (in->u.mem.align & 0x40) {
        in->u.mem.align &= ~0x40u;
        in->u.mem.memory = lulld_read_u32(r);
      }
    }
    in->u.mem.offset = (features & LULL_FEATURE_MEMORY64)
                           ? lulld_read_uleb(r, 64)
                           : lulld_read_u32(r);
    in->u.mem.lane = 0;
    if (info->imm == LULLD_IMM_MEMARG_LANE)
      in->u.mem.lane = lulld_read_u8(r);
    break;
  case LULLD_IMM_MEMIDX:
    in->u.index = mem_index(r, features);
    break;
  case LULLD_IMM_I32:
    in->u.i32 = lulld_read_s32(r);
    break;
  case LULLD_IMM_I64:
    in->u.i64 = lulld_read_s64(r);
    break;
  case LULLD_IMM_F32:
    in->u.f32 = lulld_read_fixed32(r);
    break;
  case LULLD_IMM_F64:
    in->u.f64 = lulld_read_fixed64(r);
    break;
  case LULLD_IMM_V128:
  case LULLD_IMM_SHUFFLE: {
    const uint8_t *p = lulld_read_bytes(r, 16);
    if (p)
      memcpy(in->u.v128, p, 16);
    break;
  }
  case LULLD_IMM_LANE:
    in->u.lane = lulld_read_u8(r);
    break;
  case LULLD_IMM_HEAPTYPE:
    if (features & LULL_FEATURE_FUNCTION_REFERENCES) {
      (void)lulld_read_heaptype(r, features, &in->u.reftype);
    } else {
      (void)lulld_read_valtype(r, features, 1, &in->u.reftype);
    }
    break;
  case LULLD_IMM_BR_ON_CAST: {
    size_t at = r->pos;
    uint8_t flags = lulld_read_u8(r);
    if (!r->err && flags > 3) {
      lulld_reader_fail(r, "malformed br_on_cast flags", at);
      break;
    }
    in->u.cast_br.label = lulld_read_u32(r);
    if (r->err || lulld_read_heaptype(r, features, &in->u.cast_br.from) ||
        lulld_read_heaptype(r, features, &in->u.cast_br.to))
      break;
    if (!(flags & 1))
      in->u.cast_br.from |= LULL_VT_NONNULL;
    if (!(flags & 2))
      in->u.cast_br.to |= LULL_VT_NONNULL;
    break;
  }
  case LULLD_IMM_TRY_TABLE: {
    block_type(r, features, in);
    if (r->err)
      break;
    uint32_t n = lulld_read_u32(r);
    in->u.try_table.count = n;
    in->u.try_table.pos = (uint32_t)r->pos;
    /* Each clause takes at least two bytes. */
    if (!r->err && n > (r->end - r->pos) / 2) {
      lulld_reader_fail(r, "unexpected end", r->pos);
      break;
    }
    lulld_catch k;
    for (uint32_t i = 0; i < n && !r->err; i++)
      (void)lulld_read_catch(r, &k);
    break;
  }
  case LULLD_IMM_DATA_MEM:
    in->u.pair.a = lulld_read_u32(r);
    in->u.pair.b = mem_index(r, features);
    break;
  case LULLD_IMM_MEM_MEM:
    in->u.pair.a = mem_index(r, features);
    in->u.pair.b = mem_index(r, features);
    break;
  case LULLD_IMM_PAIR:
    in->u.pair.a = lulld_read_u32(r);
    in->u.pair.b = lulld_read_u32(r);
    break;
  }
  return r->err ? -1 : 0;
}
