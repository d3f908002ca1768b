/*
 * instr.c -- instructions (spec 6.5): plain and folded forms, block
 * structure and labels, and every kind of immediate, written straight
 * into code bytes.
 *
 * A folded instruction `(op imm* (child)*)` is written children first:
 * its immediates are parsed into a scratch buffer of its nesting depth,
 * then the children are written, then the opcode and the scratch bytes.
 * Blocks recurse; the depth is bounded (LULLT_MAX_DEPTH), so no input can
 * exhaust the C stack.
 */
#include <string.h>

#include "text_internal.h"

static int seq(lullt_parser *p, lullt_func *f, lullt_buf *out);
static int folded(lullt_parser *p, lullt_func *f, lullt_buf *out);

static const lullt_kw *instr_kw(const lullt_parser *p) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind != LULLT_KEYWORD || !t->kw)
    return NULL;
  const lullt_kw *k = lullt_kw_at(t->kw - 1u);
  return k && k->is_instr ? k : NULL;
}

void lullt_func_free(lullt_parser *p, lullt_func *f) {
  lullt_names_free(p, &f->locals);
  lulld_free(p->a, f->labels, f->labels_cap * sizeof *f->labels);
  f->labels = NULL;
}

static int push_label(lullt_parser *p, lullt_func *f, lullt_name n) {
  if (LULLD_GROW(p->a, f->labels, &f->labels_cap, f->nlabels + 1))
    return lullt_fail(p, p->pos, "out of memory");
  f->labels[f->nlabels++] = n;
  return 0;
}

/* The optional label identifier after block, loop, if, try_table. */
static lullt_name opt_label(lullt_parser *p) {
  lullt_name n = {NULL, 0};
  if (lullt_cur(p)->kind == LULLT_ID) {
    n = lullt_id(p, lullt_cur(p));
    p->pos++;
  }
  return n;
}

/* `end $l` / `else $l`: the identifier must be the block's own. */
static int check_label(lullt_parser *p, lullt_func *f) {
  if (lullt_cur(p)->kind != LULLT_ID)
    return 0;
  lullt_name n = lullt_id(p, lullt_cur(p));
  lullt_name l = f->labels[f->nlabels - 1];
  if (!l.s || l.n != n.n || memcmp(l.s, n.s, n.n))
    return lullt_fail(p, p->pos, "mismatching label");
  p->pos++;
  return 0;
}

static int label(lullt_parser *p, lullt_func *f, uint32_t *out) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_ID) {
    lullt_name n = lullt_id(p, t);
    for (size_t i = f->nlabels; i-- > 0;) {
      lullt_name l = f->labels[i];
      if (l.s && l.n == n.n && !memcmp(l.s, n.s, n.n)) {
        *out = (uint32_t)(f->nlabels - 1 - i);
        p->pos++;
        return 0;
      }
    }
    return lullt_fail(p, p->pos, "unknown label $%.*s",
                      (int)(n.n > 60 ? 60 : n.n), n.s);
  }
  return lullt_u32(p, out);
}

static int blocktype(lullt_parser *p, lullt_buf *b) {
  size_t tok = p->pos;
  lullt_use u;
  if (lullt_typeuse(p, &u, 0))
    return -1;
  if (!u.has_type && !u.nparams && u.nresults <= 1) {
    if (u.nresults)
      lullt_put_vt(p, b, u.results[0]);
    else
      lullt_byte(p->a, b, 0x40);
    return 0;
  }
  if (lullt_typeuse_resolve(p, &u, tok))
    return -1;
  lullt_s64(p->a, b, u.idx);
  return 0;
}

static int local(lullt_parser *p, lullt_func *f, uint32_t *out) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_ID) {
    lullt_name n = lullt_id(p, t);
    if (!lullt_names_get(&f->locals, n, out))
      return lullt_fail(p, p->pos, "unknown local $%.*s",
                        (int)(n.n > 60 ? 60 : n.n), n.s);
    p->pos++;
    return 0;
  }
  return lullt_u32(p, out);
}

