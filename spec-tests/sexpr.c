/*
 * sexpr.c -- reads the S-expressions of a script into a tree. Lists are
 * kept on an explicit stack of open parentheses instead of by recursion,
 * so a hostile file nested a million deep costs memory, not the C stack.
 */
#include "sexpr.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct spec_sx_doc {
  spec_arena arena;
  spec_sx *root;
};

/* An open list and where its next item goes. */
typedef struct open_list {
  spec_sx *node;
  spec_sx **tail;
} open_list;

typedef struct reader {
  const char *p;
  const char *end;
  const char *start; /* the text, for the byte spans of lists */
  unsigned line;
  spec_sx_doc *doc;
  open_list *stack; /* stack[0] is the root */
  size_t depth;     /* entries in use */
  size_t cap;
  char *err;
  size_t errlen;
  int failed;
} reader;

/* Records the first error only: later ones are consequences of it. */
__attribute__((format(printf, 3, 4))) static void fail(reader *r,
                                                       unsigned line,
                                                       const char *fmt, ...) {
  if (r->failed)
    return;
  r->failed = 1;
  if (!r->errlen)
    return;
  int n = snprintf(r->err, r->errlen, "line %u: ", line);
  if (n < 0 || (size_t)n >= r->errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

static spec_sx *add_node(reader *r, spec_sx_kind kind, unsigned line) {
  spec_sx *n = spec_arena_alloc(&r->doc->arena, sizeof *n);
  if (!n) {
    fail(r, line, "out of memory");
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->line = line;
  open_list *top = &r->stack[r->depth - 1];
  *top->tail = n;
  top->tail = &n->next;
  top->node->len++;
  return n;
}

static int push(reader *r, spec_sx *list) {
  if (r->depth == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    open_list *bigger = realloc(r->stack, cap * sizeof *bigger);
    if (!bigger) {
      fail(r, r->line, "out of memory");
      return -1;
    }
    r->stack = bigger;
    r->cap = cap;
  }
  r->stack[r->depth].node = list;
  r->stack[r->depth].tail = &list->child;
  r->depth++;
  return 0;
}

/* Skips a block comment starting at "(;"; they nest. */
static void skip_block_comment(reader *r) {
  unsigned start = r->line;
  unsigned level = 0;
  while (r->p < r->end) {
    if (r->end - r->p >= 2 && r->p[0] == '(' && r->p[1] == ';') {
      level++;
      r->p += 2;
    } else if (r->end - r->p >= 2 && r->p[0] == ';' && r->p[1] == ')') {
      r->p += 2;
      if (--level == 0)
        return;
    } else {
      if (*r->p == '\n')
        r->line++;
      r->p++;
    }
  }
  fail(r, start, "block comment \"(;\" is never closed");
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads "\u{hex}" after the 'u'; underscores may separate digits. */
static int read_unicode(reader *r, uint32_t *cp) {
  if (r->p >= r->end || *r->p != '{')
    return -1;
  r->p++;
  uint32_t v = 0;
  int digits = 0, last_digit = 0;
  for (; r->p < r->end && *r->p != '}'; r->p++) {
    int d = hex_digit(*r->p);
    if (*r->p == '_' && last_digit) {
      last_digit = 0;
      continue;
    }
    if (d < 0 || v > 0x10FFFF)
      return -1;
    v = v * 16 + (uint32_t)d;
    digits++;
    last_digit = 1;
  }
  if (r->p >= r->end || !digits || !last_digit || v >= 0x110000 ||
      (v >= 0xD800 && v < 0xE000))
    return -1;
  r->p++; /* '}' */
  *cp = v;
  return 0;
}

/* Decodes one escape after the backslash into `buf`; returns the bytes
 * written, or -1. */
static int read_escape(reader *r, char *buf) {
  if (r->p >= r->end)
    return -1;
  char e = *r->p++;
  switch (e) {
  case 't': buf[0] = '\t'; return 1;
  case 'n': buf[0] = '\n'; return 1;
  case 'r': buf[0] = '\r'; return 1;
  case '"': buf[0] = '"'; return 1;
  case '\'': buf[0] = '\''; return 1;
  case '\\': buf[0] = '\\'; return 1;
  case 'u': {
    uint32_t cp;
    if (read_unicode(r, &cp) != 0)
      return -1;
    return (int)spec_utf8_put(buf, cp);
  }
  default: {
    int hi = hex_digit(e);
    int lo = r->p < r->end ? hex_digit(*r->p) : -1;
    if (hi < 0 || lo < 0)
      return -1;
    r->p++;
    buf[0] = (char)(hi * 16 + lo);
    return 1;
  }
  }
}

/* Skips an annotation "(@name ...)": the text format says it means
 * nothing to a script, and its atoms may hold bytes (`;`, `,`, `{`) that
 * no other token may. Strings and comments inside it are skipped whole,
 * so their parentheses do not count. */
static void skip_annotation(reader *r) {
  unsigned start = r->line;
  unsigned depth = 0;
  while (r->p < r->end) {
    char c = *r->p;
    if (c == '(' && r->end - r->p >= 2 && r->p[1] == ';') {
      skip_block_comment(r);
      if (r->failed)
        return;
    } else if (c == ';' && r->end - r->p >= 2 && r->p[1] == ';') {
      while (r->p < r->end && *r->p != '\n')
        r->p++;
    } else if (c == '"') {
      r->p++;
      while (r->p < r->end && *r->p != '"' && *r->p != '\n') {
        if (*r->p == '\\' && r->end - r->p >= 2)
          r->p++;
        r->p++;
      }
      if (r->p >= r->end || *r->p != '"') {
        fail(r, r->line, "string is never closed on its line");
        return;
      }
      r->p++;
    } else {
      if (c == '\n')
        r->line++;
      else if (c == '(')
        depth++;
      else if (c == ')' && --depth == 0) {
        r->p++;
        return;
      }
      r->p++;
    }
  }
  fail(r, start, "annotation \"(@\" is never closed");
}

/* Reads the string whose opening quote is at r->p. Decoding never makes
 * it longer than its source (the longest result, 4 bytes of UTF-8, comes
 * from at least 5 source bytes), so one block of the source's size
 * suffices. */
static void read_string(reader *r) {
  unsigned line = r->line;
  const char *q = ++r->p;
  while (q < r->end && *q != '"' && *q != '\n') {
    if (*q == '\\' && q + 1 < r->end)
      q++;
    q++;
  }
  if (q >= r->end || *q != '"') {
    fail(r, line, "string is never closed on its line");
    return;
  }
  spec_sx *n = add_node(r, SPEC_SX_STRING, line);
  char *buf = n ? spec_arena_alloc(&r->doc->arena, (size_t)(q - r->p) + 1)
                : NULL;
  if (!buf) {
    fail(r, line, "out of memory");
    return;
  }
  size_t len = 0;
  while (r->p < q) {
    unsigned char c = (unsigned char)*r->p;
    if (c == '\\') {
      const char *at = r->p++;
      int k = read_escape(r, buf + len);
      if (k < 0 || r->p > q) {
        int shown = (int)(q - at < 12 ? q - at : 12);
        fail(r, line, "bad escape \"%.*s\" in string", shown, at);
        return;
      }
      len += (size_t)k;
    } else if (c < 0x20 || c == 0x7F) {
      fail(r, line, "control character 0x%02x in string", c);
      return;
    } else {
      buf[len++] = (char)c;
      r->p++;
    }
  }
  r->p++; /* closing quote */
  buf[len] = '\0';
  n->text = buf;
  n->len = len;
}

static int atom_byte(unsigned char c) {
  return c > 0x20 && c < 0x7F && c != '(' && c != ')' && c != '"' && c != ';';
}

static void read_atom(reader *r) {
  const char *s = r->p;
  while (r->p < r->end && atom_byte((unsigned char)*r->p))
    r->p++;
  spec_sx *n = add_node(r, SPEC_SX_ATOM, r->line);
  char *text = n ? spec_arena_alloc(&r->doc->arena, (size_t)(r->p - s) + 1)
                 : NULL;
  if (!text) {
    fail(r, r->line, "out of memory");
    return;
  }
  memcpy(text, s, (size_t)(r->p - s));
  text[r->p - s] = '\0';
  n->text = text;
  n->len = (size_t)(r->p - s);
}

static void read_all(reader *r) {
  while (!r->failed && r->p < r->end) {
    unsigned char c = (unsigned char)*r->p;
    if (c == '\n') {
      r->line++;
      r->p++;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      r->p++;
    } else if (c == ';' && r->end - r->p >= 2 && r->p[1] == ';') {
      while (r->p < r->end && *r->p != '\n')
        r->p++;
    } else if (c == '(' && r->end - r->p >= 2 && r->p[1] == ';') {
      skip_block_comment(r);
    } else if (c == '(' && r->end - r->p >= 2 && r->p[1] == '@') {
      skip_annotation(r);
    } else if (c == '(') {
      spec_sx *n = add_node(r, SPEC_SX_LIST, r->line);
      if (n)
        n->off = (size_t)(r->p - r->start);
      r->p++;
      if (n)
        push(r, n);
    } else if (c == ')') {
      if (r->depth == 1)
        fail(r, r->line, "unexpected ')' with no '(' open");
      r->p++;
      if (r->depth > 1)
        r->stack[r->depth - 1].node->end = (size_t)(r->p - r->start);
      r->depth--;
    } else if (c == '"') {
      read_string(r);
    } else if (atom_byte(c)) {
      read_atom(r);
    } else {
      fail(r, r->line, "unexpected byte 0x%02x", c);
    }
  }
  if (!r->failed && r->depth > 1)
    fail(r, r->stack[r->depth - 1].node->line, "'(' is never closed");
}

spec_sx_doc *spec_sx_parse(const char *text, size_t len, char *err,
                           size_t errlen) {
  if (errlen)
    err[0] = '\0';
  spec_sx_doc *doc = calloc(1, sizeof *doc);
  reader r = {text, text + len, text, 1, doc, NULL, 0, 0, err, errlen, 0};
  if (doc)
    doc->root = spec_arena_alloc(&doc->arena, sizeof *doc->root);
  if (!doc || !doc->root) {
    if (errlen)
      snprintf(err, errlen, "out of memory");
    spec_sx_free(doc);
    return NULL;
  }
  memset(doc->root, 0, sizeof *doc->root);
  doc->root->kind = SPEC_SX_LIST;
  doc->root->line = 1;
  if (push(&r, doc->root) == 0)
    read_all(&r);
  free(r.stack);
  if (r.failed) {
    spec_sx_free(doc);
    return NULL;
  }
  return doc;
}

void spec_sx_free(spec_sx_doc *doc) {
  if (!doc)
    return;
  spec_arena_free(&doc->arena);
  free(doc);
}

const spec_sx *spec_sx_root(const spec_sx_doc *doc) {
  return doc ? doc->root : NULL;
}

int spec_sx_is(const spec_sx *n, const char *word) {
  return n && n->kind == SPEC_SX_ATOM && strcmp(n->text, word) == 0;
}
