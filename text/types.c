/*
 * types.c -- value, heap and reference types, type uses and type
 * definitions (spec 6.4, 6.5.1, 6.6.2 and 6.6.3).
 */
#include <string.h>

#include "text_internal.h"

/* Abstract heap types and the shorthand reference types naming them. */
static const struct {
  const char *heap, *ref;
  uint8_t code;
} abstract[] = {
    {"func", "funcref", 0x70},     {"extern", "externref", 0x6F},
    {"any", "anyref", 0x6E},       {"eq", "eqref", 0x6D},
    {"i31", "i31ref", 0x6C},       {"struct", "structref", 0x6B},
    {"array", "arrayref", 0x6A},   {"none", "nullref", 0x71},
    {"nofunc", "nullfuncref", 0x73}, {"noextern", "nullexternref", 0x72},
    {"exn", "exnref", 0x69},       {"noexn", "nullexnref", 0x74},
};
#define NABSTRACT (sizeof abstract / sizeof *abstract)

static const struct {
  const char *name;
  uint8_t code;
} numeric[] = {{"i32", 0x7F}, {"i64", 0x7E}, {"f32", 0x7D}, {"f64", 0x7C},
               {"v128", 0x7B}};

int lullt_heaptype(lullt_parser *p, lullt_vt *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < NABSTRACT; i++)
    if (lullt_is_kw(p, p->pos, abstract[i].heap)) {
      out->ht = abstract[i].code;
      p->pos++;
      return 0;
    }
  if (lullt_at_index(p))
    return lullt_index(p, LULLT_SP_TYPE, &out->ht_idx);
  return lullt_unexpected(p);
}

int lullt_reftype(lullt_parser *p, lullt_vt *out) {
  memset(out, 0, sizeof *out);
  if (lullt_cur(p)->kind == LULLT_KEYWORD) {
    for (size_t i = 0; i < NABSTRACT; i++)
      if (lullt_is_kw(p, p->pos, abstract[i].ref)) {
        out->code = abstract[i].code;
        p->pos++;
        return 0;
      }
    return lullt_unexpected(p);
  }
  if (lullt_expect_open(p, "ref"))
    return -1;
  int null = 0;
  if (lullt_is_kw(p, p->pos, "null")) {
    null = 1;
    p->pos++;
  }
  lullt_vt ht;
  if (lullt_heaptype(p, &ht) || lullt_expect_rpar(p))
    return -1;
  if (null && ht.ht) {
    out->code = ht.ht; /* the shorthand */
  } else {
    *out = ht;
    out->code = null ? 0x63 : 0x64;
  }
  return 0;
}

int lullt_at_valtype(const lullt_parser *p) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_LPAR)
    return lullt_is_open(p, "ref");
  if (t->kind != LULLT_KEYWORD)
    return 0;
  for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++)
    if (lullt_is_kw(p, p->pos, numeric[i].name))
      return 1;
  for (size_t i = 0; i < NABSTRACT; i++)
    if (lullt_is_kw(p, p->pos, abstract[i].ref))
      return 1;
  return 0;
}

int lullt_valtype(lullt_parser *p, lullt_vt *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < sizeof numeric / sizeof *numeric; i++)
    if (lullt_is_kw(p, p->pos, numeric[i].name)) {
      out->code = numeric[i].code;
      p->pos++;
      return 0;
    }
  return lullt_reftype(p, out);
}

/* A storage type: a value type, i8 or i16. */
static int storagetype(lullt_parser *p, lullt_vt *out) {
  memset(out, 0, sizeof *out);
  if (lullt_is_kw(p, p->pos, "i8") || lullt_is_kw(p, p->pos, "i16")) {
    out->code = lullt_is_kw(p, p->pos, "i8") ? 0x78 : 0x77;
    p->pos++;
    return 0;
  }
  return lullt_valtype(p, out);
}

void lullt_put_ht(lullt_parser *p, lullt_buf *b, lullt_vt t) {
  if (t.ht)
    lullt_byte(p->a, b, t.ht);
  else
    lullt_s64(p->a, b, (int64_t)t.ht_idx);
}

void lullt_put_vt(lullt_parser *p, lullt_buf *b, lullt_vt t) {
  lullt_byte(p->a, b, t.code);
  if (t.code == 0x63 || t.code == 0x64)
    lullt_put_ht(p, b, t);
}

