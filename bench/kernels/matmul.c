/*
 * matmul.c -- dense double-precision matrix multiply C = A * B with
 * n x n matrices (n <= MATMUL_MAX): f64 loads, multiplies and adds in a
 * triple loop. run(n) returns a checksum of C's bits, so both builds must
 * round every operation identically (they do: IEEE binary64, no fused
 * multiply-add on either target, operations in source order).
 */
#include "kernel.h"

#define MATMUL_MAX 512

static double a[MATMUL_MAX * MATMUL_MAX];
static double b[MATMUL_MAX * MATMUL_MAX];
static double c[MATMUL_MAX * MATMUL_MAX];

/* Small-integer ratios: cheap to generate, and not all exactly
 * representable, so rounding shows up in the checksum. */
static void fill(uint32_t n) {
  uint32_t seed = 0x9e3779b9u;
  for (uint32_t i = 0; i < n * n; i++) {
    a[i] = (double)(int32_t)(rng_next(&seed) % 2001u - 1000) / 7.0;
    b[i] = (double)(int32_t)(rng_next(&seed) % 2001u - 1000) / 3.0;
    c[i] = 0.0;
  }
}

/* The i-k-j order walks B and C row by row, the cache-friendly way a C
 * programmer writes it; each C element still sums its terms in k order. */
static void multiply(uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    double *ci = &c[i * n];
    for (uint32_t k = 0; k < n; k++) {
      double aik = a[i * n + k];
      const double *bk = &b[k * n];
      for (uint32_t j = 0; j < n; j++)
        ci[j] += aik * bk[j];
    }
  }
}

uint32_t run(uint32_t n) {
  if (n > MATMUL_MAX)
    n = MATMUL_MAX;
  fill(n);
  multiply(n);
  uint32_t h = 2166136261u;
  double sum = 0.0;
  for (uint32_t i = 0; i < n * n; i++)
    sum += c[i];
  h = mix_double(h, sum);
  /* The diagonal, element by element: catches errors that cancel in the
   * sum. */
  for (uint32_t i = 0; i < n; i++)
    h = mix_double(h, c[i * n + i]);
  return h;
}