/* An index of `sp`, or with `optional` maybe none (then 0, as for
 * table.size or memory.grow), written as a u32. */
static int put_idx(lullt_parser *p, lullt_buf *b, lullt_space sp,
                   int optional) {
  uint32_t x = 0;
  if ((!optional || lullt_at_index(p)) && lullt_index(p, sp, &x))
    return -1;
  lullt_u64(p->a, b, x);
  return 0;
}
#define put_index(p, b, sp) put_idx(p, b, sp, 0)
#define put_opt_index(p, b, sp) put_idx(p, b, sp, 1)

/* An optional index (default 0). */
static int opt_index(lullt_parser *p, lullt_space sp, uint32_t *x) {
  *x = 0;
  return lullt_at_index(p) ? lullt_index(p, sp, x) : 0;
}

/* table.copy, memory.copy: both indices or neither (0 0). */
static int put_opt_pair(lullt_parser *p, lullt_buf *b, lullt_space sp) {
  uint32_t x = 0, y = 0;
  if (lullt_at_index(p) &&
      (lullt_index(p, sp, &x) || lullt_index(p, sp, &y)))
    return -1;
  lullt_u64(p->a, b, x);
  lullt_u64(p->a, b, y);
  return 0;
}

/* table.init, memory.init: an optional table or memory (when two indices
 * follow), then the segment; written segment first. */
static int put_init(lullt_parser *p, lullt_buf *b, lullt_space where,
                    lullt_space seg) {
  uint32_t x = 0, y;
  if (lullt_at_index(p) && (lullt_peek(p, 1)->kind == LULLT_ID ||
                            lullt_peek(p, 1)->kind == LULLT_NUM))
    if (lullt_index(p, where, &x))
      return -1;
  if (lullt_index(p, seg, &y))
    return -1;
  lullt_u64(p->a, b, y);
  lullt_u64(p->a, b, x);
  return 0;
}

static int memarg(lullt_parser *p, const lullt_kw *k, lullt_buf *b,
                  int lane_follows) {
  uint32_t mem = 0;
  if (lullt_cur(p)->kind == LULLT_ID ||
      (lullt_at_index(p) &&
       (!lane_follows || lullt_peek(p, 1)->kind == LULLT_NUM ||
        (lullt_peek(p, 1)->kind == LULLT_KEYWORD && !lullt_peek(p, 1)->kw))))
    if (lullt_index(p, LULLT_SP_MEM, &mem))
      return -1;
  uint64_t offset = 0, align = (uint64_t)1 << k->align;
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_KEYWORD && !t->kw && t->len > 7 &&
      !memcmp(p->text + t->off, "offset=", 7)) {
    if (lullt_nat(p->text + t->off + 7, t->len - 7, &offset) ||
        (p->v2 && offset > UINT32_MAX))
      return lullt_fail(p, p->pos, p->v2 ? "i32 constant out of range"
                                         : "constant out of range");
    p->pos++;
    t = lullt_cur(p);
  }
  if (t->kind == LULLT_KEYWORD && !t->kw && t->len > 6 &&
      !memcmp(p->text + t->off, "align=", 6)) {
    if (lullt_nat(p->text + t->off + 6, t->len - 6, &align))
      return lullt_fail(p, p->pos, "constant out of range");
    if (!align || (align & (align - 1)))
      return lullt_fail(p, p->pos, "alignment must be a power of two");
    p->pos++;
  }
  uint32_t log = 0;
  while (log < 63 && ((uint64_t)1 << log) < align)
    log++;
  lullt_u64(p->a, b, log | (mem ? 0x40u : 0));
  if (mem)
    lullt_u64(p->a, b, mem);
  lullt_u64(p->a, b, offset);
  return 0;
}

