/*
 * decode_scan.c -- the structural scan of function bodies and constant
 * expressions: every instruction read with its immediates, blocks matched
 * with their `end`, so that every malformed-code error (illegal opcode,
 * bad immediate, zero byte expected, missing `end`, ...) comes from the
 * decoder, before validation, as the spec requires.
 *
 * Speed matters here: the scan touches every byte of code. Common
 * instructions whose encoding is plainly well-formed are stepped over from
 * tables indexed by their first byte (and sub-opcode); anything else, and
 * anything with an error, goes through lulld_read_instr, the one reader of
 * record, which decides and words the error. The shortcuts only accept
 * encodings that reader accepts, and move to the same place.
 */
#include "decode_internal.h"

/* What an open block is, on the scanner's block stack. */
enum {
  BLK_ROOT,   /* the function body or constant expression itself */
  BLK_PLAIN,  /* block or loop */
  BLK_IF,     /* if, before any else */
  BLK_ELSE    /* if, after its else */
};

/*
 * How to step over an instruction, by its first byte. The first two
 * classes are structure and apply in every scan; the rest are shortcuts
 * taken in body scans only (a constant expression notes each instruction
 * through lulld_read_instr).
 *   S_END, S_ELSE   structure
 *   S_SLOW          lulld_read_instr decides
 *   S_ONE           no immediate
 *   S_LEB           one LEB128 (index, i32)
 *   S_LEB64         one LEB128 of up to 64 bits (i64)
 *   S_LEB2          two LEB128 (memarg, call_indirect, pairs)
 *   S_LEB2_BYTE     two LEB128 and a byte (memarg and lane)
 *   S_MEMARG, S_MEMARG_BYTE   the same for a memarg: an alignment field
 *                   with bit 6 set (a memory index follows) is slow
 *   S_BYTE          one byte (lane)
 *   S_ZERO          one byte that must be zero (memory index)
 *   S_FIX4, S_FIX8, S_FIX16   fixed-size immediates
 *   S_BLOCK, S_IF   a block type, then a new block
 *   S_FC, S_FD      a prefix: classify the sub-opcode
 */
enum {
  S_SLOW = 0, S_END, S_ELSE, S_ONE, S_LEB, S_LEB64, S_LEB2, S_LEB2_BYTE,
  S_MEMARG, S_MEMARG_BYTE, S_BYTE, S_ZERO, S_FIX4, S_FIX8, S_FIX16, S_BLOCK, S_IF, S_FC, S_FD
};

/* The class of an immediate kind (opcodes.h); 0 (S_SLOW) for the rest. */
#define IMM_CLASS(imm)                                                        \
  (LULLD_IMM_##imm == LULLD_IMM_NONE            ? S_ONE                       \
   : LULLD_IMM_##imm == LULLD_IMM_INDEX         ? S_LEB                       \
   : LULLD_IMM_##imm == LULLD_IMM_I32           ? S_LEB                       \
   : LULLD_IMM_##imm == LULLD_IMM_I64           ? S_LEB64                     \
   : LULLD_IMM_##imm == LULLD_IMM_MEMARG        ? S_MEMARG                    \
   : LULLD_IMM_##imm == LULLD_IMM_CALL_INDIRECT ? S_LEB2                      \
   : LULLD_IMM_##imm == LULLD_IMM_PAIR          ? S_LEB2                      \
   : LULLD_IMM_##imm == LULLD_IMM_MEMARG_LANE   ? S_MEMARG_BYTE               \
   : LULLD_IMM_##imm == LULLD_IMM_LANE          ? S_BYTE                      \
   : LULLD_IMM_##imm == LULLD_IMM_MEMIDX        ? S_ZERO                      \
   : LULLD_IMM_##imm == LULLD_IMM_F32           ? S_FIX4                      \
   : LULLD_IMM_##imm == LULLD_IMM_F64           ? S_FIX8                      \
   : LULLD_IMM_##imm == LULLD_IMM_V128          ? S_FIX16                     \
   : LULLD_IMM_##imm == LULLD_IMM_SHUFFLE       ? S_FIX16                     \
   : LULLD_IMM_##imm == LULLD_IMM_BLOCKTYPE     ? S_BLOCK                     \
                                                : S_SLOW)

/* Structure bytes first; `if` opens a block that accepts an `else`.
 * Opcodes of proposals go to the reader, which knows the features. */
