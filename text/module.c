/*
 * module.c -- module fields (spec 6.6) into the binary format.
 *
 * Identifiers may be used before their definition, so the fields are read
 * twice. Pass one walks the fields without their bodies and gives every
 * definition its index: imports come first in each index space, and the
 * text format requires them to come first in the text too ("import after
 * function"), so text order is index order. It also parses every type
 * definition, since type uses need them. Pass two encodes each field into
 * its section. Inline type uses that name no type are matched against the
 * function types (or added after the explicit types) as they are met.
 *
 * Abbreviations are expanded where they stand: inline imports and exports,
 * a table's inline `(elem ...)` and a memory's inline `(data ...)` (each
 * adds a segment at its position in the text), `(offset ...)` or a lone
 * folded instruction, `(item ...)` or a lone one, `func x*` element lists.
 * The encoding is canonical and follows the reference interpreter's
 * choices (element segment forms, when a data count section is written).
 */
#include <stdlib.h>
#include <string.h>

#include "../decoder/decode_internal.h"
#include "text_internal.h"

/* The kinds of definitions that imports may not follow. */
static const char *const def_kinds[] = {"function", "table", "memory",
                                        "global", "tag"};
static const char *const field_kw[] = {"func", "table", "memory", "global",
                                       "tag"};

/* A type or rec field's position and first type index. */
typedef struct typefield {
  uint32_t tok, first;
} typefield;

typedef struct pass1 {
  typefield *tf;
  size_t ntf, tf_cap;
  int defined[5]; /* a function/table/memory/global/tag was defined */
} pass1;

static const lullt_space kind_space[] = {LULLT_SP_FUNC, LULLT_SP_TABLE,
                                         LULLT_SP_MEM, LULLT_SP_GLOBAL,
                                         LULLT_SP_TAG};
static const char *const bind_what[] = {"func", "table", "memory", "global",
                                        "tag"};

static int field_kind(const lullt_parser *p, size_t tok) {
  for (int k = 0; k < 5; k++)
    if (lullt_is_kw(p, tok, field_kw[k]))
      return k;
  return -1;
}

/* `(func`, `(table` ... at p->pos: consumes it and returns the kind. */
static int open_kind(lullt_parser *p) {
  if (lullt_cur(p)->kind != LULLT_LPAR)
    return lullt_unexpected(p);
  int k = field_kind(p, p->pos + 1);
  p->pos++;
  if (k < 0)
    return lullt_unexpected(p);
  p->pos++;
  return k;
}

/* Binds the optional identifier at p->pos to the next index of `sp`. */
static int bind_next(lullt_parser *p, lullt_space sp, const char *what) {
  lullt_names *ns = &p->names[sp];
  if (lullt_cur(p)->kind == LULLT_ID) {
    if (lullt_bind(p, ns, lullt_id(p, lullt_cur(p)), ns->count, what, p->pos))
      return -1;
    p->pos++;
  }
  ns->count++;
  return 0;
}

static int import_after(lullt_parser *p, pass1 *s1, size_t tok) {
  for (int k = 0; k < 5; k++)
    if (s1->defined[k])
      return lullt_fail(p, tok, "import after %s", def_kinds[k]);
  return 0;
}

static int add_typefield(lullt_parser *p, pass1 *s1, size_t tok) {
  if (LULLD_GROW(p->a, s1->tf, &s1->tf_cap, s1->ntf + 1))
    return lullt_fail(p, tok, "out of memory");
  s1->tf[s1->ntf].tok = (uint32_t)tok;
  s1->tf[s1->ntf].first = p->names[LULLT_SP_TYPE].count;
  s1->ntf++;
  return 0;
}

