/*
 * json.c -- a recursive-descent JSON reader (RFC 8259) building a tree in
 * an arena. wast2json's files are a few megabytes at most and a handful of
 * levels deep, so the simple design is enough; the depth limit only keeps a
 * hostile input from exhausting the C stack.
 */
#include "json.h"

#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 128

struct spec_json_doc {
  spec_arena arena;
  spec_json *root;
};

typedef struct parser {
  const char *start;
  const char *p;
  const char *end;
  spec_json_doc *doc;
  char *err;
  size_t errlen;
  int failed;
} parser;

/* Records the first error only: later ones are consequences of it. */
static void fail(parser *ps, const char *fmt, ...) {
  if (ps->failed)
    return;
  ps->failed = 1;
  if (!ps->errlen)
    return;
  int n = snprintf(ps->err, ps->errlen, "offset %zu: ",
                   (size_t)(ps->p - ps->start));
  if (n < 0 || (size_t)n >= ps->errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

static void skip_ws(parser *ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static spec_json *new_node(parser *ps, spec_json_kind kind) {
  spec_json *n = spec_arena_alloc(&ps->doc->arena, sizeof *n);
  if (!n) {
    fail(ps, "out of memory");
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->kind = kind;
  return n;
}

static int hex4(const char *s, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (uint32_t)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* Reads the \uXXXX escape at ps->p (just after the backslash and 'u'),
 * joining a surrogate pair into one code point. A lone surrogate is kept
 * as its own (ill-formed) three-byte sequence: the names it would spell
 * are test data, and rejecting them is the decoder's job, not ours. */
static int read_u_escape(parser *ps, uint32_t *cp) {
  if (ps->end - ps->p < 4 || hex4(ps->p, cp) != 0) {
    fail(ps, "bad \\u escape");
    return -1;
  }
  ps->p += 4;
  if (*cp >= 0xD800 && *cp < 0xDC00 && ps->end - ps->p >= 6 &&
      ps->p[0] == '\\' && ps->p[1] == 'u') {
    uint32_t lo;
    if (hex4(ps->p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
      *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
      ps->p += 6;
    }
  }
  return 0;
}

/* Parses the string starting at the opening quote. The decoded form is
 * never longer than the source (every escape shrinks or keeps its size),
 * so one allocation of the source length suffices. */
static int parse_string(parser *ps, const char **out, size_t *out_len) {
  ps->p++; /* opening quote */
  const char *q = ps->p;
  while (q < ps->end && *q != '"') {
    if (*q == '\\')
      q++;
    q++;
  }
  if (q >= ps->end) {
    fail(ps, "unterminated string");
    return -1;
  }
  char *buf = spec_arena_alloc(&ps->doc->arena, (size_t)(q - ps->p) + 1);
  if (!buf) {
    fail(ps, "out of memory");
    return -1;
  }
  size_t n = 0;
  while (*ps->p != '"') {
    unsigned char c = (unsigned char)*ps->p;
    if (c < 0x20) {
      fail(ps, "control character in string");
      return -1;
    }
    if (c != '\\') {
      buf[n++] = (char)c;
      ps->p++;
      continue;
    }
    ps->p++;
    char e = *ps->p++;
    switch (e) {
    case '"': buf[n++] = '"'; break;
    case '\\': buf[n++] = '\\'; break;
    case '/': buf[n++] = '/'; break;
    case 'b': buf[n++] = '\b'; break;
    case 'f': buf[n++] = '\f'; break;
    case 'n': buf[n++] = '\n'; break;
    case 'r': buf[n++] = '\r'; break;
    case 't': buf[n++] = '\t'; break;
    case 'u': {
      uint32_t cp;
      if (read_u_escape(ps, &cp) != 0)
        return -1;
      n += spec_utf8_put(buf + n, cp);
      break;
    }
    default:
      ps->p--;
      fail(ps, "bad escape '\\%c'", e);
      return -1;
    }
  }
  ps->p++; /* closing quote */
  buf[n] = '\0';
  *out = buf;
  *out_len = n;
  return 0;
}

static int is_digit(parser *ps) {
  return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

static spec_json *parse_number(parser *ps) {
  const char *s = ps->p;
  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (!is_digit(ps)) {
    fail(ps, "bad number");
    return NULL;
  }
  if (*ps->p == '0')
    ps->p++;
  else
    while (is_digit(ps))
      ps->p++;
  if (ps->p < ps->end && *ps->p == '.') {
    ps->p++;
    if (!is_digit(ps)) {
      fail(ps, "bad number");
      return NULL;
    }
    while (is_digit(ps))
      ps->p++;
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
      ps->p++;
    if (!is_digit(ps)) {
      fail(ps, "bad number");
      return NULL;
    }
    while (is_digit(ps))
      ps->p++;
  }
  spec_json *n = new_node(ps, SPEC_JSON_NUMBER);
  char *text =
      n ? spec_arena_alloc(&ps->doc->arena, (size_t)(ps->p - s) + 1) : NULL;
  if (!text) {
    fail(ps, "out of memory");
    return NULL;
  }
  memcpy(text, s, (size_t)(ps->p - s));
  text[ps->p - s] = '\0';
  n->str = text;
  n->len = (size_t)(ps->p - s);
  n->num = strtod(text, NULL);
  return n;
}

static spec_json *parse_value(parser *ps, int depth);

static int expect_word(parser *ps, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
    fail(ps, "unexpected character");
    return -1;
  }
  ps->p += n;
  return 0;
}

/* Arrays and objects share this loop: `is_object` adds the "key:" part. */
static spec_json *parse_container(parser *ps, int depth, int is_object) {
  char close = is_object ? '}' : ']';
  spec_json *c = new_node(ps, is_object ? SPEC_JSON_OBJECT : SPEC_JSON_ARRAY);
  if (!c)
    return NULL;
  ps->p++;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    return c;
  }
  spec_json **tail = &c->child;
  for (;;) {
    const char *key = NULL;
    size_t key_len = 0;
    skip_ws(ps);
    if (is_object) {
      if (ps->p >= ps->end || *ps->p != '"') {
        fail(ps, "expected a key");
        return NULL;
      }
      if (parse_string(ps, &key, &key_len) != 0)
        return NULL;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') {
        fail(ps, "expected ':'");
        return NULL;
      }
      ps->p++;
    }
    spec_json *v = parse_value(ps, depth + 1);
    if (!v)
      return NULL;
    v->key = key;
    v->key_len = key_len;
    *tail = v;
    tail = &v->next;
    c->len++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
      return c;
    }
    fail(ps, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
    return NULL;
  }
}

static spec_json *parse_value(parser *ps, int depth) {
  if (depth > MAX_DEPTH) {
    fail(ps, "nested deeper than %d", MAX_DEPTH);
    return NULL;
  }
  skip_ws(ps);
  if (ps->p >= ps->end) {
    fail(ps, "unexpected end");
    return NULL;
  }
  switch (*ps->p) {
  case '{':
    return parse_container(ps, depth, 1);
  case '[':
    return parse_container(ps, depth, 0);
  case '"': {
    spec_json *n = new_node(ps, SPEC_JSON_STRING);
    if (!n || parse_string(ps, &n->str, &n->len) != 0)
      return NULL;
    return n;
  }
  case 't':
    return expect_word(ps, "true") ? NULL : new_node(ps, SPEC_JSON_TRUE);
  case 'f':
    return expect_word(ps, "false") ? NULL : new_node(ps, SPEC_JSON_FALSE);
  case 'n':
    return expect_word(ps, "null") ? NULL : new_node(ps, SPEC_JSON_NULL);
  default:
    return parse_number(ps);
  }
}

spec_json_doc *spec_json_parse(const char *text, size_t len, char *err,
                               size_t errlen) {
  if (errlen)
    err[0] = '\0';
  spec_json_doc *doc = calloc(1, sizeof *doc);
  if (!doc) {
    if (errlen)
      snprintf(err, errlen, "out of memory");
    return NULL;
  }
  parser ps = {text, text, text + len, doc, err, errlen, 0};
  doc->root = parse_value(&ps, 0);
  if (doc->root) {
    skip_ws(&ps);
    if (ps.p != ps.end)
      fail(&ps, "content after the document");
  }
  if (ps.failed || !doc->root) {
    spec_json_free(doc);
    return NULL;
  }
  return doc;
}

void spec_json_free(spec_json_doc *doc) {
  if (!doc)
    return;
  spec_arena_free(&doc->arena);
  free(doc);
}

const spec_json *spec_json_root(const spec_json_doc *doc) {
  return doc ? doc->root : NULL;
}

const spec_json *spec_json_get(const spec_json *obj, const char *key) {
  if (!obj || obj->kind != SPEC_JSON_OBJECT)
    return NULL;
  size_t n = strlen(key);
  for (const spec_json *m = obj->child; m; m = m->next)
    if (m->key_len == n && memcmp(m->key, key, n) == 0)
      return m;
  return NULL;
}

const char *spec_json_get_str(const spec_json *obj, const char *key) {
  const spec_json *v = spec_json_get(obj, key);
  return v && v->kind == SPEC_JSON_STRING ? v->str : NULL;
}

const spec_json *spec_json_at(const spec_json *arr, size_t i) {
  if (!arr || (arr->kind != SPEC_JSON_ARRAY && arr->kind != SPEC_JSON_OBJECT))
    return NULL;
  const spec_json *m = arr->child;
  while (m && i--)
    m = m->next;
  return m;
}
