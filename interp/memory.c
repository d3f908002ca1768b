/*
 * memory.c -- linear memories. The bytes are an anonymous mapping, not an
 * allocation: the kernel hands out zero pages lazily, so a parked guest's
 * untouched pages cost no resident memory.
 *
 * Growing never copies and never touches a page. Each memory maps more
 * address space than it uses: up to its maximum, capped by the engine's
 * memory_reserve (so many guests without a declared maximum do not
 * exhaust the address space). Growing inside that reservation only moves
 * the size, and the base address stays; past it, mremap moves the page
 * tables to a larger reservation (twice the size, at most the maximum),
 * which costs the pages in use, not the bytes. The reservation is one
 * read-write mapping with MAP_NORESERVE: bytes past the size are never
 * reached (every access is bounds-checked against the size) and cost
 * neither memory nor commit charge.
 */
#define _GNU_SOURCE /* mremap */
#include <string.h>
#include <sys/mman.h>

#include "interp_internal.h"

static uint8_t *map_bytes(uint64_t n) {
  if (n > SIZE_MAX)
    return NULL;
  void *p = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

/* The bytes to reserve for a memory of `size` bytes that may reach
 * `max` bytes: all of it up to the engine's cap, never less than needed. */
static uint64_t reserve_for(const lull_engine *e, uint64_t size,
                            uint64_t max) {
  uint64_t r = e->cfg.memory_reserve;
  if (r < size)
    r = size;
  return r < max ? r : max;
}

/* Maps `size` bytes with room for growth; the reservation if the system
 * allows it, else exactly `size`. */
static int map_memory(lull_memory *m, uint64_t size, uint64_t want) {
  if (want > size && (m->data = map_bytes(want)) != NULL) {
    m->reserved = want;
    return 0;
  }
  m->data = size ? map_bytes(size) : NULL;
  m->reserved = m->data ? size : 0;
  return size && !m->data ? -1 : 0;
}

static uint64_t max_bytes(const lull_memory *m) {
  return m->max_pages * LULLI_PAGE_SIZE;
}

lull_memory *lulli_memory_create(lull_engine *e, lulld_limits l,
                                 int registered) {
  uint64_t cap = l.is64 ? e->cfg.max_memory_pages64 : e->cfg.max_memory_pages;
  uint64_t max = l.has_max ? l.max : l.is64 ? LULLD_MAX_PAGES64 : LULLD_MAX_PAGES;
  if (max > cap)
    max = cap;
  if (l.min > max)
    return NULL;
  lull_memory *m = lulld_calloc(&e->alloc, 1, sizeof *m);
  if (!m)
    return NULL;
  m->limits = l;
  m->max_pages = max;
  m->size = l.min * LULLI_PAGE_SIZE;
  if (max && map_memory(m, m->size, reserve_for(e, m->size, max_bytes(m)))) {
    lulld_free(&e->alloc, m, sizeof *m);
    return NULL;
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
  if (delta > m->max_pages || old_pages + delta > m->max_pages)
    return -1;
  const lull_config *cfg = &m->hdr.engine->cfg;
  if (cfg->grow_limiter &&
      !cfg->grow_limiter(cfg->grow_ud, m, old_pages, old_pages + delta))
    return -1;
  uint64_t n = (old_pages + delta) * LULLI_PAGE_SIZE;
  if (n > m->reserved) {
    uint64_t want = reserve_for(m->hdr.engine, n, max_bytes(m));
    if (want < 2 * n && 2 * n <= max_bytes(m))
      want = 2 * n;
    if (!m->data) {
      if (map_memory(m, n, want))
        return -1;
    } else {
      if (want > SIZE_MAX)
        return -1;
      void *p = mremap(m->data, (size_t)m->reserved, (size_t)want,
                       MREMAP_MAYMOVE);
      if (p == MAP_FAILED && want > n)
        p = mremap(m->data, (size_t)m->reserved, (size_t)(want = n),
                   MREMAP_MAYMOVE);
      if (p == MAP_FAILED)
        return -1;
      m->data = p;
      m->reserved = want;
    }
  }
  m->size = n;
  return (int64_t)old_pages;
}

lull_memory *lull_memory_new(lull_engine *e, lull_limits limits) {
  if (!e || (limits.has_max && limits.min > limits.max))
    return NULL;
  lulld_limits l = {limits.min, limits.max, (uint8_t)(limits.has_max != 0),
                    (uint8_t)(limits.addr64 != 0)};
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

uint64_t lull_memory_pages(const lull_memory *m) {
  return m ? m->size / LULLI_PAGE_SIZE : 0;
}

int lull_memory_is64(const lull_memory *m) { return m && m->limits.is64; }

int64_t lull_memory_grow(lull_memory *m, uint64_t delta) {
  return m ? lulli_memory_grow(m, delta) : -1;
}

lull_status lull_memory_limit(lull_memory *m, uint64_t max_pages) {
  if (!m || m->size / LULLI_PAGE_SIZE > max_pages)
    return LULL_BADARG;
  if (max_pages < m->max_pages)
    m->max_pages = max_pages;
  return LULL_OK;
}

/* Is [offset, offset + len) inside the memory? Written so that no sum
 * can wrap. */
static int in_bounds(const lull_memory *m, uint64_t offset, uint64_t len) {
  return m && offset <= m->size && len <= m->size - offset;
}

void *lull_memory_ptr(lull_memory *m, uint64_t offset, uint64_t len) {
  return in_bounds(m, offset, len) && m->data ? m->data + offset : NULL;
}

lull_status lull_memory_read(const lull_memory *m, uint64_t offset,
                             void *dst, size_t len) {
  if (!in_bounds(m, offset, len) || (len && !dst))
    return LULL_BADARG;
  if (len)
    memcpy(dst, m->data + offset, len);
  return LULL_OK;
}

lull_status lull_memory_write(lull_memory *m, uint64_t offset,
                              const void *src, size_t len) {
  if (!in_bounds(m, offset, len) || (len && !src))
    return LULL_BADARG;
  if (len)
    memcpy(m->data + offset, src, len);
  return LULL_OK;
}

lull_status lull_memory_read_str(const lull_memory *m, uint64_t offset,
                                 char *buf, size_t size, size_t *len) {
  if (!in_bounds(m, offset, 0) || !buf || size == 0)
    return LULL_BADARG;
  const uint8_t *p = m->data ? m->data + offset : NULL;
  const uint8_t *nul = p ? memchr(p, 0, m->size - offset) : NULL;
  if (!nul) {
    buf[0] = '\0';
    return LULL_BADARG;
  }
  size_t n = (size_t)(nul - p);
  if (len)
    *len = n;
  size_t copy = n < size ? n : size - 1;
  memcpy(buf, p, copy);
  buf[copy] = '\0';
  return n < size ? LULL_OK : LULL_LIMIT;
}

lull_status lull_memory_write_str(lull_memory *m, uint64_t offset,
                                  const char *s) {
  return s ? lull_memory_write(m, offset, s, strlen(s) + 1) : LULL_BADARG;
}
