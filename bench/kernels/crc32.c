/*
 * crc32.c -- table-driven CRC-32 (the reflected 0xEDB88320 polynomial of
 * zlib and Ethernet) over 256 KiB of generated data: a byte load, a table
 * load, shifts and xors per byte. run(n) builds the table, then runs the
 * CRC over the buffer n times, chaining each result into the next, and
 * returns the last CRC mixed with the round count.
 */
#include "kernel.h"

#define DATA_LEN (1u << 18)

static uint8_t data[DATA_LEN];
static uint32_t table[256];

/* table[b] is the CRC register after shifting byte b through eight
 * polynomial steps. */
static void make_table(void) {
  for (uint32_t b = 0; b < 256; b++) {
    uint32_t c = b;
    for (int k = 0; k < 8; k++)
      c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    table[b] = c;
  }
}

/* Continues the CRC `crc` (of earlier bytes) over p[0, len). */
static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t len) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++)
    crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint32_t run(uint32_t n) {
  make_table();
  uint32_t seed = 0xcc9e2d51u;
  for (uint32_t i = 0; i < DATA_LEN; i++)
    data[i] = (uint8_t)(rng_next(&seed) >> 11);
  uint32_t crc = 0;
  for (uint32_t r = 0; r < n; r++)
    crc = crc32(crc, data, DATA_LEN - (r % 17));
  return mix32(crc, n);
}
