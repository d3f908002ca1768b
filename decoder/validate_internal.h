/*
 * validate_internal.h -- the validator's shared state: the operand and
 * control stacks of the spec's validation algorithm (appendix "Validation
 * Algorithm"), kept in scratch arrays that live for one lulld_validate call
 * and are reused by every function body. Internal to decoder/; shared by
 * validate.c (module rules, driver), validate_code.c (function bodies) and
 * validate_simd.c (the 0xFD instructions).
 */
#ifndef LULL_DECODER_VALIDATE_INTERNAL_H
#define LULL_DECODER_VALIDATE_INTERNAL_H

#include <stdint.h>

#include "instr.h"
#include "module.h"

/* The operand-stack type of a value popped from the polymorphic stack
 * (the algorithm's "Unknown"): it matches every type. */
#define LULLD_VT_UNKNOWN 0u

/* Slots an entry of the operand stack takes. An unknown entry can only
 * appear in unreachable code; it counts as two slots so that max_height
 * stays an upper bound whatever it stands for. */
static inline uint32_t lulld_vslots(lull_valtype t) {
  return (t == LULL_V128 || t == LULLD_VT_UNKNOWN) ? 2u : 1u;
}

/* A sequence of value types and the slots they take. `t` points at types
 * that outlive the function's validation (a function type of the module),
 * so sequences can be copied and the control array can move; a block type
 * of one value type has `t` NULL and the type in `one`. */
typedef struct lulld_vtypes {
  const lull_valtype *t;
  uint32_t n;
  uint32_t slots;
  lull_valtype one;
} lulld_vtypes;

/* The types of a sequence (valid while `v` is). */
static inline const lull_valtype *lulld_vt_of(const lulld_vtypes *v) {
  return v->t ? v->t : &v->one;
}

/* One entry of the control stack. */
typedef struct lulld_vctrl {
  lulld_vtypes params;
  lulld_vtypes results;
  uint32_t height;     /* operand entries below the block */
  uint32_t slots;      /* the slots those entries take */
  uint32_t seen;       /* the last br_table (lulld_vstate.brt) that
                          checked this label */
  uint32_t inits;      /* entries of lulld_vstate.inits below the block */
  uint16_t kind;       /* LULLD_OP_BLOCK, _LOOP, _IF, _ELSE; 0: the body */
  uint8_t unreachable; /* after unreachable/br/br_table/return */
} lulld_vctrl;

/* Validation state. The arrays are scratch: allocated on first use,
 * grown as needed, kept across function bodies and freed once at the end
 * of lulld_validate, so validating a body allocates nothing in the common
 * case and never per instruction. */
typedef struct lulld_vstate {
  lulld_module *m;
  lull_error *err;
  lull_status status;      /* first failure: LULL_INVALID or LULL_NOMEM
                              (LULL_MALFORMED for a hand-built module
                              whose code the decoder did not check) */

  lull_valtype *vals;      /* operand stack: value types or UNKNOWN */
  size_t vals_cap;
  uint32_t nvals;
  uint32_t slots;          /* slots taken by vals[0..nvals) */
  uint32_t max_slots;      /* the largest `slots` seen in this body */

  lulld_vctrl *ctrls;      /* control stack; ctrls[0] is the body */
  size_t ctrls_cap;
  uint32_t nctrls;
  uint32_t brt;            /* br_table instructions seen so far */

  /* Types of the locals, parameters first: the first `nlexp` are
   * spelled out in `ltypes`; past that a parameter comes from the
   * function type and a declared local from a binary search over `lends`,
   * the running end of each local group (parameters not counted).
   * Spelling out is capped by the body's size so a tiny body declaring
   * 50000 locals costs no more than its bytes. */
  lull_valtype *ltypes;
  size_t ltypes_cap;
  uint32_t nlexp;
  uint32_t *lends;
  size_t lends_cap;

  /* The initialization rule of locals without a default value (typed
   * function references): `linit` has a byte per local, 1 once it may be
   * read; `inits` lists the locals set in the blocks now open, so that
   * leaving a block forgets what it set. Used only when the body has such
   * a local (`strict`). */
  uint8_t *linit;
  size_t linit_cap;
  uint32_t *inits;
  size_t inits_cap;
  uint32_t ninits;
  uint8_t strict;

  /* The function being validated. */
  uint32_t func;           /* index in the function index space */
  const lulld_functype *ft;
  const lulld_code *code;
  uint32_t at;             /* offset of the current instruction */
} lulld_vstate;