/* A lane index: a u8 literal. */
static int lane(lullt_parser *p, lullt_buf *b) {
  const lullt_token *t = lullt_cur(p);
  uint64_t v;
  if (t->kind != LULLT_NUM || t->is_float)
    return lullt_unexpected(p);
  lullt_numerr e = lullt_nat(p->text + t->off, t->len, &v);
  if (e == LULLT_NUM_SYNTAX)
    return lullt_unexpected(p);
  if (e == LULLT_NUM_RANGE || v > 255)
    return lullt_fail(p, p->pos, p->v2 ? "malformed lane index"
                                       : "i8 constant out of range");
  lullt_byte(p->a, b, (uint8_t)v);
  p->pos++;
  return 0;
}

/* A numeric literal of kind `bits` (8..64 integer; -32/-64 float) at the
 * current token, with the reference's errors. */
static int num_lit(lullt_parser *p, int bits, uint64_t *v) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind != LULLT_NUM || (bits > 0 && t->is_float))
    return lullt_unexpected(p);
  const char *s = p->text + t->off;
  lullt_numerr e;
  uint32_t b32 = 0;
  if (bits > 0) {
    e = lullt_int(s, t->len, bits, v);
  } else if (bits == -64) {
    e = lullt_f64(s, t->len, v);
  } else {
    e = lullt_f32(s, t->len, &b32);
    *v = b32;
  }
  if (e == LULLT_NUM_SYNTAX)
    return lullt_unexpected(p);
  if (e == LULLT_NUM_RANGE)
    return lullt_fail(p, p->pos, "constant out of range");
  p->pos++;
  return 0;
}
#define int_lit(p, bits, v) num_lit(p, bits, v)
#define float_lit(p, is64, v) num_lit(p, (is64) ? -64 : -32, v)

static void put_le(lullt_parser *p, lullt_buf *b, uint64_t v, int n) {
  for (int i = 0; i < n; i++)
    lullt_byte(p->a, b, (uint8_t)(v >> (8 * i)));
}

static int v128(lullt_parser *p, lullt_buf *b) {
  static const struct {
    const char *shape;
    int lanes, bits, flt;
  } shapes[] = {{"i8x16", 16, 8, 0},  {"i16x8", 8, 16, 0},
                {"i32x4", 4, 32, 0},  {"i64x2", 2, 64, 0},
                {"f32x4", 4, 32, 1},  {"f64x2", 2, 64, 1}};
  for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
    if (!lullt_is_kw(p, p->pos, shapes[s].shape))
      continue;
    size_t tok = p->pos++;
    int n = 0;
    while (lullt_cur(p)->kind == LULLT_NUM &&
           n <= shapes[s].lanes)
      n++, p->pos++;
    if (n != shapes[s].lanes)
      return lullt_fail(p, tok, "wrong number of lane literals");
    p->pos -= (size_t)n;
    for (int i = 0; i < n; i++) {
      uint64_t v;
      if (shapes[s].flt ? float_lit(p, shapes[s].bits == 64, &v)
                        : int_lit(p, shapes[s].bits, &v))
        return -1;
      put_le(p, b, v, shapes[s].bits / 8);
    }
    return 0;
  }
  return lullt_unexpected(p);
}

/* The immediates of instruction `k` into `b`; *code may change (select
 * with types, ref.test/ref.cast null). */
