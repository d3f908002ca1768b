/*
 * exec.c -- the dispatch loop. One C function runs every Wasm frame of a
 * thread: a call pushes a frame record and jumps to the callee's code, a
 * return pops it, so Wasm-to-Wasm calls never recurse in C and parking is
 * returning from here with the heap stack left as it is.
 *
 * Hot state lives in locals: pc, fp (the frame base), inst, the memory's
 * base and size, and the fuel counter. fp and the memory are reloaded
 * after anything that can move them: calls and returns (another frame,
 * maybe another instance), stack growth, memory.grow, host calls.
 *
 * The handlers are in exec_*.inc, included into the body below; they use
 * the macros of dispatch.h and never return except through the exits at
 * the end of this function.
 */
#include <stdio.h>

#include "dispatch.h"
#include "exec_internal.h"
#include "num.h"
#include "ops.h"
#include "simd.h"

#if defined(__GNUC__)
#define LULLI_OPAQUE(p) __asm__("" : "+r"(p))
#else
#define LULLI_OPAQUE(p) ((void)0)
#endif

#define RELOAD_MEM()                                                          \
  do {                                                                        \
    mem = inst->mem0->data;                                                   \
    memtop = (int64_t)inst->mem0->size - LULLI_MEM_SLACK;                     \
  } while (0)

/* The widest access (v128) in bytes. */
#define LULLI_MEM_SLACK 16
#define MEMSIZE ((uint64_t)(memtop + LULLI_MEM_SLACK))
/* Whether n bytes at ea fall outside the memory. One compare of ea
 * decides for every access but those in the last LULLI_MEM_SLACK bytes;
 * ea, a 32-bit address plus a 32-bit offset, is below 2^33 and so
 * compares as a signed value. A memory under LULLI_MEM_SLACK bytes has
 * a negative memtop and takes the exact test every time. */
#define OOB(ea, n)                                                            \
  (LULL_UNLIKELY((int64_t)(ea) > memtop) && (uint64_t)(ea) + (n) > MEMSIZE)

/* Traps with the spec's message: the thread records it with a backtrace
 * and this function returns LULL_TRAP. */
#define TRAP(...)                                                             \
  do {                                                                        \
    lulli_trap(t, pc, __VA_ARGS__);                                           \
    goto trapped;                                                             \
  } while (0)

