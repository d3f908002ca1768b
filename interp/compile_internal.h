/*
 * compile_internal.h -- state of the compiler from validated stack code to
 * register code (ops.h). Prefix lullc_ for what the compile_*.c files
 * share.
 *
 * The compiler walks a body once, keeping a virtual operand stack whose
 * entries say where each value is right now:
 *
 *   SLOT    in its home slot: the frame slot of its stack position
 *           (local_slots + the height below it, v128 counting two)
 *   LOCAL   still in a local; nothing was copied (local.get is free)
 *   CONST   a constant not written anywhere yet (i32.const is free)
 *
 * An instruction reads its operands where they are and writes its result
 * to the result's home slot, or straight into a local when the next
 * instruction is local.set/local.tee of it. Values move to their homes
 * only when they must: at branches and block ends (the label's result
 * slots), at calls (the arguments become the callee's frame), and before
 * a local a LOCAL entry names is overwritten.
 *
 * LOCAL entries are made SLOT at every block, loop and if entry, so the
 * compile-time picture of the stack is the same on every path that
 * reaches a label.
 */
#ifndef LULL_INTERP_COMPILE_INTERNAL_H
#define LULL_INTERP_COMPILE_INTERNAL_H

#include "../decoder/instr.h"
#include "interp_internal.h"
#include "ops.h"

enum { E_SLOT = 0, E_LOCAL, E_CONST };

typedef struct lullc_entry {
  uint8_t kind;
  lull_valtype type;
  uint16_t home;      /* slot of this stack position */
  uint16_t local;     /* E_LOCAL: the local's slot */
  uint64_t c[2];      /* E_CONST: the bits (v128: both) */
} lullc_entry;

/* A v128 local compiled as a constant (lullc_v128_locals): `is` set, and
 * its value. */
typedef struct lullc_vlocal {
  uint8_t is;
  uint8_t k[16];
} lullc_vlocal;

enum { CF_FUNC = 0, CF_BLOCK, CF_LOOP, CF_IF, CF_ELSE };

typedef struct lullc_ctrl {
  uint8_t kind;
  uint8_t dead;        /* the rest of this block is unreachable */
  uint8_t reached;     /* a branch targets the end */
  uint32_t height;     /* entries below the block's params */
  uint16_t home;       /* home slot of entry `height` */
  uint32_t nparams, nresults;
  const lull_valtype *params;  /* into the module's types */
  const lull_valtype *results; /* NULL when the block type is one value type,
                             which is then `one` (the array of frames may
                             move, so no pointer into it) */
  lull_valtype one;
  uint32_t loop_cell;  /* CF_LOOP: where the loop starts */
  int32_t fixups;      /* chain of jumps to the end, -1 when none */
  int32_t else_fixup;  /* CF_IF: the jump to the else branch, -1 */
  /* try_table: its catch clauses are c->catches[try_first ..
   * try_first + try_n), its body starts at cell try_start. */
  uint32_t try_first, try_n, try_start;
  uint8_t is_try;
  /* Handlers (c->hs) whose target is this label, chained through their
   * `target` fields until the label is placed; -1 when none. */
  int32_t hchain;
} lullc_ctrl;

/* A catch clause of an open try_table: its label as an index into
 * c->ctrl (counted from the function's frame, so it survives pushes). */
typedef struct lullc_catch {
  uint8_t kind;        /* LULLD_CATCH_* */
  uint32_t tag;
  uint32_t ctrl;
} lullc_catch;

/* A 32-bit jump field waiting for its label: cell `field` of the code,
 * half `half`, relative to the instruction at cell `instr`. */
typedef struct lullc_fixup {
  uint32_t instr;
  uint32_t field;
  uint8_t half;
  int32_t next;
} lullc_fixup;

