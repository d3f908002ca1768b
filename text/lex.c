/*
 * lex.c -- the text format's tokens (spec 6.2), as the reference
 * interpreter reads them.
 *
 * A token is a maximal run of identifier characters and strings; the run
 * is then classified as a whole: a number, a keyword, offset=N / align=N,
 * an identifier ($name or $"name"), a lone string, or else "reserved",
 * which the reference lexer rejects as an unknown operator. So `0$l`,
 * `$l"a"` and `i32.const0` are each one bad token, as the testsuite
 * requires. Keywords are looked up here: an unknown one is an error token
 * too ("unknown operator NAME").
 *
 * Annotations `(@id ...)` are skipped with everything inside them (their
 * tokens must still be well formed); so are comments. The first lexical
 * error ends the token array (an ERROR token, then EOF): the parser meets
 * it where the reference parser would, after the tokens before it.
 */
#include <string.h>

#include "../decoder/decode_internal.h"
#include "text_internal.h"

/* Messages of ERROR tokens, indexed by the token's `len`. */
static const char *const lex_msgs[] = {
    "unknown operator",
    "empty identifier",
    "empty annotation id",
    "unclosed annotation",
    "unclosed comment",
    "unclosed string literal",
    "illegal control character in string literal",
    "illegal escape",
    "malformed UTF-8 encoding",
    "misplaced control character",
    "misplaced unicode character",
    "illegal character",
    "unexpected token", /* a `)` with no `(` */
};
enum {
  E_UNKNOWN,
  E_EMPTY_ID,
  E_EMPTY_ANNOT,
  E_UNCLOSED_ANNOT,
  E_UNCLOSED_COMMENT,
  E_UNCLOSED_STRING,
  E_CONTROL_IN_STRING,
  E_ESCAPE,
  E_UTF8,
  E_CONTROL,
  E_UNICODE,
  E_ILLEGAL,
};

const char *lullt_lex_error(const lullt_token *t) {
  return t->len < sizeof lex_msgs / sizeof *lex_msgs ? lex_msgs[t->len]
                                                      : "syntax error";
}

typedef struct lexer {
  const lulld_alloc *a;
  const char *s;
  size_t n, i;
  const lullt_kwtab *kw;
  lullt_tokens *out;
  int failed; /* an ERROR token was pushed */
  int oom;
  int annot; /* inside an annotation: any well-formed word goes */
} lexer;

static void push(lexer *L, unsigned kind, size_t off, size_t len) {
  lullt_tokens *o = L->out;
  if (LULLD_GROW(L->a, o->t, &o->cap, o->n + 1)) {
    L->oom = 1;
    return;
  }
  lullt_token *t = &o->t[o->n++];
  memset(t, 0, sizeof *t);
  t->kind = kind;
  t->off = (uint32_t)off;
  t->len = (uint32_t)len;
}

static void fail(lexer *L, size_t off, unsigned msg) {
  push(L, LULLT_ERROR, off, msg);
  L->failed = 1;
}

static int is_idchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return 1;
  return c && strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != NULL;
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Length of a valid UTF-8 sequence at s[i], 0 if there is none. */
static size_t utf8_len(const char *s, size_t n, size_t i) {
  size_t k;
  for (k = 1; k <= 4 && i + k <= n; k++)
    if (lulld_utf8_valid((const uint8_t *)s + i, k))
      return k;
  return 0;
}

/* Steps over the UTF-8 sequence at s[i] (a byte >= 0x80): the index
 * after it, or 0 after pushing "malformed UTF-8 encoding". */
static size_t utf8_step(lexer *L, size_t i) {
  size_t k = utf8_len(L->s, L->n, i);
  if (!k) {
    fail(L, i, E_UTF8);
    return 0;
  }
  return i + k;
}

/* Scans the string starting at s[i] == '"'. Returns the index after the
 * closing quote, or 0 after pushing an error. */
