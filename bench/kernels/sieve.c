/*
 * sieve.c -- the sieve of Eratosthenes: byte loads and stores in strided
 * loops over a 1 MiB array. run(n) sieves n times, each time to a slightly
 * different limit so no round repeats another, and folds the prime counts
 * and the largest primes found into the checksum.
 */
#include "kernel.h"

#define SIEVE_LIMIT (1u << 20)

/* flags[i] == 1 while i is still a prime candidate. */
static uint8_t flags[SIEVE_LIMIT + 1];

/* Sieves [0, limit] and returns the number of primes; *largest gets the
 * largest of them. */
static uint32_t sieve(uint32_t limit, uint32_t *largest) {
  uint32_t count = 0;
  flags[0] = flags[1] = 0;
  for (uint32_t i = 2; i <= limit; i++)
    flags[i] = 1;
  for (uint32_t i = 2; i * i <= limit; i++) {
    if (!flags[i])
      continue;
    for (uint32_t j = i * i; j <= limit; j += i)
      flags[j] = 0;
  }
  *largest = 0;
  for (uint32_t i = 2; i <= limit; i++) {
    if (flags[i]) {
      count++;
      *largest = i;
    }
  }
  return count;
}

uint32_t run(uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t r = 0; r < n; r++) {
    uint32_t largest;
    uint32_t count = sieve(SIEVE_LIMIT - (r % 64) * 4099, &largest);
    h = mix32(h, count);
    h = mix32(h, largest);
  }
  return h;
}
