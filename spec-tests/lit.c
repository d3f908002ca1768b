/*
 * lit.c -- integer and float literals. Floats go through strtof/strtod,
 * which round correctly (decimal and hexadecimal alike) once the text
 * format's underscores are gone; a 32-bit literal is read by strtof
 * itself, never through a double, so no double rounding can creep in.
 */
#include "lit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LIT_MAX 256

static int digit_value(char c, int hex) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (hex && c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (hex && c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the digits of `s` (base 16 when `hex`), underscores allowed only
 * between two digits, into *out. Returns -1 on a bad digit or overflow of
 * 64 bits. */
static int read_digits(const char *s, int hex, uint64_t *out) {
  uint64_t v = 0, base = hex ? 16 : 10;
  int prev_digit = 0;
  if (!*s)
    return -1;
  for (; *s; s++) {
    if (*s == '_' && prev_digit && digit_value(s[1], hex) >= 0) {
      prev_digit = 0;
      continue;
    }
    int d = digit_value(*s, hex);
    if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
      return -1;
    v = v * base + (uint64_t)d;
    prev_digit = 1;
  }
  *out = v;
  return 0;
}

int spec_lit_int(const char *s, unsigned bits, uint64_t *out) {
  int neg = *s == '-';
  if (*s == '-' || *s == '+')
    s++;
  int hex = s[0] == '0' && s[1] == 'x';
  uint64_t v;
  if (read_digits(hex ? s + 2 : s, hex, &v) != 0)
    return -1;
  uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  if (neg) {
    if (v > UINT64_C(1) << (bits - 1))
      return -1;
    v = (0 - v) & mask;
  } else if (v > mask) {
    return -1;
  }
  *out = v;
  return 0;
}

/* Copies `s` without its underscores, each of which must stand between
 * two hex digits (decimal digits are hex digits too). */
static int strip_underscores(const char *s, char *buf, size_t n) {
  size_t k = 0;
  for (size_t i = 0; s[i]; i++) {
    if (s[i] == '_') {
      if (i == 0 || digit_value(s[i - 1], 1) < 0 ||
          digit_value(s[i + 1], 1) < 0)
        return -1;
      continue;
    }
    if (k + 1 >= n)
      return -1;
    buf[k++] = s[i];
  }
  buf[k] = '\0';
  return 0;
}

int spec_lit_float(const char *s, unsigned bits, uint64_t *out) {
  unsigned mant_bits = bits == 32 ? 23 : 52;
  uint64_t sign = *s == '-' ? UINT64_C(1) << (bits - 1) : 0;
  uint64_t exp = bits == 32 ? UINT64_C(0xFF) << 23 : UINT64_C(0x7FF) << 52;
  uint64_t mant_mask = (UINT64_C(1) << mant_bits) - 1;
  const char *body = *s == '-' || *s == '+' ? s + 1 : s;
  if (strcmp(body, "inf") == 0) {
    *out = sign | exp;
    return 0;
  }
  if (strcmp(body, "nan") == 0) {
    *out = sign | exp | (UINT64_C(1) << (mant_bits - 1));
    return 0;
  }
  if (strncmp(body, "nan:0x", 6) == 0) {
    uint64_t payload;
    if (read_digits(body + 6, 1, &payload) != 0 || payload == 0 ||
        payload > mant_mask)
      return -1;
    *out = sign | exp | payload;
    return 0;
  }
  /* Only digits may follow the sign: strtod would also take "infinity",
   * "nan(...)" and leading blanks. */
  if (digit_value(*body, 0) < 0)
    return -1;
  char buf[LIT_MAX];
  if (strip_underscores(s, buf, sizeof buf) != 0)
    return -1;
  char *end;
  if (bits == 32) {
    float f = strtof(buf, &end);
    if (*end || isinf(f))
      return -1;
    uint32_t u;
    memcpy(&u, &f, 4);
    *out = u;
  } else {
    double d = strtod(buf, &end);
    if (*end || isinf(d))
      return -1;
    memcpy(out, &d, 8);
  }
  return 0;
}