static size_t scan_string(lexer *L, size_t i) {
  const char *s = L->s;
  size_t start = i++;
  while (i < L->n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"')
      return i + 1;
    if (c == '\n' || c == '\r') {
      fail(L, start, E_UNCLOSED_STRING);
      return 0;
    }
    if (c < 0x20 || c == 0x7F) {
      fail(L, start, E_CONTROL_IN_STRING);
      return 0;
    }
    if (c == '\\') {
      if (i + 1 >= L->n) {
        fail(L, start, E_UNCLOSED_STRING);
        return 0;
      }
      unsigned char e = (unsigned char)s[i + 1];
      if (strchr("nrt\\'\"", e) && e) {
        i += 2;
      } else if (e == 'u') {
        size_t k = i + 2;
        if (k >= L->n || s[k] != '{') {
          fail(L, i, E_ESCAPE);
          return 0;
        }
        k++;
        uint32_t cp = 0;
        size_t nd = 0;
        int under_ok = 0;
        while (k < L->n && (hexval((unsigned char)s[k]) >= 0 ||
                            (s[k] == '_' && under_ok))) {
          if (s[k] != '_') {
            cp = cp * 16 + (uint32_t)hexval((unsigned char)s[k]);
            if (cp > 0x10FFFF)
              cp = 0x110000; /* stays out of range */
            nd++;
            under_ok = 1;
          } else {
            under_ok = 0;
          }
          k++;
        }
        if (!nd || k >= L->n || s[k] != '}' || s[k - 1] == '_' ||
            cp >= 0x110000 || (cp >= 0xD800 && cp < 0xE000)) {
          fail(L, i, E_ESCAPE);
          return 0;
        }
        i = k + 1;
      } else if (hexval(e) >= 0 && i + 2 < L->n &&
                 hexval((unsigned char)s[i + 2]) >= 0) {
        i += 3;
      } else {
        fail(L, i, E_ESCAPE);
        return 0;
      }
    } else if (c >= 0x80) {
      if (!(i = utf8_step(L, i)))
        return 0;
    } else {
      i++;
    }
  }
  fail(L, start, E_UNCLOSED_STRING);
  return 0;
}

void lullt_string(const lulld_alloc *a, const char *text,
                  const lullt_token *t, lullt_buf *out) {
  const char *s = text + t->off;
  size_t n = t->len;
  size_t i = 1;
  /* a $"..." identifier has the string after its `$` */
  if (s[0] == '$')
    i = 2;
  while (i + 1 < n) {
    size_t run = i;
    while (run + 1 < n && s[run] != '\\')
      run++;
    if (run > i) {
      lullt_put(a, out, s + i, run - i);
      i = run;
      continue;
    }
    char e = s[i + 1];
    uint8_t b;
    switch (e) {
    case 'n': b = '\n'; i += 2; break;
    case 'r': b = '\r'; i += 2; break;
    case 't': b = '\t'; i += 2; break;
    case '\\': case '\'': case '"': b = (uint8_t)e; i += 2; break;
    case 'u': {
      size_t k = i + 3;
      uint32_t cp = 0;
      for (; s[k] != '}'; k++)
        if (s[k] != '_')
          cp = cp * 16 + (uint32_t)hexval((unsigned char)s[k]);
      uint8_t u[4];
      size_t m;
      if (cp < 0x80) {
        u[0] = (uint8_t)cp; m = 1;
      } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | cp >> 6); u[1] = (uint8_t)(0x80 | (cp & 63));
        m = 2;
      } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | cp >> 12);
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 63));
        u[2] = (uint8_t)(0x80 | (cp & 63));
        m = 3;
      } else {
        u[0] = (uint8_t)(0xF0 | cp >> 18);
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 63));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 63));
        u[3] = (uint8_t)(0x80 | (cp & 63));
        m = 4;
      }
      lullt_put(a, out, u, m);
      i = k + 1;
      continue;
    }
    default:
      b = (uint8_t)(hexval((unsigned char)e) * 16 +
                    hexval((unsigned char)s[i + 2]));
      i += 3;
      break;
    }
    lullt_byte(a, out, b);
  }
}

