/*
 * lit.h -- the number literals of the WebAssembly text format, as scripts
 * write constants: to the bit patterns the runner compares. Prefix
 * spec_lit.
 */
#ifndef LULL_SPEC_LIT_H
#define LULL_SPEC_LIT_H

#include <stdint.h>

/* An integer of `bits` bits (8, 16, 32 or 64): decimal or 0x hexadecimal,
 * digits optionally separated by single underscores, with an optional
 * sign. Unsigned values up to 2^bits - 1 and negative ones down to
 * -2^(bits-1) are accepted; the result is the two's-complement pattern.
 * Returns 0, or -1 for a malformed or out-of-range literal. */
int spec_lit_int(const char *s, unsigned bits, uint64_t *out);

/* A float of `bits` bits (32 or 64): decimal or hexadecimal, "inf",
 * "nan" (the canonical NaN) or "nan:0xP" (payload P, not 0), each with an
 * optional sign. Rounds to nearest, ties to even. Returns 0 with the IEEE
 * 754 bits, or -1 for a malformed literal or one too large for the
 * type. */
int spec_lit_float(const char *s, unsigned bits, uint64_t *out);

#endif
