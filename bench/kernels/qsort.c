/*
 * qsort.c -- quicksort of generated 32-bit integers: compares, swaps and
 * recursion over a 4 MiB array. run(n) sorts n integers (at most
 * QSORT_MAX), checks the result is sorted, and returns a checksum of it
 * (0 if it is not sorted, which no correct build returns).
 */
#include "kernel.h"

#define QSORT_MAX (1u << 20)
/* Ranges this short go to insertion sort, which beats partitioning them. */
#define SMALL 16

static uint32_t v[QSORT_MAX];

static void insertion_sort(uint32_t *a, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; i++) {
    uint32_t x = a[i];
    int32_t j = i - 1;
    while (j >= lo && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

static inline void swap(uint32_t *a, int32_t i, int32_t j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/* Sorts a[lo..hi]: median-of-three pivot, Hoare partition, recursion on
 * the smaller side and a loop on the larger, so the depth stays below
 * log2(n) whatever the input. */
static void quicksort(uint32_t *a, int32_t lo, int32_t hi) {
  while (hi - lo >= SMALL) {
    int32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo])
      swap(a, mid, lo);
    if (a[hi] < a[lo])
      swap(a, hi, lo);
    if (a[hi] < a[mid])
      swap(a, hi, mid);
    uint32_t pivot = a[mid];
    int32_t i = lo - 1, j = hi + 1;
    for (;;) {
      do
        i++;
      while (a[i] < pivot);
      do
        j--;
      while (a[j] > pivot);
      if (i >= j)
        break;
      swap(a, i, j);
    }
    if (j - lo < hi - j) {
      quicksort(a, lo, j);
      lo = j + 1;
    } else {
      quicksort(a, j + 1, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

uint32_t run(uint32_t n) {
  if (n > QSORT_MAX)
    n = QSORT_MAX;
  uint32_t seed = 0x85ebca6bu;
  for (uint32_t i = 0; i < n; i++)
    v[i] = rng_next(&seed);
  /* Some duplicates, the case naive partitions handle badly. */
  for (uint32_t i = 0; i < n; i += 7)
    v[i] &= 0xff;
  if (n > 0)
    quicksort(v, 0, (int32_t)n - 1);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) {
    if (i > 0 && v[i - 1] > v[i])
      return 0;
    h = mix32(h, v[i]);
  }
  return h;
}
