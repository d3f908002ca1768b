/*
 * module_serialize.c -- a compiled module as bytes and back, so a host can
 * cache what lull_module_new computes (lull_module_serialize,
 * lull_module_deserialize).
 *
 * The bytes hold the module's own bytes and, per defined function, its
 * register code with each handler cell written as its op number, and the
 * side tables. They are this build's form, not a portable one: the header
 * names the build by a fingerprint (lull's version, the instruction set
 * as ops.h's table defines it, the layout of the code structures, the
 * dispatch and SIMD variants and the CPU features the compiler used) and
 * the engine settings the code depends on; anything else refuses them.
 *
 *   "LULLCODE" u32 version  u64 fingerprint  u32 features  u32 safepoints
 *   sha256[32] of the module  u64 length, the module's bytes
 *   u32 ntypes, the engine ids its types had (u32 each)
 *   per defined function: u32 ncells param_slots local_slots nlocals
 *     frame_slots ntrapbytes nparkbytes nrefslots ngcmaps nhandlers
 *     entry_cost, then
 *     the cells, trap sites, park points, refslots, gcmaps, local types
 *     and exception handlers, as stored in memory
 *   u64 lull_module_key of everything before it, a checksum
 *
 * Engine type ids are written into the code (call_indirect, call_ref and
 * GC instructions check them), and another engine may give the same
 * types other ids (it interned other modules' types first). The code is
 * used as it is only when the ids come out the same, as they do in a
 * fresh engine or one that loads the same modules in the same order;
 * otherwise the module is compiled again from its bytes, which is
 * correct, only not faster.
 *
 * The checks catch accidents (a truncated or damaged file, another build,
 * another module), not an attacker: the code is trusted as compiled, so
 * bytes from an untrusted source must never reach deserialization.
 */
#include <string.h>

#include "ops.h"
#include "simd_cpu.h"
#include "snapshot_internal.h"

#define MAGIC "LULLCODE"
#define VERSION 4u

/* A field added to the code record must be written below: the size
 * check makes whoever adds one come here. */
_Static_assert(sizeof(lulli_code) == 128 || sizeof(void *) != 8,
               "lulli_code changed: serialize the new field here");

/* FNV-1a over `n` bytes, continuing from `h`. */
static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t fnv_u32(uint64_t h, uint32_t v) { return fnv(h, &v, 4); }

/* This build's fingerprint: no allocation, so it cannot fail. */
static uint64_t fingerprint(void) {
  uint64_t h = fnv(0xcbf29ce484222325ull, LULL_VERSION_STRING,
                   sizeof LULL_VERSION_STRING);
  h = fnv_u32(h, LULLI_OP_COUNT_);
  for (unsigned op = 0; op < LULLI_OP_COUNT_; op++) {
    const lulli_opinfo *in = lulli_op_info(op);
    h = fnv(h, in->name, strlen(in->name) + 1);
    h = fnv_u32(h, (uint32_t)in->cells << 24 | (uint32_t)in->format << 16 |
                       in->imm);
    h = fnv_u32(h, (uint32_t)in->back << 16 | in->fused);
  }
  h = fnv_u32(h, (uint32_t)sizeof(lulli_cell));
  h = fnv_u32(h, (uint32_t)sizeof(lulli_parkmap));
  h = fnv_u32(h, lulli_simd_cpu());
#ifdef LULL_DISPATCH_SWITCH
  h = fnv_u32(h, 1);
#endif
#ifdef LULL_SIMD_PORTABLE
  h = fnv_u32(h, 2);
#endif
  return h;
}

static void put_code(lulli_wbuf *w, const lull_engine *e,
                     const lulli_code *c) {
  uint32_t head[11] = {c->ncells,      c->param_slots, c->local_slots,
                       c->nlocals,     c->frame_slots, c->ntrapbytes,
                       c->nparkbytes,  c->nrefslots,   c->ngcmaps,
                       c->nhandlers,   (uint32_t)c->entry_cost};
  for (int i = 0; i < 11; i++)
    lulli_put_u32(w, head[i]);
  /* Handler cells become op numbers; operand cells stay as they are. */
  for (uint32_t at = 0; at < c->ncells;) {
    const lulli_cell *pc = &c->code[at];
    unsigned n = lulli_op_size(e, pc);
    lulli_cell first = {.u64 = (uint64_t)lulli_op_of(e, pc)};
    lulli_put(w, &first, sizeof first);
    lulli_put(w, pc + 1, (n - 1) * sizeof *pc);
    at += n;
  }
  lulli_put(w, c->traps, c->ntrapbytes);
  lulli_put(w, c->parks, c->nparkbytes);
  lulli_put(w, c->refslots, c->nrefslots * sizeof *c->refslots);
  lulli_put(w, c->gcmaps, c->ngcmaps * sizeof *c->gcmaps);
  lulli_put(w, c->local_types, c->nlocals * sizeof *c->local_types);
  lulli_put(w, c->handlers, c->nhandlers * sizeof *c->handlers);
}