static int imm(lullt_parser *p, lullt_func *f, const lullt_kw *k,
               lullt_buf *b, uint32_t *code) {
  uint32_t x, y;
  uint64_t v;
  switch ((lullt_imm)k->imm) {
  case LULLT_I_NONE:
    return 0;
  case LULLT_I_LABEL:
    if (label(p, f, &x))
      return -1;
    lullt_u64(p->a, b, x);
    return 0;
  case LULLT_I_BR_TABLE: {
    uint32_t n = 0;
    lullt_buf ls = {0};
    while (lullt_at_index(p)) {
      if (label(p, f, &x)) {
        lullt_buf_free(p->a, &ls);
        return -1;
      }
      lullt_u64(p->a, &ls, x);
      n++;
    }
    if (!n) {
      lullt_buf_free(p->a, &ls);
      return lullt_unexpected(p);
    }
    lullt_u64(p->a, b, n - 1);
    lullt_put(p->a, b, ls.p, ls.n);
    int bad = ls.oom;
    lullt_buf_free(p->a, &ls);
    return bad ? lullt_fail(p, p->pos, "out of memory") : 0;
  }
  case LULLT_I_FUNC:
    return put_index(p, b, LULLT_SP_FUNC);
  case LULLT_I_TYPE:
    return put_index(p, b, LULLT_SP_TYPE);
  case LULLT_I_TYPE_FIELD:
    if (lullt_index(p, LULLT_SP_TYPE, &x))
      return -1;
    lullt_u64(p->a, b, x);
    if (lullt_cur(p)->kind == LULLT_ID) {
      lullt_name n = lullt_id(p, lullt_cur(p));
      if (x >= p->ntypes || !lullt_names_get(&p->types[x].fields, n, &y))
        return lullt_fail(p, p->pos, "unknown field $%.*s",
                          (int)(n.n > 60 ? 60 : n.n), n.s);
      p->pos++;
    } else if (lullt_u32(p, &y)) {
      return -1;
    }
    lullt_u64(p->a, b, y);
    return 0;
  case LULLT_I_TYPE_TYPE:
    if (put_index(p, b, LULLT_SP_TYPE))
      return -1;
    return put_index(p, b, LULLT_SP_TYPE);
  case LULLT_I_TYPE_N:
    if (put_index(p, b, LULLT_SP_TYPE) || lullt_u32(p, &x))
      return -1;
    lullt_u64(p->a, b, x);
    return 0;
  case LULLT_I_TYPE_DATA:
    p->uses_data_index = 1;
    if (put_index(p, b, LULLT_SP_TYPE))
      return -1;
    return put_index(p, b, LULLT_SP_DATA);
  case LULLT_I_TYPE_ELEM:
    if (put_index(p, b, LULLT_SP_TYPE))
      return -1;
    return put_index(p, b, LULLT_SP_ELEM);
  case LULLT_I_CALL_IND: {
    size_t tok = p->pos;
    lullt_use u;
    if (opt_index(p, LULLT_SP_TABLE, &y) || lullt_typeuse(p, &u, 0) ||
        lullt_typeuse_resolve(p, &u, tok))
      return -1;
    lullt_u64(p->a, b, u.idx);
    lullt_u64(p->a, b, y);
    return 0;
  }
  case LULLT_I_SELECT: {
    lullt_buf ts = {0};
    uint32_t n = 0;
    int any = 0;
    while (lullt_is_open(p, "result")) {
      any = 1;
      p->pos += 2;
      while (lullt_cur(p)->kind != LULLT_RPAR) {
        lullt_vt t;
        if (lullt_valtype(p, &t)) {
          lullt_buf_free(p->a, &ts);
          return -1;
        }
        lullt_put_vt(p, &ts, t);
        n++;
      }
      p->pos++;
    }
    if (any) {
      *code = 0x1C;
      lullt_u64(p->a, b, n);
      lullt_put(p->a, b, ts.p, ts.n);
    }
    int bad = ts.oom;
    lullt_buf_free(p->a, &ts);
    return bad ? lullt_fail(p, p->pos, "out of memory") : 0;
  }
  case LULLT_I_LOCAL:
    if (local(p, f, &x))
      return -1;
    lullt_u64(p->a, b, x);
    return 0;
  case LULLT_I_GLOBAL:
    return put_index(p, b, LULLT_SP_GLOBAL);
  case LULLT_I_TABLE:
    return put_opt_index(p, b, LULLT_SP_TABLE);
  case LULLT_I_TABLE_COPY:
    return put_opt_pair(p, b, LULLT_SP_TABLE);
  case LULLT_I_TABLE_INIT:
    return put_init(p, b, LULLT_SP_TABLE, LULLT_SP_ELEM);
  case LULLT_I_ELEM:
    return put_index(p, b, LULLT_SP_ELEM);
  case LULLT_I_MEMARG:
    return memarg(p, k, b, 0);
  case LULLT_I_MEMARG_LANE:
    if (memarg(p, k, b, 1))
      return -1;
    return lane(p, b);
  case LULLT_I_MEM:
    return put_opt_index(p, b, LULLT_SP_MEM);
  case LULLT_I_MEM_COPY:
    return put_opt_pair(p, b, LULLT_SP_MEM);
  case LULLT_I_MEM_INIT:
    p->uses_data_index = 1;
    return put_init(p, b, LULLT_SP_MEM, LULLT_SP_DATA);
  case LULLT_I_DATA:
    p->uses_data_index = 1;
    return put_index(p, b, LULLT_SP_DATA);
  case LULLT_I_TAG:
    return put_index(p, b, LULLT_SP_TAG);
  case LULLT_I_I32:
    if (int_lit(p, 32, &v))
      return -1;
    lullt_s64(p->a, b, (int32_t)(uint32_t)v);
    return 0;
  case LULLT_I_I64:
    if (int_lit(p, 64, &v))
      return -1;
    lullt_s64(p->a, b, (int64_t)v);
    return 0;
  case LULLT_I_F32:
    if (float_lit(p, 0, &v))
      return -1;
    put_le(p, b, v, 4);
    return 0;
  case LULLT_I_F64:
    if (float_lit(p, 1, &v))
      return -1;
    put_le(p, b, v, 8);
    return 0;
  case LULLT_I_V128:
    return v128(p, b);
  case LULLT_I_SHUFFLE: {
    size_t tok = p->pos;
    int n = 0;
    while (lullt_cur(p)->kind == LULLT_NUM) {
      /* any number is read, as the reference does; only 0..255 fit */
      uint64_t l;
      const lullt_token *t = lullt_cur(p);
      lullt_numerr e = t->is_float ? LULLT_NUM_SYNTAX
                                   : lullt_nat(p->text + t->off, t->len, &l);
      if (e != LULLT_NUM_OK || l > 255)
        return lullt_fail(p, p->pos, p->v2 ? "malformed lane index"
                                           : "i8 constant out of range");
      if (n < 16)
        lullt_byte(p->a, b, (uint8_t)l);
      n++;
      p->pos++;
    }
    if (n != 16)
      return lullt_fail(p, tok, "invalid lane length");
    return 0;
  }
  case LULLT_I_LANE:
    return lane(p, b);
  case LULLT_I_HEAPTYPE: {
    lullt_vt t;
    if (lullt_heaptype(p, &t))
      return -1;
    lullt_put_ht(p, b, t);
    return 0;
  }
  case LULLT_I_REFTYPE: {
    lullt_vt t;
    if (lullt_reftype(p, &t))
      return -1;
    if (t.code != 0x64)
      (*code)++;
    if (t.code != 0x63 && t.code != 0x64)
      t.ht = t.code;
    lullt_put_ht(p, b, t);
    return 0;
  }
  case LULLT_I_BR_ON_CAST: {
    lullt_vt t1, t2;
    if (label(p, f, &x) || lullt_reftype(p, &t1) || lullt_reftype(p, &t2))
      return -1;
    uint8_t flags = (uint8_t)((t1.code != 0x64) | ((t2.code != 0x64) << 1));
    if (t1.code != 0x63 && t1.code != 0x64)
      t1.ht = t1.code;
    if (t2.code != 0x63 && t2.code != 0x64)
      t2.ht = t2.code;
    lullt_byte(p->a, b, flags);
    lullt_u64(p->a, b, x);
    lullt_put_ht(p, b, t1);
    lullt_put_ht(p, b, t2);
    return 0;
  }
  default:
    /* block, end, else, try_table are handled by their callers */
    return lullt_unexpected(p);
  }
}