/* Appends `t` to a growable arena-less array of value types. */
static int push_vt(lullt_parser *p, lullt_vt **arr, uint32_t *n, size_t *cap,
                   lullt_vt t) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 4;
    lullt_vt *q = lullt_arena(p, nc * sizeof *q);
    if (!q)
      return -1;
    if (*n)
      memcpy(q, *arr, *n * sizeof *q);
    *arr = q;
    *cap = nc;
  }
  (*arr)[(*n)++] = t;
  return 0;
}

static int push_pname(lullt_parser *p, lullt_use *u, lullt_name nm) {
  if (u->nparams == u->ncap) {
    size_t nc = u->ncap ? u->ncap * 2 : 4;
    lullt_name *q = lullt_arena(p, nc * sizeof *q);
    if (!q)
      return -1;
    if (u->nparams)
      memcpy(q, u->pnames, u->nparams * sizeof *q);
    u->pnames = q;
    u->ncap = nc;
  }
  u->pnames[u->nparams] = nm;
  return 0;
}

/* (param $id t) or (param t*); the `(param` is consumed. */
static int params(lullt_parser *p, lullt_use *u, int names) {
  if (lullt_cur(p)->kind == LULLT_ID) {
    if (!names)
      return lullt_unexpected(p);
    lullt_name nm = lullt_id(p, lullt_cur(p));
    p->pos++;
    lullt_vt t;
    if (lullt_valtype(p, &t) || push_pname(p, u, nm) ||
        push_vt(p, &u->params, &u->nparams, &u->pcap, t))
      return -1;
    return lullt_expect_rpar(p);
  }
  while (lullt_cur(p)->kind != LULLT_RPAR) {
    lullt_vt t;
    lullt_name none = {NULL, 0};
    if (lullt_valtype(p, &t) || (names && push_pname(p, u, none)) ||
        push_vt(p, &u->params, &u->nparams, &u->pcap, t))
      return -1;
  }
  p->pos++;
  return 0;
}

static int results(lullt_parser *p, lullt_use *u) {
  while (lullt_cur(p)->kind != LULLT_RPAR) {
    lullt_vt t;
    if (lullt_valtype(p, &t) ||
        push_vt(p, &u->results, &u->nresults, &u->rcap, t))
      return -1;
  }
  p->pos++;
  return 0;
}

int lullt_typeuse(lullt_parser *p, lullt_use *u, int names) {
  memset(u, 0, sizeof *u);
  if (lullt_is_open(p, "type")) {
    p->pos += 2;
    if (lullt_index(p, LULLT_SP_TYPE, &u->idx) || lullt_expect_rpar(p))
      return -1;
    u->has_type = 1;
  }
  while (lullt_is_open(p, "param")) {
    p->pos += 2;
    if (params(p, u, names))
      return -1;
  }
  while (lullt_is_open(p, "result")) {
    p->pos += 2;
    if (results(p, u))
      return -1;
  }
  /* parameters come first */
  if (lullt_is_open(p, "param")) {
    p->pos++;
    return lullt_unexpected(p);
  }
  return 0;
}