/* Skips a block comment starting at s[i] == '(' ';'. Returns the index
 * after it or 0 after an error. */
static size_t skip_comment(lexer *L, size_t i) {
  size_t start = i;
  unsigned depth = 1;
  i += 2;
  while (i < L->n) {
    unsigned char c = (unsigned char)L->s[i];
    if (c == ';' && i + 1 < L->n && L->s[i + 1] == ')') {
      i += 2;
      if (--depth == 0)
        return i;
    } else if (c == '(' && i + 1 < L->n && L->s[i + 1] == ';') {
      depth++;
      i += 2;
    } else if (c >= 0x80) {
      if (!(i = utf8_step(L, i)))
        return 0;
    } else {
      i++;
    }
  }
  fail(L, start, E_UNCLOSED_COMMENT);
  return 0;
}

/* Skips a line comment at s[i] == ';' ';'. Returns the index of its end
 * (the newline or the end of text) or 0 after an error. */
static size_t skip_line(lexer *L, size_t i) {
  i += 2;
  while (i < L->n && L->s[i] != '\n' && L->s[i] != '\r') {
    if ((unsigned char)L->s[i] >= 0x80) {
      if (!(i = utf8_step(L, i)))
        return 0;
    } else {
      i++;
    }
  }
  return i;
}

/* "offset=" and "align=" take a nat. */
static int is_nat(const char *s, size_t n) {
  int f;
  return n > 0 && s[0] != '+' && s[0] != '-' && lullt_num_shape(s, n, &f) &&
         !f;
}

static int is_keyword_shape(const char *s, size_t n) {
  if (n < 2 || !(s[0] >= 'a' && s[0] <= 'z'))
    return 0;
  for (size_t i = 1; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':'))
      return 0;
  }
  return 1;
}

/* Classifies the run s[start..end), which holds `nstr` strings. */
static void word(lexer *L, size_t start, size_t end, int nstr,
                 size_t first_str_end) {
  const char *s = L->s + start;
  size_t n = end - start;
  if (L->annot && !(s[0] == '$' && nstr))
    return;
  if (nstr == 0) {
    int f;
    if (lullt_num_shape(s, n, &f)) {
      push(L, LULLT_NUM, start, n);
      if (!L->oom)
        L->out->t[L->out->n - 1].is_float = (unsigned)f;
      return;
    }
    if (is_keyword_shape(s, n)) {
      const lullt_kw *k = lullt_kw_find(L->kw, s, n);
      if (k) {
        push(L, LULLT_KEYWORD, start, n);
        if (!L->oom)
          L->out->t[L->out->n - 1].kw = (uint32_t)lullt_kw_index(k) + 1;
        return;
      }
    }
    if ((n > 7 && !memcmp(s, "offset=", 7) && is_nat(s + 7, n - 7)) ||
        (n > 6 && !memcmp(s, "align=", 6) && is_nat(s + 6, n - 6))) {
      push(L, LULLT_KEYWORD, start, n);
      return;
    }
    if (s[0] == '$') {
      if (n == 1)
        fail(L, start, E_EMPTY_ID);
      else
        push(L, LULLT_ID, start, n);
      return;
    }
    fail(L, start, E_UNKNOWN);
    return;
  }
  if (nstr == 1 && s[0] == '$' && first_str_end == end &&
      L->s[start + 1] == '"') {
    if (n == 3) { /* $"" */
      fail(L, start, E_EMPTY_ID);
      return;
    }
    lullt_token t = {.kind = LULLT_ID, .off = (uint32_t)start,
                     .len = (uint32_t)n};
    lullt_buf b = {0};
    lullt_string(L->a, L->s, &t, &b);
    int ok = !b.oom && lulld_utf8_valid(b.p, b.n);
    lullt_buf_free(L->a, &b);
    if (!ok) {
      fail(L, start, E_UTF8);
      return;
    }
    push(L, LULLT_ID, start, n);
    return;
  }
  if (nstr == 1 && s[0] == '"' && first_str_end == end) {
    push(L, LULLT_STRING, start, n);
    return;
  }
  fail(L, start, E_UNKNOWN);
}

