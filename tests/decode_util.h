/*
 * decode_util.h -- helpers for the decoder's tests: modules written as
 * readable hex, a counting allocator that can fail on purpose, and
 * assertions on decode errors. Header-only; included by test_decode*.c.
 *
 * The hex notation: pairs of hex digits are bytes; spaces and newlines
 * are ignored; '...' is text copied as bytes; {...} is a size-prefixed
 * block (its size as unsigned LEB128, then its bytes), which writes
 * section contents, function bodies and names without counting by hand.
 * Example: HDR "01{01 60 00 00}" is a module with one type () -> ().
 */
#ifndef LULL_TESTS_DECODE_UTIL_H
#define LULL_TESTS_DECODE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decoder/module.h"

#define HDR "0061736d 01000000 "

typedef struct hexbuf {
  uint8_t *b;
  size_t n, cap;
} hexbuf;

static inline void hb_put(hexbuf *h, uint8_t v) {
  if (h->n == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 256;
    h->b = realloc(h->b, h->cap);
    assert_non_null(h->b);
  }
  h->b[h->n++] = v;
}

static inline int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  fail_msg("bad hex digit '%c'", ch);
  return 0;
}

/* Parses up to a closing brace or the end; returns where it stopped. */
static inline const char *hb_parse(hexbuf *h, const char *s) {
  while (*s && *s != '}') {
    if (*s == ' ' || *s == '\n' || *s == '\t') {
      s++;
    } else if (*s == '\'') {
      for (s++; *s && *s != '\''; s++)
        hb_put(h, (uint8_t)*s);
      assert_true(*s == '\'');
      s++;
    } else if (*s == '{') {
      hexbuf sub = {0};
      s = hb_parse(&sub, s + 1);
      assert_true(*s == '}');
      s++;
      size_t v = sub.n;
      do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        hb_put(h, v ? byte | 0x80 : byte);
      } while (v);
      for (size_t i = 0; i < sub.n; i++)
        hb_put(h, sub.b[i]);
      free(sub.b);
    } else {
      int hi = hex_digit(s[0]);
      assert_true(s[1] != '\0');
      hb_put(h, (uint8_t)(hi << 4 | hex_digit(s[1])));
      s += 2;
    }
  }
  return s;
}

/* The bytes of `hex`; free with free(). */
static inline uint8_t *hex_bytes(const char *hex, size_t *len) {
  hexbuf h = {0};
  const char *end = hb_parse(&h, hex);
  assert_true(*end == '\0');
  *len = h.n;
  return h.b ? h.b : malloc(1);
}

/* ------------------------------------------------------------------ */
/* A counting allocator that fails from the `fail_at`-th allocation on
 * (counting from 0; -1: never). It checks that every free and realloc
 * passes back the size it was given, by keeping the balance. */

typedef struct counting {
  long calls;      /* allocations so far */
  long fail_at;
  size_t live;     /* bytes allocated and not freed */
  size_t peak;
  size_t nblocks;  /* blocks alive */
} counting;

static inline void *counting_alloc(void *ud, void *ptr, size_t old_size,
                            size_t new_size) {
  counting *c = ud;
  if (new_size == 0) {
    if (ptr) {
      assert_true(c->live >= old_size);
      c->live -= old_size;
      c->nblocks--;
    }
    free(ptr);
    return NULL;
  }
  if (c->fail_at >= 0 && c->calls >= c->fail_at)
    return NULL;
  c->calls++;
  void *p = realloc(ptr, new_size);
  if (!p)
    return NULL;
  if (ptr)
    c->live -= old_size;
  else
    c->nblocks++;
  c->live += new_size;
  if (c->live > c->peak)
    c->peak = c->live;
  return p;
}

/* Decodes `hex` and returns the status; *m is set on success. A failed
 * decode must leave nothing allocated. */
/* Decodes with the proposals in `features` on (lull_features). */
static inline lull_status decode_hex_features(const char *hex,
                                              uint32_t features,
                                              lulld_module **m,
                                              lull_error *err) {
  size_t n;
  uint8_t *b = hex_bytes(hex, &n);
  memset(err, 0, sizeof *err);
  counting cnt = {0, -1, 0, 0, 0};
  lulld_alloc a = {counting_alloc, &cnt};
  lull_status s = lulld_decode(&a, features, b, n, m, err);
  free(b);
  if (s != LULL_OK) {
    assert_int_equal(cnt.live, 0);
    assert_int_equal(cnt.nblocks, 0);
    return s;
  }
  /* The module keeps the allocator, whose state lives here: decode again
   * with the default allocator for the caller. */
  lulld_module_free(*m);
  assert_int_equal(cnt.live, 0);
  assert_int_equal(cnt.nblocks, 0);
  b = hex_bytes(hex, &n);
  lulld_alloc d = {lulld_default_alloc, NULL};
  s = lulld_decode(&d, features, b, n, m, err);
  free(b);
  return s;
}

static inline lull_status decode_hex(const char *hex, lulld_module **m,
                                     lull_error *err) {
  return decode_hex_features(hex, 0, m, err);
}

/* Decodes a module that must be well-formed. */
static inline lulld_module *decode_ok(const char *hex) {
  lulld_module *m = NULL;
  lull_error err;
  lull_status s = decode_hex(hex, &m, &err);
  if (s != LULL_OK)
    fail_msg("decode failed (%d): %s", s, err.message);
  assert_non_null(m);
  return m;
}

/* Decodes a malformed module: the message must start with `msg` and
 * carry the offset, which must be `offset` unless that is -1. */
static inline void decode_bad_at(const char *hex, const char *msg,
                                 long offset) {
  lulld_module *m = NULL;
  lull_error err;
  lull_status s = decode_hex(hex, &m, &err);
  if (s != LULL_MALFORMED)
    fail_msg("expected \"%s\", got status %d: %s", msg, s,
             s == LULL_OK ? "(decoded)" : err.message);
  assert_null(m);
  assert_int_equal(err.status, LULL_MALFORMED);
  if (strncmp(err.message, msg, strlen(msg)) != 0)
    fail_msg("expected \"%s\", got \"%s\"", msg, err.message);
  char where[40];
  snprintf(where, sizeof where, "at offset 0x%llx",
           (unsigned long long)err.offset);
  if (!strstr(err.message, where))
    fail_msg("message \"%s\" lacks \"%s\"", err.message, where);
  if (offset >= 0 && err.offset != (uint64_t)offset)
    fail_msg("\"%s\": offset 0x%llx, expected 0x%lx", err.message,
             (unsigned long long)err.offset, offset);
}

static inline void decode_bad(const char *hex, const char *msg) {
  decode_bad_at(hex, msg, -1);
}

#endif