/* Pass one over the field at p->pos (a `(`). */
static int scan_field(lullt_parser *p, pass1 *s1) {
  size_t start = p->pos;
  p->pos++;
  if (lullt_is_kw(p, p->pos, "type")) {
    p->pos = start;
    if (add_typefield(p, s1, start))
      return -1;
    p->pos += 2;
    if (bind_next(p, LULLT_SP_TYPE, "type"))
      return -1;
  } else if (lullt_is_kw(p, p->pos, "rec")) {
    if (add_typefield(p, s1, start))
      return -1;
    p->pos++;
    while (lullt_is_open(p, "type")) {
      size_t t = p->pos;
      p->pos += 2;
      if (bind_next(p, LULLT_SP_TYPE, "type"))
        return -1;
      p->pos = t;
      if (lullt_skip_list(p))
        return -1;
    }
  } else if (lullt_is_kw(p, p->pos, "import")) {
    if (import_after(p, s1, start))
      return -1;
    p->pos++;
    for (int i = 0; i < 2; i++) {
      if (lullt_cur(p)->kind != LULLT_STRING)
        return lullt_unexpected(p);
      p->pos++;
    }
    int k = open_kind(p);
    if (k < 0 || bind_next(p, kind_space[k], bind_what[k]))
      return -1;
  } else if (field_kind(p, p->pos) >= 0) {
    int k = field_kind(p, p->pos);
    p->pos++;
    size_t id = p->pos;
    if (lullt_cur(p)->kind == LULLT_ID)
      p->pos++;
    while (lullt_is_open(p, "export"))
      if (lullt_skip_list(p))
        return -1;
    int imported = lullt_is_open(p, "import");
    if (imported && import_after(p, s1, p->pos))
      return -1;
    if (!imported)
      s1->defined[k] = 1;
    /* an inline (elem ...) or (data ...) adds a segment */
    if (!imported && (k == 1 || k == 2)) {
      size_t save = p->pos;
      while (lullt_cur(p)->kind != LULLT_RPAR &&
             lullt_cur(p)->kind != LULLT_EOF) {
        if (lullt_is_open(p, k == 1 ? "elem" : "data")) {
          p->names[k == 1 ? LULLT_SP_ELEM : LULLT_SP_DATA].count++;
          break;
        }
        if (lullt_cur(p)->kind == LULLT_LPAR) {
          if (lullt_skip_list(p))
            return -1;
        } else {
          p->pos++;
        }
      }
      p->pos = save;
    }
    p->pos = id;
    if (bind_next(p, kind_space[k], bind_what[k]))
      return -1;
  } else if (lullt_is_kw(p, p->pos, "elem") ||
             lullt_is_kw(p, p->pos, "data")) {
    int elem = lullt_is_kw(p, p->pos, "elem");
    p->pos++;
    if (bind_next(p, elem ? LULLT_SP_ELEM : LULLT_SP_DATA,
                  elem ? "elem" : "data"))
      return -1;
  } else if (!lullt_is_kw(p, p->pos, "export") &&
             !lullt_is_kw(p, p->pos, "start")) {
    return lullt_unexpected(p);
  }
  p->pos = start;
  return lullt_skip_list(p);
}

/* ---------------------------------------------------------------------
 * Pass two
 * --------------------------------------------------------------------- */

static int name(lullt_parser *p, lullt_buf *b) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind != LULLT_STRING)
    return lullt_unexpected(p);
  lullt_str(p, t);
  if (!lulld_utf8_valid(p->tmp.p, p->tmp.n))
    return lullt_fail(p, p->pos, "malformed UTF-8 encoding");
  lullt_u64(p->a, b, p->tmp.n);
  lullt_put(p->a, b, p->tmp.p, p->tmp.n);
  p->pos++;
  return 0;
}

/* Inline exports `(export "n")*` of item `idx` of kind `k`. */
static int inline_exports(lullt_parser *p, int k, uint32_t idx) {
  static const uint8_t kind_byte[] = {0, 1, 2, 3, 4};
  while (lullt_is_open(p, "export")) {
    p->pos += 2;
    if (name(p, &p->sec_export) || lullt_expect_rpar(p))
      return -1;
    lullt_byte(p->a, &p->sec_export, kind_byte[k]);
    lullt_u64(p->a, &p->sec_export, idx);
    p->n_export++;
  }
  return 0;
}

/* i32 or i64 before limits; returns 1 for i64. */
static int addrtype(lullt_parser *p) {
  if (lullt_is_kw(p, p->pos, "i64")) {
    p->pos++;
    return 1;
  }
  if (lullt_is_kw(p, p->pos, "i32"))
    p->pos++;
  return 0;
}

static int limit(lullt_parser *p, int is64, uint64_t *v) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind != LULLT_NUM || t->is_float)
    return lullt_unexpected(p);
  lullt_numerr e = lullt_nat(p->text + t->off, t->len, v);
  if (e == LULLT_NUM_SYNTAX)
    return lullt_unexpected(p);
  /* a 32-bit limit above 2^32 is the validator's to reject, but in the
   * 2.0 text format, where limits are u32 */
  if (p->v2 && !is64 && e == LULLT_NUM_OK && *v > UINT32_MAX)
    return lullt_fail(p, p->pos, "i32 constant out of range");
  if (e == LULLT_NUM_RANGE)
    return lullt_fail(p, p->pos, "constant out of range");
  p->pos++;
  return 0;
}

static int limits(lullt_parser *p, int is64, lullt_buf *b) {
  uint64_t min, max = 0;
  if (limit(p, is64, &min))
    return -1;
  int has_max = lullt_cur(p)->kind == LULLT_NUM;
  if (has_max && limit(p, is64, &max))
    return -1;
  lullt_byte(p->a, b, (uint8_t)(has_max | (is64 << 2)));
  lullt_u64(p->a, b, min);
  if (has_max)
    lullt_u64(p->a, b, max);
  return 0;
}

