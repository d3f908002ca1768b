/*
 * decode_code.c -- the code section: local declarations and a structural
 * scan of every function body, so that every malformed-code error (illegal
 * opcode, bad immediate, missing `end`, ...) comes from the decoder, before
 * validation, as the spec requires.
 */
#include "decode_internal.h"

#define MIN_CODE 3  /* size, empty locals vector, `end` */
#define MIN_GROUP 2 /* count, type */

/* What an open block is, on the scanner's block stack. */
enum {
  BLK_ROOT,   /* the function body or constant expression itself */
  BLK_PLAIN,  /* block or loop */
  BLK_IF,     /* if, before any else */
  BLK_ELSE    /* if, after its else */
};

/*
 * How the scanner may step over an instruction without decoding it fully,
 * by its first byte. Only a body scan takes these shortcuts; anything
 * longer or rarer goes through lulld_read_instr.
 *   FAST_ONE  no immediate: one byte
 *   FAST_LEB  one LEB128 immediate: two bytes when it fits in one
 *   FAST_MEM  a memarg: three bytes when both numbers fit in one each
 */
enum { FAST_NO = 0, FAST_ONE, FAST_LEB, FAST_MEM };
#define FAST(name, code, text, imm, p1, p2, p3, r, a)                        \
  [code] = LULLD_IMM_##imm == LULLD_IMM_NONE     ? FAST_ONE                   \
           : LULLD_IMM_##imm == LULLD_IMM_INDEX  ? FAST_LEB                   \
           : LULLD_IMM_##imm == LULLD_IMM_I32    ? FAST_LEB                   \
           : LULLD_IMM_##imm == LULLD_IMM_I64    ? FAST_LEB                   \
           : LULLD_IMM_##imm == LULLD_IMM_MEMARG ? FAST_MEM                   \
                                                 : FAST_NO,
static const uint8_t fast_step[256] = {LULLD_OPCODES(FAST)};
#undef FAST

/* Pushes a block kind, growing the stack when needed. */
static int push_block(lulld_dctx *c, size_t depth, uint8_t kind) {
  if (depth >= c->blocks_cap &&
      LULLD_GROW(c->a, c->blocks, &c->blocks_cap, depth + 1))
    return lulld_dnomem(c, c->r.pos);
  c->blocks[depth] = kind;
  return 0;
}

/* A constant expression's bookkeeping for one instruction. */
static void note_const(lulld_dconst *k, const lulld_instr *in) {
  if (k->ninstr == 0)
    k->first = *in;
  k->ninstr++;
  if (k->nonconst_at)
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
 * byte per open block, so deep nesting costs no more than its bytes.
 */
int lulld_dscan(lulld_dctx *c, lulld_dconst *k) {
  lulld_reader *r = &c->r;
  const uint8_t *p = r->base;
  const size_t end = r->end;
  size_t depth = 0;
  if (push_block(c, depth++, BLK_ROOT))
    return -1;
  for (;;) {
    size_t pos = r->pos;
    if (LULL_UNLIKELY(pos >= end))
      return lulld_dfail(c, pos, "unexpected end of section or function",
                         "%zu block%s open", depth, depth == 1 ? "" : "s");
    uint8_t b = p[pos];
    if (b == LULLD_OP_END) {
      r->pos = pos + 1;
      if (--depth == 0)
        return 0;
      continue;
    }
    if (b == LULLD_OP_ELSE) {
      if (c->blocks[depth - 1] != BLK_IF)
        return lulld_dfail(c, pos, "END opcode expected",
                           "else without if");
      c->blocks[depth - 1] = BLK_ELSE;
      r->pos = pos + 1;
      continue;
    }
    if (LULL_LIKELY(!k)) {
      switch (fast_step[b]) {
      case FAST_ONE:
        r->pos = pos + 1;
        continue;
      case FAST_LEB:
        if (LULL_LIKELY(end - pos > 1 && p[pos + 1] < 0x80)) {
          r->pos = pos + 2;
          continue;
        }
        break;
      case FAST_MEM:
        if (LULL_LIKELY(end - pos > 2 && p[pos + 1] < 0x80 &&
                        p[pos + 2] < 0x80)) {
          r->pos = pos + 3;
          continue;
        }
        break;
      default:
        break;
      }
    }
    lulld_instr in;
    if (lulld_read_instr(r, &in))
      return lulld_dcheck(c);
    switch (in.op) {
    case LULLD_OP_BLOCK:
    case LULLD_OP_LOOP:
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
      note_const(k, &in);
  }
}

/*
 * The local declarations: vec(count, type). The reference interpreter
 * reads them all before it checks the total ("too many locals" when it
 * reaches 2^32); the implementation limit LULLD_MAX_LOCALS gets the same
 * wording. Groups are kept only when the body has room for them.
 */
static int locals(lulld_dctx *c, lulld_code *cd, size_t body_end) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t n = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(r, body_end, n, MIN_GROUP)) {
    cd->groups = lulld_malloc(c->a, (size_t)n * sizeof *cd->groups);
    if (!cd->groups)
      return lulld_dnomem(c, at);
    cd->ngroups = n;
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t count = lulld_read_u32(r);
    uint8_t type;
    if (lulld_dcheck(c) || lulld_dvaltype(c, &type))
      return -1;
    total += count;
    if (cd->groups) {
      cd->groups[i].count = count;
      cd->groups[i].type = type;
    }
  }
  if (total > UINT32_MAX)
    return lulld_dfail(c, at, "too many locals", "%llu declared",
                       (unsigned long long)total);
  if (total > LULLD_MAX_LOCALS)
    return lulld_dfail(c, at, "too many locals",
                       "%llu declared, the implementation limit is %u",
                       (unsigned long long)total, LULLD_MAX_LOCALS);
  cd->nlocals = (uint32_t)total;
  return 0;
}

