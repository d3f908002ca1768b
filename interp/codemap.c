/*
 * codemap.c -- the trap sites and park points of compiled code, in the
 * compact form the code keeps them in, and their lookups.
 *
 * Both tables are read rarely (a trap's backtrace, a snapshot, the
 * collector's walk over the frames) and are mostly small numbers that
 * change little from one entry to the next, so each is a string of
 * unsigned LEB128 fields, delta-coded, read from its start:
 *
 *   trap site    cell - previous cell, zigzag(wasm - previous wasm)
 *   park point   cell - previous cell, zigzag(wasm - previous wasm),
 *                height, call | refs << 3 | nvals << 4, then when refs
 *                nfunc next nany ndead, then its nvals operand values:
 *                kind | slot << 2, type, and for a constant its bits
 *                (a second field for a v128's high half)
 *
 * ("previous" is 0 for the first entry.) A park point's `first` is the
 * sum of the reference slots of those before it, and its `vals` is where
 * its values start in the string. An entry is a few bytes where the
 * fixed records took 8 (trap site) and 32 plus 24 a value (park point),
 * which dominated the code of small functions.
 */
#include "interp_internal.h"

/* ---------------------------------------------------------------------
 * Writing: a growable byte string
 * ------------------------------------------------------------------- */
typedef struct bytes {
  const lulld_alloc *a;
  uint8_t *p;
  size_t n, cap;
  int oom;
} bytes;

static void put_uleb(bytes *b, uint64_t v) {
  if (LULLD_GROW(b->a, b->p, &b->cap, b->n + 10)) {
    b->oom = 1;
    return;
  }
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    b->p[b->n++] = byte | (v ? 0x80 : 0);
  } while (v);
}