static void put_limits_exact(lullt_parser *p, lullt_buf *b, int is64,
                             uint64_t n) {
  lullt_byte(p->a, b, (uint8_t)(1 | (is64 << 2)));
  lullt_u64(p->a, b, n);
  lullt_u64(p->a, b, n);
}

static int globaltype(lullt_parser *p, lullt_buf *b) {
  lullt_vt t;
  if (lullt_is_open(p, "mut")) {
    p->pos += 2;
    if (lullt_valtype(p, &t) || lullt_expect_rpar(p))
      return -1;
    lullt_put_vt(p, b, t);
    lullt_byte(p->a, b, 1);
    return 0;
  }
  if (lullt_valtype(p, &t))
    return -1;
  lullt_put_vt(p, b, t);
  lullt_byte(p->a, b, 0);
  return 0;
}

static int typeuse_index(lullt_parser *p, uint32_t *idx) {
  size_t tok = p->pos;
  lullt_use u;
  if (lullt_typeuse(p, &u, 1) || lullt_typeuse_resolve(p, &u, tok))
    return -1;
  *idx = u.idx;
  return 0;
}

/* A constant expression: instructions up to `)`, then `end`. */
static int expr(lullt_parser *p, lullt_buf *b) {
  lullt_func f = {0};
  int r = lullt_instrs(p, &f, b);
  lullt_func_free(p, &f);
  lullt_byte(p->a, b, 0x0B);
  return r;
}

/* `(offset instr*)` or one folded instruction. */
static int offset_expr(lullt_parser *p, lullt_buf *b) {
  if (lullt_is_open(p, "offset")) {
    p->pos += 2;
    return expr(p, b) || lullt_expect_rpar(p);
  }
  lullt_func f = {0};
  int r = lullt_folded1(p, &f, b);
  lullt_func_free(p, &f);
  lullt_byte(p->a, b, 0x0B);
  return r;
}

/* The import description after `(import "m" "n"`, or the inline import
 * of a definition of kind k (then `def` holds what follows the import). */
static int import_desc(lullt_parser *p, int k, lullt_buf *b) {
  lullt_byte(p->a, b, (uint8_t)k);
  uint32_t idx;
  switch (k) {
  case 0:
    if (typeuse_index(p, &idx))
      return -1;
    lullt_u64(p->a, b, idx);
    return 0;
  case 1: {
    int is64 = addrtype(p);
    lullt_buf lim = {0};
    lullt_vt rt;
    int r = limits(p, is64, &lim) || lullt_reftype(p, &rt);
    if (!r) {
      lullt_put_vt(p, b, rt);
      lullt_put(p->a, b, lim.p, lim.n);
    }
    lullt_buf_free(p->a, &lim);
    return r ? -1 : 0;
  }
  case 2:
    return limits(p, addrtype(p), b);
  case 3:
    return globaltype(p, b);
  default:
    lullt_byte(p->a, b, 0);
    if (typeuse_index(p, &idx))
      return -1;
    lullt_u64(p->a, b, idx);
    return 0;
  }
}

static int field_import(lullt_parser *p) {
  lullt_buf *b = &p->sec_import;
  p->pos += 2;
  if (name(p, b) || name(p, b))
    return -1;
  int k = open_kind(p);
  if (k < 0)
    return -1;
  if (lullt_cur(p)->kind == LULLT_ID)
    p->pos++;
  if (import_desc(p, k, b) || lullt_expect_rpar(p) || lullt_expect_rpar(p))
    return -1;
  p->n_import++;
  return 0;
}

/* The locals and body of a function, after its type use. */
static int func_body(lullt_parser *p, lullt_use *u) {
  lullt_func f = {0};
  lullt_buf body = {0};
  lullt_vt *lt = NULL;
  size_t nl = 0, lcap = 0;
  int r = 0;
  for (uint32_t i = 0; !r && i < u->nparams; i++) {
    if (u->pnames && u->pnames[i].s)
      r = lullt_bind(p, &f.locals, u->pnames[i], i, "local", p->pos);
  }
  uint32_t next = u->nparams;
  while (!r && lullt_is_open(p, "local")) {
    p->pos += 2;
    if (lullt_cur(p)->kind == LULLT_ID) {
      r = lullt_bind(p, &f.locals, lullt_id(p, lullt_cur(p)), next, "local",
                     p->pos);
      p->pos++;
      lullt_vt t;
      if (!r && !(r = lullt_valtype(p, &t))) {
        if (LULLD_GROW(p->a, lt, &lcap, nl + 1))
          r = lullt_fail(p, p->pos, "out of memory");
        else
          lt[nl++] = t, next++;
      }
    } else {
      while (!r && lullt_cur(p)->kind != LULLT_RPAR) {
        lullt_vt t;
        if (!(r = lullt_valtype(p, &t))) {
          if (LULLD_GROW(p->a, lt, &lcap, nl + 1))
            r = lullt_fail(p, p->pos, "out of memory");
          else
            lt[nl++] = t, next++;
        }
      }
    }
    if (!r)
      r = lullt_expect_rpar(p);
  }
  if (!r) {
    /* runs of equal types */
    uint32_t groups = 0;
    for (size_t i = 0; i < nl; i++)
      if (!i || memcmp(&lt[i], &lt[i - 1], sizeof *lt))
        groups++;
    lullt_u64(p->a, &body, groups);
    for (size_t i = 0; i < nl;) {
      size_t j = i;
      while (j < nl && !memcmp(&lt[j], &lt[i], sizeof *lt))
        j++;
      lullt_u64(p->a, &body, j - i);
      lullt_put_vt(p, &body, lt[i]);
      i = j;
    }
    lullt_implicit_types(p);
    r = lullt_instrs(p, &f, &body);
    lullt_byte(p->a, &body, 0x0B);
  }
  if (!r) {
    if (body.oom)
      r = lullt_fail(p, p->pos, "out of memory");
    lullt_u64(p->a, &p->sec_code, body.n);
    lullt_put(p->a, &p->sec_code, body.p, body.n);
  }
  lullt_buf_free(p->a, &body);
  lulld_free(p->a, lt, lcap * sizeof *lt);
  lullt_func_free(p, &f);
  return r;
}