/* Scans one run of identifier characters and strings at s[i]. Returns the
 * index after it, or 0 after an error. `$` directly followed by a string
 * that does not lex is an empty identifier, as in the reference. */
static size_t scan_word(lexer *L, size_t i) {
  size_t start = i;
  int nstr = 0;
  size_t first_str_end = 0;
  while (i < L->n) {
    unsigned char c = (unsigned char)L->s[i];
    if (c == '"') {
      size_t save = L->out->n;
      size_t e = scan_string(L, i);
      if (!e) {
        if (i == start + 1 && L->s[start] == '$') {
          /* replace the string's error: the reference reads `$` alone */
          L->out->n = save;
          fail(L, start, E_EMPTY_ID);
        }
        return 0;
      }
      if (!nstr)
        first_str_end = e;
      nstr++;
      i = e;
    } else if (is_idchar(c)) {
      i++;
    } else {
      break;
    }
  }
  if (L->s[start] == '$' && i == start + 1) {
    fail(L, start, E_EMPTY_ID);
    return 0;
  }
  word(L, start, i, nstr, first_str_end);
  return L->failed ? 0 : i;
}

/* Skips an annotation whose `(@` is at s[i]. Its tokens are scanned (so
 * they must be well formed) but not kept. */
static size_t skip_annotation(lexer *L, size_t i) {
  size_t start = i;
  size_t keep = L->out->n;
  i += 2;
  /* the annotation's name: idchars or a string, not empty */
  if (i < L->n && L->s[i] == '"') {
    size_t save = L->out->n;
    size_t e = scan_string(L, i);
    if (!e) {
      /* the reference reads `(@` alone, which has no name */
      L->out->n = save;
      fail(L, start, E_EMPTY_ANNOT);
      return 0;
    }
    if (e == i + 2) {
      fail(L, start, E_EMPTY_ANNOT);
      return 0;
    }
    lullt_token t = {.kind = LULLT_STRING, .off = (uint32_t)i,
                     .len = (uint32_t)(e - i)};
    lullt_buf b = {0};
    lullt_string(L->a, L->s, &t, &b);
    int ok = !b.oom && lulld_utf8_valid(b.p, b.n);
    lullt_buf_free(L->a, &b);
    if (!ok) {
      fail(L, i, E_UTF8);
      return 0;
    }
    i = e;
  } else {
    size_t k = i;
    while (k < L->n && is_idchar((unsigned char)L->s[k]))
      k++;
    if (k == i) {
      fail(L, start, E_EMPTY_ANNOT);
      return 0;
    }
    i = k;
  }
  unsigned depth = 1;
  while (depth) {
    if (i >= L->n) {
      fail(L, start, E_UNCLOSED_ANNOT);
      return 0;
    }
    unsigned char c = (unsigned char)L->s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      i++;
    } else if (c == '(' && i + 1 < L->n && L->s[i + 1] == ';') {
      if (!(i = skip_comment(L, i)))
        return 0;
    } else if (c == ';' && i + 1 < L->n && L->s[i + 1] == ';') {
      if (!(i = skip_line(L, i)))
        return 0;
    } else if (c == '(') {
      depth++; /* a nested (@name is a list like any other here */
      i++;
    } else if (c == ')') {
      depth--;
      i++;
    } else if (c == '"' || is_idchar(c)) {
      L->annot = 1;
      i = scan_word(L, i);
      L->annot = 0;
      if (!i)
        return 0;
      L->out->n = keep; /* drop what the word pushed */
    } else if (c && strchr(",;[]{}", c)) {
      i++; /* reserved tokens of their own, harmless here */
    } else if (c >= 0x80) {
      fail(L, i, utf8_len(L->s, L->n, i) ? E_ILLEGAL : E_UTF8);
      return 0;
    } else {
      fail(L, i, E_ILLEGAL);
      return 0;
    }
  }
  return i;
}

