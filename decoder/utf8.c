/*
 * utf8.c -- UTF-8 validation of names, as the binary format requires it
 * (Unicode scalar values only, shortest form only).
 */
#include "decode_internal.h"

/*
 * Walks the sequence once. ASCII, by far the common case in names, takes
 * one comparison per byte. For a lead byte the table of valid second bytes
 * (Unicode's "well-formed byte sequences" table) rules out overlong forms
 * (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and values above U+10FFFF
 * (F4 90..BF, F5..FF) without decoding the code point.
 */
int lulld_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0)
        lo = 0xA0;
      else if (b == 0xED)
        hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0)
        lo = 0x90;
      else if (b == 0xF4)
        hi = 0x8F;
    } else {
      return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (n - i < len)
      return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return 0;
    for (size_t k = 2; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80)
        return 0;
    i += len;
  }
  return 1;
}
