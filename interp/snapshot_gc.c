/*
 * snapshot_gc.c -- the GC heap in a snapshot (format in
 * snapshot_internal.h): the objects a parked thread and its instance
 * reach, each named by its address, which is how every reference to it
 * is written. Reading makes the objects first, then translates each
 * reference by that name: in the objects' fields, the thread's frames,
 * the instance's globals and tables. Nothing read is trusted: kinds,
 * types and lengths are checked against the module, every name must be
 * in the table (an externref that names none is the host's value), and
 * every translated reference must be of the type declared for its place.
 */
#include <stdio.h>

#include "snapshot_internal.h"

/* Addresses to object indices: open addressing, linear probing. */
typedef struct addrmap {
  const lulld_alloc *a;
  uint64_t *keys;  /* 0: empty (no object has address 0) */
  uint32_t *vals;
  size_t n, cap;
} addrmap;

static size_t hash_of(uint64_t k, size_t cap) {
  k ^= k >> 29;
  k *= 0xBF58476D1CE4E5B9ull;
  k ^= k >> 32;
  return (size_t)k & (cap - 1);
}

static int map_find(const addrmap *m, uint64_t k, uint32_t *out) {
  if (!m->cap)
    return 0;
  for (size_t i = hash_of(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == k) {
      *out = m->vals[i];
      return 1;
    }
    if (!m->keys[i])
      return 0;
  }
}

static void map_free(addrmap *m) {
  lulld_free(m->a, m->keys, m->cap * sizeof *m->keys);
  lulld_free(m->a, m->vals, m->cap * sizeof *m->vals);
  m->keys = NULL;
  m->vals = NULL;
  m->n = m->cap = 0;
}

/* Adds k (not there yet); -1 when out of memory. */
static int map_add(addrmap *m, uint64_t k, uint32_t v) {
  if ((m->n + 1) * 2 > m->cap) {
    addrmap g = {m->a, NULL, NULL, 0, m->cap ? m->cap * 2 : 64};
    g.keys = lulld_calloc(m->a, g.cap, sizeof *g.keys);
    g.vals = lulld_calloc(m->a, g.cap, sizeof *g.vals);
    if (!g.keys || !g.vals) {
      map_free(&g);
      return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->keys[i])
        (void)map_add(&g, m->keys[i], m->vals[i]);
    map_free(m);
    *m = g;
  }
  size_t i = hash_of(k, m->cap);
  while (m->keys[i])
    i = (i + 1) & (m->cap - 1);
  m->keys[i] = k;
  m->vals[i] = v;
  m->n++;
  return 0;
}

static uint64_t addr_of(const void *p) { return (uint64_t)(uintptr_t)p; }

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------- */

typedef struct gwriter {
  lull_engine *e;
  lull_instance *inst;
  lulli_wbuf *w;
  addrmap seen;
  lulli_gcobj **objs;
  size_t n, cap;
  const char *why;
} gwriter;

/* The visitors' callback: queues the object a slot refers to. */
static void reach(void *ctx, lull_valtype declared, void **slot) {
  gwriter *g = ctx;
  void *p = *slot;
  uint32_t ix;
  if (g->why || !p || ((uintptr_t)p & 1u))
    return;
  if (lulld_vt_top(declared) == LULL_HT_EXTERN && !lulli_gc_owns(g->e, p))
    return;
  /* Exceptions travel in a table of their own (snapshot_exn.c). */
  if (lulld_vt_top(declared) == LULL_HT_EXN || lulli_is_exn(p))
    return;
  if (map_find(&g->seen, addr_of(p), &ix))
    return;
  if (LULLD_GROW(&g->e->alloc, g->objs, &g->cap, g->n + 1) ||
      map_add(&g->seen, addr_of(p), (uint32_t)g->n)) {
    g->why = "out of memory";
    return;
  }
  g->objs[g->n++] = p;
}

/* The module's index of engine type `id`, or LULLI_SNAP_NONE. */
static uint32_t module_type(const lull_instance *inst, uint32_t id) {
  const lull_module *mod = inst->module;
  for (uint32_t i = 0; i < mod->m->ntypes; i++)
    if (mod->type_ids[i] == id)
      return i;
  return LULLI_SNAP_NONE;
}

