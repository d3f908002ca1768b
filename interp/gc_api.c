/*
 * gc_api.c -- the embedder's view of the GC heap: figures, collection on
 * demand, pins, and making and reading objects (lull.h, "GC objects").
 */
#include "interp_internal.h"

void lull_gc_stats_get(const lull_engine *e, lull_gc_stats *out) {
  if (!out)
    return;
  memset(out, 0, sizeof *out);
  if (!e)
    return;
  const lulli_gcheap *h = &e->gc;
  out->bytes = h->bytes;
  out->limit = h->limit;
  out->cycles = h->cycles;
  out->full = h->full;
  out->steps = h->steps;
  out->pause_max_ns = h->pause_max;
  out->pause_total_ns = h->pause_total;
}

lull_status lull_gc_collect(lull_engine *e) {
  if (!e)
    return LULL_BADARG;
  if (!e->gc.inhibit)
    lulli_gc_full(e);
  return LULL_OK;
}
