/*
 * thread.c -- threads: the heap stack and its limit, lull_call and
 * lull_resume, states, traps with backtraces, fuel and interrupts.
 */
#include <stdio.h>
#include <string.h>

#include "exec_internal.h"
#include "ops.h"

#define MAX_BACKTRACE 100

lull_thread *lull_thread_new(lull_engine *e) {
  if (!e)
    return NULL;
  lull_thread *t = lulld_calloc(&e->alloc, 1, sizeof *t);
  if (!t)
    return NULL;
  t->engine = e;
  t->stack_limit = e->cfg.stack_limit;
  t->fuel = INT64_MAX;
  t->fuel_set = LULL_FUEL_UNLIMITED;
  atomic_init(&t->interrupt, 0);
  lulli_obj_init(e, &t->hdr, LULLI_KIND_THREAD);
  if (lulli_stack_reserve(t, 256) != 0 || lulli_frames_reserve(t, 16) != 0) {
    lulli_release(&t->hdr);
    return NULL;
  }
  return t;
}

/* Forgets the call in progress: continuation states and the reference
 * on the root function. */
static void reset(lull_thread *t) {
  const lulld_alloc *a = &t->engine->alloc;
  for (uint32_t i = 0; i < t->nconts; i++)
    lulld_free(a, t->conts[i].state, t->conts[i].len);
  t->nconts = 0;
  t->nframes = 0;
  if (t->root_fn) {
    lulli_release(lulli_func_owner(t->root_fn));
    t->root_fn = NULL;
  }
  t->pending_fn = NULL;
}

void lulli_thread_destroy(lull_thread *t) {
  const lulld_alloc *a = &t->engine->alloc;
  lulli_profile_dump(t);
  lulli_exn_drop(t->engine, t->exn);
  if (!t->engine->freeing)
    reset(t);
  else
    for (uint32_t i = 0; i < t->nconts; i++)
      lulld_free(a, t->conts[i].state, t->conts[i].len);
  lulld_free(a, t->stack, t->cap_slots * sizeof *t->stack);
  lulld_free(a, t->frames, t->cap_frames * sizeof *t->frames);
  lulld_free(a, t->conts, t->cap_conts * sizeof *t->conts);
  lulld_free(a, t->bt, t->cap_bt * sizeof *t->bt);
  lulld_free(a, t->scratch, t->cap_scratch * sizeof *t->scratch);
  lulld_free(a, t->cargs, t->cap_cargs * sizeof *t->cargs);
  lulld_free(a, t, sizeof *t);
}

void lull_thread_free(lull_thread *t) {
  if (!t || t->state == LULL_THREAD_RUNNING)
    return;
  lulli_release(&t->hdr);
}

/* The limit counts the capacity of both arrays: what the thread may
 * really hold in memory. */
int lulli_stack_reserve(lull_thread *t, size_t need) {
  if (need <= t->cap_slots && !LULLI_HARDSTACK_ON)
    return 0;
  size_t limit = t->stack_limit;
  size_t frames = t->cap_frames * sizeof(lulli_frame);
  if (need > SIZE_MAX / 16 || need * sizeof(lulli_slot) + frames > limit)
    return -1;
  /* Grow by doubling; a HARDSTACK move keeps the size it has. */
  size_t cap = need <= t->cap_slots ? t->cap_slots
               : t->cap_slots * 2 > need ? t->cap_slots * 2
                                         : need;
  if (cap * sizeof(lulli_slot) + frames > limit)
    cap = (limit - frames) / sizeof(lulli_slot);
  const lulld_alloc *a = &t->engine->alloc;
  lulli_slot *p;
  if (LULLI_HARDSTACK_ON) {
    /* Always move, so a stale pointer into the stack shows up at once. */
    p = lulld_malloc(a, cap * sizeof *p);
    if (p && t->stack)
      memcpy(p, t->stack,
             (t->cap_slots < cap ? t->cap_slots : cap) * sizeof *p);
    if (p)
      lulld_free(a, t->stack, t->cap_slots * sizeof *p);
  } else {
    p = lulld_realloc(a, t->stack, t->cap_slots * sizeof *p, cap * sizeof *p);
  }
  if (!p)
    return -2;
  t->stack = p;
  t->cap_slots = cap;
  return 0;
}

