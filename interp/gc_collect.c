/*
 * gc_collect.c -- the collector: precise, incremental mark and sweep.
 *
 * A cycle starts when the heap has grown to its trigger, at a point where
 * every reference is known: an allocating instruction (whose stack the
 * compiler recorded, lulli_code.gcmaps), or outside Wasm with every
 * thread at a park point or a call. Starting flips the meaning of an
 * object's color, so every object becomes white at once, and grays the
 * roots: the reference slots of every frame of every thread (locals by
 * their declared types, operand slots by the park or GC map), globals,
 * tables, element segments evaluated at instantiation, and the values
 * the host pinned. From then on each allocation pays for marking, a
 * bounded amount of work in steps of LULLI_GC_QUANTUM bytes, until no
 * gray object is left; then it pays for sweeping, which frees white
 * objects a bounded number at a time. So no pause of a running guest is
 * longer than one step (or the root scan), whatever the size of the heap.
 *
 * Marking follows the snapshot at the beginning: what was reachable when
 * the cycle started is marked, because overwriting a reference inside an
 * object while marking grays the old value first (lulli_gc_shade, the
 * write barrier of struct.set, array.set and the array bulk
 * instructions). Roots need no barrier: they were all grayed at the
 * start. Objects made during a cycle are born marked.
 *
 * An extern slot holds either an object lull exported (gc_export.c) or a
 * value of the host, which the collector never dereferences.
 *
 * When an allocation would pass the heap limit, the collector finishes
 * the cycle in progress and runs a whole one more before giving up: a
 * long pause, but only for a guest at its limit.
 */
#include <string.h>
#include <time.h>

#include "interp_internal.h"

#define PHASE_IDLE LULLI_GC_IDLE
#define PHASE_MARK LULLI_GC_MARK
#define PHASE_SWEEP LULLI_GC_SWEEP

/* Work per step, in bytes marked or swept, and what an allocated byte
 * pays: marking a live heap L takes L/MARK_RATE bytes of allocation, so
 * the heap peaks near (trigger + L/MARK_RATE + what sweeping lags). */
#define LULLI_GC_QUANTUM ((size_t)64 << 10)
#define MAX_STEP (4 * LULLI_GC_QUANTUM)
#define SWEEP_COST (sizeof(lulli_gcobj) + 96)
#define MARK_RATE 4
#define SWEEP_RATE 8
/* Elements of a reference array traced per gray entry. */
#define ARRAY_CHUNK 4096u
/* The smallest trigger: below this a heap is never collected. */
#define MIN_TRIGGER ((size_t)1 << 20)

/* Pauses are measured in the thread's CPU time, so that other work on a
 * busy machine (preemption) does not count as the collector's. */
static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Does the object hold references to trace? */
static int has_refs(const lull_engine *e, const lulli_gcobj *o) {
  if (o->kind == LULLI_GC_ARRAY)
    return o->eref != 0;
  const lulli_type *t = e->types[o->type];
  if (o->kind == LULLI_GC_EXN) {
    /* An exception's payload: its tag's parameters. */
    for (uint32_t k = 0; k < t->nparams; k++)
      if (lulld_vt_is_ref(t->types[k]) &&
          lulld_vt_top(t->types[k]) != LULL_HT_FUNC)
        return 1;
    return 0;
  }
  if (o->kind != LULLI_GC_STRUCT)
    return 0;
  for (uint32_t k = 0; k < t->nfields; k++)
    if (lulld_vt_is_ref(t->types[k]) &&
        lulld_vt_top(t->types[k]) != LULL_HT_FUNC)
      return 1;
  return 0;
}

static void push(lull_engine *e, lulli_gcobj *o, uint32_t from) {
  lulli_gcheap *h = &e->gc;
  if (h->ngray == h->cap_gray) {
    size_t cap = h->cap_gray ? h->cap_gray * 2 : 256;
    lulli_gray *g = e->alloc.fn(e->alloc.ud, h->gray,
                                h->cap_gray * sizeof *g, cap * sizeof *g);
    if (!g) {
      /* Marked but not traced: a rescan at the end of marking finds it. */
      h->overflow = 1;
      return;
    }
    h->gray = g;
    h->cap_gray = cap;
  }
  h->gray[h->ngray].o = o;
  h->gray[h->ngray].from = from;
  h->ngray++;
}

/* Marks a white object gray (or black when it holds no references). */
static void mark(lull_engine *e, lulli_gcobj *o) {
  lulli_gcheap *h = &e->gc;
  if (o->color == h->live)
    return;
  o->color = h->live;
  h->work += sizeof *o;
  h->marked += lulli_gc_size(o);
  if (has_refs(e, o))
    push(e, o, 0);
}

/* A reference of the any hierarchy: an object unless null or an i31. */
static void mark_any(lull_engine *e, void *p) {
  if (p && !((uintptr_t)p & 1u))
    mark(e, p);
}

/* A reference of the extern hierarchy: an object only if lull made it. */
static void mark_extern(lull_engine *e, void *p) {
  if (lulli_gc_owns(e, p))
    mark(e, p);
}