typedef struct lullc {
  lull_module *mod;
  const lulld_module *m;
  const lulld_alloc *a;
  const void *const *handlers;
  int far;            /* compiling the access inside MEMORY_AT (ops.h) */
  int table64;        /* the module has a table with 64-bit indices */
  int fetches;        /* the function has a BR_TABLE_FETCH */
  int switches;       /* the function has an L8_BR_TABLE_MOV */
  lull_error *err;
  int failed;           /* out of memory or a limit; err is filled */

  uint32_t func;        /* function index being compiled */
  const lulld_functype *type;
  const lulld_code *body;

  uint32_t nlocals;     /* parameters and declared locals */
  uint16_t *local_slot;
  lull_valtype *local_type;
  size_t cap_locals;
  uint32_t local_slots;
  uint32_t max_slot;    /* one past the highest slot written */
  /* v128 locals that hold one known value wherever they are read
   * (lullc_v128_locals), by local index; valid when `vconsts`. */
  lullc_vlocal *vlocals;
  size_t cap_vlocals;
  int vconsts;          /* the function has such locals */

  lullc_entry *stack;
  uint32_t sp;
  size_t cap_stack;

  lullc_ctrl *ctrl;
  uint32_t nctrl;
  size_t cap_ctrl;

  lulli_cell *code;
  uint32_t ncode;
  size_t cap_code;

  lullc_fixup *fix;
  uint32_t nfix;
  size_t cap_fix;

  lulli_trapsite *traps;
  uint32_t ntraps;
  size_t cap_traps;

  lulli_parkmap *parks;
  uint32_t nparks;
  size_t cap_parks;

  lulli_handler *hs;    /* try_table handlers, innermost first */
  uint32_t nhs;
  size_t cap_hs;
  lullc_catch *catches; /* clauses of the try_tables now open */
  uint32_t ncatches;
  size_t cap_catches;
  uint16_t *refslots;
  uint32_t nrefslots;
  size_t cap_refslots;
  lulli_parkval *pvals;
  uint32_t npvals;
  size_t cap_pvals;
  lulli_parkmap *gcmaps;
  uint32_t ngcmaps;
  size_t cap_gcmaps;

  /* The last three instructions, for the peephole that fuses pairs
   * (compile_fuse.c; the third meets a pair's fused form); UINT32_MAX
   * when a label cuts them off. */
  uint32_t last_at, prev_at, prev2_at;
  uint16_t last_op, prev_op, prev2_op;
  /* The ones before prev2, most recent last, so a chain that folds up
   * from its end still meets them, and a byte swap's nine instructions
   * are seen at once (compile_fuse.c). */
  uint32_t hist_at[8];
  uint16_t hist_op[8];
  uint8_t nhist;
  /* A br_if's jump over its moves to the label (compile_branch.c),
   * patched by cell rather than through a fixup, while the moves are
   * emitted: fusing it with the instruction before moves it along; else
   * UINT32_MAX. */
  uint32_t skip;

  uint32_t safepoint;   /* cell of the last SAFEPOINT, or UINT32_MAX */
  uint32_t entry_cost;  /* the entry's region cost, while it is the last */
  uint32_t region;      /* Wasm instructions since it */
  uint32_t wasm_off;    /* offset of the instruction being compiled */

  lulld_reader r;       /* the body */
} lullc;

/* compile_ops.c: an instruction on a 64-bit table (table64), compiled by
 * `plain` as on a 32-bit one, its i64 indices and counts first clamped to
 * 2^32-1 (past every table lull makes, so out of bounds alike), and
 * table.grow's result sign-extended (-1 stays -1). Returns what `plain`
 * returns. */
LULL_HIDDEN int lullc_table64(lullc *c, lulld_instr *in,
                              int (*plain)(lullc *, lulld_instr *));

/* compile_emit.c: code buffer and stack */
LULL_HIDDEN void lullc_fail(lullc *c, lull_status s, const char *fmt, ...)
    LULL_PRINTF(3, 4);
/* Appends an instruction of op's length (its CELLS in ops.h), zeroed but
 * for the handler, and returns its cell index; lullc_emit_n for one of
 * `ncells` cells in all (BR_TABLE with its jump table). */
