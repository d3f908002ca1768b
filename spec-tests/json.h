/*
 * json.h -- a small JSON reader for wast2json's output. Prefix spec_json.
 *
 * The whole document is parsed into a tree of nodes that all live in one
 * arena owned by the spec_json_doc, so freeing the document frees every
 * node and string at once. Strings are decoded (escapes, \uXXXX with
 * surrogate pairs, to UTF-8) and may hold U+0000, hence their length; each
 * is also NUL-terminated for convenience.
 */
#ifndef LULL_SPEC_JSON_H
#define LULL_SPEC_JSON_H

#include <stddef.h>

typedef enum spec_json_kind {
  SPEC_JSON_NULL,
  SPEC_JSON_FALSE,
  SPEC_JSON_TRUE,
  SPEC_JSON_NUMBER,
  SPEC_JSON_STRING,
  SPEC_JSON_ARRAY,
  SPEC_JSON_OBJECT
} spec_json_kind;

typedef struct spec_json spec_json;

/* One value. Members of an array or object are a singly linked list from
 * `child` through `next`, in document order; an object member also carries
 * its key. */
struct spec_json {
  spec_json_kind kind;
  const char *str; /* STRING: decoded bytes; NUMBER: the literal's text */
  size_t len;      /* STRING/NUMBER: bytes in `str`; ARRAY/OBJECT: members */
  double num;      /* NUMBER: its value */
  spec_json *child;
  spec_json *next;
  const char *key; /* member of an object: its decoded key, else NULL */
  size_t key_len;
};

typedef struct spec_json_doc spec_json_doc;

/* Parses `len` bytes of `text`. On success returns a document whose root is
 * spec_json_root(doc); on failure returns NULL and writes a message naming
 * the byte offset to `err` (`errlen` bytes, may be 0). */
spec_json_doc *spec_json_parse(const char *text, size_t len, char *err,
                               size_t errlen);

/* Frees the document and every node and string in it. NULL is allowed. */
void spec_json_free(spec_json_doc *doc);

const spec_json *spec_json_root(const spec_json_doc *doc);

/* The member `key` of an object, or NULL when `obj` is not an object or has
 * no such member (the first one wins when a key repeats). */
const spec_json *spec_json_get(const spec_json *obj, const char *key);

/* The string value of member `key`, or NULL when absent or not a string. */
const char *spec_json_get_str(const spec_json *obj, const char *key);

/* The i-th member of an array or object, or NULL. */
const spec_json *spec_json_at(const spec_json *arr, size_t i);

#endif
