/*
 * args.c -- args_* and environ_*: the strings were copied into one buffer
 * of NUL-terminated strings when the context was made, so the guest gets
 * that buffer as is and an array of pointers into it. Nothing here can
 * block.
 */
#include "wasi_internal.h"

#include <string.h>

/* Writes `count` pointers at `ptrs` and the strings at `buf`. */
static int32_t put_strings(lull_memory *m, uint32_t ptrs, uint32_t buf,
                           uint32_t count, const char *strings, size_t len) {
  uint8_t *p = lullw_mem(m, ptrs, (uint64_t)count * 4);
  uint8_t *b = lullw_mem(m, buf, len);
  if (!p || !b)
    return LULLW_EFAULT;
  size_t at = 0;
  for (uint32_t i = 0; i < count; i++) {
    lullw_st32(p + 4 * i, (uint32_t)(buf + at));
    at += strlen(strings + at) + 1;
  }
  if (len)
    memcpy(b, strings, len);
  return 0;
}

static int32_t put_sizes(lull_memory *m, uint32_t count_ptr,
                         uint32_t size_ptr, uint32_t count, size_t len) {
  if (!lullw_mem(m, count_ptr, 4) || !lullw_mem(m, size_ptr, 4))
    return LULLW_EFAULT;
  lullw_put_u32(m, count_ptr, count);
  lullw_put_u32(m, size_ptr, (uint32_t)len);
  return 0;
}

int32_t lullw_args_get(lullw_call *c) {
  return put_strings(c->mem, LULLW_U32(c, 0), LULLW_U32(c, 1), c->w->argc,
                     c->w->argbuf, c->w->argbuf_len);
}

int32_t lullw_args_sizes_get(lullw_call *c) {
  return put_sizes(c->mem, LULLW_U32(c, 0), LULLW_U32(c, 1), c->w->argc,
                   c->w->argbuf_len);
}

int32_t lullw_environ_get(lullw_call *c) {
  return put_strings(c->mem, LULLW_U32(c, 0), LULLW_U32(c, 1), c->w->envc,
                     c->w->envbuf, c->w->envbuf_len);
}

int32_t lullw_environ_sizes_get(lullw_call *c) {
  return put_sizes(c->mem, LULLW_U32(c, 0), LULLW_U32(c, 1), c->w->envc,
                   c->w->envbuf_len);
}