/* An element segment. `mode`: 0 active, 1 passive, 2 declarative. The
 * reference's choice of form: the compact ones (0..3, function indices)
 * when the type is (ref func) and every item is a ref.func; else 4..7
 * (expressions), with form 4 for table 0 and funcref. */
typedef struct elemseg {
  int mode;
  uint32_t table;
  lullt_buf offset;  /* the offset expression with its end */
  lullt_vt rt;
  lullt_buf items;   /* expressions, each with its end */
  lullt_buf funcs;   /* the function indices, while all are ref.func */
  uint32_t n;
  int all_funcs;
} elemseg;

static void elem_write(lullt_parser *p, elemseg *e) {
  lullt_buf *b = &p->sec_elem;
  if (e->offset.oom || e->items.oom || e->funcs.oom)
    b->oom = 1; /* reported with the sections */
  int kind = e->rt.code == 0x64 && e->rt.ht == 0x70;
  if (kind && e->all_funcs) {
    if (e->mode == 0 && e->table == 0) {
      lullt_byte(p->a, b, 0);
      lullt_put(p->a, b, e->offset.p, e->offset.n);
    } else if (e->mode == 0) {
      lullt_byte(p->a, b, 2);
      lullt_u64(p->a, b, e->table);
      lullt_put(p->a, b, e->offset.p, e->offset.n);
      lullt_byte(p->a, b, 0);
    } else {
      lullt_byte(p->a, b, e->mode == 1 ? 1 : 3);
      lullt_byte(p->a, b, 0);
    }
    lullt_u64(p->a, b, e->n);
    lullt_put(p->a, b, e->funcs.p, e->funcs.n);
  } else {
    if (e->mode == 0 && e->table == 0 && e->rt.code == 0x70) {
      lullt_byte(p->a, b, 4);
      lullt_put(p->a, b, e->offset.p, e->offset.n);
    } else if (e->mode == 0) {
      lullt_byte(p->a, b, 6);
      lullt_u64(p->a, b, e->table);
      lullt_put(p->a, b, e->offset.p, e->offset.n);
      lullt_put_vt(p, b, e->rt);
    } else {
      lullt_byte(p->a, b, e->mode == 1 ? 5 : 7);
      lullt_put_vt(p, b, e->rt);
    }
    lullt_u64(p->a, b, e->n);
    lullt_put(p->a, b, e->items.p, e->items.n);
  }
  p->n_elem++;
}

static void elem_free(lullt_parser *p, elemseg *e) {
  lullt_buf_free(p->a, &e->offset);
  lullt_buf_free(p->a, &e->items);
  lullt_buf_free(p->a, &e->funcs);
}

/* One function index as an item. */
static int elem_func(lullt_parser *p, elemseg *e) {
  uint32_t x;
  if (lullt_index(p, LULLT_SP_FUNC, &x))
    return -1;
  lullt_u64(p->a, &e->funcs, x);
  lullt_byte(p->a, &e->items, 0xD2);
  lullt_u64(p->a, &e->items, x);
  lullt_byte(p->a, &e->items, 0x0B);
  e->n++;
  return 0;
}

/* One element expression: (item instr*) or a folded instruction. */
static int elem_expr(lullt_parser *p, elemseg *e) {
  size_t before = e->items.n;
  int r;
  if (lullt_is_open(p, "item")) {
    p->pos += 2;
    r = expr(p, &e->items) || lullt_expect_rpar(p);
  } else {
    r = offset_expr(p, &e->items);
  }
  if (r)
    return -1;
  /* is it exactly ref.func x; end? */
  const uint8_t *q = e->items.p ? e->items.p + before : NULL;
  size_t n = e->items.n - before;
  if (q && e->all_funcs && n >= 3 && q[0] == 0xD2 && q[n - 1] == 0x0B) {
    size_t k = 1;
    while (k < n - 1 && (q[k] & 0x80))
      k++;
    if (k == n - 2)
      lullt_put(p->a, &e->funcs, q + 1, n - 2);
    else
      e->all_funcs = 0;
  } else {
    e->all_funcs = 0;
  }
  e->n++;
  return 0;
}

