/*
 * memory.c -- linear memories. The bytes are an anonymous mapping, not an
 * allocation: the kernel hands out zero pages lazily, so a parked guest's
 * untouched pages cost no resident memory, and growing remaps without
 * copying where the system can.
 */
#include <sys/mman.h>

#include "interp_internal.h"

static uint8_t *map_bytes(uint64_t n) {
  void *p = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

#ifdef MREMAP_MAYMOVE
static uint8_t *remap_bytes(uint8_t *old, uint64_t old_n, uint64_t n) {
  void *p = mremap(old, (size_t)old_n, (size_t)n, MREMAP_MAYMOVE);
  return p == MAP_FAILED ? NULL : p;
}
#else
static uint8_t *remap_bytes(uint8_t *old, uint64_t old_n, uint64_t n) {
  uint8_t *p = map_bytes(n);
  if (!p)
    return NULL;
  memcpy(p, old, (size_t)old_n);
  munmap(old, (size_t)old_n);
  return p;
}
#endif

lull_memory *lulli_memory_create(lull_engine *e, lulld_limits l,
                                 int registered) {
  uint32_t max = l.has_max ? l.max : LULLD_MAX_PAGES;
  if (max > e->cfg.max_memory_pages)
    max = e->cfg.max_memory_pages;
  if (l.min > max)
    return NULL;
  lull_memory *m = lulld_calloc(&e->alloc, 1, sizeof *m);
  if (!m)
    return NULL;
  m->limits = l;
  m->max_pages = max;
  m->size = (uint64_t)l.min * LULLI_PAGE_SIZE;
  if (m->size) {
    m->data = map_bytes(m->size);
    if (!m->data) {
      lulld_free(&e->alloc, m, sizeof *m);
      return NULL;
    }
    m->reserved = m->size;
  }
  if (registered)
    lulli_obj_init(e, &m->hdr, LULLI_KIND_MEMORY);
  else
    m->hdr.engine = e;
  return m;
}

void lulli_memory_destroy(lull_memory *m) {
  lull_engine *e = m->hdr.engine;
  if (m->data)
    munmap(m->data, (size_t)m->reserved);
  lulld_free(&e->alloc, m, sizeof *m);
}

int64_t lulli_memory_grow(lull_memory *m, uint64_t delta) {
  uint64_t old_pages = m->size / LULLI_PAGE_SIZE;
  if (delta == 0)
    return (int64_t)old_pages;
  if (old_pages + delta > m->max_pages)
    return -1;
  uint64_t n = (old_pages + delta) * LULLI_PAGE_SIZE;
  uint8_t *p = m->data ? remap_bytes(m->data, m->reserved, n) : map_bytes(n);
  if (!p)
    return -1;
  m->data = p;
  m->reserved = n;
  m->size = n;
  return (int64_t)old_pages;
}

lull_memory *lull_memory_new(lull_engine *e, lull_limits limits) {
  if (!e || (limits.has_max && limits.min > limits.max))
    return NULL;
  lulld_limits l = {limits.min, limits.max, (uint8_t)(limits.has_max != 0)};
  return lulli_memory_create(e, l, 1);
}

void lull_memory_free(lull_memory *m) {
  if (m)
    lulli_release(&m->hdr);
}

uint8_t *lull_memory_data(lull_memory *m) { return m ? m->data : NULL; }

size_t lull_memory_size(const lull_memory *m) {
  return m ? (size_t)m->size : 0;
}

int64_t lull_memory_grow(lull_memory *m, uint32_t delta) {
  return m ? lulli_memory_grow(m, delta) : -1;
}

lull_status lull_memory_limit(lull_memory *m, uint32_t max_pages) {
  if (!m || m->size / LULLI_PAGE_SIZE > max_pages)
    return LULL_BADARG;
  if (max_pages < m->max_pages)
    m->max_pages = max_pages;
  return LULL_OK;
}