#define MAIN_CLASS(name, code, text, imm, p1, p2, p3, r, a)                   \
  [code] = code == LULLD_OP_END            ? S_END                            \
           : code == LULLD_OP_ELSE         ? S_ELSE                           \
           : code == LULLD_OP_IF           ? S_IF                             \
           : LULLD_MAIN_FEATURE(code) != 0 ? S_SLOW                           \
                                           : IMM_CLASS(imm),
static const uint8_t main_class[256] = {
    LULLD_OPCODES(MAIN_CLASS)
    [LULLD_OP_PREFIX_FC] = S_FC,
    [LULLD_OP_PREFIX_FD] = S_FD,
};
#undef MAIN_CLASS

/* memory.init and data.drop are left to the slow path, which notes that
 * the body needs the data count section. */
#define FC_CLASS(name, code, text, imm, p1, p2, p3, r, a)                     \
  [code] = (code == 0x08 || code == 0x09) ? S_SLOW : IMM_CLASS(imm),
static const uint8_t fc_class[128] = {LULLD_OPCODES_FC(FC_CLASS)};
#undef FC_CLASS

#define FD_CLASS(name, code, text, imm, p1, p2, p3, r, a)                     \
  [code] = IMM_CLASS(imm),
static const uint8_t fd_class[256] = {LULLD_OPCODES_FD(FD_CLASS)};
#undef FD_CLASS

/* Length of a LEB128 of at most `max` bytes at p (with `avail` bytes
 * there), or 0 when it is longer or cut off. Up to 4 bytes carry at most
 * 28 bits, which every 32-bit or 33-bit reading accepts; up to 9 carry 63,
 * which a signed 64-bit reading accepts. */
static inline size_t leb_len(const uint8_t *p, size_t avail, size_t max) {
  size_t lim = avail < max ? avail : max;
  for (size_t i = 0; i < lim; i++)
    if (p[i] < 0x80)
      return i + 1;
  return 0;
}

/* A block type in one byte: empty (0x40), a value type, or a type index
 * below 64. Other encodings take the slow path. */
static inline int short_blocktype(uint8_t b) {
  return b <= 0x40 || lulld_is_valtype(b);
}

/* Pushes a block kind, growing the stack when needed. */
static inline int push_block(lulld_dctx *c, size_t depth, uint8_t kind) {
  if (LULL_UNLIKELY(depth >= c->blocks_cap) &&
      LULLD_GROW(c->a, c->blocks, &c->blocks_cap, depth + 1))
    return lulld_dnomem(c, c->r.pos);
  c->blocks[depth] = kind;
  return 0;
}

/* A constant expression's bookkeeping for one instruction. */
static void note_const(lulld_dconst *k, const lulld_instr *in,
                       uint32_t features) {
  if (k->ninstr == 0)
    k->first = *in;
  k->ninstr++;
  if (k->nonconst_at)
    return;
  if (lulld_const_arith(in->op) && (features & LULL_FEATURE_EXTENDED_CONST))
    return;
  switch (in->op) {
  case LULLD_OP_I32_CONST:
  case LULLD_OP_I64_CONST:
  case LULLD_OP_F32_CONST:
  case LULLD_OP_F64_CONST:
  case LULLD_OP_V128_CONST:
  case LULLD_OP_REF_NULL:
  case LULLD_OP_REF_FUNC:
  case LULLD_OP_GLOBAL_GET:
  case LULLD_OP_REF_I31:
  case LULLD_OP_STRUCT_NEW:
  case LULLD_OP_STRUCT_NEW_DEFAULT:
  case LULLD_OP_ARRAY_NEW:
  case LULLD_OP_ARRAY_NEW_DEFAULT:
  case LULLD_OP_ARRAY_NEW_FIXED:
  case LULLD_OP_ANY_CONVERT_EXTERN:
  case LULLD_OP_EXTERN_CONVERT_ANY:
    break;
  default:
    k->nonconst_at = in->offset + 1;
  }
}

/*
 * The scan follows the reference interpreter's reading of instructions:
 * a sequence ends at `else` or `end`; `else` is accepted only by an `if`
 * that has none yet, anything else wanting an `end` there is "END opcode
 * expected"; running out of bytes where an instruction or `end` should be
 * is "unexpected end of section or function". The block stack holds one
 * byte per open block, so deep nesting costs no more than its bytes. The
 * position lives in a local and goes back to the reader around slow steps
 * and at the end.
 */