static uint32_t sig_hash(uint32_t np, const lullt_vt *ps, uint32_t nr,
                         const lullt_vt *rs) {
  uint32_t h = 2166136261u ^ np ^ (nr << 16);
  const uint8_t *b = (const uint8_t *)ps;
  for (size_t i = 0; i < np * sizeof *ps; i++)
    h = (h ^ b[i]) * 16777619u;
  b = (const uint8_t *)rs;
  for (size_t i = 0; i < nr * sizeof *rs; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

/* Adds function type `idx` to the signature table (doubling it first when
 * half full). Returns -1 when out of memory. */
static int sig_add(lullt_parser *p, uint32_t idx) {
  if ((p->sig_used + 1) * 2 > p->sig_cap) {
    size_t cap = p->sig_cap ? p->sig_cap * 2 : 64;
    uint32_t *t = lulld_calloc(p->a, cap, sizeof *t);
    if (!t)
      return -1;
    for (size_t i = 0; i < p->sig_cap; i++) {
      uint32_t v = p->sig[i];
      if (!v)
        continue;
      const lullt_type *y = &p->types[v - 1];
      size_t h = sig_hash(y->nparams, y->params, y->nresults, y->results) &
                 (cap - 1);
      while (t[h])
        h = (h + 1) & (cap - 1);
      t[h] = v;
    }
    lulld_free(p->a, p->sig, p->sig_cap * sizeof *p->sig);
    p->sig = t;
    p->sig_cap = cap;
  }
  const lullt_type *y = &p->types[idx];
  size_t h = sig_hash(y->nparams, y->params, y->nresults, y->results) &
             (p->sig_cap - 1);
  while (p->sig[h])
    h = (h + 1) & (p->sig_cap - 1);
  p->sig[h] = idx + 1;
  p->sig_used++;
  return 0;
}

static int same_sig(const lullt_type *t, const lullt_use *u);

/* The first function type with the signature of `u`, or UINT32_MAX. */
static uint32_t sig_find(const lullt_parser *p, const lullt_use *u) {
  uint32_t best = UINT32_MAX;
  if (!p->sig_cap)
    return best;
  size_t h = sig_hash(u->nparams, u->params, u->nresults, u->results) &
             (p->sig_cap - 1);
  for (; p->sig[h]; h = (h + 1) & (p->sig_cap - 1)) {
    uint32_t i = p->sig[h] - 1;
    if (i < best && same_sig(&p->types[i], u))
      best = i;
  }
  return best;
}

static int same_sig(const lullt_type *t, const lullt_use *u) {
  return t->nparams == u->nparams && t->nresults == u->nresults &&
         (!u->nparams ||
          !memcmp(t->params, u->params, u->nparams * sizeof *u->params)) &&
         (!u->nresults ||
          !memcmp(t->results, u->results, u->nresults * sizeof *u->results));
}

/* Writes a function type's encoding. */
static void put_functype(lullt_parser *p, lullt_buf *b, uint32_t np,
                         const lullt_vt *ps, uint32_t nr, const lullt_vt *rs) {
  lullt_byte(p->a, b, 0x60);
  lullt_u64(p->a, b, np);
  for (uint32_t i = 0; i < np; i++)
    lullt_put_vt(p, b, ps[i]);
  lullt_u64(p->a, b, nr);
  for (uint32_t i = 0; i < nr; i++)
    lullt_put_vt(p, b, rs[i]);
}

static lullt_type *new_type(lullt_parser *p) {
  if (LULLD_GROW(p->a, p->types, &p->types_cap, p->ntypes + 1)) {
    lullt_fail(p, p->pos, "out of memory");
    return NULL;
  }
  lullt_type *t = &p->types[p->ntypes++];
  memset(t, 0, sizeof *t);
  return t;
}

int lullt_typeuse_resolve(lullt_parser *p, lullt_use *u, size_t tok) {
  int inline_given = u->nparams || u->nresults;
  if (u->has_type) {
    if (u->idx < p->ntypes && p->types[u->idx].kind == 0) {
      lullt_type *t = &p->types[u->idx];
      if (inline_given && !same_sig(t, u))
        return lullt_fail(p, tok, "inline function type");
      if (!inline_given) {
        u->nparams = t->nparams;
        u->params = t->params;
        u->nresults = t->nresults;
        u->results = t->results;
        u->pnames = NULL;
      }
    } else if (inline_given) {
      return lullt_fail(p, tok, u->idx < p->ntypes ? "inline function type"
                                                    : "unknown type");
    }
    return 0;
  }
  if (!p->sig_built) {
    p->sig_built = 1;
    for (size_t i = 0; i < p->ntypes; i++)
      if (p->types[i].kind == 0 && p->types[i].implicit_ok &&
          sig_add(p, (uint32_t)i))
        return lullt_fail(p, tok, "out of memory");
  }
  uint32_t found = sig_find(p, u);
  if (found != UINT32_MAX) {
    u->idx = found;
    return 0;
  }
  lullt_type *t = new_type(p);
  if (!t)
    return -1;
  t->implicit_ok = 1;
  t->parsed = 1;
  t->nparams = u->nparams;
  t->params = u->params;
  t->nresults = u->nresults;
  t->results = u->results;
  put_functype(p, &p->sec_type_implicit, u->nparams, u->params, u->nresults,
               u->results);
  p->n_types_entries++;
  u->idx = (uint32_t)(p->ntypes - 1);
  if (sig_add(p, u->idx))
    return lullt_fail(p, tok, "out of memory");
  return 0;
}

/* fieldtype: storagetype | (mut storagetype), written to b. */
static int fieldtype(lullt_parser *p, lullt_buf *b) {
  lullt_vt t;
  if (lullt_is_open(p, "mut")) {
    p->pos += 2;
    if (storagetype(p, &t) || lullt_expect_rpar(p))
      return -1;
    lullt_put_vt(p, b, t);
    lullt_byte(p->a, b, 1);
    return 0;
  }
  if (storagetype(p, &t))
    return -1;
  lullt_put_vt(p, b, t);
  lullt_byte(p->a, b, 0);
  return 0;
}

/* A composite type at `(`: func, struct or array, into `b` and `t`. */
static int comptype(lullt_parser *p, lullt_type *t, lullt_buf *b) {
  if (lullt_is_open(p, "func")) {
    p->pos += 2;
    lullt_use u;
    if (lullt_typeuse(p, &u, 1))
      return -1;
    if (u.has_type)
      return lullt_unexpected(p);
    t->kind = 0;
    t->nparams = u.nparams;
    t->params = u.params;
    t->nresults = u.nresults;
    t->results = u.results;
    put_functype(p, b, u.nparams, u.params, u.nresults, u.results);
    return lullt_expect_rpar(p);
  }
  if (lullt_is_open(p, "struct")) {
    p->pos += 2;
    t->kind = 1;
    lullt_buf fields = {0};
    uint32_t n = 0;
    int r = 0;
    while (!r && lullt_is_open(p, "field")) {
      p->pos += 2;
      if (lullt_cur(p)->kind == LULLT_ID) {
        r = lullt_bind(p, &t->fields, lullt_id(p, lullt_cur(p)), n, "field",
                       p->pos);
        p->pos++;
        if (!r)
          r = fieldtype(p, &fields);
        n++;
      } else {
        while (!r && lullt_cur(p)->kind != LULLT_RPAR) {
          r = fieldtype(p, &fields);
          n++;
        }
      }
      if (!r)
        r = lullt_expect_rpar(p);
    }
    if (!r)
      r = lullt_expect_rpar(p);
    t->fields.count = n;
    lullt_byte(p->a, b, 0x5F);
    lullt_u64(p->a, b, n);
    lullt_put(p->a, b, fields.p, fields.n);
    if (fields.oom)
      r = lullt_fail(p, p->pos, "out of memory");
    lullt_buf_free(p->a, &fields);
    return r;
  }
  if (lullt_is_open(p, "array")) {
    p->pos += 2;
    t->kind = 2;
    lullt_byte(p->a, b, 0x5E);
    if (fieldtype(p, b))
      return -1;
    return lullt_expect_rpar(p);
  }
  return lullt_unexpected(p);
}

/* `(type $id? subtype)`, the `(type` at p->pos; the type is types[idx]. */
static int typedef1(lullt_parser *p, uint32_t idx, int alone) {
  lullt_type *t = &p->types[idx];
  p->pos += 2;
  if (lullt_cur(p)->kind == LULLT_ID)
    p->pos++;
  lullt_buf *b = &p->sec_types;
  if (lullt_is_open(p, "sub")) {
    p->pos += 2;
    int final = 0;
    if (lullt_is_kw(p, p->pos, "final")) {
      final = 1;
      p->pos++;
    }
    uint32_t supers[64];
    uint32_t ns = 0;
    while (lullt_at_index(p)) {
      uint32_t x;
      if (lullt_index(p, LULLT_SP_TYPE, &x))
        return -1;
      if (ns == 64)
        return lullt_fail(p, p->pos, "too many supertypes");
      supers[ns++] = x;
    }
    if (!final || ns) {
      lullt_byte(p->a, b, final ? 0x4F : 0x50);
      lullt_u64(p->a, b, ns);
      for (uint32_t i = 0; i < ns; i++)
        lullt_u64(p->a, b, supers[i]);
    }
    if (comptype(p, t, b) || lullt_expect_rpar(p))
      return -1;
    t->implicit_ok = alone && final && !ns && t->kind == 0;
  } else {
    if (comptype(p, t, b))
      return -1;
    t->implicit_ok = alone && t->kind == 0;
  }
  t->parsed = 1;
  return lullt_expect_rpar(p);
}

int lullt_types_define(lullt_parser *p, size_t tok, uint32_t first) {
  p->pos = tok;
  if (lullt_is_open(p, "rec")) {
    p->pos += 2;
    uint32_t n = 0;
    size_t save = p->pos;
    while (lullt_is_open(p, "type")) {
      if (lullt_skip_list(p))
        return -1;
      n++;
    }
    p->pos = save;
    if (n != 1) {
      lullt_byte(p->a, &p->sec_types, 0x4E);
      lullt_u64(p->a, &p->sec_types, n);
    }
    for (uint32_t i = 0; i < n; i++)
      if (typedef1(p, first + i, n == 1))
        return -1;
    p->n_types_entries++;
    return lullt_expect_rpar(p);
  }
  p->n_types_entries++;
  return typedef1(p, first, 1);
}