/* An element list: `func x*`, `reftype expr*`, or (legacy) `x*`. */
static int elem_list(lullt_parser *p, elemseg *e, int legacy_ok) {
  e->all_funcs = 1;
  if (lullt_is_kw(p, p->pos, "func") || (legacy_ok && !lullt_at_valtype(p) &&
                                         lullt_cur(p)->kind != LULLT_LPAR)) {
    if (lullt_is_kw(p, p->pos, "func"))
      p->pos++;
    memset(&e->rt, 0, sizeof e->rt);
    e->rt.code = 0x64;
    e->rt.ht = 0x70;
    while (lullt_at_index(p))
      if (elem_func(p, e))
        return -1;
    return 0;
  }
  if (lullt_reftype(p, &e->rt))
    return -1;
  while (lullt_cur(p)->kind == LULLT_LPAR)
    if (elem_expr(p, e))
      return -1;
  return 0;
}

static int field_elem(lullt_parser *p) {
  p->pos += 2;
  if (lullt_cur(p)->kind == LULLT_ID)
    p->pos++;
  elemseg e = {0};
  int r = 0;
  int legacy = 0;
  if (lullt_is_kw(p, p->pos, "declare")) {
    p->pos++;
    e.mode = 2;
  } else if (lullt_cur(p)->kind == LULLT_LPAR && !lullt_is_open(p, "ref")) {
    e.mode = 0;
    if (lullt_is_open(p, "table")) {
      p->pos += 2;
      r = lullt_index(p, LULLT_SP_TABLE, &e.table) || lullt_expect_rpar(p);
    } else {
      legacy = 1;
    }
    if (!r)
      r = offset_expr(p, &e.offset);
  } else if (lullt_at_index(p)) {
    /* (elem x (offset ...) ...): a table index without (table ...) */
    r = lullt_index(p, LULLT_SP_TABLE, &e.table) || offset_expr(p, &e.offset);
    legacy = 1;
  } else {
    e.mode = 1;
  }
  if (!r)
    r = elem_list(p, &e, legacy);
  if (!r)
    r = lullt_expect_rpar(p);
  if (!r)
    elem_write(p, &e);
  elem_free(p, &e);
  return r ? -1 : 0;
}

static void put_const0(lullt_parser *p, lullt_buf *b, int is64) {
  lullt_byte(p->a, b, is64 ? 0x42 : 0x41);
  lullt_byte(p->a, b, 0);
  lullt_byte(p->a, b, 0x0B);
}

/* Data strings up to `)` into p->tmp-like buffer `b`. */
static int datastrings(lullt_parser *p, lullt_buf *b) {
  while (lullt_cur(p)->kind == LULLT_STRING) {
    lullt_string(p->a, p->text, lullt_cur(p), b);
    p->pos++;
  }
  if (b->oom)
    return lullt_fail(p, p->pos, "out of memory");
  return 0;
}

static int field_data(lullt_parser *p) {
  p->pos += 2;
  if (lullt_cur(p)->kind == LULLT_ID)
    p->pos++;
  lullt_buf *b = &p->sec_data;
  lullt_buf bytes = {0};
  int r = 0;
  if (lullt_cur(p)->kind == LULLT_LPAR || lullt_at_index(p)) {
    uint32_t mem = 0;
    if (lullt_is_open(p, "memory")) {
      p->pos += 2;
      r = lullt_index(p, LULLT_SP_MEM, &mem) || lullt_expect_rpar(p);
    } else if (lullt_at_index(p)) {
      r = lullt_index(p, LULLT_SP_MEM, &mem);
    }
    if (!r) {
      if (mem) {
        lullt_byte(p->a, b, 2);
        lullt_u64(p->a, b, mem);
      } else {
        lullt_byte(p->a, b, 0);
      }
      r = offset_expr(p, b);
    }
  } else {
    lullt_byte(p->a, b, 1);
  }
  if (!r)
    r = datastrings(p, &bytes) || lullt_expect_rpar(p);
  if (!r) {
    lullt_u64(p->a, b, bytes.n);
    lullt_put(p->a, b, bytes.p, bytes.n);
    p->n_data++;
  }
  lullt_buf_free(p->a, &bytes);
  return r ? -1 : 0;
}

/* Is the constant expression `e` just `ref.null` of the heap type of
 * `rt`? Then the table needs no initializer (the reference writes none). */
