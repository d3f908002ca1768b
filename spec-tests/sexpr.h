/*
 * sexpr.h -- an S-expression reader for WebAssembly scripts (.bin.wast):
 * parentheses, atoms, strings and comments, as the text format spells
 * them. It knows nothing of what the forms mean (script.c does). Prefix
 * spec_sx.
 *
 * The whole text is read into a tree whose nodes live in one arena owned
 * by the spec_sx_doc. Reading never recurses, so no nesting depth can
 * exhaust the C stack; every error names the line it was found on.
 */
#ifndef LULL_SPEC_SEXPR_H
#define LULL_SPEC_SEXPR_H

#include <stddef.h>

typedef enum spec_sx_kind {
  SPEC_SX_LIST,   /* ( ... ) */
  SPEC_SX_ATOM,   /* a keyword, number, $id or other token */
  SPEC_SX_STRING  /* "...", decoded */
} spec_sx_kind;

typedef struct spec_sx spec_sx;

/* One node. The items of a list are a singly linked list from `child`
 * through `next`, in text order. */
struct spec_sx {
  spec_sx_kind kind;
  unsigned line;    /* where the node starts (1-based) */
  const char *text; /* ATOM: the token; STRING: the decoded bytes (may hold
                       any byte, NUL included); both NUL-terminated */
  size_t len;       /* ATOM/STRING: bytes in `text`; LIST: items */
  size_t off, end;  /* LIST: its bytes in the source, `(` to after `)`,
                       so a text module can be handed to lull_text.h */
  spec_sx *child;
  spec_sx *next;
};

typedef struct spec_sx_doc spec_sx_doc;

/* Reads `len` bytes of `text`. On success returns a document whose root
 * (spec_sx_root) is a list of the top-level forms. On failure returns NULL
 * and writes "line N: what" to `err` (`errlen` bytes, may be 0): an
 * unbalanced parenthesis, an unterminated string or block comment, a bad
 * escape, or a byte that no token may hold. */
spec_sx_doc *spec_sx_parse(const char *text, size_t len, char *err,
                           size_t errlen);

/* Frees the document and every node in it. NULL is allowed. */
void spec_sx_free(spec_sx_doc *doc);

const spec_sx *spec_sx_root(const spec_sx_doc *doc);

/* 1 when `n` is an atom spelled exactly `word`. */
int spec_sx_is(const spec_sx *n, const char *word);

#endif
