/*
 * num.c -- numeric literals of the text format.
 *
 * The grammar (spec 6.3.1, 6.3.2) allows single underscores between
 * digits, hexadecimal integers and floats, `inf`, `nan` and `nan:0x...`
 * with a payload. lullt_num_shape decides whether a token is a literal at
 * all (otherwise the lexer reports it as an unknown operator, as the
 * reference interpreter does); the converters then check the range.
 *
 * Floats are rounded correctly (to nearest, ties to even) by the C
 * library's strtof/strtod, which glibc and musl implement exactly for
 * decimal and hexadecimal input of any length; the underscores are
 * removed first. A literal whose rounded value is infinite is out of
 * range, as the spec says.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

static int is_dig(char c) { return c >= '0' && c <= '9'; }

static int is_hex(char c) {
  return is_dig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Skips `num` (hex = 0) or `hexnum` at s[*i]: digits with single
 * underscores between them. Returns 0 when there is no digit there or an
 * underscore is misplaced. */
static int digits(const char *s, size_t n, size_t *i, int hex) {
  size_t k = *i;
  if (k >= n || !(hex ? is_hex(s[k]) : is_dig(s[k])))
    return 0;
  k++;
  while (k < n) {
    if (s[k] == '_') {
      if (k + 1 >= n || !(hex ? is_hex(s[k + 1]) : is_dig(s[k + 1])))
        return 0;
      k += 2;
    } else if (hex ? is_hex(s[k]) : is_dig(s[k])) {
      k++;
    } else {
      break;
    }
  }
  *i = k;
  return 1;
}

int lullt_num_shape(const char *s, size_t n, int *is_float) {
  size_t i = 0;
  *is_float = 0;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  if (n - i == 3 && (!memcmp(s + i, "inf", 3) || !memcmp(s + i, "nan", 3))) {
    *is_float = 1;
    return 1;
  }
  if (n - i > 6 && !memcmp(s + i, "nan:0x", 6)) {
    i += 6;
    *is_float = 1;
    return digits(s, n, &i, 1) && i == n;
  }
  int hex = 0;
  if (n - i >= 2 && s[i] == '0' && s[i + 1] == 'x') {
    hex = 1;
    i += 2;
  }
  if (!digits(s, n, &i, hex))
    return 0;
  if (i == n)
    return 1;
  if (s[i] == '.') {
    *is_float = 1;
    i++;
    if (i == n)
      return 1;
    if (hex ? is_hex(s[i]) : is_dig(s[i]))
      if (!digits(s, n, &i, hex))
        return 0;
    if (i == n)
      return 1;
  }
  char e = s[i];
  if (hex ? (e != 'p' && e != 'P') : (e != 'e' && e != 'E'))
    return 0;
  *is_float = 1;
  i++;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  return digits(s, n, &i, 0) && i == n;
}

/* The magnitude of an unsigned literal (no sign) into *out; RANGE past
 * 2^64 - 1. */
static lullt_numerr magnitude(const char *s, size_t n, uint64_t *out) {
  size_t i = 0;
  int hex = n >= 2 && s[0] == '0' && s[1] == 'x';
  if (hex)
    i = 2;
  if (i >= n)
    return LULLT_NUM_SYNTAX;
  uint64_t v = 0;
  int any = 0;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '_')
      continue;
    unsigned d;
    if (is_dig(c))
      d = (unsigned)(c - '0');
    else if (hex && c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return LULLT_NUM_SYNTAX;
    unsigned base = hex ? 16 : 10;
    if (v > (UINT64_MAX - d) / base)
      return LULLT_NUM_RANGE;
    v = v * base + d;
    any = 1;
  }
  if (!any)
    return LULLT_NUM_SYNTAX;
  *out = v;
  return LULLT_NUM_OK;
}

lullt_numerr lullt_nat(const char *s, size_t n, uint64_t *out) {
  int f;
  if (n == 0 || s[0] == '+' || s[0] == '-' || !lullt_num_shape(s, n, &f) || f)
    return LULLT_NUM_SYNTAX;
  return magnitude(s, n, out);
}

lullt_numerr lullt_int(const char *s, size_t n, int bits, uint64_t *out) {
  int f;
  if (!lullt_num_shape(s, n, &f) || f)
    return LULLT_NUM_SYNTAX;
  int neg = s[0] == '-';
  size_t skip = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  uint64_t m;
  lullt_numerr e = magnitude(s + skip, n - skip, &m);
  if (e != LULLT_NUM_OK)
    return e;
  uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  uint64_t smin = UINT64_C(1) << (bits - 1); /* magnitude of the minimum */
  if (neg) {
    if (m > smin)
      return LULLT_NUM_RANGE;
    m = (uint64_t)0 - m;
  } else if (skip && m > smin - 1) {
    /* "+N" is a signed literal: at most the signed maximum */
    return LULLT_NUM_RANGE;
  } else if (m > umax) {
    return LULLT_NUM_RANGE;
  }
  *out = bits == 64 ? m : (m & umax);
  return LULLT_NUM_OK;
}

