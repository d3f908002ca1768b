/*
 * reader.h -- a cursor over bytes with the binary format's primitive
 * encodings: bytes, LEB128 integers (with the exact rules on length and
 * unused bits), IEEE floats, and UTF-8 names. Shared by the decoder, the
 * validator and the compiler (which re-reads immediates of code that was
 * already validated, so its reads cannot fail).
 *
 * Errors are sticky: the first failure records the spec's message and the
 * offset in the reader, and every later read returns 0 without moving. A
 * caller checks `r->err` once after a group of reads.
 */
#ifndef LULL_DECODER_READER_H
#define LULL_DECODER_READER_H

#include <stdint.h>
#include <string.h>

#include "util.h"

typedef struct lulld_reader {
  const uint8_t *base; /* start of the module (offsets count from here) */
  size_t pos;          /* next byte to read, relative to base */
  size_t end;          /* one past the last readable byte */
  const char *err;     /* NULL, or the spec's message of the first error */
  size_t err_pos;      /* offset of the first error */
} lulld_reader;

static inline void lulld_reader_init(lulld_reader *r, const uint8_t *base,
                                     size_t pos, size_t end) {
  r->base = base;
  r->pos = pos;
  r->end = end;
  r->err = NULL;
  r->err_pos = 0;
}

/* Records the first error only. */
static inline void lulld_reader_fail(lulld_reader *r, const char *msg,
                                     size_t pos) {
  if (!r->err) {
    r->err = msg;
    r->err_pos = pos;
  }
}

static inline int lulld_reader_eof(const lulld_reader *r) {
  return r->pos >= r->end;
}

static inline uint8_t lulld_read_u8(lulld_reader *r) {
  if (r->err)
    return 0;
  if (r->pos >= r->end) {
    lulld_reader_fail(r, "unexpected end", r->pos);
    return 0;
  }
  return r->base[r->pos++];
}

/* Unsigned LEB128 of at most `bits` bits (32 or 64). Too many bytes give
 * "integer representation too long"; bits set beyond `bits` in the last
 * byte give "integer too large". */
static inline uint64_t lulld_read_uleb(lulld_reader *r, unsigned bits) {
  uint64_t result = 0;
  unsigned shift = 0;
  size_t start = r->pos;
  unsigned maxbytes = (bits + 6) / 7;
  for (unsigned i = 0;; i++) {
    if (r->err)
      return 0;
    if (r->pos >= r->end) {
      lulld_reader_fail(r, "unexpected end", r->pos);
      return 0;
    }
    uint8_t b = r->base[r->pos++];
    if (i == maxbytes - 1) {
      /* The last byte allowed: no continuation, no bits past `bits`. */
      if (b & 0x80) {
        lulld_reader_fail(r, "integer representation too long", start);
        return 0;
      }
      unsigned used = bits - shift;
      if (used < 7 && (b >> used) != 0) {
        lulld_reader_fail(r, "integer too large", start);
        return 0;
      }
      return result | ((uint64_t)b << shift);
    }
    result |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80))
      return result;
    shift += 7;
  }
}

/* Signed LEB128 of at most `bits` bits (32, 33 or 64). In the last byte
 * allowed, the unused bits must all equal the sign bit. */
static inline int64_t lulld_read_sleb(lulld_reader *r, unsigned bits) {
  uint64_t result = 0;
  unsigned shift = 0;
  size_t start = r->pos;
  unsigned maxbytes = (bits + 6) / 7;
  for (unsigned i = 0;; i++) {
    if (r->err)
      return 0;
    if (r->pos >= r->end) {
      lulld_reader_fail(r, "unexpected end", r->pos);
      return 0;
    }
    uint8_t b = r->base[r->pos++];
    if (i == maxbytes - 1) {
      if (b & 0x80) {
        lulld_reader_fail(r, "integer representation too long", start);
        return 0;
      }
      /* Payload bits used-1 .. 6 (the sign bit and the unused bits above
       * it) must be all 0 or all 1. */
      unsigned used = bits - shift;
      if (used < 7) {
        uint8_t hi = (uint8_t)(b & 0x7F) >> (used - 1);
        uint8_t all = (uint8_t)(0x7F >> (used - 1));
        if (hi != 0 && hi != all) {
          lulld_reader_fail(r, "integer too large", start);
          return 0;
        }
      }
      result |= (uint64_t)(b & 0x7F) << shift;
      shift += 7;
      if (shift < 64 && (b & 0x40))
        result |= ~(uint64_t)0 << shift;
      return (int64_t)result;
    }
    result |= (uint64_t)(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (shift < 64 && (b & 0x40))
        result |= ~(uint64_t)0 << shift;
      return (int64_t)result;
    }
  }
}

static inline uint32_t lulld_read_u32(lulld_reader *r) {
  return (uint32_t)lulld_read_uleb(r, 32);
}
static inline int32_t lulld_read_s32(lulld_reader *r) {
  return (int32_t)lulld_read_sleb(r, 32);
}
static inline int64_t lulld_read_s64(lulld_reader *r) {
  return lulld_read_sleb(r, 64);
}

/* Little-endian fixed-width values (float bits). */
static inline uint32_t lulld_read_fixed32(lulld_reader *r) {
  if (r->err)
    return 0;
  if (r->end - r->pos < 4) {
    lulld_reader_fail(r, "unexpected end", r->pos);
    r->pos = r->end;
    return 0;
  }
  const uint8_t *p = r->base + r->pos;
  r->pos += 4;
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static inline uint64_t lulld_read_fixed64(lulld_reader *r) {
  uint64_t lo = lulld_read_fixed32(r);
  uint64_t hi = lulld_read_fixed32(r);
  return lo | hi << 32;
}

/* Reads `n` raw bytes; returns a pointer to them or NULL at the end. */
static inline const uint8_t *lulld_read_bytes(lulld_reader *r, size_t n) {
  if (r->err)
    return NULL;
  if (r->end - r->pos < n) {
    lulld_reader_fail(r, "unexpected end", r->pos);
    r->pos = r->end;
    return NULL;
  }
  const uint8_t *p = r->base + r->pos;
  r->pos += n;
  return p;
}

#endif