static int is_null_of(const lullt_buf *e, lullt_vt rt) {
  uint8_t want[8];
  size_t n = 0;
  want[n++] = 0xD0;
  if (rt.code == 0x63 || rt.code == 0x64) {
    if (!rt.ht)
      return 0; /* (ref $t): compared below would need the LEB; rare */
    want[n++] = rt.ht;
  } else {
    want[n++] = rt.code;
  }
  want[n++] = 0x0B;
  return e->n == n && !memcmp(e->p, want, n);
}

/* func, table, memory, global, tag definitions (or inline imports). */
static int field_def(lullt_parser *p, int k, uint32_t idx) {
  p->pos += 2;
  if (lullt_cur(p)->kind == LULLT_ID)
    p->pos++;
  if (inline_exports(p, k, idx))
    return -1;
  if (lullt_is_open(p, "import")) {
    p->pos += 2;
    lullt_buf *b = &p->sec_import;
    if (name(p, b) || name(p, b) || lullt_expect_rpar(p) ||
        import_desc(p, k, b))
      return -1;
    p->n_import++;
    return lullt_expect_rpar(p);
  }
  switch (k) {
  case 0: {
    size_t tok = p->pos;
    lullt_use u;
    if (lullt_typeuse(p, &u, 1) || lullt_typeuse_resolve(p, &u, tok))
      return -1;
    lullt_u64(p->a, &p->sec_func, u.idx);
    p->n_func++;
    if (func_body(p, &u))
      return -1;
    break;
  }
  case 1: {
    int is64 = addrtype(p);
    lullt_buf *b = &p->sec_table;
    p->n_table++;
    if (lullt_at_valtype(p)) {
      /* reftype (elem ...): the table holds exactly its elements */
      elemseg e = {0};
      int r = lullt_reftype(p, &e.rt) || lullt_expect_open(p, "elem");
      e.all_funcs = 1;
      if (!r) {
        if (lullt_cur(p)->kind == LULLT_LPAR) {
          while (!r && lullt_cur(p)->kind == LULLT_LPAR)
            r = elem_expr(p, &e);
        } else {
          while (!r && lullt_at_index(p))
            r = elem_func(p, &e);
        }
      }
      if (!r)
        r = lullt_expect_rpar(p);
      if (!r) {
        lullt_put_vt(p, b, e.rt);
        put_limits_exact(p, b, is64, e.n);
        e.table = idx;
        put_const0(p, &e.offset, is64);
        elem_write(p, &e);
      }
      elem_free(p, &e);
      if (r)
        return -1;
      break;
    }
    lullt_buf lim = {0};
    lullt_vt rt;
    int r = limits(p, is64, &lim) || lullt_reftype(p, &rt);
    lullt_buf init = {0};
    if (!r && lullt_cur(p)->kind != LULLT_RPAR)
      r = expr(p, &init);
    if (!r && init.n && !is_null_of(&init, rt)) {
      lullt_byte(p->a, b, 0x40);
      lullt_byte(p->a, b, 0x00);
      lullt_put_vt(p, b, rt);
      lullt_put(p->a, b, lim.p, lim.n);
      lullt_put(p->a, b, init.p, init.n);
    } else if (!r) {
      lullt_put_vt(p, b, rt);
      lullt_put(p->a, b, lim.p, lim.n);
    }
    lullt_buf_free(p->a, &lim);
    lullt_buf_free(p->a, &init);
    if (r)
      return -1;
    break;
  }
  case 2: {
    int is64 = addrtype(p);
    p->n_mem++;
    if (lullt_is_open(p, "data")) {
      p->pos += 2;
      lullt_buf bytes = {0};
      int r = datastrings(p, &bytes) || lullt_expect_rpar(p);
      if (!r) {
        uint64_t pages = (bytes.n + 65535) / 65536;
        put_limits_exact(p, &p->sec_mem, is64, pages);
        lullt_buf *b = &p->sec_data;
        if (idx) {
          lullt_byte(p->a, b, 2);
          lullt_u64(p->a, b, idx);
        } else {
          lullt_byte(p->a, b, 0);
        }
        put_const0(p, b, is64);
        lullt_u64(p->a, b, bytes.n);
        lullt_put(p->a, b, bytes.p, bytes.n);
        p->n_data++;
      }
      lullt_buf_free(p->a, &bytes);
      if (r)
        return -1;
      break;
    }
    if (limits(p, is64, &p->sec_mem))
      return -1;
    break;
  }
  case 3:
    p->n_global++;
    if (globaltype(p, &p->sec_global) || expr(p, &p->sec_global))
      return -1;
    break;
  default: {
    uint32_t t;
    p->n_tag++;
    if (typeuse_index(p, &t))
      return -1;
    lullt_byte(p->a, &p->sec_tag, 0);
    lullt_u64(p->a, &p->sec_tag, t);
    break;
  }
  }
  return lullt_expect_rpar(p);
}

