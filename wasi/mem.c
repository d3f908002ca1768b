/*
 * mem.c -- bounds-checked access to guest memory. Every guest pointer and
 * length goes through lullw_mem, which checks the whole range against the
 * memory's current size in 64-bit arithmetic (a 32-bit pointer plus a
 * 32-bit length cannot wrap there). The memory's address is read again on
 * every access: it moves when the memory grows.
 */
#include "wasi_internal.h"

#include <stdlib.h>
#include <string.h>

uint8_t *lullw_mem(lull_memory *m, uint64_t ptr, uint64_t len) {
  if (!m)
    return NULL;
  uint64_t size = lull_memory_size(m);
  if (ptr > size || len > size - ptr)
    return NULL;
  uint8_t *base = lull_memory_data(m);
  /* A zero-length range at the very end is in bounds; a memory of size 0
   * may have no address at all, so hand out a harmless one. */
  static const uint8_t empty_[1];
  if (!base)
    return (uint8_t *)empty_;
  return base + ptr;
}

void lullw_st16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void lullw_st32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

void lullw_st64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

uint16_t lullw_ld16(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t lullw_ld32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

uint64_t lullw_ld64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

int32_t lullw_put_u8(lull_memory *m, uint64_t ptr, uint8_t v) {
  uint8_t *p = lullw_mem(m, ptr, 1);
  if (!p)
    return LULLW_EFAULT;
  *p = v;
  return 0;
}

int32_t lullw_put_u16(lull_memory *m, uint64_t ptr, uint16_t v) {
  uint8_t *p = lullw_mem(m, ptr, 2);
  if (!p)
    return LULLW_EFAULT;
  lullw_st16(p, v);
  return 0;
}

int32_t lullw_put_u32(lull_memory *m, uint64_t ptr, uint32_t v) {
  uint8_t *p = lullw_mem(m, ptr, 4);
  if (!p)
    return LULLW_EFAULT;
  lullw_st32(p, v);
  return 0;
}

int32_t lullw_put_u64(lull_memory *m, uint64_t ptr, uint64_t v) {
  uint8_t *p = lullw_mem(m, ptr, 8);
  if (!p)
    return LULLW_EFAULT;
  lullw_st64(p, v);
  return 0;
}

int32_t lullw_iovs_read(lull_memory *m, uint32_t ptr, uint32_t n,
                        lullw_iovs *out) {
  memset(out, 0, sizeof *out);
  if (n > LULLW_IOV_MAX)
    return LULLW_EINVAL;
  const uint8_t *p = lullw_mem(m, ptr, (uint64_t)n * 8);
  if (!p)
    return LULLW_EFAULT;
  if (n == 0)
    return 0;
  out->v = malloc((size_t)n * sizeof *out->v);
  if (!out->v)
    return LULLW_ENOMEM;
  out->n = n;
  for (uint32_t i = 0; i < n; i++) {
    out->v[i][0] = lullw_ld32(p + 8 * i);
    out->v[i][1] = lullw_ld32(p + 8 * i + 4);
    out->total += out->v[i][1];
  }
  /* Check the buffers after copying the list: `p` is not used again. */
  for (uint32_t i = 0; i < n; i++)
    if (!lullw_mem(m, out->v[i][0], out->v[i][1])) {
      lullw_iovs_free(out);
      return LULLW_EFAULT;
    }
  return 0;
}

void lullw_iovs_free(lullw_iovs *v) {
  free(v->v);
  memset(v, 0, sizeof *v);
}

int32_t lullw_iovs_scatter(lull_memory *m, const lullw_iovs *v,
                           const uint8_t *buf, size_t len) {
  for (uint32_t i = 0; i < v->n && len > 0; i++) {
    size_t k = v->v[i][1] < len ? v->v[i][1] : len;
    uint8_t *p = lullw_mem(m, v->v[i][0], k);
    if (!p)
      return LULLW_EFAULT;
    memcpy(p, buf, k);
    buf += k;
    len -= k;
  }
  return 0;
}

int32_t lullw_iovs_gather(lull_memory *m, const lullw_iovs *v, uint8_t *buf,
                          size_t len) {
  for (uint32_t i = 0; i < v->n && len > 0; i++) {
    size_t k = v->v[i][1] < len ? v->v[i][1] : len;
    const uint8_t *p = lullw_mem(m, v->v[i][0], k);
    if (!p)
      return LULLW_EFAULT;
    memcpy(buf, p, k);
    buf += k;
    len -= k;
  }
  return 0;
}

int32_t lullw_path_read(lull_memory *m, uint32_t ptr, uint32_t len,
                        char **out) {
  *out = NULL;
  const uint8_t *p = lullw_mem(m, ptr, len);
  if (!p)
    return LULLW_EFAULT;
  if (len >= LULLW_PATH_MAX)
    return LULLW_ENAMETOOLONG;
  if (memchr(p, 0, len))
    return LULLW_EINVAL;
  char *s = malloc((size_t)len + 1);
  if (!s)
    return LULLW_ENOMEM;
  memcpy(s, p, len);
  s[len] = '\0';
  *out = s;
  return 0;
}
