/*
 * wat.c -- the functions of lull_text.h: a module's text, or a
 * `(module binary ...)` / `(module quote ...)` form, into module bytes.
 */
#include <string.h>

#include "../interp/interp_internal.h"
#include "lull_text.h"
#include "text_internal.h"

static const lulld_alloc default_alloc = {lulld_default_alloc, NULL};

static const lulld_alloc *alloc_of(const lull_engine *e) {
  return e ? &e->alloc : &default_alloc;
}

void lull_text_position(const char *text, size_t len, uint64_t offset,
                        uint32_t *line, uint32_t *column) {
  uint32_t l = 1, c = 1;
  if (offset > len)
    offset = len;
  for (size_t i = 0; i < offset; i++) {
    if (text[i] == '\n') {
      l++;
      c = 1;
    } else {
      c++;
    }
  }
  *line = l;
  *column = c;
}

int lull_is_binary(const uint8_t *bytes, size_t len) {
  return bytes && len >= 4 && !memcmp(bytes, "\0asm", 4);
}

int lull_is_text(const uint8_t *bytes, size_t len) {
  if (!bytes)
    return 0;
  size_t i = lullt_skip_space((const char *)bytes, 0, len);
  /* an unclosed block comment ends at len too, but it is no module */
  return i < len && bytes[i] == '(' && !(i + 1 < len && bytes[i + 1] == ';');
}

static void parser_free(lullt_parser *p) {
  const lulld_alloc *a = p->a;
  lullt_buf *bufs[] = {&p->sec_type_implicit, &p->sec_import, &p->sec_func,
                       &p->sec_table, &p->sec_mem, &p->sec_tag,
                       &p->sec_global, &p->sec_export, &p->sec_elem,
                       &p->sec_code, &p->sec_data, &p->sec_types, &p->tmp};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
    lullt_buf_free(a, bufs[i]);
  for (size_t i = 0; i < sizeof p->scratch / sizeof *p->scratch; i++)
    lullt_buf_free(a, &p->scratch[i]);
  for (int s = 0; s < LULLT_SP_COUNT; s++)
    lullt_names_free(p, &p->names[s]);
  for (size_t i = 0; i < p->ntypes; i++)
    lullt_names_free(p, &p->types[i].fields);
  lulld_free(a, p->types, p->types_cap * sizeof *p->types);
  lulld_free(a, p->sig, p->sig_cap * sizeof *p->sig);
  while (p->arena) {
    lullt_chunk *c = p->arena;
    p->arena = c->next;
    lulld_free(a, c, sizeof *c + c->size);
  }
}

/* Strings from p->pos up to `)` concatenated into `out`. */
static int strings(lullt_parser *p, lullt_buf *out) {
  while (lullt_cur(p)->kind == LULLT_STRING) {
    lullt_string(p->a, p->text, lullt_cur(p), out);
    p->pos++;
  }
  if (out->oom)
    return lullt_fail(p, p->pos, "out of memory");
  return 0;
}

static int convert(const lulld_alloc *a, int v2, int names,
                   const char *text, size_t len, lullt_buf *out,
                   lull_error *err, int quoted_depth);

/* The text after `(module $id?`: binary, quote, or fields; then `)`. */
static int module_form(lullt_parser *p, lullt_buf *out, lull_error *err,
                       int depth) {
  if (lullt_is_kw(p, p->pos, "binary")) {
    p->pos++;
    if (strings(p, out))
      return -1;
    return lullt_expect_rpar(p);
  }
  if (lullt_is_kw(p, p->pos, "quote")) {
    p->pos++;
    lullt_buf src = {0};
    int r = strings(p, &src);
    if (!r)
      r = lullt_expect_rpar(p);
    if (!r && depth > 8)
      r = lullt_fail(p, p->pos, "module quote nested too deep");
    if (!r && convert(p->a, p->v2, p->write_names,
                      src.p ? (const char *)src.p : "", src.n, out, err,
                      depth + 1)) {
      /* the error is the quoted text's own */
      lullt_buf_free(p->a, &src);
      return 1;
    }
    lullt_buf_free(p->a, &src);
    return r;
  }
  if (lullt_module(p, out))
    return -1;
  return lullt_expect_rpar(p);
}