int lulli_frames_reserve(lull_thread *t, uint32_t need) {
  if (need <= t->cap_frames)
    return 0;
  size_t limit = t->stack_limit;
  size_t slots = t->cap_slots * sizeof(lulli_slot);
  if ((size_t)need * sizeof(lulli_frame) + slots > limit || need > UINT32_MAX / 2)
    return -1;
  size_t cap = (size_t)t->cap_frames * 2 > need ? (size_t)t->cap_frames * 2 : need;
  if (cap * sizeof(lulli_frame) + slots > limit)
    cap = (limit - slots) / sizeof(lulli_frame);
  lulli_frame *p = lulld_realloc(&t->engine->alloc, t->frames,
                                 t->cap_frames * sizeof *p, cap * sizeof *p);
  if (!p)
    return -2;
  t->frames = p;
  t->cap_frames = (uint32_t)cap;
  return 0;
}

int lulli_scratch_reserve(lull_thread *t, size_t n) {
  return LULLD_GROW(&t->engine->alloc, t->scratch, &t->cap_scratch, n);
}

/* A function's name for backtraces: from the name section, else the name
 * it is exported under, else NULL. */
static const char *func_name(const lulld_module *m, uint32_t index) {
  const char *n = lulld_func_name(m, index);
  for (uint32_t i = 0; !n && i < m->nexports; i++)
    if (m->exports[i].kind == LULL_EXTERN_FUNC && m->exports[i].index == index)
      n = m->exports[i].name.str;
  return n;
}

/* The descriptions of lull_trap_code, and the messages that start with
 * them: the traps lull itself raises use the spec's wording, so the
 * message tells the code ("null function reference" and "null i31
 * reference" are null references too). */
static const char *const trap_str[] = {
#define XX(name, desc) desc,
    LULL_TRAP_MAP(XX)
#undef XX
};

static uint32_t classify(const char *msg) {
  if (strncmp(msg, "null ", 5) == 0)
    return LULL_TRAP_NULL_REFERENCE;
  for (uint32_t c = LULL_TRAP_UNREACHABLE; c < LULL_TRAP_HOST; c++)
    if (strncmp(msg, trap_str[c], strlen(trap_str[c])) == 0)
      return c;
  return LULL_TRAP_OTHER;
}

const char *lull_trap_code_str(uint32_t code) {
  if (code >= LULL_TRAP_USER)
    return "embedder-defined trap";
  return code < sizeof trap_str / sizeof *trap_str ? trap_str[code] : "?";
}

uint32_t lull_thread_trap_code(const lull_thread *t) {
  return t ? t->trap_code : LULL_TRAP_NONE;
}

/* Records the message and the innermost frames. Frame i runs at `pc` if
 * it is on top, else at the return address its callee saved, which is
 * just after the call instruction. */
void lulli_trap(lull_thread *t, const lulli_cell *pc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->trap_msg, sizeof t->trap_msg, fmt, ap);
  va_end(ap);
  t->trap_code = classify(t->trap_msg);
  t->nbt = 0;
  if (LULLD_GROW(&t->engine->alloc, t->bt, &t->cap_bt, MAX_BACKTRACE))
    return;
  for (uint32_t i = t->nframes; i-- > 1 && t->nbt < MAX_BACKTRACE;) {
    const lulli_frame *fr = &t->frames[i];
    const lulli_cell *at = i == t->nframes - 1 ? pc : t->frames[i + 1].ret_pc;
    lull_frame_info *bi = &t->bt[t->nbt++];
    if (fr->fn->kind != LULLI_FUNC_WASM) {
      bi->func_index = UINT32_MAX;
      bi->func_name = "<host>";
      bi->wasm_offset = 0;
      bi->instance = NULL;
      continue;
    }
    const lulli_code *code = fr->fn->code;
    bi->func_index = fr->fn->index;
    bi->instance = fr->fn->inst;
    bi->func_name = func_name(fr->fn->inst->module->m, fr->fn->index);
    bi->wasm_offset = 0;
    if (at >= code->code && at < code->code + code->ncells) {
      uint32_t cell = (uint32_t)(at - code->code);
      if (i != t->nframes - 1 && cell > 0)
        cell--;
      bi->wasm_offset = lulli_trap_wasm(code, cell);
    }
  }
}

/* Records an API misuse message; the thread's state does not change. */
static lull_status misuse(lull_thread *t, lull_status s, const char *fmt,
                          ...) LULL_PRINTF(3, 4);
static lull_status misuse(lull_thread *t, lull_status s, const char *fmt,
                          ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->trap_msg, sizeof t->trap_msg, fmt, ap);
  va_end(ap);
  t->trap_code = LULL_TRAP_NONE;
  t->nbt = 0;
  return s;
}