static uint64_t zigzag(int64_t v) {
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* Moves the string into a block of its exact size at *out. */
static int finish(bytes *b, uint8_t **out, uint32_t *n) {
  *out = NULL;
  *n = 0;
  if (!b->oom && b->n) {
    *out = lulld_malloc(b->a, b->n);
    if (*out) {
      memcpy(*out, b->p, b->n);
      *n = (uint32_t)b->n;
    }
  }
  lulld_free(b->a, b->p, b->cap);
  return b->oom || (b->n && !*out) ? -1 : 0;
}

int lulli_codemap_store(const lulld_alloc *a, lulli_code *out,
                        const lulli_trapsite *traps, uint32_t ntraps,
                        const lulli_parkmap *parks, uint32_t nparks,
                        const lulli_parkval *pvals) {
  bytes t = {.a = a}, p = {.a = a};
  uint32_t cell = 0, wasm = 0;
  for (uint32_t i = 0; i < ntraps; i++) {
    put_uleb(&t, traps[i].cell - cell);
    put_uleb(&t, zigzag((int64_t)traps[i].wasm - wasm));
    cell = traps[i].cell;
    wasm = traps[i].wasm;
  }
  cell = wasm = 0;
  for (uint32_t i = 0; i < nparks; i++) {
    const lulli_parkmap *pm = &parks[i];
    int refs = pm->nfunc || pm->next || pm->ndead;
    put_uleb(&p, pm->cell - cell);
    put_uleb(&p, zigzag((int64_t)pm->wasm - wasm));
    put_uleb(&p, pm->height);
    put_uleb(&p, (uint64_t)pm->call | (uint64_t)refs << 3 |
                     (uint64_t)pm->nvals << 4);
    if (refs) {
      put_uleb(&p, pm->nfunc);
      put_uleb(&p, pm->next);
      put_uleb(&p, pm->nany);
      put_uleb(&p, pm->ndead);
    }
    for (uint32_t j = 0; j < pm->nvals; j++) {
      const lulli_parkval *v = &pvals[pm->vals + j];
      put_uleb(&p, (uint64_t)v->kind | (uint64_t)v->slot << 2);
      put_uleb(&p, v->type);
      if (v->kind == LULLI_PV_CONST) {
        put_uleb(&p, v->c[0]);
        if (v->type == LULL_V128)
          put_uleb(&p, v->c[1]);
      }
    }
    cell = pm->cell;
    wasm = pm->wasm;
  }
  int rt = finish(&t, &out->traps, &out->ntrapbytes);
  int rp = finish(&p, &out->parks, &out->nparkbytes);
  return rt || rp ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */
static uint64_t get_uleb(const uint8_t *s, uint32_t *pos) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    byte = s[(*pos)++];
    v |= (uint64_t)(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return v;
}

static int64_t unzigzag(uint64_t v) {
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

uint32_t lulli_trap_wasm(const lulli_code *code, uint32_t cell) {
  uint32_t pos = 0, at = 0, wasm = 0, best = 0;
  while (pos < code->ntrapbytes) {
    at += (uint32_t)get_uleb(code->traps, &pos);
    wasm += (uint32_t)unzigzag(get_uleb(code->traps, &pos));
    if (at > cell)
      break;
    best = wasm;
  }
  return best;
}

void lulli_parkval_next(const lulli_code *code, uint32_t *pos,
                        lulli_parkval *v) {
  uint64_t ks = get_uleb(code->parks, pos);
  v->kind = (uint8_t)(ks & 3);
  v->slot = (uint16_t)(ks >> 2);
  v->type = (lull_valtype)get_uleb(code->parks, pos);
  v->c[0] = v->c[1] = 0;
  if (v->kind == LULLI_PV_CONST) {
    v->c[0] = get_uleb(code->parks, pos);
    if (v->type == LULL_V128)
      v->c[1] = get_uleb(code->parks, pos);
  }
}

/* Decodes the park point at *pos into *pm, whose cell, wasm and first
 * hold the previous one's (zero before the first), and moves *pos past
 * it. */
static void next_park(const lulli_code *code, uint32_t *pos,
                      lulli_parkmap *pm) {
  pm->first += (uint32_t)pm->nfunc + pm->next + pm->ndead;
  pm->cell += (uint32_t)get_uleb(code->parks, pos);
  pm->wasm += (uint32_t)unzigzag(get_uleb(code->parks, pos));
  pm->height = (uint16_t)get_uleb(code->parks, pos);
  uint64_t f = get_uleb(code->parks, pos);
  pm->call = (uint8_t)(f & 7);
  pm->nvals = (uint32_t)(f >> 4);
  pm->nfunc = pm->next = pm->nany = pm->ndead = 0;
  if (f & 8) {
    pm->nfunc = (uint16_t)get_uleb(code->parks, pos);
    pm->next = (uint16_t)get_uleb(code->parks, pos);
    pm->nany = (uint16_t)get_uleb(code->parks, pos);
    pm->ndead = (uint16_t)get_uleb(code->parks, pos);
  }
  pm->vals = *pos;
  lulli_parkval v;
  for (uint32_t j = 0; j < pm->nvals; j++)
    lulli_parkval_next(code, pos, &v);
}

/* The park point whose `cell` (by_cell) or `wasm` is `key`. Both grow
 * from one entry to the next, so the walk stops at the first past it. */
static const lulli_parkmap *find_park(const lulli_code *code, int by_cell,
                                      uint32_t key, lulli_parkmap *buf) {
  memset(buf, 0, sizeof *buf);
  uint32_t pos = 0;
  while (pos < code->nparkbytes) {
    next_park(code, &pos, buf);
    uint32_t at = by_cell ? buf->cell : buf->wasm;
    if (at == key)
      return buf;
    if (at > key)
      break;
  }
  return NULL;
}

const lulli_parkmap *lulli_parkmap_at(const lulli_code *code, uint32_t cell,
                                      lulli_parkmap *buf) {
  return find_park(code, 1, cell, buf);
}

const lulli_parkmap *lulli_parkmap_by_wasm(const lulli_code *code,
                                           uint32_t wasm,
                                           lulli_parkmap *buf) {
  return find_park(code, 0, wasm, buf);
}