/* A reference of type `t` (resolved), whatever its hierarchy. */
static void mark_typed(lull_engine *e, lull_valtype t, void *p) {
  if (!lulld_vt_is_ref(t))
    return;
  uint32_t top = lulld_vt_top(t);
  if (top == LULL_HT_ANY || top == LULL_HT_EXN)
    mark_any(e, p);
  else if (top == LULL_HT_EXTERN)
    mark_extern(e, p);
}

void lulli_gc_shade(lull_engine *e, lull_valtype t, void *old) {
  if (e->gc.phase == PHASE_MARK)
    mark_typed(e, t, old);
}

void lulli_gc_shade_range(lull_engine *e, lulli_gcobj *a, uint32_t from,
                          uint32_t n) {
  if (e->gc.phase != PHASE_MARK || !a->eref)
    return;
  void **p = (void **)LULLI_GC_DATA(a);
  for (uint32_t k = from; k < from + n; k++)
    a->eref == 1 ? mark_any(e, p[k]) : mark_extern(e, p[k]);
}

/* The visitors' callback: marks what a slot holds. */
static void mark_slot(void *ctx, lull_valtype declared, void **slot) {
  mark_typed(ctx, declared, *slot);
}

/* Traces one gray entry: a struct's reference fields, or up to
 * ARRAY_CHUNK elements of a reference array (the rest goes back). */
static void trace(lull_engine *e, lulli_gcobj *o, uint32_t from) {
  lulli_gcheap *h = &e->gc;
  if (o->kind == LULLI_GC_EXN) {
    const lulli_type *t = e->types[o->type];
    const lulli_slot *s = lulli_exn_payload(o);
    for (uint32_t k = 0; k < t->nparams; k++) {
      mark_typed(e, t->types[k], s->ref);
      s += lulld_slots_of(t->types[k]);
    }
    h->work += o->len;
    return;
  }
  if (o->kind == LULLI_GC_STRUCT) {
    lulli_gc_visit_object(e, o, mark_slot, e);
    h->work += o->len;
    return;
  }
  uint32_t end = o->len - from > ARRAY_CHUNK ? from + ARRAY_CHUNK : o->len;
  void **p = (void **)LULLI_GC_DATA(o);
  for (uint32_t k = from; k < end; k++)
    o->eref == 1 ? mark_any(e, p[k]) : mark_extern(e, p[k]);
  h->work += (size_t)(end - from) * sizeof(void *);
  if (end < o->len)
    push(e, o, end);
}

/* After the gray stack overflowed: every marked object is traced again,
 * which grays whatever was missed. */
static void rescan(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  h->overflow = 0;
  for (lulli_gcobj *o = h->objects; o; o = o->next)
    if (o->color == h->live && has_refs(e, o))
      push(e, o, 0);
}

/* ---------------------------------------------------------------------
 * Roots
 * ------------------------------------------------------------------- */

static void mark_roots(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  for (lulli_obj *o = e->objects.next; o != &e->objects; o = o->next) {
    switch (o->kind) {
    case LULLI_KIND_THREAD: {
      lull_thread *t = (lull_thread *)o;
      /* The exception the thread holds (uncaught, or handed to a
       * continuation), which may float outside the heap's list. */
      if (t->exn)
        mark(e, t->exn);
      if (t->state != LULL_THREAD_RUNNING && t->state != LULL_THREAD_SUSPENDED)
        break;
      if (t == h->at_thread)
        lulli_gc_visit_thread(t, h->at_pc, 1, mark_slot, e);
      else
        lulli_gc_visit_thread(t, t->pc, 0, mark_slot, e);
      /* A host function's arguments and the results it wrote so far:
       * objects handed to the host, never a value it made up. */
      const lulli_type *ht = t->host_type;
      for (uint32_t i = 0; ht && i < ht->nparams + ht->nresults; i++)
        if (lulld_vt_is_ref(ht->vtypes[i]) &&
            !lulld_vt_is_funcref(ht->vtypes[i]))
          mark_extern(e, t->scratch[i].of.externref);
      for (uint32_t i = 0; i < t->cont_nscratch; i++)
        if (lulld_vt_is_ref(t->scratch[i].type) &&
            !lulld_vt_is_funcref(t->scratch[i].type))
          mark_extern(e, t->scratch[i].of.externref);
      break;
    }
    case LULLI_KIND_GLOBAL:
      lulli_gc_visit_global((lull_global *)o, mark_slot, e);
      break;
    case LULLI_KIND_TABLE: {
      lull_table *tb = (lull_table *)o;
      lulli_gc_visit_table(tb, mark_slot, e);
      h->work += (size_t)tb->size * sizeof(void *);
      break;
    }
    case LULLI_KIND_INSTANCE:
      lulli_gc_visit_segments((lull_instance *)o, mark_slot, e);
      break;
    default:
      break;
    }
  }
  for (size_t i = 0; i < h->npins; i++)
    if (h->pins[i])
      mark(e, h->pins[i]);
}

/* ---------------------------------------------------------------------
 * Phases
 * ------------------------------------------------------------------- */

