/*
 * memops.c -- memcpy/memset/memmove-heavy code: blocks of mostly small
 * and sometimes large sizes copied, cleared and shifted around a buffer,
 * as serializers, string builders and allocators do. The wasm32 build
 * uses bulk-memory instructions (see bench/Makefile), so the calls become
 * memory.copy and memory.fill; natively they are the host libc's. memcmp
 * stays a library call (rt.c). run(n) does n rounds of 256
 * operations and returns a checksum sampled from the buffer.
 */
#include "kernel.h"

#define BUF_SIZE (1u << 20)

static uint8_t buf[BUF_SIZE];

/* Sizes: mostly under 64 bytes, sometimes up to 16 KiB. */
static uint32_t block_size(uint32_t r) {
  uint32_t k = r & 15u;
  if (k < 10)
    return 1 + ((r >> 4) & 63u);
  if (k < 14)
    return 64 + ((r >> 4) & 1023u);
  return 1024 + ((r >> 4) & 16383u);
}

uint32_t run(uint32_t n) {
  uint32_t seed = 0x6a09e667u;
  for (uint32_t i = 0; i < BUF_SIZE; i++)
    buf[i] = (uint8_t)(i * 131u + (i >> 9));
  uint32_t h = 0x811c9dc5u;
  for (uint32_t round = 0; round < n; round++) {
    for (uint32_t op = 0; op < 256; op++) {
      uint32_t r = rng_next(&seed);
      uint32_t len = block_size(r);
      uint32_t src = rng_next(&seed) % (BUF_SIZE - len);
      uint32_t dst = rng_next(&seed) % (BUF_SIZE - len);
      switch ((r >> 28) & 3u) {
      case 0:
      case 1:
        /* Disjoint or not, memmove is always correct; memcpy only when
         * the ranges do not overlap. */
        if (src + len <= dst || dst + len <= src)
          memcpy(buf + dst, buf + src, len);
        else
          memmove(buf + dst, buf + src, len);
        break;
      case 2:
        memset(buf + dst, (int)(r >> 20), len);
        break;
      default:
        memmove(buf + dst, buf + dst + (len > 1 ? 1 : 0), len - 1);
        {
          /* libc returns any value of the right sign; keep only the sign. */
          int cmp = memcmp(buf + src, buf + dst, len < 16 ? len : 16);
          h = mix32(h, (uint32_t)((cmp > 0) - (cmp < 0)) + 1u);
        }
        break;
      }
    }
    for (uint32_t i = round & 4095u; i < BUF_SIZE; i += 4096)
      h = mix32(h, buf[i]);
  }
  return h;
}