/* A reference as written: a function's index + 1, else its bits. */
static uint64_t ref_word(gwriter *g, lull_valtype t, void *p) {
  if (p && lulld_vt_top(t) == LULL_HT_EXN) {
    /* Exceptions travel in their own table, which only frames, globals
     * and tables reach. */
    g->why = "an object holds an exception reference";
    return 0;
  }
  if (!lulld_vt_is_funcref(t) || !p)
    return addr_of(p);
  uint32_t i = lulli_snap_func_index(g->inst, p);
  if (i == LULLI_SNAP_NONE)
    g->why = "an object holds a function outside the instance";
  return (uint64_t)i + 1;
}

static void put_object(gwriter *g, lulli_gcobj *o) {
  lulli_wbuf *w = g->w;
  uint32_t type = 0;
  if (o->kind == LULLI_GC_STRUCT || o->kind == LULLI_GC_ARRAY) {
    type = module_type(g->inst, o->type);
    if (type == LULLI_SNAP_NONE)
      g->why = "an object's type is not one of the module's";
  }
  lulli_put_u64(w, addr_of(o));
  lulli_put_u8(w, o->kind);
  lulli_put_u32(w, type);
  lulli_put_u32(w, o->len);
  lulli_put_u8(w, o->exported);
  const uint8_t *d = LULLI_GC_DATA(o);
  if (o->kind == LULLI_GC_STRUCT) {
    const lulli_type *t = g->e->types[o->type];
    for (uint32_t k = 0; k < t->nfields; k++) {
      lull_valtype ft = t->types[k];
      uint32_t off = lulli_gc_field_offset(t, k);
      if (lulld_vt_is_ref(ft)) {
        void *p;
        memcpy(&p, d + off, sizeof p);
        lulli_put_u64(w, ref_word(g, ft, p));
      } else {
        lulli_put(w, d + off, 8 * lulld_slots_of(ft));
      }
    }
  } else if (o->kind == LULLI_GC_ARRAY) {
    lull_valtype et = g->e->types[o->type]->types[0];
    if (lulld_vt_is_ref(et)) {
      void *const *p = (void *const *)d;
      for (uint32_t k = 0; k < o->len; k++)
        lulli_put_u64(w, ref_word(g, et, p[k]));
    } else {
      lulli_put(w, d, (size_t)o->len * o->esize);
    }
  } else {
    void *p;
    memcpy(&p, d, sizeof p);
    lulli_put_u64(w, addr_of(p));
  }
}

const char *lulli_snap_gc_write(lulli_wbuf *w, lull_thread *t,
                                lull_instance *inst) {
  const lulld_module *m = inst->module->m;
  gwriter g;
  memset(&g, 0, sizeof g);
  g.e = t->engine;
  g.inst = inst;
  g.w = w;
  g.seen.a = &g.e->alloc;
  lulli_gc_visit_thread(t, t->pc, 0, reach, &g);
  for (uint32_t i = 0; i < m->nglobals; i++)
    lulli_gc_visit_global(inst->globals[i], reach, &g);
  for (uint32_t i = 0; i < m->ntables; i++)
    lulli_gc_visit_table(inst->tables[i], reach, &g);
  /* Breadth first: the queue grows while it is walked. */
  for (size_t i = 0; i < g.n && !g.why; i++)
    lulli_gc_visit_object(g.e, g.objs[i], reach, &g);
  if (!g.why && g.n > UINT32_MAX)
    g.why = "too many objects";
  /* No objects, no section: the snapshot of a guest that makes none is
   * what it would be without GC. */
  if (g.n)
    lulli_put_u32(w, (uint32_t)g.n);
  for (size_t i = 0; i < g.n && !g.why; i++)
    put_object(&g, g.objs[i]);
  lulld_free(&g.e->alloc, g.objs, g.cap * sizeof *g.objs);
  map_free(&g.seen);
  return g.why;
}

/* ---------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------- */

typedef struct greader {
  lull_engine *e;
  lull_instance *inst;
  lulli_rbuf *r;
  addrmap names;
  lulli_gcobj **objs;
  size_t n;
  char *msg;     /* the snapshot reader's, which r->err may point to */
  size_t msglen;
} greader;

static int gbad(greader *g, const char *fmt, ...) LULL_PRINTF(2, 3);
static int gbad(greader *g, const char *fmt, ...) {
  if (!g->r->err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->msg, g->msglen, fmt, ap);
    va_end(ap);
    lulli_rfail(g->r, g->msg);
  }
  return -1;
}

