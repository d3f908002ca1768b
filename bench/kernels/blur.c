/*
 * blur.c -- a separable 1-2-1 blur (the 3 x 3 binomial filter) over a
 * generated 8-bit grayscale image, n passes: byte loads, 16-bit sums,
 * shifts and byte stores, row after row.
 *
 * The kernel with a SIMD twin: clang vectorizes both passes when it may
 * use wasm SIMD (-msimd128), so the build makes blur.wasm without it and
 * blur.simd.wasm with it from this one source, and the harness compares
 * lull on the two (kernels.def, SIMD row). The rows carry a border of one
 * pixel on each side, so the inner loops run exactly BLUR_W times with no
 * edge cases and vectorize without a scalar tail; every sum fits in 16
 * bits (at most 4 * 255 + 2).
 */
#include "kernel.h"

#define BLUR_W 1024 /* pixels per row, a multiple of 16 */
#define BLUR_H 512  /* rows */
#define BLUR_STRIDE (BLUR_W + 2)

/* The image and the result of the horizontal pass, with a border column
 * left and right (and, for img, a border row above and below) that the
 * passes read but never write. */
static uint8_t img[(BLUR_H + 2) * BLUR_STRIDE];
static uint8_t tmp[(BLUR_H + 2) * BLUR_STRIDE];

/* A smooth gradient with noise, so the blur has both flat areas and
 * edges to work on. */
static void fill(void) {
  uint32_t seed = 0x2545f491u;
  for (uint32_t y = 0; y < BLUR_H + 2; y++) {
    for (uint32_t x = 0; x < BLUR_STRIDE; x++) {
      uint32_t noise = rng_next(&seed) & 63u;
      img[y * BLUR_STRIDE + x] = (uint8_t)((x / 8u + y / 4u + noise) & 255u);
      tmp[y * BLUR_STRIDE + x] = 0;
    }
  }
}

/* One output row: d = (a + 2 * b + c + 2) / 4, pixel by pixel. Both
 * passes use it, with the three rows around a pixel (columns) or the row
 * seen at three offsets (rows). Passing the offsets in as separate
 * pointers keeps clang from noticing that the row pass reloads what the
 * previous iteration loaded and turning that into a loop-carried value,
 * which it then cannot vectorize. `restrict` promises that d overlaps
 * none of them; the inputs may overlap each other, as they are only read. */
static __attribute__((noinline)) void blend3(uint8_t *restrict d,
                                             const uint8_t *restrict a,
                                             const uint8_t *restrict b,
                                             const uint8_t *restrict c) {
  for (uint32_t x = 0; x < BLUR_W; x++)
    d[x] = (uint8_t)((a[x] + 2u * b[x] + c[x] + 2u) >> 2);
}

/* tmp = img blurred along rows. */
static void blur_rows(void) {
  for (uint32_t y = 1; y <= BLUR_H; y++) {
    const uint8_t *s = &img[y * BLUR_STRIDE];
    blend3(&tmp[y * BLUR_STRIDE + 1], s, s + 1, s + 2);
  }
}

/* img = tmp blurred along columns. tmp's border rows are zero, so the
 * image darkens at its top and bottom edges over the passes; the checksum
 * does not mind. */
static void blur_columns(void) {
  for (uint32_t y = 1; y <= BLUR_H; y++)
    blend3(&img[y * BLUR_STRIDE + 1], &tmp[(y - 1) * BLUR_STRIDE + 1],
           &tmp[y * BLUR_STRIDE + 1], &tmp[(y + 1) * BLUR_STRIDE + 1]);
}

uint32_t run(uint32_t n) {
  uint32_t h = 2166136261u;
  fill();
  /* The rounding blur settles into a fixed image after a few hundred
   * passes, so a sample of every pass goes into the checksum too. */
  for (uint32_t i = 0; i < n; i++) {
    blur_rows();
    blur_columns();
    for (uint32_t y = 1; y <= BLUR_H; y += 37)
      h = mix32(h, img[y * BLUR_STRIDE + 1 + (y * 7 + i) % BLUR_W]);
  }
  for (uint32_t i = 0; i < sizeof img; i += 4) {
    uint32_t w = (uint32_t)img[i] | (uint32_t)img[i + 1] << 8 |
                 (uint32_t)img[i + 2] << 16 | (uint32_t)img[i + 3] << 24;
    h = mix32(h, w);
  }
  return h;
}
