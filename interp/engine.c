/*
 * engine.c -- engine configuration and lifetime, status strings, and
 * validation without compiling.
 */
#include <stdlib.h>

#include "../decoder/module.h"
#include "interp_internal.h"
#include "ops.h"

static const char *const status_names[] = {
#define XX(name, desc) desc,
    LULL_STATUS_MAP(XX)
#undef XX
};

const char *lull_status_str(lull_status s) {
  if ((unsigned)s >= LULL_STATUS_COUNT_)
    return "unknown status";
  return status_names[s];
}

int lull_valtype_is_ref(lull_valtype t) { return lulld_vt_is_ref(t); }

const char *lull_valtype_str(lull_valtype t) { return lulld_vt_str(t); }

/* The proposals implemented so far: a bit joins this mask in the change
 * that makes its feature pass its part of the 3.0 testsuite. */
#define SUPPORTED                                                             \
  (LULL_FEATURE_FUNCTION_REFERENCES | LULL_FEATURE_EXTENDED_CONST |           \
   LULL_FEATURE_MULTI_MEMORY | LULL_FEATURE_MEMORY64 |                        \
   LULL_FEATURE_TAIL_CALL | LULL_FEATURE_RELAXED_SIMD |                      \
   LULL_FEATURE_EXCEPTIONS | LULL_FEATURE_GC)

/* Proposals being built: an engine accepts them when asked for, but they
 * are not on by default nor reported as supported. None at present. */
#define EXPERIMENTAL 0u

lull_features lull_features_supported(void) { return SUPPORTED; }

const char *lull_feature_str(lull_feature f) {
  switch (f) {
#define XX(name, bit, str)                                                    \
  case LULL_FEATURE_##name:                                                   \
    return str;
    LULL_FEATURE_MAP(XX)
#undef XX
  }
  return NULL;
}

void lull_config_init(lull_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->stack_limit = LULLI_DEFAULT_STACK_LIMIT;
  cfg->max_memory_pages = LULLD_MAX_PAGES;
  cfg->max_memory_pages64 = LULLI_DEFAULT_PAGES64;
  cfg->memory_reserve = LULLI_DEFAULT_RESERVE;
  cfg->safepoints = 1;
  cfg->features = SUPPORTED;
}

lull_engine *lull_engine_new(const lull_config *cfg) {
  lull_config c;
  if (cfg)
    c = *cfg;
  else
    lull_config_init(&c);
  if (!c.alloc) {
    c.alloc = lulld_default_alloc;
    c.alloc_ud = NULL;
  }
  if (c.features & ~(SUPPORTED | EXPERIMENTAL))
    return NULL;
  if (c.stack_limit == 0)
    c.stack_limit = LULLI_DEFAULT_STACK_LIMIT;
  if (c.max_memory_pages == 0 || c.max_memory_pages > LULLD_MAX_PAGES)
    c.max_memory_pages = LULLD_MAX_PAGES;
  if (c.max_memory_pages64 == 0 || c.max_memory_pages64 > LULLD_MAX_PAGES64)
    c.max_memory_pages64 = LULLI_DEFAULT_PAGES64;
  if (c.memory_reserve == 0)
    c.memory_reserve = LULLI_DEFAULT_RESERVE;
  if (c.gc_heap_limit == 0 || c.gc_heap_limit > SIZE_MAX / 2)
    c.gc_heap_limit = LULLI_DEFAULT_GC_LIMIT;
  lulld_alloc a = {c.alloc, c.alloc_ud};
  lull_engine *e = lulld_calloc(&a, 1, sizeof *e);
  if (!e)
    return NULL;
  e->cfg = c;
  e->alloc = a;
  if (lulli_engine_init(e) != 0) {
    lulld_free(&a, e, sizeof *e);
    return NULL;
  }
  return e;
}

void lull_engine_free(lull_engine *e) {
  if (!e)
    return;
  lulli_engine_fini(e);
  lulld_alloc a = e->alloc;
  lulld_free(&a, e, sizeof *e);
}

lull_status lull_validate(lull_engine *e, const uint8_t *bytes, size_t len,
                          lull_error *err) {
  if (!e || (!bytes && len))
    return lulld_error(err, LULL_BADARG, LULL_NO_OFFSET,
                       "lull_validate: no engine or no bytes");
  lulld_module *m = NULL;
  lull_status s = lulld_decode(&e->alloc, e->cfg.features, bytes, len, &m, err);
  if (s == LULL_OK)
    s = lulld_validate(m, err);
  lulld_module_free(m);
  return s;
}

int lulli_engine_init(lull_engine *e) {
  e->objects.prev = e->objects.next = &e->objects;
  e->gc.limit = (size_t)e->cfg.gc_heap_limit;
  e->handlers = lulli_handler_table(e->cfg.safepoints);
  e->tramp[LULLI_TRAMP_HOSTCONT].h = e->handlers[LULLI_OP_HOSTCONT];
  e->tramp[LULLI_TRAMP_EXIT].h = e->handlers[LULLI_OP_EXIT];
  e->lazy_stub[0].h = e->handlers[LULLI_OP_COMPILE];
  lulld_limits none = {0, 0, 1, 0};
  e->empty_memory = lulli_memory_create(e, none, 0);
  e->empty_instance = lulld_calloc(&e->alloc, 1, sizeof *e->empty_instance);
  if (!e->empty_memory || !e->empty_instance || lulli_ops_index(e) != 0) {
    lulli_engine_fini(e);
    return -1;
  }
  e->empty_instance->mem0 = e->empty_memory;
  e->empty_instance->hdr.engine = e;
  return 0;
}

/* Frees every object still alive, whatever its count: references between
 * them no longer matter once the engine goes. */
void lulli_engine_fini(lull_engine *e) {
  e->freeing = 1;
  while (e->objects.next != &e->objects)
    lulli_obj_destroy(e->objects.next);
  for (size_t i = 0; i < e->nconts; i++) {
    lulld_free(&e->alloc, e->conts[i]->name, strlen(e->conts[i]->name) + 1);
    lulld_free(&e->alloc, e->conts[i], sizeof *e->conts[i]);
  }
  lulld_free(&e->alloc, e->conts, e->cap_conts * sizeof *e->conts);
  lulli_gc_free_all(e);
  if (e->exn_spare)
    lulld_free(&e->alloc, e->exn_spare, lulli_gc_size(e->exn_spare));
  lulli_types_free(e);
  if (e->empty_memory)
    lulli_memory_destroy(e->empty_memory);
  lulld_free(&e->alloc, e->empty_instance, sizeof *e->empty_instance);
  lulli_ops_index_free(e);
}
