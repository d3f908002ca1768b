/*
 * rt.c -- the libc helpers a freestanding wasm32 guest needs.
 *
 * clang lowers struct copies, large zero-initialisations and loops it
 * recognises to calls of memcpy/memset/memmove/memcmp even with -nostdlib,
 * so every guest links this file. The native build never compiles it: it
 * uses the host libc. Each function is marked no_builtin so that clang
 * does not turn its loop back into a call to itself.
 *
 * Plain byte loops, with a word-at-a-time path for the aligned bulk of
 * memcpy and memset, which the kernels call on whole arrays.
 */
#include "kernel.h"

/* A word that may alias any object: the word loops below read and write
 * memory whose declared type is unknown to them. */
typedef uint32_t __attribute__((may_alias)) word;

#define NO_BUILTIN __attribute__((no_builtin))

NO_BUILTIN void *memcpy(void *dst, const void *src, size_t len) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
    for (; len >= 4; len -= 4, d += 4, s += 4)
      *(word *)d = *(const word *)s;
  }
  while (len--)
    *d++ = *s++;
  return dst;
}

NO_BUILTIN void *memmove(void *dst, const void *src, size_t len) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || len == 0)
    return dst;
  /* Copying forwards is safe unless the destination starts inside the
   * source; then copy backwards so no byte is overwritten before it is
   * read. */
  if (d < s || d >= s + len)
    return memcpy(dst, src, len);
  while (len--)
    d[len] = s[len];
  return dst;
}

NO_BUILTIN void *memset(void *dst, int c, size_t len) {
  unsigned char *d = dst;
  uint32_t pattern = (unsigned char)c * 0x01010101u;
  while (len && ((uintptr_t)d & 3)) {
    *d++ = (unsigned char)c;
    len--;
  }
  for (; len >= 4; len -= 4, d += 4)
    *(word *)d = pattern;
  while (len--)
    *d++ = (unsigned char)c;
  return dst;
}

NO_BUILTIN int memcmp(const void *a, const void *b, size_t len) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < len; i++) {
    if (x[i] != y[i])
      return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}
