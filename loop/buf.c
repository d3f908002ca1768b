/*
 * buf.c -- growable byte buffers for what the loop encodes (task
 * snapshots, the import shim module), error formatting, and CRC-32.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop_internal.h"

/* Makes room for `n` more bytes; on failure marks the buffer failed, and
 * every later write is dropped. */
static int reserve(lullu_buf *b, size_t n) {
  if (b->failed)
    return -1;
  if (b->cap - b->len >= n)
    return 0;
  if (n > SIZE_MAX / 2 - b->len) {
    b->failed = 1;
    return -1;
  }
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len < n)
    cap *= 2;
  uint8_t *p = lull_realloc(b->e, b->p, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void lullu_buf_bytes(lullu_buf *b, const void *p, size_t n) {
  if (n == 0 || reserve(b, n) != 0)
    return;
  memcpy(b->p + b->len, p, n);
  b->len += n;
}

void lullu_buf_u8(lullu_buf *b, uint8_t v) { lullu_buf_bytes(b, &v, 1); }

void lullu_buf_u32(lullu_buf *b, uint32_t v) {
  uint8_t x[4];
  for (int i = 0; i < 4; i++)
    x[i] = (uint8_t)(v >> (8 * i));
  lullu_buf_bytes(b, x, 4);
}

void lullu_buf_u64(lullu_buf *b, uint64_t v) {
  lullu_buf_u32(b, (uint32_t)v);
  lullu_buf_u32(b, (uint32_t)(v >> 32));
}

void lullu_buf_leb(lullu_buf *b, uint32_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    lullu_buf_u8(b, (uint8_t)(byte | (v ? 0x80 : 0)));
  } while (v);
}

void lullu_buf_name(lullu_buf *b, const char *s, size_t n) {
  lullu_buf_leb(b, (uint32_t)n);
  lullu_buf_bytes(b, s, n);
}

void lullu_buf_free(lullu_buf *b) {
  lull_free(b->e, b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

lull_status lullu_error(lull_error *err, lull_status s, const char *fmt, ...) {
  if (err) {
    err->status = s;
    err->offset = LULL_NO_OFFSET;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return s;
}

/* Table-driven; the table is built on the stack per call (2 KiB of work),
 * which keeps the library free of mutable statics. */
uint32_t lullu_crc32(const uint8_t *p, size_t n) {
  uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    table[i] = c;
  }
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++)
    c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return ~c;
}
