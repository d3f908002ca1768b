/*
 * snapshot_buf.c -- growable output and bounds-checked input for the
 * snapshot format, and the lookups both directions share.
 */
#include "snapshot_internal.h"

void lulli_put(lulli_wbuf *w, const void *src, size_t n) {
  if (w->oom || n == 0)
    return;
  if (w->n + n > w->cap) {
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->n + n)
      cap *= 2;
    uint8_t *p = lulld_realloc(w->a, w->p, w->cap, cap);
    if (!p) {
      w->oom = 1;
      return;
    }
    w->p = p;
    w->cap = cap;
  }
  memcpy(w->p + w->n, src, n);
  w->n += n;
}

void lulli_put_u8(lulli_wbuf *w, uint8_t v) { lulli_put(w, &v, 1); }

void lulli_put_u32(lulli_wbuf *w, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                  (uint8_t)(v >> 24)};
  lulli_put(w, b, 4);
}

void lulli_put_u64(lulli_wbuf *w, uint64_t v) {
  lulli_put_u32(w, (uint32_t)v);
  lulli_put_u32(w, (uint32_t)(v >> 32));
}

void lulli_patch_u64(lulli_wbuf *w, size_t at, uint64_t v) {
  if (w->oom || at + 8 > w->n)
    return;
  for (int i = 0; i < 8; i++)
    w->p[at + i] = (uint8_t)(v >> (8 * i));
}

void lulli_rfail(lulli_rbuf *r, const char *why) {
  if (!r->err) {
    r->err = why;
    r->err_at = r->pos;
  }
}

const uint8_t *lulli_get(lulli_rbuf *r, size_t n) {
  if (r->err)
    return NULL;
  if (r->n - r->pos < n) {
    lulli_rfail(r, "truncated");
    return NULL;
  }
  const uint8_t *p = r->p + r->pos;
  r->pos += n;
  return p;
}

uint8_t lulli_get_u8(lulli_rbuf *r) {
  const uint8_t *p = lulli_get(r, 1);
  return p ? p[0] : 0;
}

uint32_t lulli_get_u32(lulli_rbuf *r) {
  const uint8_t *p = lulli_get(r, 4);
  return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24
           : 0;
}

uint64_t lulli_get_u64(lulli_rbuf *r) {
  uint64_t lo = lulli_get_u32(r);
  return lo | (uint64_t)lulli_get_u32(r) << 32;
}

const uint8_t *lulli_module_hash(lull_module *m) {
  if (!m->hashed) {
    lulli_sha256(m->m->bytes, m->m->len, m->hash);
    m->hashed = 1;
  }
  return m->hash;
}

uint8_t lulli_park_slot_type(const lulli_code *code, const lulli_parkmap *pm,
                             uint32_t k) {
  uint32_t n = (uint32_t)pm->nfunc + pm->next + pm->ndead;
  if (n == 0)
    return 0; /* refslots may be NULL: no arithmetic on it */
  const uint16_t *rs = code->refslots + pm->first;
  for (uint32_t j = 0; j < n; j++)
    if (rs[j] == k)
      return j < pm->nfunc ? LULL_FUNCREF
             : j < (uint32_t)pm->nfunc + pm->next - pm->nany ? LULL_EXTERNREF
             : j < (uint32_t)pm->nfunc + pm->next            ? LULLI_ANY_SLOT
                                                             : LULLI_DEAD_SLOT;
  return 0;
}

uint8_t lulli_slot_type(const lulli_code *code, const lulli_parkmap *pm,
                        uint32_t k, lulli_slotcursor *cur) {
  if (k >= code->local_slots)
    return lulli_park_slot_type(code, pm, k);
  while (cur->local < code->nlocals &&
         k >= cur->start + lulld_slots_of(code->local_types[cur->local])) {
    cur->start += lulld_slots_of(code->local_types[cur->local]);
    cur->local++;
  }
  return cur->local < code->nlocals
             ? lulli_snap_kind(code->local_types[cur->local])
             : 0;
}

void lull_snapshot_free(lull_engine *e, uint8_t *bytes, size_t len) {
  if (e && bytes)
    lulld_free(&e->alloc, bytes, len);
}
