/*
 * ops_simd.h -- the v128 instructions of the register code (see ops.h for
 * the formats). A v128 value takes two consecutive slots, low half first.
 */
#ifndef LULL_INTERP_OPS_SIMD_H
#define LULL_INTERP_OPS_SIMD_H

#define LULLI_OPS_SIMD(X)

#endif
