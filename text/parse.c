/*
 * parse.c -- what every part of the parser shares: errors, the arena,
 * token tests, identifiers and index spaces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text_internal.h"

int lullt_fail(lullt_parser *p, size_t tok, const char *fmt, ...) {
  if (p->failed)
    return -1;
  p->failed = 1;
  p->err_off = p->t[tok < p->ntok ? tok : p->ntok - 1].off;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, sizeof p->err, fmt, ap);
  va_end(ap);
  return -1;
}

int lullt_unexpected(lullt_parser *p) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_ERROR) {
    const char *m = lullt_lex_error(t);
    if (!strcmp(m, "unknown operator")) {
      /* name the offending word, as the reference does */
      size_t n = 0;
      const char *s = p->text + t->off;
      while (t->off + n < p->t[p->ntok - 1].off && s[n] != ' ' &&
             s[n] != '\n' && s[n] != '\t' && s[n] != '\r' && s[n] != '(' &&
             s[n] != ')' && n < 60)
        n++;
      return lullt_fail(p, p->pos, "unknown operator %.*s", (int)n, s);
    }
    return lullt_fail(p, p->pos, "%s", m);
  }
  if (t->kind == LULLT_EOF)
    return lullt_fail(p, p->pos, "unexpected end of input");
  return lullt_fail(p, p->pos, "unexpected token \"%.*s\"",
                    (int)(t->len > 40 ? 40 : t->len), p->text + t->off);
}

void *lullt_arena(lullt_parser *p, size_t n) {
  n = (n + 7) & ~(size_t)7;
  lullt_chunk *c = p->arena;
  if (!c || c->size - c->used < n) {
    size_t size = n > 16384 ? n : 16384;
    c = lulld_malloc(p->a, sizeof *c + size);
    if (!c) {
      lullt_fail(p, p->pos, "out of memory");
      return NULL;
    }
    c->size = size;
    c->used = 0;
    c->next = p->arena;
    p->arena = c;
  }
  void *r = c->mem + c->used;
  c->used += n;
  return r;
}

int lullt_is_kw(const lullt_parser *p, size_t tok, const char *kw) {
  const lullt_token *t = &p->t[tok];
  size_t n = strlen(kw);
  return t->kind == LULLT_KEYWORD && t->len == n &&
         !memcmp(p->text + t->off, kw, n);
}

int lullt_is_open(const lullt_parser *p, const char *kw) {
  return lullt_cur(p)->kind == LULLT_LPAR && p->pos + 1 < p->ntok &&
         lullt_is_kw(p, p->pos + 1, kw);
}

int lullt_expect_open(lullt_parser *p, const char *kw) {
  if (lullt_cur(p)->kind != LULLT_LPAR)
    return lullt_unexpected(p);
  p->pos++;
  if (!lullt_is_kw(p, p->pos, kw))
    return lullt_unexpected(p);
  p->pos++;
  return 0;
}

int lullt_expect_rpar(lullt_parser *p) {
  if (lullt_cur(p)->kind != LULLT_RPAR)
    return lullt_unexpected(p);
  p->pos++;
  return 0;
}

int lullt_skip_list(lullt_parser *p) {
  size_t depth = 0;
  do {
    const lullt_token *t = lullt_cur(p);
    if (t->kind == LULLT_LPAR)
      depth++;
    else if (t->kind == LULLT_RPAR)
      depth--;
    else if (t->kind == LULLT_EOF || t->kind == LULLT_ERROR)
      return lullt_unexpected(p);
    p->pos++;
  } while (depth);
  return 0;
}

lullt_name lullt_id(lullt_parser *p, const lullt_token *t) {
  lullt_name r;
  const char *s = p->text + t->off;
  if (t->len >= 2 && s[1] == '"') {
    lullt_buf b = {0};
    lullt_string(p->a, p->text, t, &b);
    char *c = lullt_arena(p, b.n + 1);
    if (c && !b.oom) {
      memcpy(c, b.p, b.n);
      r.s = c;
      r.n = (uint32_t)b.n;
    } else {
      r.s = "";
      r.n = 0;
    }
    lullt_buf_free(p->a, &b);
    return r;
  }
  r.s = s + 1;
  r.n = t->len - 1;
  return r;
}

