/*
 * fib.c -- doubly recursive Fibonacci: measures call and return, nothing
 * else. run(n) returns fib(n) modulo 2^32.
 */
#include "kernel.h"

/* Deliberately naive: the point is the calls. noinline keeps gcc from
 * unrolling the recursion into itself a few levels deep, which clang does
 * not do for wasm32; the comparison should measure calls on both sides. */
__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  if (n < 2)
    return n;
  return fib(n - 1) + fib(n - 2);
}

uint32_t run(uint32_t n) {
  return fib(n);
}