static lull_status run(lull_thread *t, const void *const **table) {
#define X(name, cells, format, imm, back, fused) HANDLER_ADDR(name),
  static const void *const handlers[] = {LULLI_OPS(X)};
#undef X
  if (table) {
    *table = handlers;
    return LULL_OK;
  }

  lull_engine *e = t->engine;
  const lulli_cell *pc = t->pc;
  lulli_frame *fr = &t->frames[t->nframes - 1];
  lulli_slot *fp = t->stack + fr->base;
  lull_instance *inst = fr->inst;
  uint8_t *mem;
  /* Memory 0's size less LULLI_MEM_SLACK: an access of up to that many
   * bytes at an address no greater fits, so a load or store tests its
   * address alone (OOB). */
  int64_t memtop;
  /* Every jump back to a loop header takes the header from last_head, as
   * the last jump back left it, a state machine's case its jump to the
   * loop's latch (CONST_JMP_..._SW) from last_latch, and a bytecode
   * loop's fetch (BR_TABLE_FETCH) its counter from fetch_n; each only
   * tests its guess against the code and the frame. Read from there, the
   * loop's next instructions wait for a load of the jump's offset, and a
   * fetch for loads that wait for the fetch before it (the header's slot
   * numbers, the counter's slot, the case's cells): a chain of some 25
   * cycles per op of the guest's bytecode. Tested, a guess costs one branch the
   * processor predicts, and iterations overlap as they do natively. A
   * wrong guess, where loops take turns, costs that branch's miss. */
  uint32_t fetch_n = 0;
  const lulli_cell *last_head = NULL, *last_latch = NULL;
  int64_t fuel = t->fuel;
  /* Set before jumping to do_call. */
  lull_func *callee = NULL;
  lull_table *itable = NULL; /* call_indirect's, once looked up */
  uint32_t call_base = 0;       /* relative to fp */
  const lulli_cell *next_pc = NULL;
  lulli_gcobj *thrown = NULL;   /* set before jumping to do_throw, */
  int thrown_after = 0;         /* with pc just after a call when set */
  lull_hostcall hc;

  RELOAD_MEM();
  DISPATCH_LOOP {
#include "exec_control.inc"
#include "exec_int.inc"
#include "exec_float.inc"
#include "exec_mem.inc"
#include "exec_simd.inc"
#include "exec_gc.inc"
#include "exec_fsm.inc"
#include "exec_chain.inc"
    DEFAULT_CASE
  }

  /* ---------------------------------------------------------------- */
  /* Calls. `callee` runs with its frame at fp + call_base, where its   */
  /* arguments are; it returns to next_pc.                              */
  /* ---------------------------------------------------------------- */
do_call:
  if (LULL_UNLIKELY(callee->kind != LULLI_FUNC_WASM))
    goto do_call_host;
  if (LULL_UNLIKELY(inst != callee->inst)) {
    inst = callee->inst;
    RELOAD_MEM();
  }
  /* A defined function of this instance (CALL_DEF, CALL_MOV2) comes in
   * here: a Wasm function of `inst`. */
do_call_wasm: {
  uint32_t nb = (uint32_t)(fp - t->stack) + call_base;
  {
    const lulli_code *code = callee->code;
    if (LULL_UNLIKELY(nb + code->frame_slots > t->cap_slots ||
                      t->nframes >= t->cap_frames ||
                      LULLI_HARDSTACK_ON)) {
      int rc = lulli_stack_reserve(t, nb + code->frame_slots);
      if (rc == 0)
        rc = lulli_frames_reserve(t, t->nframes + 1);
      if (rc != 0)
        TRAP("%s", lulli_reserve_msg(rc));
    }
    lulli_frame *nf = &t->frames[t->nframes++];
    nf->ret_pc = next_pc;
    nf->fn = callee;
    nf->inst = inst;
    nf->base = nb;
    nf->cont = 0;
    fp = t->stack + nb;
    goto enter;
  }
}
do_call_host: {
  uint32_t nb = (uint32_t)(fp - t->stack) + call_base;
  const lulli_type *ty = callee->type;
  uint32_t need = ty->param_slots > ty->result_slots ? ty->param_slots
                                                     : ty->result_slots;
  if (LULL_UNLIKELY(nb + need > t->cap_slots)) {
    int rc = lulli_stack_reserve(t, nb + need);
    if (rc != 0)
      TRAP("%s", lulli_reserve_msg(rc));
    fp = t->stack + t->frames[t->nframes - 1].base;
  }
  t->fuel = fuel;
  /* The collector finds this frame's references by the call site. */
  t->pc = next_pc;
  lull_hostret r = lulli_host_invoke(t, callee, nb, inst, &hc);
  fuel = t->fuel;
  /* A trap is reported at the call, like one of the host function. */
  pc = next_pc;
  if (r == LULL_HOST_CALL) {
    if (lulli_host_begin_call(t, &hc, next_pc, nb, inst) != 0)
      goto trapped_host;
    goto host_callee;
  }
  /* After a tail call the frame on top is the caller's caller, which may
   * be of another instance than the one the host function saw. */
  fr = &t->frames[t->nframes - 1];
  fp = t->stack + fr->base;
  inst = fr->inst;
  RELOAD_MEM();
  switch (r) {
  case LULL_HOST_RETURN:
    DISPATCH();
  case LULL_HOST_THROW:
    thrown = hc.thrown;
    thrown_after = 1;
    goto do_throw;
  case LULL_HOST_SUSPEND:
    t->pc = next_pc;
    t->pending_base = nb;
    t->pending_fn = callee;
    t->pending_pop = 0;
    t->park = LULL_PARK_HOST;
    t->park_tag = hc.tag;
    goto parked;
  default:
    goto trapped_host;
  }
}

  /* ---------------------------------------------------------------- */
  /* Tail calls. `callee`, with its arguments at fp + call_base, takes  */
  /* the place of the running function: the arguments move to the      */
  /* frame's base and the frame record is reused in place, keeping the  */
  /* caller's return address, so a tail-recursive loop runs in constant */
  /* stack. The callee's entry safepoint charges fuel as a call would.  */
  /* ---------------------------------------------------------------- */
do_tail_call: {
  lulli_frame *top = &t->frames[t->nframes - 1];
  memmove(fp, fp + call_base, callee->type->param_slots * sizeof *fp);
  if (LULL_LIKELY(callee->kind == LULLI_FUNC_WASM)) {
    const lulli_code *code = callee->code;
    if (LULL_UNLIKELY(top->base + code->frame_slots > t->cap_slots ||
                      LULLI_HARDSTACK_ON)) {
      int rc = lulli_stack_reserve(t, top->base + code->frame_slots);
      if (rc != 0)
        TRAP("%s", lulli_reserve_msg(rc));
      fp = t->stack + top->base;
    }
    top->fn = callee;
    top->inst = callee->inst;
    if (inst != callee->inst) {
      inst = callee->inst;
      RELOAD_MEM();
    }
    goto enter;
  }
  /* A host function has no frame record: this one goes, and the host
   * function is called from the caller's call site, where its results
   * belong. It still sees this function's instance as its caller. */
  t->nframes--;
  next_pc = top->ret_pc;
  pc = next_pc;
  call_base = 0;
  goto do_call;
}

  /* A Wasm callee's frame record is in place, fp is its base, where its
   * arguments are, and inst its instance: its declared locals start at
   * zero, then it runs. */
enter: {
  const lulli_code *code = callee->code;
  /* Few locals as a rule: a loop of stores beats a call to memset, which
   * also makes GCC save and restore registers around it. The empty asm
   * keeps GCC from turning the loop back into that call. */
  for (lulli_slot *z = fp + code->param_slots, *end = fp + code->local_slots;
       z < end; z++) {
    z->u64 = 0;
    LULLI_OPAQUE(z);
  }
  ENTER_CODE(code);
}

  /* Out of fuel or interrupted at a function's entry: it parks at its
   * first instruction (its park point's cell 0), unless it is not
   * compiled yet (COMPILE checks again once it is) or the engine compiles
   * no safepoints, whose code never parks. */
entry_park: {
  const lulli_code *code = t->frames[t->nframes - 1].fn->code;
  if (!code->ncells || !e->cfg.safepoints)
    DISPATCH();
  goto park_at_pc;
}

  /* The host function on top (frame record just pushed) calls Wasm, or
   * another host function, with the arguments at its base. */
host_callee:
  fr = &t->frames[t->nframes - 1];
  fp = t->stack + fr->base;
  callee = hc.callee;
  call_base = 0;
  next_pc = &e->tramp[LULLI_TRAMP_HOSTCONT];
  goto do_call;

  /* ---------------------------------------------------------------- */
  /* Throws. `thrown` leaves the frame at pc; the unwinder cuts the     */
  /* frames back to its handler, or to a host frame, whose continuation */
  /* gets it, or out of the call.                                       */
  /* ---------------------------------------------------------------- */
do_throw: {
  int after = thrown_after;
  thrown_after = 0;
  switch (lulli_unwind(t, pc, after, thrown)) {
  case LULLI_CAUGHT:
    pc = t->pc;
    break;
  case LULLI_TO_HOST:
    pc = &e->tramp[LULLI_TRAMP_HOSTCONT];
    break;
  default:
    goto excepted;
  }
  fr = &t->frames[t->nframes - 1];
  fp = t->stack + fr->base;
  inst = fr->inst;
  RELOAD_MEM();
  DISPATCH();
}

  /* ---------------------------------------------------------------- */
  /* Exits                                                              */
  /* ---------------------------------------------------------------- */
trapped_host:
  /* The host function's message, with pc at the call. */
  lulli_trap(t, pc, "%s", hc.msg);
  /* The host's own code; else lull's message (a continuation that ran
   * out of stack) tells it, and anything else is the host's doing. */
  if (hc.code)
    t->trap_code = hc.code;
  else if (t->trap_code == LULL_TRAP_OTHER)
    t->trap_code = LULL_TRAP_HOST;
trapped:
  t->fuel = fuel;
  return LULL_TRAP;
parked:
  t->fuel = fuel;
  return LULL_SUSPENDED;
excepted:
  t->fuel = fuel;
  return LULL_EXCEPTION;
}

lull_status lulli_run(lull_thread *t) { return run(t, NULL); }

const void *const *lulli_handler_table(void) {
  const void *const *table = NULL;
  run(NULL, &table);
  return table;
}
