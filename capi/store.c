/*
 * store.c -- configs, engines and stores: a wasm.h engine is lull's
 * settings only, and each store is a lull engine of its own, so threads
 * with stores of their own never share a lull engine (which is for one
 * OS thread at a time).
 */
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"

wasm_config_t *wasm_config_new(void) {
  wasm_config_t *c = malloc(sizeof *c);
  if (c)
    lull_config_init(&c->cfg);
  return c;
}

void wasm_config_delete(wasm_config_t *c) { free(c); }

wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *c) {
  wasm_engine_t *e = c ? malloc(sizeof *e) : NULL;
  if (e)
    e->cfg = c->cfg;
  wasm_config_delete(c);
  return e;
}

wasm_engine_t *wasm_engine_new(void) {
  return wasm_engine_new_with_config(wasm_config_new());
}

void wasm_engine_delete(wasm_engine_t *e) { free(e); }

wasm_store_t *wasm_store_new(wasm_engine_t *engine) {
  wasm_store_t *s = engine ? calloc(1, sizeof *s) : NULL;
  if (!s)
    return NULL;
  s->engine = engine;
  s->maps[LULLC_MAP_KEY].slot = LULLC_MAP_KEY;
  s->maps[LULLC_MAP_PINNED].slot = LULLC_MAP_PINNED;
  s->e = lull_engine_new(&engine->cfg);
  if (!s->e) {
    free(s);
    return NULL;
  }
  return s;
}

void wasm_store_delete(wasm_store_t *s) {
  if (!s)
    return;
  /* Objects first (their finalizers may still look at lull objects),
   * then the threads and the engine with whatever lull still holds. */
  s->dying = 1;
  while (s->objs)
    lullc_obj_destroy(s->objs);
  for (size_t i = 0; i < s->nidle; i++)
    lull_thread_free(s->idle[i]);
  free(s->idle);
  free(s->maps[0].buckets);
  free(s->maps[1].buckets);
  lull_engine_free(s->e);
  free(s);
}

/* ---- maps: chained hashing through the objects' own links ---- */

static size_t bucket_of(const lullc_map *m, const void *key) {
  uintptr_t h = (uintptr_t)key;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 7) & (m->nbuckets - 1);
}

lullc_obj *lullc_map_find(const lullc_map *m, const void *key) {
  if (!m->nbuckets)
    return NULL;
  for (lullc_obj *o = m->buckets[bucket_of(m, key)]; o; o = o->link[m->slot])
    if (o->key[m->slot] == key)
      return o;
  return NULL;
}

static int grow(lullc_map *m) {
  size_t n = m->nbuckets ? m->nbuckets * 2 : 64;
  lullc_obj **b = calloc(n, sizeof *b);
  if (!b)
    return -1;
  lullc_obj **old = m->buckets;
  size_t oldn = m->nbuckets;
  m->buckets = b;
  m->nbuckets = n;
  for (size_t i = 0; i < oldn; i++) {
    lullc_obj *o = old[i];
    while (o) {
      lullc_obj *next = o->link[m->slot];
      size_t j = bucket_of(m, o->key[m->slot]);
      o->link[m->slot] = b[j];
      b[j] = o;
      o = next;
    }
  }
  free(old);
  return 0;
}

int lullc_map_add(lullc_map *m, lullc_obj *o, void *key) {
  if (m->count >= m->nbuckets && grow(m) != 0)
    return -1;
  size_t j = bucket_of(m, key);
  o->key[m->slot] = key;
  o->link[m->slot] = m->buckets[j];
  o->mapped[m->slot] = 1;
  m->buckets[j] = o;
  m->count++;
  return 0;
}

void lullc_map_remove(lullc_map *m, lullc_obj *o) {
  if (!o->mapped[m->slot])
    return;
  lullc_obj **p = &m->buckets[bucket_of(m, o->key[m->slot])];
  while (*p != o)
    p = &(*p)->link[m->slot];
  *p = o->link[m->slot];
  o->mapped[m->slot] = 0;
  m->count--;
}

/* ---- threads for calls ---- */

lull_thread *lullc_thread_take(wasm_store_t *s) {
  if (s->nidle)
    return s->idle[--s->nidle];
  return lull_thread_new(s->e);
}

void lullc_thread_give(wasm_store_t *s, lull_thread *t) {
  if (s->nidle == s->idle_cap) {
    size_t n = s->idle_cap ? s->idle_cap * 2 : 4;
    lull_thread **p = realloc(s->idle, n * sizeof *p);
    if (!p) {
      lull_thread_free(t);
      return;
    }
    s->idle = p;
    s->idle_cap = n;
  }
  s->idle[s->nidle++] = t;
}