static void code_free(const lulld_alloc *a, lulld_code *cd) {
  if (cd->groups)
    lulld_free(a, cd->groups, (size_t)cd->ngroups * sizeof *cd->groups);
  cd->groups = NULL;
  cd->ngroups = 0;
}

/* One entry: size, locals, body; the body's closing `end` must be its
 * last byte. */
static int code_entry(lulld_dctx *c, lulld_code *cd) {
  lulld_reader *r = &c->r;
  size_t at = r->pos;
  uint32_t size = lulld_dlen(r);
  if (lulld_dcheck(c))
    return -1;
  size_t start = r->pos;
  size_t body_end = start + size;
  cd->offset = (uint32_t)at;
  cd->end = (uint32_t)body_end;
  if (locals(c, cd, body_end))
    return -1;
  cd->body = (uint32_t)r->pos;
  if (lulld_dscan(c, NULL))
    return -1;
  if (r->pos != body_end)
    return lulld_dfail(c, r->pos, "section size mismatch",
                       "function body at 0x%zx declares %u bytes, its code "
                       "ends at 0x%zx",
                       at, size, r->pos);
  return 0;
}

int lulld_dcode_section(lulld_dctx *c) {
  lulld_module *m = c->m;
  size_t at = c->r.pos;
  uint32_t n = lulld_dlen(&c->r);
  if (lulld_dcheck(c))
    return -1;
  if (n && lulld_dfits(&c->r, c->sec_end, n, MIN_CODE)) {
    m->codes = lulld_calloc(c->a, n, sizeof *m->codes);
    if (!m->codes)
      return lulld_dnomem(c, at);
    m->ncodes = n;
  }
  for (uint32_t i = 0; i < n; i++) {
    lulld_code scratch;
    memset(&scratch, 0, sizeof scratch);
    lulld_code *cd = m->codes ? &m->codes[i] : &scratch;
    int bad = code_entry(c, cd);
    if (cd == &scratch)
      code_free(c->a, cd);
    if (bad)
      return -1;
  }
  return 0;
}

void lulld_dcodes_free(lulld_module *m) {
  for (uint32_t i = 0; i < m->ncodes; i++)
    code_free(&m->alloc, &m->codes[i]);
  if (m->codes)
    lulld_free(&m->alloc, m->codes, (size_t)m->ncodes * sizeof *m->codes);
  m->codes = NULL;
  m->ncodes = 0;
}

/*
 * Local `index` of a defined function: parameters first, then the groups
 * in order. A linear walk over the groups, which are few in practice; the
 * compiler resolves every local once.
 */
uint8_t lulld_local_type(const lulld_functype *ft, const lulld_code *code,
                         uint32_t index) {
  if (index < ft->nparams)
    return ft->types[index];
  index -= ft->nparams;
  for (uint32_t i = 0; i < code->ngroups; i++) {
    if (index < code->groups[i].count)
      return code->groups[i].type;
    index -= code->groups[i].count;
  }
  return 0;
}