static lull_engine *engine_of(lull_func *f) {
  return f->kind == LULLI_FUNC_WASM ? f->inst->hdr.engine : f->hdr.engine;
}

/* Checks that `vals` have the types `types`. Returns the index of the
 * first mismatch, or n. */
static size_t check_types(const lull_engine *e, const lull_val *vals,
                          const lull_valtype *types, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!lulli_val_fits(e, &vals[i], types[i]))
      return i;
  return n;
}

/* Ends a run: copies results on success and updates the state. */
static lull_status finish(lull_thread *t, lull_status s, lull_val *results) {
  if (s == LULL_SUSPENDED) {
    t->state = LULL_THREAD_SUSPENDED;
    return s;
  }
  t->park = LULL_PARK_NONE;
  if (s == LULL_OK) {
    const lulli_type *ty = t->root_fn->type;
    uint32_t slot = 0;
    for (uint32_t i = 0; i < ty->nresults; i++) {
      lull_valtype rt = ty->vtypes[ty->nparams + i];
      lulli_slots_to_val(t->engine, rt, &t->stack[slot], &results[i]);
      slot += lulld_slots_of(rt);
    }
    t->state = LULL_THREAD_FINISHED;
  } else {
    t->state = LULL_THREAD_TRAPPED;
  }
  reset(t);
  return s;
}

lull_status lull_call(lull_thread *t, lull_func *f, const lull_val *args,
                      size_t nargs, lull_val *results, size_t nresults) {
  if (!t)
    return LULL_BADARG;
  if (t->state == LULL_THREAD_RUNNING)
    return misuse(t, LULL_BADSTATE, "lull_call: the thread is running");
  if (t->state == LULL_THREAD_SUSPENDED)
    return misuse(t, LULL_BADSTATE,
                  "lull_call: the thread is suspended; resume or free it");
  if (!f)
    return misuse(t, LULL_BADARG, "lull_call: no function");
  if (engine_of(f) != t->engine)
    return misuse(t, LULL_BADARG,
                  "lull_call: the function belongs to another engine");
  const lulli_type *ty = f->type;
  if (nargs != ty->nparams || (nargs && !args))
    return misuse(t, LULL_BADARG, "lull_call: expected %u arguments, got %zu",
                  ty->nparams, nargs);
  size_t bad = check_types(t->engine, args, ty->vtypes, nargs);
  if (bad < nargs)
    return misuse(t, LULL_BADARG, "lull_call: argument %zu is %s, expected %s",
                  bad, lull_valtype_str(args[bad].type),
                  lull_valtype_str(ty->vtypes[bad]));
  if (nresults != ty->nresults || (nresults && !results))
    return misuse(t, LULL_BADARG,
                  "lull_call: the function has %u results, room for %zu given",
                  ty->nresults, nresults);
  size_t need = ty->param_slots > ty->result_slots ? ty->param_slots
                                                   : ty->result_slots;
  int rc = lulli_stack_reserve(t, need + 1);
  if (rc == 0)
    rc = lulli_frames_reserve(t, 2);
  if (rc != 0)
    return misuse(t, LULL_TRAP, "%s", lulli_reserve_msg(rc));
  uint32_t slot = 0;
  for (size_t i = 0; i < nargs; i++) {
    lulli_val_to_slots(&args[i], &t->stack[slot]);
    slot += lulld_slots_of(ty->vtypes[i]);
  }
  lull_engine *e = t->engine;
  t->frames[0].ret_pc = NULL;
  t->frames[0].fn = f;
  t->frames[0].inst = e->empty_instance;
  t->frames[0].base = 0;
  t->frames[0].cont = 0;
  t->nframes = 1;
  t->root_code[0].h = e->handlers[LULLI_OP_CALL_PTR];
  t->root_code[1].u64 = 0;
  t->root_code[2].ptr = f;
  t->root_code[3].h = e->handlers[LULLI_OP_EXIT];
  t->root_fn = f;
  lulli_retain(lulli_func_owner(f));
  t->pc = t->root_code;
  lulli_exn_drop(e, t->exn);
  t->exn = NULL;
  t->trap_msg[0] = '\0';
  t->trap_code = LULL_TRAP_NONE;
  t->nbt = 0;
  t->park = LULL_PARK_NONE;
  t->state = LULL_THREAD_RUNNING;
  return finish(t, lulli_run(t), results);
}