static void start(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  h->live ^= 1;
  h->phase = PHASE_MARK;
  h->marked = 0;
  h->ngray = 0;
  h->overflow = 0;
  mark_roots(e);
}

/* Marks until `budget` bytes of work are done; 1 when marking is over. */
static int mark_some(lull_engine *e, size_t budget) {
  lulli_gcheap *h = &e->gc;
  h->work = 0;
  for (;;) {
    while (h->ngray && h->work < budget) {
      lulli_gray g = h->gray[--h->ngray];
      trace(e, g.o, g.from);
    }
    if (h->ngray)
      return 0;
    if (!h->overflow)
      break;
    rescan(e);
  }
  h->phase = PHASE_SWEEP;
  h->sweep = &h->objects;
  if (h->marked > h->live_max)
    h->live_max = h->marked;
  return 1;
}

/* Sweeps objects worth `budget` bytes of work; 1 when the sweep is over. */
static int sweep_some(lull_engine *e, size_t budget) {
  lulli_gcheap *h = &e->gc;
  size_t done = 0;
  while (*h->sweep && done < budget) {
    lulli_gcobj *o = *h->sweep;
    /* Sweeping an object costs the same whatever its size (a look at
     * its header, maybe a free), as marking one without references does. */
    done += SWEEP_COST;
    if (o->color == h->live) {
      h->sweep = &o->next;
      continue;
    }
    *h->sweep = o->next;
    lulli_gc_release(e, o);
  }
  if (*h->sweep)
    return 0;
  h->phase = PHASE_IDLE;
  h->sweep = NULL;
  h->cycles++;
  /* What the marking found live sets the next trigger: twice that, so
   * the heap peaks near 2.5 times the live data (MARK_RATE and
   * SWEEP_RATE add the rest), but always some room past what is there
   * now (objects made during the cycle survived it). */
  size_t next = h->marked * 2 > MIN_TRIGGER ? h->marked * 2 : MIN_TRIGGER;
  if (next < h->bytes + h->marked / 4)
    next = h->bytes + h->marked / 4;
  h->trigger = next;
  return 1;
}

/* One bounded step of whatever phase the heap is in. */
static void step(lull_engine *e, size_t budget) {
  lulli_gcheap *h = &e->gc;
  uint64_t t0 = now_ns();
  /* A step goes on into the next phase with what is left of its budget:
   * on a small heap a whole cycle then fits in a step or two, so garbage
   * is freed before the allocations that follow rather than after them. */
  if (h->phase == PHASE_IDLE)
    start(e);
  if (h->phase == PHASE_MARK && mark_some(e, budget))
    budget = h->work < budget ? budget - h->work : 0;
  if (h->phase == PHASE_SWEEP && budget)
    sweep_some(e, budget);
  uint64_t d = now_ns() - t0;
  h->pause_total += d;
  if (d > h->pause_max)
    h->pause_max = d;
  h->steps++;
}

/* Runs the cycle in progress to its end, pausing as long as it takes. */
static void finish(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  while (h->phase == PHASE_MARK)
    mark_some(e, SIZE_MAX);
  while (h->phase == PHASE_SWEEP)
    sweep_some(e, SIZE_MAX);
}

void lulli_gc_full(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  uint64_t t0 = now_ns();
  /* Objects made during a cycle in progress were born marked: only a
   * cycle started afterwards can free them. */
  finish(e);
  start(e);
  finish(e);
  uint64_t d = now_ns() - t0;
  h->pause_total += d;
  h->full++;
}

void lulli_gc_pay(lull_engine *e, size_t size) {
  lulli_gcheap *h = &e->gc;
  if (h->inhibit)
    return;
  if (!h->trigger)
    h->trigger = MIN_TRIGGER;
  if (h->phase == PHASE_IDLE) {
    if (h->bytes + size >= h->trigger) {
      step(e, LULLI_GC_QUANTUM);
      h->debt = 0;
    }
    return;
  }
  h->debt += size * (h->phase == PHASE_MARK ? MARK_RATE : SWEEP_RATE);
  if (h->debt >= LULLI_GC_QUANTUM) {
    /* One step of at most MAX_STEP per allocation: a big allocation's
     * debt is paid over the next ones, so no step grows with it. */
    size_t budget = h->debt < MAX_STEP ? h->debt : MAX_STEP;
    step(e, budget);
    h->debt -= budget;
  }
}

int lulli_gc_room(lull_engine *e, size_t size) {
  lulli_gcheap *h = &e->gc;
  if (h->bytes + size <= h->limit)
    return 1;
  if (h->inhibit)
    return 0;
  lulli_gc_full(e);
  return h->bytes + size <= h->limit;
}

void lulli_gc_fini(lull_engine *e) {
  lulli_gcheap *h = &e->gc;
  lulld_free(&e->alloc, h->gray, h->cap_gray * sizeof *h->gray);
  lulld_free(&e->alloc, h->pins, h->cap_pins * sizeof *h->pins);
  h->gray = NULL;
  h->pins = NULL;
  h->ngray = h->cap_gray = h->npins = h->cap_pins = 0;
}
