/*
 * imatrix.c -- integer matrix work: an n x n matrix of 32-bit integers
 * multiplied by another with wrap-around arithmetic, then transposed and
 * added back, the loads, multiplies and adds of image and linear-algebra
 * code on integers. run(n) returns a checksum of the result.
 */
#include "kernel.h"

#define IMATRIX_MAX 512

static uint32_t a[IMATRIX_MAX * IMATRIX_MAX];
static uint32_t b[IMATRIX_MAX * IMATRIX_MAX];
static uint32_t c[IMATRIX_MAX * IMATRIX_MAX];

static void fill(uint32_t n) {
  uint32_t seed = 0x7f4a7c15u;
  for (uint32_t i = 0; i < n * n; i++) {
    a[i] = rng_next(&seed) & 0xffffu;
    b[i] = rng_next(&seed);
    c[i] = 0;
  }
}

/* i-k-j order, as for the floating-point matmul: rows of B and C are
 * walked in order. */
static void multiply(uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t k = 0; k < n; k++) {
      uint32_t aik = a[i * n + k];
      const uint32_t *brow = &b[k * n];
      uint32_t *crow = &c[i * n];
      for (uint32_t j = 0; j < n; j++)
        crow[j] += aik * brow[j];
    }
  }
}

/* C += C^T, in place over the upper triangle and its mirror: strided
 * accesses, the access pattern plain multiplication never has. */
static void add_transpose(uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t j = i + 1; j < n; j++) {
      uint32_t x = c[i * n + j], y = c[j * n + i];
      c[i * n + j] = x + (y >> 3);
      c[j * n + i] = y ^ (x << 5);
    }
  }
}

uint32_t run(uint32_t n) {
  if (n > IMATRIX_MAX)
    n = IMATRIX_MAX;
  fill(n);
  multiply(n);
  add_transpose(n);
  uint32_t h = 0x811c9dc5u;
  for (uint32_t i = 0; i < n * n; i++)
    h = mix32(h, c[i]);
  return h;
}