void lullt_str(lullt_parser *p, const lullt_token *t) {
  p->tmp.n = 0;
  lullt_string(p->a, p->text, t, &p->tmp);
  if (p->tmp.oom)
    lullt_fail(p, p->pos, "out of memory");
}

static uint32_t name_hash(lullt_name n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n.n; i++)
    h = (h ^ (uint8_t)n.s[i]) * 16777619u;
  return h;
}

int lullt_names_get(const lullt_names *ns, lullt_name id, uint32_t *idx) {
  if (!ns->cap)
    return 0;
  size_t h = name_hash(id) & (ns->cap - 1);
  for (;; h = (h + 1) & (ns->cap - 1)) {
    const struct lullt_name_slot *s = &ns->slot[h];
    if (!s->name.s)
      return 0;
    if (s->name.n == id.n && !memcmp(s->name.s, id.s, id.n)) {
      *idx = s->idx;
      return 1;
    }
  }
}

int lullt_bind(lullt_parser *p, lullt_names *ns, lullt_name id, uint32_t idx,
               const char *what, size_t tok) {
  uint32_t old;
  if (lullt_names_get(ns, id, &old))
    return lullt_fail(p, tok, "duplicate %s $%.*s", what,
                      (int)(id.n > 60 ? 60 : id.n), id.s);
  if ((ns->used + 1) * 2 > ns->cap) {
    size_t cap = ns->cap ? ns->cap * 2 : 16;
    struct lullt_name_slot *s = lulld_calloc(p->a, cap, sizeof *s);
    if (!s)
      return lullt_fail(p, tok, "out of memory");
    for (size_t i = 0; i < ns->cap; i++) {
      if (!ns->slot[i].name.s)
        continue;
      size_t h = name_hash(ns->slot[i].name) & (cap - 1);
      while (s[h].name.s)
        h = (h + 1) & (cap - 1);
      s[h] = ns->slot[i];
    }
    lulld_free(p->a, ns->slot, ns->cap * sizeof *s);
    ns->slot = s;
    ns->cap = cap;
  }
  size_t h = name_hash(id) & (ns->cap - 1);
  while (ns->slot[h].name.s)
    h = (h + 1) & (ns->cap - 1);
  ns->slot[h].name = id;
  ns->slot[h].idx = idx;
  ns->used++;
  return 0;
}

void lullt_names_free(lullt_parser *p, lullt_names *ns) {
  lulld_free(p->a, ns->slot, ns->cap * sizeof *ns->slot);
  memset(ns, 0, sizeof *ns);
}

int lullt_u32(lullt_parser *p, uint32_t *out) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind != LULLT_NUM || t->is_float)
    return lullt_unexpected(p);
  uint64_t v;
  lullt_numerr e = lullt_nat(p->text + t->off, t->len, &v);
  if (e == LULLT_NUM_SYNTAX)
    return lullt_unexpected(p);
  if (e == LULLT_NUM_RANGE || v > UINT32_MAX)
    return lullt_fail(p, p->pos, "constant out of range");
  *out = (uint32_t)v;
  p->pos++;
  return 0;
}

static const char *const space_names[LULLT_SP_COUNT] = {
    "function", "table", "memory", "global", "tag",
    "elem segment", "data segment", "type"};

int lullt_index(lullt_parser *p, lullt_space space, uint32_t *out) {
  const lullt_token *t = lullt_cur(p);
  if (t->kind == LULLT_ID) {
    lullt_name id = lullt_id(p, t);
    if (!lullt_names_get(&p->names[space], id, out))
      return lullt_fail(p, p->pos, "unknown %s $%.*s", space_names[space],
                        (int)(id.n > 60 ? 60 : id.n), id.s);
    p->pos++;
    return 0;
  }
  return lullt_u32(p, out);
}