lull_status lull_resume(lull_thread *t, const lull_val *host_results,
                        size_t nhost, lull_val *results, size_t nresults) {
  if (!t)
    return LULL_BADARG;
  if (t->state != LULL_THREAD_SUSPENDED)
    return misuse(t, LULL_BADSTATE, "lull_resume: the thread is not suspended");
  const lulli_type *rt = t->root_fn->type;
  if (nresults != rt->nresults || (nresults && !results))
    return misuse(t, LULL_BADARG,
                  "lull_resume: the call has %u results, room for %zu given",
                  rt->nresults, nresults);
  if (t->park == LULL_PARK_HOST) {
    const lulli_type *ty = t->pending_fn->type;
    const lull_valtype *types = LULLD_PAST(ty->vtypes, ty->nparams);
    if (nhost != ty->nresults || (nhost && !host_results))
      return misuse(t, LULL_BADARG,
                    "lull_resume: the host function has %u results, %zu given",
                    ty->nresults, nhost);
    size_t bad = check_types(t->engine, host_results, types, nhost);
    if (bad < nhost)
      return misuse(t, LULL_BADARG,
                    "lull_resume: result %zu is %s, expected %s", bad,
                    lull_valtype_str(host_results[bad].type),
                    lull_valtype_str(types[bad]));
    uint32_t slot = t->pending_base;
    for (size_t i = 0; i < nhost; i++) {
      lulli_val_to_slots(&host_results[i], &t->stack[slot]);
      slot += lulld_slots_of(types[i]);
    }
    if (t->pending_pop) {
      /* The park happened in a continuation: its host frame is done. */
      lulli_frame *hf = &t->frames[--t->nframes];
      lulli_contrec *cr = &t->conts[--t->nconts];
      lulld_free(&t->engine->alloc, cr->state, cr->len);
      t->pc = hf->ret_pc;
    }
  } else if (nhost != 0) {
    return misuse(t, LULL_BADARG,
                  "lull_resume: the thread parked at a safepoint; it takes "
                  "no host results");
  }
  t->pending_fn = NULL;
  t->park = LULL_PARK_NONE;
  t->state = LULL_THREAD_RUNNING;
  return finish(t, lulli_run(t), results);
}

lull_thread_state lull_thread_state_of(const lull_thread *t) {
  return t ? (lull_thread_state)t->state : LULL_THREAD_IDLE;
}

lull_park_reason lull_thread_park_reason(const lull_thread *t) {
  return t && t->state == LULL_THREAD_SUSPENDED ? (lull_park_reason)t->park
                                                : LULL_PARK_NONE;
}

uintptr_t lull_thread_park_tag(const lull_thread *t) {
  return t ? t->park_tag : 0;
}

const char *lull_thread_trap_message(const lull_thread *t) {
  return t ? t->trap_msg : "";
}

size_t lull_thread_backtrace(const lull_thread *t, lull_frame_info *out,
                             size_t max) {
  if (!t)
    return 0;
  for (size_t i = 0; i < t->nbt && i < max && out; i++)
    out[i] = t->bt[i];
  return t->nbt;
}

void lull_thread_set_fuel(lull_thread *t, uint64_t fuel) {
  if (!t)
    return;
  t->fuel_set = fuel;
  t->fuel = fuel >= (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t lull_thread_fuel(const lull_thread *t) {
  if (!t || t->fuel_set == LULL_FUEL_UNLIMITED)
    return LULL_FUEL_UNLIMITED;
  return t->fuel < 0 ? 0 : (uint64_t)t->fuel;
}

void lull_thread_interrupt(lull_thread *t) {
  if (t)
    atomic_store_explicit(&t->interrupt, INTPTR_MIN, memory_order_relaxed);
}

void lull_thread_set_data(lull_thread *t, void *data) {
  if (t)
    t->data = data;
}

void *lull_thread_data(const lull_thread *t) { return t ? t->data : NULL; }

lull_status lull_thread_set_stack_limit(lull_thread *t, size_t bytes) {
  if (!t)
    return LULL_BADARG;
  if (t->state == LULL_THREAD_RUNNING)
    return misuse(t, LULL_BADSTATE,
                  "lull_thread_set_stack_limit: the thread is running");
  t->stack_limit = bytes ? bytes : t->engine->cfg.stack_limit;
  return LULL_OK;
}

size_t lull_thread_stack_limit(const lull_thread *t) {
  return t ? t->stack_limit : 0;
}