LULL_HIDDEN uint32_t lullc_emit(lullc *c, lulli_op op);
LULL_HIDDEN uint32_t lullc_emit_n(lullc *c, lulli_op op, unsigned ncells);
/* Records that the instruction at `cell` may trap (for backtraces). */
LULL_HIDDEN void lullc_trapsite(lullc *c, uint32_t cell);
/* Records a park point resuming at `cell`, with the entries below `upto`
 * live (see lulli_parkmap). */
LULL_HIDDEN void lullc_parkmap(lullc *c, uint32_t cell, uint32_t upto,
                               int call);
/* Records the live slots of the whole stack, operands of the
 * instruction about to be compiled included, as a point where the
 * collector may run (an allocation); the caller sets its `cell` to the
 * instruction's once emitted. Returns its index in c->gcmaps. */
LULL_HIDDEN uint32_t lullc_gcmap(lullc *c);
LULL_HIDDEN lullc_entry *lullc_push(lullc *c, lull_valtype type);
LULL_HIDDEN void lullc_push_const(lullc *c, lull_valtype type, uint64_t lo,
                                  uint64_t hi);
LULL_HIDDEN void lullc_push_local(lullc *c, uint32_t local);
/* Home slot of the next entry to be pushed. */
LULL_HIDDEN uint16_t lullc_top_home(const lullc *c);
/* Writes entry `e` to slot `dst` (a move or a constant). */
LULL_HIDDEN void lullc_put(lullc *c, const lullc_entry *e, uint16_t dst);
/* Puts entry i in its home and marks it SLOT. */
LULL_HIDDEN void lullc_materialize(lullc *c, uint32_t i);
/* Materializes every LOCAL entry (block entries). */
LULL_HIDDEN void lullc_flush_locals(lullc *c);
/* Materializes LOCAL entries that name local slot `slot`. */
LULL_HIDDEN void lullc_flush_local(lullc *c, uint16_t slot);
/* The slot an operand can be read from: its home, its local, or (for a
 * constant) its home after writing it there. */
LULL_HIDDEN uint16_t lullc_operand(lullc *c, uint32_t i);
/* Where to write the result of type `type` of the instruction being
 * compiled, whose operands are already popped: the next entry's home, or
 * a local when the next instruction is local.set/tee of it (which is then
 * consumed). Pushes the result entry. */
LULL_HIDDEN uint16_t lullc_result(lullc *c, lull_valtype type);
LULL_HIDDEN void lullc_patch_rel(lullc *c, uint32_t instr, uint32_t field,
                                 unsigned half, uint32_t target);
/* The current position as a jump target: pending fusions are done first
 * (they may shrink the code), and nothing fuses across it afterwards. */
LULL_HIDDEN uint32_t lullc_here(lullc *c);
/* compile_fuse.c: fuses the last two instructions when they form a pair
 * with a combined op. `next` is the op about to be emitted (or
 * LULLI_OP_COUNT_), which may prefer to fuse with the last one. */
LULL_HIDDEN void lullc_fuse(lullc *c, unsigned next);
/* Adds a fixup for a forward jump to the end of control frame `f`. */
LULL_HIDDEN void lullc_add_fixup(lullc *c, lullc_ctrl *f, uint32_t instr,
                                 uint32_t field, unsigned half);
LULL_HIDDEN void lullc_resolve(lullc *c, lullc_ctrl *f, uint32_t target);

/* A jump condition, its operands already popped: "jump when true". */
typedef struct lullc_cond {
  uint16_t op;      /* lulli_op: a BR_ form, JZ/JNZ or JZ64/JNZ64 */
  uint16_t inv;     /* the op that jumps when the condition is false */
  uint16_t a, b;    /* operand slots */
  uint8_t has_imm;  /* b is the immediate `imm` (emitted as the _I form of op) */
  uint64_t imm;
} lullc_cond;

/* compile_branch.c: labels, moves, branches and returns */
/* Moves the top values a branch to `f` carries into f's slots. Returns 1
 * if it emitted anything. */