lull_status lull_module_serialize(lull_module *mod, uint8_t **out,
                                  size_t *len, lull_error *err) {
  if (!mod || !out || !len)
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_module_serialize: no module or output");
  *out = NULL;
  *len = 0;
  lull_engine *e = mod->hdr.engine;
  const lulld_module *m = mod->m;
  /* Functions left for their first call are compiled now. */
  for (uint32_t i = 0; i < m->ncodes; i++) {
    lull_status s = lulli_compiled(mod, i, err);
    if (s != LULL_OK)
      return s;
  }
  lulli_wbuf w = {.a = &e->alloc};
  lulli_put(&w, MAGIC, 8);
  lulli_put_u32(&w, VERSION);
  lulli_put_u64(&w, fingerprint());
  lulli_put_u32(&w, e->cfg.features);
  lulli_put_u32(&w, (uint32_t)e->cfg.safepoints);
  lulli_put(&w, lulli_module_hash(mod), 32);
  lulli_put_u64(&w, m->len);
  lulli_put(&w, m->bytes, m->len);
  lulli_put_u32(&w, m->ntypes);
  for (uint32_t i = 0; i < m->ntypes; i++)
    lulli_put_u32(&w, mod->type_ids[i]);
  for (uint32_t i = 0; i < m->ncodes; i++)
    put_code(&w, e, &mod->codes[i]);
  if (!w.oom)
    lulli_put_u64(&w, lull_module_key(w.p, w.n));
  if (w.oom) {
    lulld_free(&e->alloc, w.p, w.cap);
    return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
  }
  /* Exactly `len` bytes, so lull_module_serialized_free knows the size. */
  uint8_t *p = lulld_realloc(&e->alloc, w.p, w.cap, w.n);
  *out = p ? p : w.p;
  if (!p)
    w.n = w.cap;
  *len = w.n;
  return LULL_OK;
}

void lull_module_serialized_free(lull_engine *e, uint8_t *bytes, size_t len) {
  if (e && bytes)
    lulld_free(&e->alloc, bytes, len);
}

/* Also the serialized form's checksum: it finds damage, not tampering
 * (nothing here could). */
uint64_t lull_module_key(const uint8_t *p, size_t n) {
  if (!p)
    n = 0;
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
  }
  for (; i < n; i++)
    h = (h ^ p[i]) * 0x94D049BB133111EBull;
  return h ^ h >> 31;
}

/* Copies `n` items of `size` bytes from `r` into a new array at *dst. */
static int get_array(lulli_rbuf *r, const lulld_alloc *a, void **dst,
                     size_t n, size_t size) {
  *dst = NULL;
  if (n == 0)
    return 0;
  if (n > (r->n - r->pos) / size) {
    lulli_rfail(r, "truncated");
    return -1;
  }
  *dst = lulld_malloc(a, n * size);
  if (!*dst)
    return -2;
  memcpy(*dst, lulli_get(r, n * size), n * size);
  return 0;
}

/* Reads one function's code into `c` (zeroed). 0, -1 for bad bytes (the
 * reason in r->err), -2 out of memory. */
static int get_code(lulli_rbuf *r, lull_engine *e, lulli_code *c) {
  const lulld_alloc *a = &e->alloc;
  uint32_t head[11];
  for (int i = 0; i < 11; i++)
    head[i] = lulli_get_u32(r);
  if (r->err)
    return -1;
  int rc = get_array(r, a, (void **)&c->code, head[0], sizeof *c->code);
  if (rc)
    return rc;
  c->ncells = head[0];
  for (uint32_t at = 0; at < c->ncells;) {
    lulli_cell *pc = &c->code[at];
    if (pc->u64 >= LULLI_OP_COUNT_) {
      lulli_rfail(r, "a bad instruction");
      return -1;
    }
    /* The fixed part first: BR_TABLE's whole length is in its cell 1. */
    if (lulli_op_info((unsigned)pc->u64)->cells > c->ncells - at) {
      lulli_rfail(r, "an instruction runs past its function");
      return -1;
    }
    unsigned op = (unsigned)pc->u64;
    unsigned n = lulli_op_length(op, pc);
    pc->h = e->handlers[op];
    if (n == 0 || n > c->ncells - at) {
      lulli_rfail(r, "an instruction runs past its function");
      return -1;
    }
    at += n;
  }
  c->param_slots = head[1];
  c->local_slots = head[2];
  c->frame_slots = head[4];
  c->entry_cost = head[10];
  if ((rc = get_array(r, a, (void **)&c->traps, head[5], 1)))
    return rc;
  c->ntrapbytes = head[5];
  if ((rc = get_array(r, a, (void **)&c->parks, head[6], 1)))
    return rc;
  c->nparkbytes = head[6];
  if ((rc = get_array(r, a, (void **)&c->refslots, head[7],
                      sizeof *c->refslots)))
    return rc;
  c->nrefslots = head[7];
  if ((rc = get_array(r, a, (void **)&c->gcmaps, head[8], sizeof *c->gcmaps)))
    return rc;
  c->ngcmaps = head[8];
  if ((rc = get_array(r, a, (void **)&c->local_types, head[3],
                      sizeof *c->local_types)))
    return rc;
  c->nlocals = head[3];
  if ((rc = get_array(r, a, (void **)&c->handlers, head[9],
                      sizeof *c->handlers)))
    return rc;
  c->nhandlers = head[9];
  return 0;
}