static int convert(const lulld_alloc *a, int v2, int names,
                   const char *text, size_t len, lullt_buf *out,
                   lull_error *err, int depth) {
  lullt_tokens toks;
  if (lullt_lex(a, text, len, &toks)) {
    lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    return -1;
  }
  lullt_parser p;
  memset(&p, 0, sizeof p);
  p.a = a;
  p.v2 = v2;
  p.write_names = names;
  p.text = text;
  p.t = toks.t;
  p.ntok = toks.n;
  p.custom = toks.custom;
  p.ncustom = toks.ncustom;
  int r;
  if (lullt_is_open(&p, "module")) {
    p.pos += 2;
    /* a script's `(module definition $id? ...)` is a module too */
    if (lullt_is_kw(&p, p.pos, "definition"))
      p.pos++;
    if (lullt_cur(&p)->kind == LULLT_ID) {
      p.module_name = lullt_id(&p, lullt_cur(&p));
      p.pos++;
    }
    r = module_form(&p, out, err, depth);
    if (r == 1) { /* a quoted module's error, already in err */
      parser_free(&p);
      lullt_tokens_free(a, &toks);
      return -1;
    }
    if (!r && lullt_cur(&p)->kind != LULLT_EOF)
      r = lullt_unexpected(&p);
  } else {
    r = lullt_module(&p, out);
    if (!r && lullt_cur(&p)->kind != LULLT_EOF)
      r = lullt_unexpected(&p);
  }
  if (!r && out->oom)
    r = lullt_fail(&p, 0, "out of memory");
  if (r) {
    uint32_t line, col;
    lull_text_position(text, len, p.err_off, &line, &col);
    lulld_error(err, strcmp(p.err, "out of memory") ? LULL_MALFORMED
                                                    : LULL_NOMEM,
                p.err_off, "%s at %u:%u", p.err, line, col);
  }
  parser_free(&p);
  lullt_tokens_free(a, &toks);
  return r ? -1 : 0;
}

lull_status lull_wat_to_wasm(lull_engine *e, const char *text, size_t len,
                             uint8_t **out, size_t *out_len, lull_error *err) {
  return lull_wat_to_wasm_flags(e, text, len, 0, out, out_len, err);
}

lull_status lull_wat_to_wasm_flags(lull_engine *e, const char *text,
                                   size_t len, unsigned flags, uint8_t **out,
                                   size_t *out_len, lull_error *err) {
  if (out)
    *out = NULL;
  if (!out || !out_len || (!text && len) || (flags & ~LULL_WAT_NAMES))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET, "bad argument");
  const lulld_alloc *a = alloc_of(e);
  lullt_buf b = {0};
  /* an engine of plain Wasm 2.0 reads the 2.0 text format */
  int v2 = e && e->cfg.features == LULL_FEATURES_2_0;
  if (convert(a, v2, (flags & LULL_WAT_NAMES) != 0, text ? text : "", len,
              &b, err, 0)) {
    lullt_buf_free(a, &b);
    return err ? err->status : LULL_MALFORMED;
  }
  /* hand over exactly b.n bytes, so lull_wasm_free knows the size */
  if (b.n == 0 || b.n != b.cap) {
    uint8_t *q = b.n ? lulld_realloc(a, b.p, b.cap, b.n) : NULL;
    if (b.n && !q) {
      lullt_buf_free(a, &b);
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    }
    if (!b.n)
      lullt_buf_free(a, &b);
    b.p = q;
  }
  *out = b.p;
  *out_len = b.n;
  return LULL_OK;
}

void lull_wasm_free(lull_engine *e, uint8_t *bytes, size_t len) {
  if (bytes)
    lulld_free(alloc_of(e), bytes, len);
}

/* Converts, then hands the bytes to `next` (lull_module_new or
 * lull_validate through a small adapter). */
typedef lull_status (*after_fn)(lull_engine *e, const uint8_t *bytes,
                                size_t len, lull_module **out,
                                lull_error *err);

static lull_status validate_only(lull_engine *e, const uint8_t *bytes,
                                 size_t len, lull_module **out,
                                 lull_error *err) {
  (void)out;
  return lull_validate(e, bytes, len, err);
}

static lull_status via_binary(lull_engine *e, const char *text, size_t len,
                              after_fn next, lull_module **out,
                              lull_error *err) {
  if (!e)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET, "bad argument");
  uint8_t *bytes;
  size_t n;
  lull_status s =
      lull_wat_to_wasm_flags(e, text, len, LULL_WAT_NAMES, &bytes, &n, err);
  if (s != LULL_OK)
    return s;
  s = next(e, bytes, n, out, err);
  lull_wasm_free(e, bytes, n);
  return s;
}

lull_status lull_module_new_text(lull_engine *e, const char *text, size_t len,
                                 lull_module **out, lull_error *err) {
  if (!out)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET, "bad argument");
  return via_binary(e, text, len, lull_module_new, out, err);
}

lull_status lull_validate_text(lull_engine *e, const char *text, size_t len,
                               lull_error *err) {
  return via_binary(e, text, len, validate_only, NULL, err);
}