static int field_export(lullt_parser *p) {
  p->pos += 2;
  lullt_buf *b = &p->sec_export;
  if (name(p, b))
    return -1;
  int k = open_kind(p);
  if (k < 0)
    return -1;
  uint32_t x;
  if (lullt_index(p, kind_space[k], &x) || lullt_expect_rpar(p) ||
      lullt_expect_rpar(p))
    return -1;
  lullt_byte(p->a, b, (uint8_t)k);
  lullt_u64(p->a, b, x);
  p->n_export++;
  return 0;
}

static int field_start(lullt_parser *p) {
  size_t tok = p->pos;
  p->pos += 2;
  if (p->has_start)
    return lullt_fail(p, tok, "multiple start sections");
  if (lullt_index(p, LULLT_SP_FUNC, &p->start))
    return -1;
  p->has_start = 1;
  return lullt_expect_rpar(p);
}

/* ---------------------------------------------------------------------
 * The module
 * --------------------------------------------------------------------- */

static void section(lullt_parser *p, lullt_buf *out, uint8_t id,
                    uint32_t count, const lullt_buf *a, const lullt_buf *b) {
  size_t n = a->n + (b ? b->n : 0);
  uint8_t tmp[10];
  lullt_buf cnt = {tmp, 0, sizeof tmp, 0};
  lullt_u64(p->a, &cnt, count);
  lullt_byte(p->a, out, id);
  lullt_u64(p->a, out, n + cnt.n);
  lullt_put(p->a, out, tmp, cnt.n);
  lullt_put(p->a, out, a->p, a->n);
  if (b)
    lullt_put(p->a, out, b->p, b->n);
}

static int by_index(const void *a, const void *b) {
  uint32_t x = ((const struct lullt_name_slot *)a)->idx;
  uint32_t y = ((const struct lullt_name_slot *)b)->idx;
  return x < y ? -1 : x > y;
}

static void put_name(lullt_parser *p, lullt_buf *b, lullt_name n) {
  lullt_u64(p->a, b, n.n);
  lullt_put(p->a, b, n.s, n.n);
}

/* The "name" custom section: the module's identifier (subsection 0) and
 * the functions' (1), in index order, so traps and backtraces can name
 * what the text named. */
static int name_section(lullt_parser *p, lullt_buf *out) {
  const lullt_names *fn = &p->names[LULLT_SP_FUNC];
  if (!p->module_name.s && !fn->used)
    return 0;
  struct lullt_name_slot *v = NULL;
  if (fn->used) {
    v = lulld_malloc(p->a, fn->used * sizeof *v);
    if (!v)
      return lullt_fail(p, 0, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < fn->cap; i++)
      if (fn->slot[i].name.s)
        v[k++] = fn->slot[i];
    qsort(v, k, sizeof *v, by_index);
  }
  lullt_buf body = {0}, sub = {0};
  put_name(p, &body, (lullt_name){"name", 4});
  if (p->module_name.s) {
    put_name(p, &sub, p->module_name);
    lullt_byte(p->a, &body, 0);
    lullt_u64(p->a, &body, sub.n);
    lullt_put(p->a, &body, sub.p, sub.n);
    sub.n = 0;
  }
  if (fn->used) {
    lullt_u64(p->a, &sub, fn->used);
    for (size_t i = 0; i < fn->used; i++) {
      lullt_u64(p->a, &sub, v[i].idx);
      put_name(p, &sub, v[i].name);
    }
    lullt_byte(p->a, &body, 1);
    lullt_u64(p->a, &body, sub.n);
    lullt_put(p->a, &body, sub.p, sub.n);
  }
  lullt_byte(p->a, out, 0);
  lullt_u64(p->a, out, body.n);
  lullt_put(p->a, out, body.p, body.n);
  int bad = body.oom || sub.oom;
  lullt_buf_free(p->a, &body);
  lullt_buf_free(p->a, &sub);
  lulld_free(p->a, v, fn->used * sizeof *v);
  return bad ? lullt_fail(p, 0, "out of memory") : 0;
}

static void small_section(lullt_parser *p, lullt_buf *out, uint8_t id,
                          uint32_t v) {
  uint8_t tmp[10];
  lullt_buf s = {tmp, 0, sizeof tmp, 0};
  lullt_u64(p->a, &s, v);
  lullt_byte(p->a, out, id);
  lullt_u64(p->a, out, s.n);
  lullt_put(p->a, out, tmp, s.n);
}

/* Section number k of the binary format's order (see LULLT_NSLOTS), when
 * the module has it. */