static lull_status refuse(lull_error *err, const char *why) {
  return lulld_error(err, LULL_BADCODE, LULL_NO_OFFSET,
                     "not usable compiled module: %s", why);
}

/* Reads the module's code from `r` into `mod` when its types have the ids
 * the code was compiled with; sets *stale (and reads nothing more) when
 * they have not. */
static lull_status load_codes(lulli_rbuf *r, lull_module *mod, int *stale,
                              lull_error *err) {
  const lulld_module *m = mod->m;
  lull_engine *e = mod->hdr.engine;
  *stale = 0;
  if (lulli_get_u32(r) != m->ntypes)
    return refuse(err, "its type count differs from its module's");
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (lulli_get_u32(r) != mod->type_ids[i])
      *stale = 1;
  if (r->err)
    return refuse(err, r->err);
  if (*stale)
    return LULL_OK;
  for (uint32_t i = 0; i < m->ncodes; i++) {
    int rc = get_code(r, e, &mod->codes[i]);
    if (rc == -2)
      return lulld_error(err, LULL_NOMEM, LULL_NO_OFFSET, "out of memory");
    if (rc)
      return refuse(err, r->err);
  }
  if (r->pos != r->n)
    return refuse(err, "bytes after the last function");
  return LULL_OK;
}

lull_status lull_module_deserialize(lull_engine *e, const uint8_t *bytes,
                                    size_t len, const uint8_t *wasm,
                                    size_t wasm_len, lull_module **out,
                                    lull_error *err) {
  if (out)
    *out = NULL;
  if (!e || !out || (!bytes && len) || (!wasm && wasm_len))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_module_deserialize: no engine, bytes or output");
  lulli_rbuf r = {.p = bytes, .n = len};
  const uint8_t *magic = lulli_get(&r, 8);
  if (!magic || memcmp(magic, MAGIC, 8) != 0)
    return refuse(err, "not a serialized lull module");
  if (len < 8 + 4 + 8)
    return refuse(err, "truncated");
  lulli_rbuf tail = {.p = bytes + len - 8, .n = 8};
  if (lull_module_key(bytes, len - 8) != lulli_get_u64(&tail))
    return refuse(err, "truncated or damaged (checksum)");
  r = (lulli_rbuf){.p = bytes, .n = len - 8, .pos = 8};
  uint32_t version = lulli_get_u32(&r);
  uint64_t their_fp = lulli_get_u64(&r);
  uint32_t features = lulli_get_u32(&r);
  uint32_t safepoints = lulli_get_u32(&r);
  const uint8_t *hash = lulli_get(&r, 32);
  uint64_t mlen = lulli_get_u64(&r);
  if (r.err)
    return refuse(err, r.err);
  if (version != VERSION || their_fp != fingerprint())
    return refuse(err, "made by another build of lull");
  if (features != e->cfg.features || safepoints != (uint32_t)e->cfg.safepoints)
    return refuse(err, "made by an engine with other features or "
                       "safepoints");
  if (mlen > r.n - r.pos)
    return refuse(err, "truncated");
  const uint8_t *mbytes = lulli_get(&r, (size_t)mlen);
  /* The bytes themselves, not their hash: as exact, and much faster. */
  if (wasm && (wasm_len != mlen || memcmp(wasm, mbytes, wasm_len) != 0))
    return refuse(err, "made for another module");
  /* The module was valid when it was serialized, and the checksum holds,
   * so validation is skipped: it is a large part of what is saved. */
  lulld_module *m = NULL;
  lull_status s = lulld_decode(&e->alloc, e->cfg.features, mbytes,
                               (size_t)mlen, &m, err);
  if (s != LULL_OK) {
    lulld_module_free(m);
    return s;
  }
  lull_module *mod;
  if ((s = lulli_module_make(e, m, 0, &mod, err)) != LULL_OK)
    return s;
  memcpy(mod->hash, hash, 32);
  mod->hashed = 1;
  int stale;
  s = load_codes(&r, mod, &stale, err);
  if (s == LULL_OK && !stale) {
    *out = mod;
    return LULL_OK;
  }
  lulli_release(&mod->hdr);
  if (s != LULL_OK)
    return s;
  return lulli_module_load(e, mbytes, (size_t)mlen, out, err);
}