size_t lullt_skip_space(const char *s, size_t i, size_t end) {
  while (i < end) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      i++;
    } else if (s[i] == ';' && i + 1 < end && s[i + 1] == ';') {
      while (i < end && s[i] != '\n')
        i++;
    } else if (s[i] == '(' && i + 1 < end && s[i + 1] == ';') {
      unsigned d = 0;
      do {
        if (i + 1 < end && s[i] == '(' && s[i + 1] == ';')
          d++, i += 2;
        else if (i + 1 < end && s[i] == ';' && s[i + 1] == ')')
          d--, i += 2;
        else
          i++;
      } while (d && i < end);
    } else {
      break;
    }
  }
  return i;
}

/* Keeps the span of an (@custom ...) annotation for the module parser,
 * which reads it again (they are rare and short). */
static void keep_custom(lexer *L, size_t start, size_t end) {
  lullt_tokens *o = L->out;
  if (LULLD_GROW(L->a, o->custom, &o->custom_cap, o->ncustom + 1)) {
    L->oom = 1;
    return;
  }
  lullt_custom *c = &o->custom[o->ncustom++];
  c->off = (uint32_t)start;
  c->end = (uint32_t)end;
  c->tok = (uint32_t)o->n;
}

int lullt_lex(const lulld_alloc *a, const char *text, size_t len,
              lullt_tokens *out) {
  memset(out, 0, sizeof *out);
  if (len >= UINT32_MAX)
    return -1;
  lullt_kwtab kw;
  if (lullt_kwtab_init(a, &kw))
    return -1;
  lexer L = {.a = a, .s = text, .n = len, .kw = &kw, .out = out};
  /* about one token per 5 bytes of typical text */
  size_t guess = len / 5 + 16;
  if (LULLD_GROW(a, out->t, &out->cap, guess))
    L.oom = 1;
  size_t i = 0;
  while (!L.failed && !L.oom && i < len) {
    unsigned char c = (unsigned char)text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      i++;
    } else if (c == '(') {
      if (i + 1 < len && text[i + 1] == ';') {
        i = skip_comment(&L, i);
      } else if (i + 1 < len && text[i + 1] == '@') {
        size_t start = i;
        i = skip_annotation(&L, i);
        if (i && i - start > 9 && !memcmp(text + start, "(@custom", 8) &&
            !is_idchar((unsigned char)text[start + 8]))
          keep_custom(&L, start, i);
      } else {
        push(&L, LULLT_LPAR, i, 1);
        i++;
      }
    } else if (c == ')') {
      push(&L, LULLT_RPAR, i, 1);
      i++;
    } else if (c == ';' && i + 1 < len && text[i + 1] == ';') {
      i = skip_line(&L, i);
    } else if (c == '"' || is_idchar(c)) {
      i = scan_word(&L, i);
    } else if (c >= 0x80) {
      fail(&L, i, utf8_len(text, len, i) ? E_UNICODE : E_UTF8);
    } else if (c < 0x20 || c == 0x7F) {
      fail(&L, i, E_CONTROL);
    } else {
      /* , ; [ ] { } are reserved tokens of their own */
      fail(&L, i, E_UNKNOWN);
    }
  }
  if (!L.oom)
    push(&L, LULLT_EOF, len, 0);
  lullt_kwtab_free(a, &kw);
  if (L.oom) {
    lullt_tokens_free(a, out);
    return -1;
  }
  return 0;
}

void lullt_tokens_free(const lulld_alloc *a, lullt_tokens *t) {
  lulld_free(a, t->t, t->cap * sizeof *t->t);
  lulld_free(a, t->custom, t->custom_cap * sizeof *t->custom);
  memset(t, 0, sizeof *t);
}