static void write_section(lullt_parser *p, lullt_buf *out, int k) {
  const struct {
    uint8_t id;
    uint32_t count;
    const lullt_buf *a, *b;
  } secs[LULLT_NSLOTS] = {
      {1, p->n_types_entries, &p->sec_types, &p->sec_type_implicit},
      {2, p->n_import, &p->sec_import, NULL},
      {3, p->n_func, &p->sec_func, NULL},
      {4, p->n_table, &p->sec_table, NULL},
      {5, p->n_mem, &p->sec_mem, NULL},
      {13, p->n_tag, &p->sec_tag, NULL},
      {6, p->n_global, &p->sec_global, NULL},
      {7, p->n_export, &p->sec_export, NULL},
      {8, 0, NULL, NULL},  /* start: its function index */
      {9, p->n_elem, &p->sec_elem, NULL},
      {12, 0, NULL, NULL}, /* data count: the count alone */
      {10, p->n_func, &p->sec_code, NULL},
      {11, p->n_data, &p->sec_data, NULL},
  };
  if (k == 8) {
    if (p->has_start)
      small_section(p, out, 8, p->start);
  } else if (k == 10) {
    if (p->uses_data_index)
      small_section(p, out, 12, p->n_data);
  } else if (secs[k].count) {
    section(p, out, secs[k].id, secs[k].count, secs[k].a, secs[k].b);
  }
}

int lullt_module(lullt_parser *p, lullt_buf *out) {
  pass1 s1 = {0};
  size_t first = p->pos;
  int r = 0;
  while (!r && lullt_cur(p)->kind == LULLT_LPAR)
    r = scan_field(p, &s1);
  if (!r && lullt_cur(p)->kind != LULLT_RPAR &&
      lullt_cur(p)->kind != LULLT_EOF)
    r = lullt_unexpected(p);
  size_t end = p->pos;
  uint32_t ntypes = p->names[LULLT_SP_TYPE].count;
  if (!r && ntypes) {
    p->types = lulld_calloc(p->a, ntypes, sizeof *p->types);
    if (!p->types)
      r = lullt_fail(p, first, "out of memory");
    else
      p->types_cap = p->ntypes = ntypes;
  }
  p->nexplicit = ntypes;
  for (size_t i = 0; !r && i < s1.ntf; i++)
    r = lullt_types_define(p, s1.tf[i].tok, s1.tf[i].first);
  lulld_free(p->a, s1.tf, s1.tf_cap * sizeof *s1.tf);

  /* pass two: the running index of each kind of definition */
  uint32_t next[5] = {0};
  p->pos = first;
  while (!r && p->pos < end) {
    size_t kwt = p->pos + 1;
    int k = field_kind(p, kwt);
    if (k >= 0) {
      r = field_def(p, k, next[k]++);
    } else if (lullt_is_kw(p, kwt, "import")) {
      k = field_kind(p, p->pos + 5);
      next[k < 0 ? 0 : k]++;
      r = field_import(p);
    } else if (lullt_is_kw(p, kwt, "type") || lullt_is_kw(p, kwt, "rec")) {
      r = lullt_skip_list(p);
    } else if (lullt_is_kw(p, kwt, "export")) {
      r = field_export(p);
    } else if (lullt_is_kw(p, kwt, "start")) {
      r = field_start(p);
    } else if (lullt_is_kw(p, kwt, "elem")) {
      r = field_elem(p);
    } else {
      r = field_data(p);
    }
  }
  if (r)
    return -1;

  const lullt_buf *secs[] = {&p->sec_types, &p->sec_type_implicit,
                             &p->sec_import, &p->sec_func, &p->sec_table,
                             &p->sec_mem, &p->sec_tag, &p->sec_global,
                             &p->sec_export, &p->sec_elem, &p->sec_code,
                             &p->sec_data};
  for (size_t i = 0; i < sizeof secs / sizeof *secs; i++)
    if (secs[i]->oom)
      return lullt_fail(p, first, "out of memory");
  lullt_buf slots[2 * LULLT_NSLOTS] = {{0}};
  if (p->ncustom && lullt_customs(p, first, end, slots)) {
    for (int k = 0; k < 2 * LULLT_NSLOTS; k++)
      lullt_buf_free(p->a, &slots[k]);
    return -1;
  }
  static const uint8_t magic[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  lullt_put(p->a, out, magic, 8);
  /* each section in order, the custom sections placed before and after */
  int flushed = 0;
  for (int k = 0; k < LULLT_NSLOTS; k++) {
    for (; flushed <= 2 * k; flushed++)
      lullt_put(p->a, out, slots[flushed].p, slots[flushed].n);
    write_section(p, out, k);
  }
  for (; flushed < 2 * LULLT_NSLOTS; flushed++)
    lullt_put(p->a, out, slots[flushed].p, slots[flushed].n);
  for (int k = 0; k < 2 * LULLT_NSLOTS; k++) {
    if (slots[k].oom)
      out->oom = 1;
    lullt_buf_free(p->a, &slots[k]);
  }
  if (p->write_names && name_section(p, out))
    return -1;
  if (out->oom)
    return lullt_fail(p, first, "out of memory");
  return 0;
}
