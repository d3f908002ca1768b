/*
 * sha256.c -- SHA-256 (FIPS 180-4) over 256 KiB of generated data: 32-bit
 * rotates, shifts, adds and big-endian loads. run(n) hashes the buffer n
 * times, each time with the previous digest written over its first 32
 * bytes and a slightly different length (so the padding paths run too),
 * and returns a checksum of the last digest.
 */
#include "kernel.h"

#define DATA_LEN (1u << 18)

static uint8_t data[DATA_LEN];

/* The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4, section 4.2.2). */
static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned r) {
  return (x >> r) | (x << (32 - r));
}

static inline uint32_t load_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         (uint32_t)p[3];
}

/* One 64-byte block into the state `h`. */
static void compress(uint32_t h[8], const uint8_t *block) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = load_be32(block + 4 * i);
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
                  ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

/* The digest of msg[0, len) as eight big-endian words. */
static void sha256(const uint8_t *msg, uint32_t len, uint32_t h[8]) {
  static const uint32_t init[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  for (int i = 0; i < 8; i++)
    h[i] = init[i];
  uint32_t done = 0;
  for (; len - done >= 64; done += 64)
    compress(h, msg + done);
  /* The tail: the rest of the message, a 1 bit, zeros, and the length in
   * bits as a 64-bit big-endian number; one or two blocks. */
  uint8_t tail[128];
  uint32_t rest = len - done;
  memset(tail, 0, sizeof tail);
  for (uint32_t i = 0; i < rest; i++)
    tail[i] = msg[done + i];
  tail[rest] = 0x80;
  uint32_t tail_len = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
  compress(h, tail);
  if (tail_len == 128)
    compress(h, tail + 64);
}

uint32_t run(uint32_t n) {
  uint32_t seed = 0x2545f491u;
  for (uint32_t i = 0; i < DATA_LEN; i += 4) {
    uint32_t v = rng_next(&seed);
    data[i] = (uint8_t)v;
    data[i + 1] = (uint8_t)(v >> 8);
    data[i + 2] = (uint8_t)(v >> 16);
    data[i + 3] = (uint8_t)(v >> 24);
  }
  uint32_t h[8] = {0};
  for (uint32_t r = 0; r < n; r++) {
    for (int i = 0; i < 8; i++) {
      data[4 * i] = (uint8_t)(h[i] >> 24);
      data[4 * i + 1] = (uint8_t)(h[i] >> 16);
      data[4 * i + 2] = (uint8_t)(h[i] >> 8);
      data[4 * i + 3] = (uint8_t)h[i];
    }
    sha256(data, DATA_LEN - (r % 61) * 13, h);
  }
  uint32_t sum = 2166136261u;
  for (int i = 0; i < 8; i++)
    sum = mix32(sum, h[i]);
  return sum;
}