static void put_op(lullt_parser *p, lullt_buf *out, const lullt_kw *k,
                   uint32_t code) {
  if (k->prefix) {
    lullt_byte(p->a, out, k->prefix);
    lullt_u64(p->a, out, code);
  } else {
    lullt_byte(p->a, out, (uint8_t)code);
  }
}

/* try_table's catch clauses, resolved outside the try_table's label. */
static int catches(lullt_parser *p, lullt_func *f, lullt_buf *b) {
  lullt_buf cs = {0};
  uint32_t n = 0;
  int r = 0;
  for (;;) {
    int kind;
    if (lullt_is_open(p, "catch"))
      kind = 0;
    else if (lullt_is_open(p, "catch_ref"))
      kind = 1;
    else if (lullt_is_open(p, "catch_all"))
      kind = 2;
    else if (lullt_is_open(p, "catch_all_ref"))
      kind = 3;
    else
      break;
    p->pos += 2;
    lullt_byte(p->a, &cs, (uint8_t)kind);
    uint32_t x;
    if (kind < 2) {
      if ((r = lullt_index(p, LULLT_SP_TAG, &x)))
        break;
      lullt_u64(p->a, &cs, x);
    }
    if ((r = label(p, f, &x)) || (r = lullt_expect_rpar(p)))
      break;
    lullt_u64(p->a, &cs, x);
    n++;
  }
  if (!r && cs.oom)
    r = lullt_fail(p, p->pos, "out of memory");
  if (!r) {
    lullt_u64(p->a, b, n);
    lullt_put(p->a, b, cs.p, cs.n);
  }
  lullt_buf_free(p->a, &cs);
  return r;
}

