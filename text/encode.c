/*
 * encode.c -- growable byte buffers and the binary format's integers.
 * Every encoding is the shortest one (canonical LEB128).
 */
#include <string.h>

#include "text_internal.h"

void lullt_buf_free(const lulld_alloc *a, lullt_buf *b) {
  lulld_free(a, b->p, b->cap);
  memset(b, 0, sizeof *b);
}

void lullt_put(const lulld_alloc *a, lullt_buf *b, const void *p, size_t n) {
  if (b->oom || n == 0)
    return;
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n) {
      if (cap > SIZE_MAX / 2) {
        b->oom = 1;
        return;
      }
      cap *= 2;
    }
    uint8_t *q = lulld_realloc(a, b->p, b->cap, cap);
    if (!q) {
      b->oom = 1;
      return;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, p, n);
  b->n += n;
}

void lullt_byte(const lulld_alloc *a, lullt_buf *b, uint8_t v) {
  if (LULL_LIKELY(b->n < b->cap)) {
    b->p[b->n++] = v;
    return;
  }
  lullt_put(a, b, &v, 1);
}

void lullt_u64(const lulld_alloc *a, lullt_buf *b, uint64_t v) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    tmp[n++] = byte | (v ? 0x80 : 0);
  } while (v);
  lullt_put(a, b, tmp, n);
}

void lullt_s64(const lulld_alloc *a, lullt_buf *b, int64_t v) {
  uint8_t tmp[10];
  size_t n = 0;
  for (;;) {
    uint8_t byte = v & 0x7F;
    v >>= 7; /* arithmetic shift (GNU C) */
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
      tmp[n++] = byte;
      break;
    }
    tmp[n++] = byte | 0x80;
  }
  lullt_put(a, b, tmp, n);
}