/* A function reference of a field or element: index + 1, or 0. */
static void *func_word(greader *g, lull_valtype declared, uint64_t w) {
  const lulld_module *m = g->inst->module->m;
  if (!w)
    return NULL;
  if (w > m->nfuncs) {
    gbad(g, "an object names function %llu; the module has %u",
         (unsigned long long)(w - 1), m->nfuncs);
    return NULL;
  }
  lull_func *f = g->inst->funcs[w - 1];
  if (!lulli_vt_match(g->e, LULL_REF_INDEX(f->type_id, 0), declared))
    gbad(g, "an object holds function %llu, not of its field's type",
         (unsigned long long)(w - 1));
  return f;
}

/* One object's header and payload (its references still names). */
static int read_object(greader *g, size_t i) {
  lulli_rbuf *r = g->r;
  const lull_module *mod = g->inst->module;
  uint64_t name = lulli_get_u64(r);
  uint8_t kind = lulli_get_u8(r);
  uint32_t type = lulli_get_u32(r);
  uint32_t len = lulli_get_u32(r);
  uint8_t exported = lulli_get_u8(r);
  uint32_t ix;
  if (r->err)
    return -1;
  if (!name || (name & 1u) || map_find(&g->names, name, &ix))
    return gbad(g, "object %zu: its name is null, odd or taken", i);
  if (kind < LULLI_GC_STRUCT || kind > LULLI_GC_I31 || exported > 1)
    return gbad(g, "object %zu: unknown kind %u", i, kind);
  lulli_gcobj *o = NULL;
  const lulli_type *t = NULL;
  size_t need;
  if (kind == LULLI_GC_STRUCT || kind == LULLI_GC_ARRAY) {
    if (type >= mod->m->ntypes ||
        mod->m->types[type].kind !=
            (kind == LULLI_GC_STRUCT ? LULLD_COMP_STRUCT : LULLD_COMP_ARRAY))
      return gbad(g, "object %zu: type %u is no %s type of the module", i,
                  type, kind == LULLI_GC_STRUCT ? "struct" : "array");
    t = g->e->types[mod->type_ids[type]];
    unsigned es = kind == LULLI_GC_ARRAY ? lulli_gc_esize(t->types[0]) : 0;
    need = kind == LULLI_GC_STRUCT ? lulli_gc_field_offset(t, t->nfields)
           : lulld_vt_is_ref(t->types[0]) ? (size_t)len * 8
                                           : (size_t)len * es;
    if ((kind == LULLI_GC_STRUCT && len != need) || need > r->n - r->pos)
      return gbad(g, "object %zu: length %u does not fit", i, len);
    o = kind == LULLI_GC_STRUCT ? lulli_gc_struct(g->e, mod->type_ids[type])
                                : lulli_gc_array(g->e, mod->type_ids[type],
                                                 len);
  } else {
    o = lulli_gc_alloc(g->e, kind, 0, 0, sizeof(void *));
  }
  if (!o)
    return gbad(g, "object %zu does not fit the GC heap", i);
  g->objs[i] = o;
  int fail = 0;
  if (map_add(&g->names, name, (uint32_t)i) ||
      (exported && lulli_gc_export(g->e, o, &fail)))
    return gbad(g, "out of memory");
  uint8_t *d = LULLI_GC_DATA(o);
  if (kind == LULLI_GC_STRUCT) {
    for (uint32_t k = 0; k < t->nfields; k++) {
      uint32_t off = lulli_gc_field_offset(t, k);
      if (lulld_vt_is_funcref(t->types[k])) {
        void *f = func_word(g, t->vtypes[k], lulli_get_u64(r));
        memcpy(d + off, &f, sizeof f);
      } else {
        const uint8_t *p = lulli_get(r, 8 * lulld_slots_of(t->types[k]));
        if (p)
          memcpy(d + off, p, 8 * lulld_slots_of(t->types[k]));
      }
    }
  } else if (kind == LULLI_GC_ARRAY && lulld_vt_is_ref(t->types[0])) {
    void **p = (void **)d;
    for (uint32_t k = 0; k < len && !r->err; k++) {
      uint64_t w = lulli_get_u64(r);
      p[k] = lulld_vt_is_funcref(t->types[0]) ? func_word(g, t->vtypes[0], w)
                                              : (void *)(uintptr_t)w;
    }
  } else if (kind == LULLI_GC_ARRAY) {
    const uint8_t *p = lulli_get(r, (size_t)len * o->esize);
    if (p && len)
      memcpy(d, p, (size_t)len * o->esize);
  } else {
    void *v = (void *)(uintptr_t)lulli_get_u64(r);
    if (kind == LULLI_GC_I31 && !((uintptr_t)v & 1u))
      return gbad(g, "object %zu: a boxed i31 that is none", i);
    memcpy(d, &v, sizeof v);
  }
  return r->err ? -1 : 0;
}