/* Copies the literal without its underscores into `buf` (NUL terminated);
 * 0 when it does not fit. */
static int strip(const char *s, size_t n, char *buf, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '_')
      continue;
    if (k + 1 >= cap)
      return 0;
    buf[k++] = s[i];
  }
  buf[k] = 0;
  return 1;
}

/* Parses a float literal: sets *neg, and either *payload (kind 2: nan with
 * a payload, or the default payload when has_payload is 0), or kind 1:
 * infinity, or kind 0: a finite number that `conv` converts. */
typedef struct fparts {
  int neg;
  int kind; /* 0 finite, 1 inf, 2 nan */
  int has_payload;
  uint64_t payload;
  const char *body; /* finite: the literal without its sign */
  size_t body_len;
} fparts;

static lullt_numerr split(const char *s, size_t n, fparts *p) {
  int f;
  if (!lullt_num_shape(s, n, &f))
    return LULLT_NUM_SYNTAX;
  memset(p, 0, sizeof *p);
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    p->neg = s[0] == '-';
    i = 1;
  }
  if (n - i == 3 && !memcmp(s + i, "inf", 3)) {
    p->kind = 1;
  } else if (n - i >= 3 && !memcmp(s + i, "nan", 3)) {
    p->kind = 2;
    if (n - i > 3) {
      p->has_payload = 1;
      lullt_numerr e = magnitude(s + i + 4, n - i - 4, &p->payload);
      if (e != LULLT_NUM_OK)
        return e;
    }
  } else {
    p->body = s + i;
    p->body_len = n - i;
  }
  return LULLT_NUM_OK;
}

/* strtod/strtof need a NUL-terminated copy; literals longer than this
 * (only possible with thousands of digits) go through the heap. */
#define NUMBUF 128

static lullt_numerr convert(const fparts *p, int is32, double *d, float *f) {
  char small[NUMBUF];
  char *buf = small;
  size_t cap = sizeof small;
  if (p->body_len + 1 > cap) {
    cap = p->body_len + 1;
    buf = malloc(cap);
    if (!buf)
      return LULLT_NUM_RANGE;
  }
  lullt_numerr e = LULLT_NUM_OK;
  if (!strip(p->body, p->body_len, buf, cap)) {
    e = LULLT_NUM_SYNTAX;
  } else if (is32) {
    *f = strtof(buf, NULL);
    if (isinf(*f))
      e = LULLT_NUM_RANGE;
  } else {
    *d = strtod(buf, NULL);
    if (isinf(*d))
      e = LULLT_NUM_RANGE;
  }
  if (buf != small)
    free(buf);
  return e;
}

lullt_numerr lullt_f32(const char *s, size_t n, uint32_t *bits) {
  fparts p;
  lullt_numerr e = split(s, n, &p);
  if (e != LULLT_NUM_OK)
    return e;
  uint32_t sign = p.neg ? 0x80000000u : 0;
  if (p.kind == 1) {
    *bits = sign | 0x7F800000u;
  } else if (p.kind == 2) {
    uint64_t pl = p.has_payload ? p.payload : 0x400000u;
    if (pl == 0 || pl > 0x7FFFFFu)
      return LULLT_NUM_RANGE;
    *bits = sign | 0x7F800000u | (uint32_t)pl;
  } else {
    float f = 0;
    e = convert(&p, 1, NULL, &f);
    if (e != LULLT_NUM_OK)
      return e;
    memcpy(bits, &f, 4);
    *bits |= sign;
  }
  return LULLT_NUM_OK;
}

lullt_numerr lullt_f64(const char *s, size_t n, uint64_t *bits) {
  fparts p;
  lullt_numerr e = split(s, n, &p);
  if (e != LULLT_NUM_OK)
    return e;
  uint64_t sign = p.neg ? UINT64_C(1) << 63 : 0;
  uint64_t expo = UINT64_C(0x7FF0000000000000);
  if (p.kind == 1) {
    *bits = sign | expo;
  } else if (p.kind == 2) {
    uint64_t pl = p.has_payload ? p.payload : UINT64_C(1) << 51;
    if (pl == 0 || pl > (UINT64_C(1) << 52) - 1)
      return LULLT_NUM_RANGE;
    *bits = sign | expo | pl;
  } else {
    double d = 0;
    e = convert(&p, 0, &d, NULL);
    if (e != LULLT_NUM_OK)
      return e;
    memcpy(bits, &d, 8);
    *bits |= sign;
  }
  return LULLT_NUM_OK;
}