/* The instructions of an else branch, after `else`. An empty branch
 * writes no `else` opcode at all, as the reference interpreter does. */
static int else_branch(lullt_parser *p, lullt_func *f, lullt_buf *out) {
  size_t at = out->n;
  lullt_byte(p->a, out, 0x05);
  if (seq(p, f, out))
    return -1;
  if (out->n == at + 1 && !out->oom)
    out->n = at;
  return 0;
}

/* block, loop, if, try_table: after the keyword. `folded`: the body runs
 * to `)`; else to `end`. */
static int block(lullt_parser *p, lullt_func *f, lullt_buf *out,
                 const lullt_kw *k, int is_folded) {
  if (++p->depth > LULLT_MAX_DEPTH)
    return lullt_fail(p, p->pos, "nesting too deep");
  lullt_name l = opt_label(p);
  lullt_buf head = {0};
  int r = blocktype(p, &head);
  if (!r && k->imm == LULLT_I_TRY_TABLE)
    r = catches(p, f, &head);
  if (!r && is_folded && k->code == 0x04) {
    /* the condition: folded instructions before (then ...) */
    while (!r && lullt_cur(p)->kind == LULLT_LPAR && !lullt_is_open(p, "then"))
      r = folded(p, f, out);
  }
  if (!r && head.oom)
    r = lullt_fail(p, p->pos, "out of memory");
  if (r) {
    lullt_buf_free(p->a, &head);
    return -1;
  }
  put_op(p, out, k, k->code);
  lullt_put(p->a, out, head.p, head.n);
  lullt_buf_free(p->a, &head);
  if (push_label(p, f, l))
    return -1;
  if (is_folded && k->code == 0x04) {
    if (lullt_expect_open(p, "then") || seq(p, f, out) ||
        lullt_expect_rpar(p))
      return -1;
    if (lullt_is_open(p, "else")) {
      p->pos += 2;
      if (else_branch(p, f, out) || lullt_expect_rpar(p))
        return -1;
    }
    if (lullt_expect_rpar(p))
      return -1;
  } else if (is_folded) {
    if (seq(p, f, out) || lullt_expect_rpar(p))
      return -1;
  } else {
    if (seq(p, f, out))
      return -1;
    if (k->code == 0x04 && lullt_is_kw(p, p->pos, "else")) {
      p->pos++;
      if (check_label(p, f) || else_branch(p, f, out))
        return -1;
    }
    if (!lullt_is_kw(p, p->pos, "end"))
      return lullt_unexpected(p);
    p->pos++;
    if (check_label(p, f))
      return -1;
  }
  lullt_byte(p->a, out, 0x0B);
  f->nlabels--;
  p->depth--;
  return 0;
}