/* Reports a failure of the current instruction with the spec's wording
 * `what` first, then where, then `fmt` details. Returns -1. */
LULL_HIDDEN int lulld_vfail(lulld_vstate *s, const char *what,
                            const char *fmt, ...) LULL_PRINTF(3, 4);

/* Records LULL_NOMEM. Returns -1. */
LULL_HIDDEN int lulld_vnomem(lulld_vstate *s);

/* The name of a value type for messages ("i32", ...; "unknown"). */
LULL_HIDDEN const char *lulld_vtype_name(lull_valtype t);

/* Validates the type definitions and fills m->type_canon
 * (validate_types.c). Returns 0 or -1 with s->status and s->err set. */
LULL_HIDDEN int lulld_vdeftypes(lulld_vstate *s);

/* Validates the body of defined function `i` (codes[i]) and fills its
 * max_height. Returns 0 or -1 with s->status and s->err set. */
LULL_HIDDEN int lulld_vcode(lulld_vstate *s, uint32_t i);

/* Types one struct or array instruction, any.convert_extern or
 * extern.convert_any (validate_gc.c). */
LULL_HIDDEN int lulld_vgc(lulld_vstate *s, const lulld_instr *in);

/* A constant expression's GC instruction (struct.new, struct.new_default,
 * array.new, array.new_default, array.new_fixed and the conversions):
 * how many operands it pops and what it pushes; -1 when its type index
 * is not of the right kind. lulld_vgc_operand gives the type of operand
 * k, 0 the deepest. */
LULL_HIDDEN int lulld_vgc_const(const lulld_module *m, const lulld_instr *in,
                                uint32_t *npop, lull_valtype *result);
LULL_HIDDEN lull_valtype lulld_vgc_operand(const lulld_module *m,
                                           const lulld_instr *in, uint32_t k);

/* Types one 0xFD instruction that needs more than its opcode table row
 * (memory, alignment and lane immediates), then applies the row. */
LULL_HIDDEN int lulld_vsimd(lulld_vstate *s, const lulld_instr *in,
                            const lulld_opinfo *oi);

/* Checks that memory 0 exists and that a memarg's alignment does not
 * exceed the natural alignment `natural` (log2). */
LULL_HIDDEN int lulld_vmemarg(lulld_vstate *s, const lulld_instr *in,
                              uint8_t natural);

/* Applies an opcode table row: pops p[2], p[1], p[0], pushes r. */
LULL_HIDDEN int lulld_vsig(lulld_vstate *s, const lulld_opinfo *oi);
/* The same with the operands at the positions set in `addrs` (bit i:
 * operand i; bit 3: the result) typed as memory x's addresses. */
LULL_HIDDEN int lulld_vsig_mem(lulld_vstate *s, const lulld_opinfo *oi,
                               uint32_t x, unsigned addrs);

/* The slow path of lulld_vpop: polymorphic stack, block boundary, and
 * mismatches. */
LULL_HIDDEN int lulld_vpop_slow(lulld_vstate *s, lull_valtype want,
                                lull_valtype *got);

/* Pushes without a capacity check. The main loop keeps room for one push
 * per byte left in the body, so an instruction that pushes one value needs
 * no check; one that pushes more reserves first (lulld_vreserve). */
static inline void lulld_vpush(lulld_vstate *s, lull_valtype t) {
  s->vals[s->nvals++] = t;
  s->slots += lulld_vslots(t);
  if (s->slots > s->max_slots)
    s->max_slots = s->slots;
}

/* Makes room for `n` more operand entries. */
LULL_HIDDEN int lulld_vreserve_slow(lulld_vstate *s, uint32_t n);
static inline int lulld_vreserve(lulld_vstate *s, uint32_t n) {
  if (LULL_LIKELY((size_t)s->nvals + n <= s->vals_cap))
    return 0;
  return lulld_vreserve_slow(s, n);
}

/* Pops one operand that must have type `want` (LULLD_VT_UNKNOWN: any
 * type) and stores what was there in *got (may be NULL). Returns 0 or -1.
 * The fast path is a known value of the wanted type above the block. */
static inline int lulld_vpop(lulld_vstate *s, lull_valtype want,
                             lull_valtype *got) {
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  if (LULL_LIKELY(s->nvals > c->height && want != LULLD_VT_UNKNOWN &&
                  s->vals[s->nvals - 1] == want)) {
    s->nvals--;
    s->slots -= lulld_vslots(want);
    if (got)
      *got = want;
    return 0;
  }
  return lulld_vpop_slow(s, want, got);
}

#endif