int lulld_dscan(lulld_dctx *c, lulld_dconst *k) {
  lulld_reader *r = &c->r;
  const uint8_t *p = r->base;
  const size_t end = r->end;
  size_t pos = r->pos;
  size_t depth = 0;
  if (push_block(c, depth++, BLK_ROOT))
    return -1;
  for (;;) {
    if (LULL_UNLIKELY(pos >= end))
      return lulld_dfail(c, pos, "unexpected end of section or function",
                         "%zu block%s open", depth, depth == 1 ? "" : "s");
    /* q: the bytes after the opcode, `avail` of them; `head`: the
     * opcode's length with its sub-opcode. */
    const uint8_t *q = p + pos + 1;
    size_t avail = end - pos - 1;
    size_t head = 1, n, m;
    uint8_t cls = main_class[p[pos]];
    if (k && cls > S_ELSE)
      cls = S_SLOW;
    if (cls == S_FC || cls == S_FD) {
      /* The sub-opcode: one byte, or two for 0x80..0xFF. */
      uint32_t sub;
      if (avail >= 1 && q[0] < 0x80) {
        sub = q[0];
        head = 2;
      } else if (avail >= 2 && q[1] == 0x01) {
        sub = 0x80u | (q[0] & 0x7Fu);
        head = 3;
      } else {
        sub = 0x100;
      }
      if (cls == S_FC)
        cls = sub < 128 ? fc_class[sub] : S_SLOW;
      else
        cls = sub < 256 ? fd_class[sub] : S_SLOW;
      q = p + pos + head;
      avail = end - pos - head;
    }
    switch (cls) {
    case S_END:
      pos++;
      if (--depth == 0) {
        r->pos = pos;
        return 0;
      }
      continue;
    case S_ELSE:
      if (c->blocks[depth - 1] != BLK_IF)
        return lulld_dfail(c, pos, "END opcode expected", "else without if");
      c->blocks[depth - 1] = BLK_ELSE;
      pos++;
      continue;
    case S_ONE:
      pos += head;
      continue;
    case S_LEB:
      if ((n = leb_len(q, avail, 4)) == 0)
        break;
      pos += head + n;
      continue;
    case S_LEB64:
      if ((n = leb_len(q, avail, 9)) == 0)
        break;
      pos += head + n;
      continue;
    case S_MEMARG:
    case S_MEMARG_BYTE:
      if (avail < 1 || (q[0] & 0x40))
        break;
      /* fall through */
    case S_LEB2:
    case S_LEB2_BYTE:
      if ((n = leb_len(q, avail, 4)) == 0 ||
          (m = leb_len(q + n, avail - n, 4)) == 0)
        break;
      n += m;
      if ((cls == S_LEB2_BYTE || cls == S_MEMARG_BYTE) && avail - n++ < 1)
        break;
      pos += head + n;
      continue;
    case S_BYTE:
      if (avail < 1)
        break;
      pos += head + 1;
      continue;
    case S_ZERO:
      if (avail < 1 || q[0] != 0)
        break;
      pos += head + 1;
      continue;
    case S_FIX4:
      if (avail < 4)
        break;
      pos += head + 4;
      continue;
    case S_FIX8:
      if (avail < 8)
        break;
      pos += head + 8;
      continue;
    case S_FIX16:
      if (avail < 16)
        break;
      pos += head + 16;
      continue;
    case S_BLOCK:
    case S_IF:
      if (avail < 1 || !short_blocktype(q[0]))
        break;
      if (push_block(c, depth++, cls == S_IF ? BLK_IF : BLK_PLAIN))
        return -1;
      pos += head + 1;
      continue;
    default:
      break;
    }

    /* The slow path: the instruction reader decides. */
    lulld_instr in;
    r->pos = pos;
    if (lulld_read_instr(r, c->m->features, &in))
      return lulld_dcheck(c);
    pos = r->pos;
    switch (in.op) {
    case LULLD_OP_BLOCK:
    case LULLD_OP_LOOP:
    case LULLD_OP_TRY_TABLE:
      if (push_block(c, depth++, BLK_PLAIN))
        return -1;
      break;
    case LULLD_OP_IF:
      if (push_block(c, depth++, BLK_IF))
        return -1;
      break;
    case LULLD_OP_MEMORY_INIT:
    case LULLD_OP_DATA_DROP:
      if (!c->first_data_use)
        c->first_data_use = in.offset + 1;
      break;
    default:
      break;
    }
    if (k)
      note_const(k, &in, c->m->features);
  }
}