LULL_HIDDEN int lullc_branch_moves(lullc *c, const lullc_ctrl *f);
LULL_HIDDEN int lullc_branch_needs_moves(const lullc *c, const lullc_ctrl *f);
/* Emits an unconditional jump to `f`'s label (after moves). */
LULL_HIDDEN void lullc_jump_to(lullc *c, lullc_ctrl *f);
/* Sets the jump field of instruction `instr` to `f`'s label. */
LULL_HIDDEN void lullc_target(lullc *c, lullc_ctrl *f, uint32_t instr,
                              uint32_t field, unsigned half);
LULL_HIDDEN void lullc_return(lullc *c);
LULL_HIDDEN void lullc_br(lullc *c, uint32_t depth);
LULL_HIDDEN void lullc_br_table(lullc *c, const lulld_instr *in);
/* Pops the operands of comparison `wop` (0: a plain i32 condition) into
 * a jump condition. */
LULL_HIDDEN void lullc_pop_cond(lullc *c, uint16_t wop, lullc_cond *k);
/* Emits the jump (`negate`: when false); its field is cell+1, half 1. */
LULL_HIDDEN uint32_t lullc_emit_cond(lullc *c, const lullc_cond *k,
                                     int negate);
LULL_HIDDEN int lullc_is_fusable_compare(uint16_t wop);
/* br_if and if on a condition already popped. */
LULL_HIDDEN void lullc_br_if(lullc *c, uint32_t depth, const lullc_cond *k);
LULL_HIDDEN void lullc_if(lullc *c, const lulld_instr *in,
                          const lullc_cond *k);
LULL_HIDDEN void lullc_br_on_null(lullc *c, const lulld_instr *in);
LULL_HIDDEN void lullc_br_on_cast(lullc *c, const lulld_instr *in);

/* compile_ops.c: instructions that compute */
/* Compiles a numeric, memory, variable, table or reference instruction;
 * returns 0, or -1 if `in` is not one of them. */
LULL_HIDDEN int lullc_op(lullc *c, const lulld_instr *in);

static inline lull_valtype lullc_result_type(const lullc_ctrl *f, uint32_t i) {
  return f->results ? f->results[i] : f->one;
}

/* compile_gc.c: struct, array and conversion instructions; 0, or -1 if
 * `in` is not one of them. */
LULL_HIDDEN int lullc_gc_op(lullc *c, const lulld_instr *in);

/* compile_simd.c: the 0xFD instructions; 0, or -1 if `in` is unknown. */
LULL_HIDDEN int lullc_simd_op(lullc *c, const lulld_instr *in);
/* Finds the declared v128 locals of the body that read as a constant
 * everywhere (c->vlocals); 0, or -1 out of memory. */
LULL_HIDDEN int lullc_v128_locals(lullc *c);

/* compile_exn.c: exception handling */
/* try_table: reads its clauses and opens its block. */
LULL_HIDDEN void lullc_try_table(lullc *c, const lulld_instr *in);
/* The try_table `f` ends here: its clauses become handlers for the
 * code since its start. */
LULL_HIDDEN void lullc_try_end(lullc *c, lullc_ctrl *f);
LULL_HIDDEN void lullc_throw(lullc *c, const lulld_instr *in);
LULL_HIDDEN void lullc_throw_ref(lullc *c);
/* Label `f` is placed at `target`: handlers waiting for it go there. */
LULL_HIDDEN void lullc_place_handlers(lullc *c, lullc_ctrl *f,
                                      uint32_t target);
/* After the function's last `end`: handlers that catch into the
 * function's own label return from a pad emitted here. */
LULL_HIDDEN void lullc_handlers_finish(lullc *c);

/* compile.c */
LULL_HIDDEN lullc_ctrl *lullc_open_block(lullc *c, uint8_t kind, int64_t bt);
LULL_HIDDEN lullc_ctrl *lullc_label(lullc *c, uint32_t depth);
LULL_HIDDEN void lullc_set_dead(lullc *c);
LULL_HIDDEN void lullc_blocktype(lullc *c, int64_t bt, lullc_ctrl *f);

#endif