static lullt_buf *scratch(lullt_parser *p) {
  return p->depth < sizeof p->scratch / sizeof *p->scratch
             ? &p->scratch[p->depth]
             : NULL;
}

static int folded(lullt_parser *p, lullt_func *f, lullt_buf *out) {
  p->pos++; /* ( */
  const lullt_kw *k = instr_kw(p);
  if (!k || k->imm == LULLT_I_END || k->imm == LULLT_I_ELSE)
    return lullt_unexpected(p);
  p->pos++;
  if (k->imm == LULLT_I_BLOCK || k->imm == LULLT_I_TRY_TABLE)
    return block(p, f, out, k, 1);
  if (++p->depth > LULLT_MAX_DEPTH)
    return lullt_fail(p, p->pos, "nesting too deep");
  lullt_buf local = {0};
  lullt_buf *b = scratch(p);
  if (!b)
    b = &local;
  b->n = 0;
  uint32_t code = k->code;
  int r = imm(p, f, k, b, &code);
  while (!r && lullt_cur(p)->kind == LULLT_LPAR)
    r = folded(p, f, out);
  if (!r)
    r = lullt_expect_rpar(p);
  if (!r) {
    put_op(p, out, k, code);
    lullt_put(p->a, out, b->p, b->n);
    if (b->oom)
      r = lullt_fail(p, p->pos, "out of memory");
  }
  lullt_buf_free(p->a, &local);
  p->depth--;
  return r;
}

static int plain(lullt_parser *p, lullt_func *f, lullt_buf *out,
                 const lullt_kw *k) {
  p->pos++;
  if (k->imm == LULLT_I_BLOCK || k->imm == LULLT_I_TRY_TABLE)
    return block(p, f, out, k, 0);
  lullt_buf *b = &p->tmp;
  b->n = 0;
  uint32_t code = k->code;
  if (imm(p, f, k, b, &code))
    return -1;
  if (b->oom)
    return lullt_fail(p, p->pos, "out of memory");
  put_op(p, out, k, code);
  lullt_put(p->a, out, b->p, b->n);
  return 0;
}

/* Instructions until `)`, `end`, `else` or the end. */
static int seq(lullt_parser *p, lullt_func *f, lullt_buf *out) {
  for (;;) {
    const lullt_token *t = lullt_cur(p);
    if (t->kind == LULLT_RPAR || t->kind == LULLT_EOF)
      return 0;
    if (t->kind == LULLT_LPAR) {
      if (folded(p, f, out))
        return -1;
      continue;
    }
    const lullt_kw *k = instr_kw(p);
    if (!k)
      return lullt_unexpected(p);
    if (k->imm == LULLT_I_END || k->imm == LULLT_I_ELSE)
      return 0;
    if (plain(p, f, out, k))
      return -1;
    if (out->oom)
      return lullt_fail(p, p->pos, "out of memory");
  }
}

int lullt_instrs(lullt_parser *p, lullt_func *f, lullt_buf *out) {
  if (seq(p, f, out))
    return -1;
  if (lullt_cur(p)->kind != LULLT_RPAR)
    return lullt_unexpected(p);
  return 0;
}

int lullt_folded1(lullt_parser *p, lullt_func *f, lullt_buf *out) {
  if (lullt_cur(p)->kind != LULLT_LPAR)
    return lullt_unexpected(p);
  return folded(p, f, out);
}