/* The visitors' callback: a name becomes its object, checked against the
 * type declared for the place. Whatever cannot be translated is nulled,
 * so no untranslated bits outlive a refused snapshot. */
static void translate(void *ctx, lull_valtype declared, void **slot) {
  greader *g = ctx;
  uint64_t w = addr_of(*slot);
  uint32_t ix;
  /* Exceptions are read with a table of their own: an exnref is one
   * already, an any slot names one by its index (resolve_any_exns). */
  if (!w || lulld_vt_top(declared) == LULL_HT_EXN || (w & LULLI_SNAP_EXN))
    return;
  int any = lulld_vt_top(declared) == LULL_HT_ANY;
  if (!(w & 1u) && map_find(&g->names, w, &ix))
    *slot = g->objs[ix];
  else if (any && !(w & 1u)) {
    *slot = NULL;
    gbad(g, "a reference names no object of the snapshot");
    return;
  } else if (!any) {
    return; /* the host's own value */
  }
  if (!lulli_ref_test(g->e, *slot, lulld_vt_nullable(declared))) {
    gbad(g, "a reference is not of its place's type %s",
         lull_valtype_str(declared));
    *slot = NULL;
  }
}

int lulli_snap_gc_read(lulli_rbuf *r, char *msg, size_t msglen,
                       lull_thread *t, lull_instance *inst) {
  lull_engine *e = t->engine;
  const lulld_module *m = inst->module->m;
  greader g;
  memset(&g, 0, sizeof g);
  g.msg = msg;
  g.msglen = msglen;
  g.e = e;
  g.inst = inst;
  g.r = r;
  g.names.a = &e->alloc;
  /* No collection while references are names, not pointers. */
  e->gc.inhibit++;
  uint32_t n = r->pos < r->n ? lulli_get_u32(r) : 0;
  if (!r->err && n > (r->n - r->pos) / 18)
    gbad(&g, "%u objects cannot fit in what is left", n);
  if (!r->err && n) {
    g.objs = lulld_calloc(&e->alloc, n, sizeof *g.objs);
    if (!g.objs)
      gbad(&g, "out of memory");
  }
  g.n = g.objs ? n : 0;
  for (size_t i = 0; i < g.n && !r->err; i++)
    read_object(&g, i);
  /* Translate everything, even after a failure (which nulls). */
  for (size_t i = 0; i < g.n; i++)
    if (g.objs[i])
      lulli_gc_visit_object(e, g.objs[i], translate, &g);
  lulli_gc_visit_thread(t, t->pc, 0, translate, &g);
  for (uint32_t i = 0; i < m->nglobals; i++)
    lulli_gc_visit_global(inst->globals[i], translate, &g);
  for (uint32_t i = 0; i < m->ntables; i++)
    lulli_gc_visit_table(inst->tables[i], translate, &g);
  lulld_free(&e->alloc, g.objs, n * sizeof *g.objs);
  map_free(&g.names);
  e->gc.inhibit--;
  return r->err ? -1 : 0;
}

static void scrub(void *ctx, lull_valtype declared, void **slot) {
  (void)ctx;
  if (lulld_vt_top(declared) == LULL_HT_ANY)
    *slot = NULL;
}

void lulli_snap_gc_scrub(lull_instance *inst) {
  const lulld_module *m = inst->module->m;
  for (uint32_t i = 0; i < m->nglobals; i++)
    if (inst->globals[i])
      lulli_gc_visit_global(inst->globals[i], scrub, NULL);
  for (uint32_t i = 0; i < m->ntables; i++)
    if (inst->tables[i])
      lulli_gc_visit_table(inst->tables[i], scrub, NULL);
}
