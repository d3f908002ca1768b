/*
 * compile_simd.c -- compiling the 0xFD (v128) instructions.
 */
#include "compile_internal.h"

int lullc_simd_op(lullc *c, const lulld_instr *in) {
  (void)c;
  (void)in;
  return -1;
}
