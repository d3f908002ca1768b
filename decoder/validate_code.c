/*
 * validate_code.c -- validation of function bodies: the operand and
 * control stacks of the spec's validation algorithm, run over each body.
 * Instructions whose opcode table row gives their type are typed from the
 * row; the others (control, parametric, variable, reference, table and
 * bulk-memory instructions) are typed here by hand, and the 0xFD family
 * with immediates to check goes to validate_simd.c. The main loop at the
 * end of the file types the common instructions in place and hands the
 * rest to the helpers before it.
 *
 * The decoder has already checked that every body is well-formed (known
 * opcodes, readable immediates, nested blocks, a final `end`); the checks
 * of that kind left here only keep a hand-built module from crashing.
 */
#include <stdio.h>

#include "validate_internal.h"

/* Immediate kinds whose instructions are fully typed by their table row:
 * nothing in the immediate refers to the module. */
#define PLAIN_IMMS                                                            \
  (1u << LULLD_IMM_NONE | 1u << LULLD_IMM_I32 | 1u << LULLD_IMM_I64 |       \
   1u << LULLD_IMM_F32 | 1u << LULLD_IMM_F64 | 1u << LULLD_IMM_V128)

/* Names in messages: a concrete reference is named by its form only
 * (the message's offset leads to the instruction). */
const char *lulld_vtype_name(lull_valtype t) {
  if (t == LULLD_VT_UNKNOWN)
    return "unknown";
  return lulld_vt_str(t);
}

/* The message is "<what>: in function F at offset 0xO[: details]" so that
 * it starts with the spec's wording whatever the details say. */
int lulld_vfail(lulld_vstate *s, const char *what, const char *fmt, ...) {
  char detail[160];
  detail[0] = '\0';
  if (fmt && *fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
  }
  lulld_error(s->err, LULL_INVALID, s->at,
              "%s: in function %u at offset 0x%x%s%s", what, s->func, s->at,
              detail[0] ? ": " : "", detail);
  s->status = LULL_INVALID;
  return -1;
}

int lulld_vnomem(lulld_vstate *s) {
  lulld_error(s->err, LULL_NOMEM, LULL_NO_OFFSET,
              "out of memory in the validator");
  s->status = LULL_NOMEM;
  return -1;
}

/* A body the decoder should have rejected: say so instead of crashing. */
static int malformed(lulld_vstate *s, const char *msg) {
  lulld_error(s->err, LULL_MALFORMED, s->at,
              "%s: in function %u at offset 0x%x", msg, s->func, s->at);
  s->status = LULL_MALFORMED;
  return -1;
}

/* "unknown <space> <index>", the spec's wording for a bad index. */
static int unknown(lulld_vstate *s, const char *space, uint32_t index) {
  char what[64];
  snprintf(what, sizeof what, "unknown %s %u", space, index);
  return lulld_vfail(s, what, NULL);
}

int lulld_vreserve_slow(lulld_vstate *s, uint32_t n) {
  if (LULLD_GROW(&s->m->alloc, s->vals, &s->vals_cap, (size_t)s->nvals + n))
    return lulld_vnomem(s);
  return 0;
}

int lulld_vpop_slow(lulld_vstate *s, lull_valtype want, lull_valtype *got) {
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  if (s->nvals == c->height) {
    /* Below the block's base only an unreachable block has values: the
     * polymorphic stack yields "unknown", which matches anything. */
    if (c->unreachable) {
      if (got)
        *got = LULLD_VT_UNKNOWN;
      return 0;
    }
    return lulld_vfail(s, "type mismatch", "expected %s, found nothing",
                       want ? lulld_vtype_name(want) : "a value");
  }
  lull_valtype t = s->vals[s->nvals - 1];
  if (t != want && t != LULLD_VT_UNKNOWN && want != LULLD_VT_UNKNOWN &&
      !lulld_vt_match(s->m, t, want))
    return lulld_vfail(s, "type mismatch", "expected %s, found %s",
                       lulld_vtype_name(want), lulld_vtype_name(t));
  s->nvals--;
  s->slots -= lulld_vslots(t);
  if (got)
    *got = t;
  return 0;
}

/* The opcode table row applied, with the full rules of lulld_vpop. */
static inline int sig(lulld_vstate *s, const lulld_opinfo *oi) {
  if (oi->p[2] && lulld_vpop(s, oi->p[2], NULL))
    return -1;
  if (oi->p[1] && lulld_vpop(s, oi->p[1], NULL))
    return -1;
  if (oi->p[0] && lulld_vpop(s, oi->p[0], NULL))
    return -1;
  if (oi->r)
    lulld_vpush(s, oi->r);
  return 0;
}

int lulld_vsig(lulld_vstate *s, const lulld_opinfo *oi) { return sig(s, oi); }

/* A sequence of types from a function type (parameters or results). */
static inline lulld_vtypes params_of(const lulld_functype *ft) {
  lulld_vtypes v = {ft->types, ft->nparams, ft->param_slots, 0};
  return v;
}

static inline lulld_vtypes results_of(const lulld_functype *ft) {
  /* The types array is NULL when the type has neither. */
  lulld_vtypes v = {LULLD_PAST(ft->types, ft->nparams), ft->nresults,
                    ft->result_slots, 0};
  return v;
}

/* Pops operands of the given types, the last type on top. Several
 * operands that are all there and all of the right type (the usual case)
 * are checked with one comparison: a block type may have 1000 parameters,
 * and each block, end, branch and call moves them all. */
static int pop_vals(lulld_vstate *s, const lulld_vtypes *v) {
  uint32_t n = v->n;
  const lull_valtype *t = lulld_vt_of(v);
  if (n > 1 && s->nvals - s->ctrls[s->nctrls - 1].height >= n &&
      memcmp(s->vals + s->nvals - n, t, n * sizeof *t) == 0) {
    s->nvals -= n;
    s->slots -= v->slots;
    return 0;
  }
  while (n-- > 0)
    if (lulld_vpop(s, t[n], NULL))
      return -1;
  return 0;
}

static int push_vals(lulld_vstate *s, const lulld_vtypes *v) {
  if (v->n == 0)
    return 0;
  if (lulld_vreserve(s, v->n))
    return -1;
  memcpy(s->vals + s->nvals, lulld_vt_of(v), v->n * sizeof *s->vals);
  s->nvals += v->n;
  s->slots += v->slots;
  if (s->slots > s->max_slots)
    s->max_slots = s->slots;
  return 0;
}

/* Checks, without popping, that the top operands have the given types.
 * br_table does this per target: the spec's push_vals(pop_vals(..))
 * leaves the stack as it was, except that unknown values popped from the
 * polymorphic base come back as unknown entries, which match anything
 * exactly as the base does. */
static int peek_vals(lulld_vstate *s, const lulld_vtypes *v) {
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  uint32_t avail = s->nvals - c->height;
  const lull_valtype *ts = lulld_vt_of(v);
  for (uint32_t d = 0; d < v->n; d++) {
    lull_valtype want = ts[v->n - 1 - d];
    if (d >= avail) {
      if (c->unreachable)
        return 0;
      return lulld_vfail(s, "type mismatch", "expected %s, found nothing",
                         lulld_vtype_name(want));
    }
    lull_valtype t = s->vals[s->nvals - 1 - d];
    if (t != want && t != LULLD_VT_UNKNOWN && !lulld_vt_match(s->m, t, want))
      return lulld_vfail(s, "type mismatch", "expected %s, found %s",
                         lulld_vtype_name(want), lulld_vtype_name(t));
  }
  return 0;
}

/* Enters a block: the parameters, already popped by the caller, become
 * the new block's first operands. */
static int push_ctrl(lulld_vstate *s, uint16_t kind,
                     const lulld_vtypes *params,
                     const lulld_vtypes *results) {
  if (LULL_UNLIKELY(s->nctrls >= s->ctrls_cap) &&
      LULLD_GROW(&s->m->alloc, s->ctrls, &s->ctrls_cap,
                 (size_t)s->nctrls + 1))
    return lulld_vnomem(s);
  lulld_vctrl *c = &s->ctrls[s->nctrls++];
  c->params = *params;
  c->results = *results;
  c->height = s->nvals;
  c->slots = s->slots;
  c->kind = kind;
  c->unreachable = 0;
  c->seen = 0;
  c->inits = s->ninits;
  return push_vals(s, params);
}

/* Leaves a block: its results must be exactly what is left above it. */
static int pop_ctrl(lulld_vstate *s, lulld_vctrl *out) {
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  if (pop_vals(s, &c->results))
    return -1;
  if (s->nvals != c->height)
    return lulld_vfail(s, "type mismatch",
                       "%u value(s) left over at the end of the block",
                       s->nvals - c->height);
  *out = *c;
  /* What the block set is unknown after it (its end may be reached by a
   * branch taken before the set). */
  while (s->ninits > c->inits)
    s->linit[s->inits[--s->ninits]] = 0;
  s->nctrls--;
  return 0;
}

/* After unreachable, br, br_table or return: drop the block's operands
 * and let the stack be polymorphic until the block ends. */
static void set_unreachable(lulld_vstate *s) {
  lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  s->nvals = c->height;
  s->slots = c->slots;
  c->unreachable = 1;
}

/* A branch to a loop passes the loop's parameters; to any other block,
 * its results. */
static int label(lulld_vstate *s, uint32_t l, lulld_vtypes *out) {
  if (l >= s->nctrls)
    return unknown(s, "label", l);
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1 - l];
  *out = c->kind == LULLD_OP_LOOP ? c->params : c->results;
  return 0;
}

/* Resolves a block type (empty, one value type, or a type index) into
 * its parameters and results. */
static int block_type(lulld_vstate *s, int64_t bt, lulld_vtypes *params,
                      lulld_vtypes *results) {
  lulld_vtypes none = {NULL, 0, 0, 0};
  *params = *results = none;
  if (bt == LULLD_BLOCK_EMPTY)
    return 0;
  if (bt < 0) {
    lull_valtype t = LULLD_BLOCK_VT(bt);
    if (!lulld_vt_ok(s->m, t))
      return unknown(s, "type", LULL_VT_INDEX(t));
    results->one = t;
    results->n = 1;
    results->slots = lulld_vslots(t);
    return 0;
  }
  if ((uint64_t)bt >= s->m->ntypes)
    return unknown(s, "type", (uint32_t)bt);
  if (s->m->types[bt].kind != LULLD_COMP_FUNC)
    return lulld_vfail(s, "non-function type", "%u", (uint32_t)bt);
  *params = params_of(&s->m->types[bt]);
  *results = results_of(&s->m->types[bt]);
  return 0;
}

/* Do the types of `a` match those of `b`, one by one? */
static int match_types(const lulld_vstate *s, const lulld_vtypes *a,
                       const lulld_vtypes *b) {
  if (a->n != b->n)
    return 0;
  const lull_valtype *x = lulld_vt_of(a), *y = lulld_vt_of(b);
  for (uint32_t i = 0; i < a->n; i++)
    if (!lulld_vt_match(s->m, x[i], y[i]))
      return 0;
  return 1;
}

/* The type of a declared local (parameters excluded) past the spelled-out
 * prefix: a binary search over the groups' running ends. */
static lull_valtype local_slow(const lulld_vstate *s, uint32_t idx) {
  uint32_t lo = 0, hi = s->code->ngroups;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (s->lends[mid] > idx)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo < s->code->ngroups ? s->code->groups[lo].type : 0;
}

/* The type of local `idx` (parameters first), or 0 when there is none. */
static inline lull_valtype local_type(const lulld_vstate *s, uint32_t idx) {
  if (idx < s->nlexp)
    return s->ltypes[idx];
  uint32_t np = s->ft->nparams;
  if (idx < np)
    return s->ft->types[idx];
  return local_slow(s, idx - np);
}

/* The initialization state of a body with a local that has no default
 * (see lulld_vstate.linit). The locals number at most the parameters and
 * LULLD_MAX_LOCALS, which the decoder checked. */
static int setup_init(lulld_vstate *s) {
  const lulld_code *c = s->code;
  const lulld_alloc *a = &s->m->alloc;
  size_t n = (size_t)s->ft->nparams + c->nlocals;
  if (LULLD_GROW(a, s->linit, &s->linit_cap, n))
    return lulld_vnomem(s);
  memset(s->linit, 1, s->ft->nparams);
  size_t k = s->ft->nparams;
  for (uint32_t g = 0; g < c->ngroups; g++) {
    memset(s->linit + k, lulld_vt_defaultable(c->groups[g].type),
           c->groups[g].count);
    k += c->groups[g].count;
  }
  return 0;
}

/* local.get of a local not yet set fails; local.set and local.tee set it
 * until the end of the current block. */
static int local_init(lulld_vstate *s, uint16_t op, uint32_t idx) {
  if (s->linit[idx])
    return 0;
  if (op == LULLD_OP_LOCAL_GET)
    return lulld_vfail(s, "uninitialized local", "local %u", idx);
  if (LULLD_GROW(&s->m->alloc, s->inits, &s->inits_cap,
                 (size_t)s->ninits + 1))
    return lulld_vnomem(s);
  s->linit[idx] = 1;
  s->inits[s->ninits++] = idx;
  return 0;
}

/* Prepares local lookup for the current body: running ends of the groups
 * (linear in the group count, which the body's bytes bound), and the
 * first locals, parameters included, spelled out up to a budget that the
 * body's size bounds (a tiny body may declare 50000 locals, and a type of
 * 1000 parameters may serve many tiny bodies). */
static int setup_locals(lulld_vstate *s) {
  const lulld_code *c = s->code;
  const lulld_functype *ft = s->ft;
  const lulld_alloc *a = &s->m->alloc;
  if (c->ngroups && LULLD_GROW(a, s->lends, &s->lends_cap, c->ngroups))
    return lulld_vnomem(s);
  uint64_t sum = ft->nparams;
  for (uint32_t g = 0; g < c->ngroups; g++) {
    sum += c->groups[g].count;
    uint64_t e = sum - ft->nparams;
    s->lends[g] = e > UINT32_MAX ? UINT32_MAX : (uint32_t)e;
  }
  uint64_t budget = 2 * (uint64_t)(c->end - c->body) + 64;
  uint32_t nexp = (uint32_t)(sum < budget ? sum : budget);
  if (nexp && LULLD_GROW(a, s->ltypes, &s->ltypes_cap, nexp))
    return lulld_vnomem(s);
  uint32_t k = ft->nparams < nexp ? ft->nparams : nexp;
  if (k)
    memcpy(s->ltypes, ft->types, k * sizeof *s->ltypes);
  for (uint32_t g = 0; g < c->ngroups && k < nexp; g++) {
    uint32_t take = c->groups[g].count;
    if (take > nexp - k)
      take = nexp - k;
    for (uint32_t j = 0; j < take; j++)
      s->ltypes[k + j] = c->groups[g].type;
    k += take;
  }
  s->nlexp = nexp;
  s->strict = 0;
  s->ninits = 0;
  for (uint32_t g = 0; g < c->ngroups; g++) {
    if (!lulld_vt_ok(s->m, c->groups[g].type))
      return unknown(s, "type", LULL_VT_INDEX(c->groups[g].type));
    if (!lulld_vt_defaultable(c->groups[g].type))
      s->strict = 1;
  }
  return s->strict ? setup_init(s) : 0;
}

/* A function type's parameters and results are popped and pushed by
 * call, call_indirect and blocks alike. */
static int call_type(lulld_vstate *s, const lulld_functype *ft) {
  lulld_vtypes p = params_of(ft), r = results_of(ft);
  if (pop_vals(s, &p))
    return -1;
  return push_vals(s, &r);
}

/* A tail call's callee returns straight to this function's caller, so
 * its results must match this function's; the arguments are consumed
 * and, as after `return`, the rest of the block is unreachable. */
static int tail_call_type(lulld_vstate *s, const lulld_instr *in,
                          const lulld_functype *ft) {
  lulld_vtypes p = params_of(ft), r = results_of(ft);
  if (!match_types(s, &r, &s->ctrls[0].results))
    return lulld_vfail(s, "type mismatch",
                       "%s to a function of other results than this one's",
                       lulld_op_name(in->op));
  if (pop_vals(s, &p))
    return -1;
  set_unreachable(s);
  return 0;
}

static int check_memory(lulld_vstate *s, uint32_t x) {
  if (x >= s->m->nmemories)
    return unknown(s, "memory", x);
  return 0;
}

/* The address type of memory x (which exists): i64 for a 64-bit one. */
static lull_valtype addr_type(const lulld_vstate *s, uint32_t x) {
  return s->m->memories[x].is64 ? LULL_I64 : LULL_I32;
}

int lulld_vmemarg(lulld_vstate *s, const lulld_instr *in, uint8_t natural) {
  if (check_memory(s, in->u.mem.memory))
    return -1;
  if (in->u.mem.align > natural)
    return lulld_vfail(s, "alignment must not be larger than natural",
                       "%s with alignment 2**%u, natural 2**%u",
                       lulld_op_name(in->op), in->u.mem.align, natural);
  if (!s->m->memories[in->u.mem.memory].is64 && in->u.mem.offset > UINT32_MAX)
    return lulld_vfail(s, "offset out of range", "%s offset %llu",
                       lulld_op_name(in->op),
                       (unsigned long long)in->u.mem.offset);
  return 0;
}

/* The row of `oi` with the address operands (those the row types i32 at
 * positions in `addrs`, a bit each; bit 3 the result) typed by memory x. */
int lulld_vsig_mem(lulld_vstate *s, const lulld_opinfo *oi, uint32_t x,
                   unsigned addrs) {
  lulld_opinfo row = *oi;
  lull_valtype at = addr_type(s, x);
  for (unsigned i = 0; i < 3; i++)
    if (addrs >> i & 1)
      row.p[i] = at;
  if (addrs >> 3 & 1)
    row.r = at;
  return sig(s, &row);
}

static int check_table(lulld_vstate *s, uint32_t t) {
  return t < s->m->ntables ? 0 : unknown(s, "table", t);
}

/* memory.copy and table.copy: destination and source of their own index
 * types, the count i64 only when both are. */
static int sig_copy(lulld_vstate *s, const lulld_opinfo *oi, lull_valtype dst,
                    lull_valtype src) {
  lulld_opinfo row = *oi;
  row.p[0] = dst;
  row.p[1] = src;
  row.p[2] = dst == LULL_I64 && src == LULL_I64 ? LULL_I64 : LULL_I32;
  return sig(s, &row);
}

/* The index type of table t (which exists): i64 for a 64-bit one. */
static lull_valtype table_at(const lulld_vstate *s, uint32_t t) {
  return s->m->tables[t].limits.is64 ? LULL_I64 : LULL_I32;
}

static int check_elem(lulld_vstate *s, uint32_t e) {
  return e < s->m->nelems ? 0 : unknown(s, "elem segment", e);
}

/* The data count section, when present, fixes how many segments the
 * code may name (it precedes the code so one pass suffices). */
static int check_data(lulld_vstate *s, uint32_t d) {
  uint32_t n = s->m->has_datacount ? s->m->datacount : s->m->ndatas;
  return d < n ? 0 : unknown(s, "data segment", d);
}

/* br_table: every target must exist and have the default's arity, and
 * the operands must suit every target; then the stack is polymorphic.
 * The targets are read twice (first to find the default, which comes
 * last) rather than copied. */
static int br_table(lulld_vstate *s, const lulld_reader *code,
                    const lulld_instr *in) {
  if (lulld_vpop(s, LULL_I32, NULL))
    return -1;
  lulld_reader t;
  lulld_br_targets(&t, code, in);
  uint32_t count = in->u.br_table.count;
  for (uint32_t i = 0; i < count; i++)
    (void)lulld_read_u32(&t);
  uint32_t def = lulld_read_u32(&t);
  lulld_vtypes dv = {NULL, 0, 0, 0};
  if (label(s, def, &dv))
    return -1;
  /* A label checked once in this br_table need not be checked again, so
   * many targets cost no more than their bytes and the distinct labels. */
  s->brt++;
  lulld_br_targets(&t, code, in);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t l = lulld_read_u32(&t);
    lulld_vtypes v = {NULL, 0, 0, 0};
    if (label(s, l, &v))
      return -1;
    lulld_vctrl *c = &s->ctrls[s->nctrls - 1 - l];
    if (c->seen == s->brt)
      continue;
    c->seen = s->brt;
    if (v.n != dv.n)
      return lulld_vfail(s, "type mismatch",
                         "br_table target %u takes %u value(s), the default "
                         "%u takes %u", l, v.n, def, dv.n);
    if (peek_vals(s, &v))
      return -1;
  }
  if (t.err)
    return malformed(s, t.err);
  if (pop_vals(s, &dv))
    return -1;
  set_unreachable(s);
  return 0;
}

/* Pops a reference of any type into *t (LULLD_VT_UNKNOWN from the
 * polymorphic stack). */
static int pop_ref(lulld_vstate *s, const char *op, lull_valtype *t) {
  if (lulld_vpop(s, LULLD_VT_UNKNOWN, t))
    return -1;
  if (*t != LULLD_VT_UNKNOWN && !lulld_vt_is_ref(*t))
    return lulld_vfail(s, "type mismatch", "%s expected a reference, found %s",
                       op, lulld_vtype_name(*t));
  return 0;
}

/* The non-null form of a popped reference (unknown stays unknown). */
static lull_valtype non_null(lull_valtype t) {
  return t == LULLD_VT_UNKNOWN ? t : t | LULL_VT_NONNULL;
}

/* A branch that takes the label's values `v` with a reference last:
 * checks them on the stack, and leaves all but that reference there. */
static int pass_on_all_but_last(lulld_vstate *s, const lulld_vtypes *v) {
  if (pop_vals(s, v))
    return -1;
  lulld_vtypes rest = *v;
  rest.n--;
  rest.slots -= lulld_vslots(lulld_vt_of(v)[v->n - 1]);
  if (!rest.t) /* a single type: nothing is left */
    rest.n = 0;
  return push_vals(s, &rest);
}

/* br_on_null passes the label's values when the reference is null and
 * goes on with it as non-null; br_on_non_null passes the label's values
 * with the reference last when it is not null, and goes on without it. */
static int br_on(lulld_vstate *s, const lulld_instr *in) {
  lulld_vtypes v = {NULL, 0, 0, 0};
  lull_valtype t;
  if (label(s, in->u.index, &v))
    return -1;
  if (in->op == LULLD_OP_BR_ON_NULL) {
    if (pop_ref(s, "br_on_null", &t) || pop_vals(s, &v) || push_vals(s, &v))
      return -1;
    lulld_vpush(s, non_null(t));
    return 0;
  }
  const lull_valtype *lt = lulld_vt_of(&v);
  if (v.n == 0 || !lulld_vt_is_ref(lt[v.n - 1]))
    return lulld_vfail(s, "type mismatch",
                       "br_on_non_null to label %u, which takes no reference "
                       "last", in->u.index);
  if (pop_ref(s, "br_on_non_null", &t))
    return -1;
  lulld_vpush(s, non_null(t));
  return pass_on_all_but_last(s, &v);
}

/* What is left of reference type a when the values of b are taken out:
 * without null when b has it. */
static lull_valtype ref_diff(lull_valtype a, lull_valtype b) {
  return LULL_VT_IS_NULLABLE(b) ? a | LULL_VT_NONNULL : a;
}

/* br_on_cast passes the reference to the label when it is a value of the
 * target type and goes on with the rest; br_on_cast_fail the other way
 * round. The target must be below the source type. */
static int br_on_cast(lulld_vstate *s, const lulld_instr *in) {
  const lulld_module *m = s->m;
  const char *name = lulld_op_name(in->op);
  lull_valtype from = lulld_vt_resolve(m, in->u.cast_br.from);
  lull_valtype to = lulld_vt_resolve(m, in->u.cast_br.to);
  if (!lulld_vt_ok(m, from))
    return unknown(s, "type", LULL_VT_INDEX(from));
  if (!lulld_vt_ok(m, to))
    return unknown(s, "type", LULL_VT_INDEX(to));
  if (!lulld_vt_match(m, to, from))
    return lulld_vfail(s, "type mismatch", "%s to %s from %s", name,
                       lulld_vtype_name(to), lulld_vtype_name(from));
  lulld_vtypes v = {NULL, 0, 0, 0};
  if (label(s, in->u.cast_br.label, &v))
    return -1;
  const lull_valtype *lt = lulld_vt_of(&v);
  int fail = in->op == LULLD_OP_BR_ON_CAST_FAIL;
  lull_valtype branch = fail ? ref_diff(from, to) : to;
  if (v.n == 0 || !lulld_vt_match(m, branch, lt[v.n - 1]))
    return lulld_vfail(s, "type mismatch",
                       "%s to label %u, which does not take a %s last", name,
                       in->u.cast_br.label, lulld_vtype_name(branch));
  /* The compiler tests into the slot above the reference: count it. */
  lulld_vpush(s, LULL_I32);
  if (lulld_vpop(s, LULL_I32, NULL) || lulld_vpop(s, from, NULL))
    return -1;
  lulld_vpush(s, lt[v.n - 1]);
  if (pass_on_all_but_last(s, &v))
    return -1;
  lulld_vpush(s, fail ? to : ref_diff(from, to));
  return 0;
}

/* Does a catch clause that passes `n` values of `ts`, then (with `ref`)
 * a (ref exn), suit label `l`? */
static int catch_label(lulld_vstate *s, const lull_valtype *ts, uint32_t n,
                       int ref, uint32_t l) {
  lulld_vtypes v = {NULL, 0, 0, 0};
  if (label(s, l, &v))
    return -1;
  const lull_valtype *lt = lulld_vt_of(&v);
  uint32_t want = n + (ref ? 1u : 0u);
  int ok = v.n == want;
  for (uint32_t i = 0; ok && i < n; i++)
    ok = lulld_vt_match(s->m, ts[i], lt[i]);
  if (ok && ref)
    ok = lulld_vt_match(s->m, LULL_REF(LULL_HT_EXN, 0), lt[n]);
  if (!ok)
    return lulld_vfail(s, "type mismatch",
                       "catch clause to label %u, which takes other values",
                       l);
  return 0;
}

/* Checks that the operands of the current block end with values of
 * `v`'s types, in the reference interpreter's words when they do not:
 * "instruction requires [t*] but stack has [u*]", u* being the top
 * values there are, up to as many. Pops nothing. */
static int require(lulld_vstate *s, const lulld_vtypes *v) {
  const lulld_vctrl *c = &s->ctrls[s->nctrls - 1];
  uint32_t avail = s->nvals - c->height, k = v->n < avail ? v->n : avail;
  const lull_valtype *ts = lulld_vt_of(v), *top = s->vals + s->nvals - k;
  int ok = k == v->n || c->unreachable;
  for (uint32_t i = 0; ok && i < k; i++) {
    lull_valtype t = top[i], want = ts[v->n - k + i];
    ok = t == LULLD_VT_UNKNOWN || lulld_vt_match(s->m, t, want);
  }
  if (ok)
    return 0;
  char need[160] = "", have[160] = "";
  size_t n = 0, h = 0;
  for (uint32_t i = 0; i < v->n && n < sizeof need; i++)
    n += (size_t)snprintf(need + n, sizeof need - n, "%s%s", i ? " " : "",
                          lulld_vtype_name(ts[i]));
  for (uint32_t i = 0; i < k && h < sizeof have; i++)
    h += (size_t)snprintf(have + h, sizeof have - h, "%s%s", i ? " " : "",
                          lulld_vtype_name(top[i]));
  char what[400];
  snprintf(what, sizeof what,
           "type mismatch: instruction requires [%s] but stack has [%s]",
           need, have);
  return lulld_vfail(s, what, NULL);
}

/* The function type of tag `x`, or NULL after reporting "unknown tag". */
static const lulld_functype *tag_type(lulld_vstate *s, uint32_t x) {
  if (x >= s->m->ntags) {
    unknown(s, "tag", x);
    return NULL;
  }
  return &s->m->types[s->m->tags[x]];
}

/* A try_table's catch clauses, each checked against its label outside
 * the try_table (whose own label they cannot name). */
static int catches(lulld_vstate *s, const lulld_reader *code,
                   const lulld_instr *in) {
  lulld_reader r;
  lulld_reader_init(&r, code->base, in->u.try_table.pos, code->end);
  for (uint32_t i = 0; i < in->u.try_table.count; i++) {
    lulld_catch k;
    if (lulld_read_catch(&r, &k))
      return malformed(s, r.err);
    const lull_valtype *ts = NULL;
    uint32_t n = 0;
    if (k.kind == LULLD_CATCH || k.kind == LULLD_CATCH_REF) {
      const lulld_functype *ft = tag_type(s, k.tag);
      if (!ft)
        return -1;
      ts = ft->types;
      n = ft->nparams;
    }
    if (catch_label(s, ts, n,
                    k.kind == LULLD_CATCH_REF || k.kind == LULLD_CATCH_ALL_REF,
                    k.label))
      return -1;
  }
  return 0;
}

/* Blocks, branches and the end of blocks. */
static int control(lulld_vstate *s, const lulld_reader *code,
                   const lulld_instr *in) {
  lulld_vtypes v = {NULL, 0, 0, 0}, r = {NULL, 0, 0, 0};
  lulld_vctrl f;
  switch (in->op) {
  case LULLD_OP_TRY_TABLE:
    if (block_type(s, in->u.block, &v, &r) || catches(s, code, in) ||
        pop_vals(s, &v))
      return -1;
    /* Its label is a block's: branches to it pass the results. */
    return push_ctrl(s, LULLD_OP_BLOCK, &v, &r);
  case LULLD_OP_THROW: {
    const lulld_functype *ft = tag_type(s, in->u.index);
    if (!ft)
      return -1;
    v = params_of(ft);
    if (require(s, &v) || pop_vals(s, &v))
      return -1;
    set_unreachable(s);
    return 0;
  }
  case LULLD_OP_THROW_REF:
    if (lulld_vpop(s, LULL_REF(LULL_HT_EXN, 1), NULL))
      return -1;
    set_unreachable(s);
    return 0;
  case LULLD_OP_BLOCK:
  case LULLD_OP_LOOP:
  case LULLD_OP_IF:
    if (block_type(s, in->u.block, &v, &r))
      return -1;
    if (in->op == LULLD_OP_IF && lulld_vpop(s, LULL_I32, NULL))
      return -1;
    if (pop_vals(s, &v))
      return -1;
    return push_ctrl(s, in->op, &v, &r);
  case LULLD_OP_ELSE:
    if (s->ctrls[s->nctrls - 1].kind != LULLD_OP_IF)
      return malformed(s, "else without if");
    if (pop_ctrl(s, &f))
      return -1;
    return push_ctrl(s, LULLD_OP_ELSE, &f.params, &f.results);
  case LULLD_OP_END:
    if (pop_ctrl(s, &f))
      return -1;
    /* An `if` without `else` has an empty else branch, which passes the
     * parameters through: they must be the results. */
    if (f.kind == LULLD_OP_IF && !match_types(s, &f.params, &f.results))
      return lulld_vfail(s, "type mismatch",
                         "if without else must have equal parameters and "
                         "results");
    if (s->nctrls == 0)
      return 0;
    return push_vals(s, &f.results);
  case LULLD_OP_BR:
    if (label(s, in->u.index, &v) || pop_vals(s, &v))
      return -1;
    set_unreachable(s);
    return 0;
  case LULLD_OP_BR_IF:
    if (label(s, in->u.index, &v) || lulld_vpop(s, LULL_I32, NULL) ||
        pop_vals(s, &v))
      return -1;
    return push_vals(s, &v);
  case LULLD_OP_BR_TABLE:
    return br_table(s, code, in);
  case LULLD_OP_BR_ON_NULL:
  case LULLD_OP_BR_ON_NON_NULL:
    return br_on(s, in);
  case LULLD_OP_RETURN:
    v = s->ctrls[0].results;
    if (pop_vals(s, &v))
      return -1;
    set_unreachable(s);
    return 0;
  }
  return malformed(s, "illegal opcode");
}

static int is_numvec(lull_valtype t, int vec) {
  if (t == LULLD_VT_UNKNOWN)
    return 1;
  if (vec)
    return t == LULL_V128;
  return t == LULL_I32 || t == LULL_I64 || t == LULL_F32 || t == LULL_F64;
}

/* The type of the function a call, call_indirect or call_ref (or their
 * tail forms) calls, with the table index or reference it takes popped. */
static int callee_type(lulld_vstate *s, const lulld_instr *in,
                       const lulld_functype **ft) {
  lulld_module *m = s->m;
  switch (in->op) {
  case LULLD_OP_CALL:
  case LULLD_OP_RETURN_CALL:
    if (in->u.index >= m->nfuncs)
      return unknown(s, "function", in->u.index);
    *ft = lulld_func_type(m, in->u.index);
    return 0;
  case LULLD_OP_CALL_INDIRECT:
  case LULLD_OP_RETURN_CALL_INDIRECT: {
    uint32_t ti = in->u.call_indirect.table, ty = in->u.call_indirect.type;
    if (check_table(s, ti))
      return -1;
    if (!lulld_vt_match(m, m->tables[ti].elem, LULL_FUNCREF))
      return lulld_vfail(s, "type mismatch", "%s through table %u of %s",
                         lulld_op_name(in->op), ti,
                         lulld_vtype_name(m->tables[ti].elem));
    if (ty >= m->ntypes)
      return unknown(s, "type", ty);
    if (m->types[ty].kind != LULLD_COMP_FUNC)
      return lulld_vfail(s, "non-function type", "%u", ty);
    *ft = &m->types[ty];
    return lulld_vpop(s, table_at(s, ti), NULL);
  }
  default: /* call_ref, return_call_ref */
    if (in->u.index >= m->ntypes)
      return unknown(s, "type", in->u.index);
    if (m->types[in->u.index].kind != LULLD_COMP_FUNC)
      return lulld_vfail(s, "non-function type", "%u", in->u.index);
    *ft = &m->types[in->u.index];
    return lulld_vpop(s, LULL_REF_INDEX(in->u.index, 1), NULL);
  }
}

/* drop, select (both forms), calls, locals and globals. */
static int parametric(lulld_vstate *s, const lulld_instr *in) {
  lulld_module *m = s->m;
  lull_valtype t, t1, t2;
  switch (in->op) {
  case LULLD_OP_DROP:
    return lulld_vpop(s, LULLD_VT_UNKNOWN, NULL);
  case LULLD_OP_SELECT:
    if (lulld_vpop(s, LULL_I32, NULL) ||
        lulld_vpop(s, LULLD_VT_UNKNOWN, &t1) ||
        lulld_vpop(s, LULLD_VT_UNKNOWN, &t2))
      return -1;
    /* Untyped select is for numbers and vectors only: a reference needs
     * the typed form. */
    if (!((is_numvec(t1, 0) && is_numvec(t2, 0)) ||
          (is_numvec(t1, 1) && is_numvec(t2, 1))) ||
        (t1 != t2 && t1 != LULLD_VT_UNKNOWN && t2 != LULLD_VT_UNKNOWN))
      return lulld_vfail(s, "type mismatch",
                         "select of %s and %s needs two numbers or two "
                         "vectors of one type",
                         lulld_vtype_name(t2), lulld_vtype_name(t1));
    lulld_vpush(s, t1 == LULLD_VT_UNKNOWN ? t2 : t1);
    return 0;
  case LULLD_OP_SELECT_T:
    if (in->u.select_t.count != 1)
      return lulld_vfail(s, "invalid result arity",
                         "select takes exactly one type, not %u",
                         in->u.select_t.count);
    t = in->u.select_t.type;
    if (!lulld_vt_ok(m, t))
      return unknown(s, "type", LULL_VT_INDEX(t));
    if (lulld_vpop(s, LULL_I32, NULL) || lulld_vpop(s, t, NULL) ||
        lulld_vpop(s, t, NULL))
      return -1;
    lulld_vpush(s, t);
    return 0;
  case LULLD_OP_CALL:
  case LULLD_OP_CALL_INDIRECT:
  case LULLD_OP_CALL_REF:
  case LULLD_OP_RETURN_CALL:
  case LULLD_OP_RETURN_CALL_INDIRECT:
  case LULLD_OP_RETURN_CALL_REF: {
    const lulld_functype *ft = NULL;
    if (callee_type(s, in, &ft))
      return -1;
    if (in->op == LULLD_OP_CALL || in->op == LULLD_OP_CALL_INDIRECT ||
        in->op == LULLD_OP_CALL_REF)
      return call_type(s, ft);
    return tail_call_type(s, in, ft);
  }
  case LULLD_OP_LOCAL_GET:
  case LULLD_OP_LOCAL_SET:
  case LULLD_OP_LOCAL_TEE:
    t = local_type(s, in->u.index);
    if (!t)
      return unknown(s, "local", in->u.index);
    if (in->op != LULLD_OP_LOCAL_GET && lulld_vpop(s, t, NULL))
      return -1;
    if (s->strict && local_init(s, in->op, in->u.index))
      return -1;
    if (in->op != LULLD_OP_LOCAL_SET)
      lulld_vpush(s, t);
    return 0;
  case LULLD_OP_GLOBAL_GET:
  case LULLD_OP_GLOBAL_SET: {
    if (in->u.index >= m->nglobals)
      return unknown(s, "global", in->u.index);
    const lulld_globaltype *g = &m->globals[in->u.index].type;
    if (in->op == LULLD_OP_GLOBAL_GET) {
      lulld_vpush(s, g->type);
      return 0;
    }
    if (!g->mut)
      return lulld_vfail(s,
                         lulld_wasm3(m) ? "immutable global"
                                        : "global is immutable",
                         "global.set %u",
                         in->u.index);
    return lulld_vpop(s, g->type, NULL);
  }
  }
  return malformed(s, "illegal opcode");
}

/* The target type of ref.test and ref.cast: the immediate's heap type,
 * nullable in the _NULL forms. */
static lull_valtype cast_target(const lulld_module *m, const lulld_instr *in) {
  lull_valtype t = lulld_vt_resolve(m, in->u.reftype);
  int nullable = in->op == LULLD_OP_REF_TEST_NULL ||
                 in->op == LULLD_OP_REF_CAST_NULL;
  return nullable ? t : t | LULL_VT_NONNULL;
}

/* ref.test and ref.cast take any reference of the target's hierarchy. */
static int ref_cast(lulld_vstate *s, const lulld_instr *in) {
  lull_valtype rt = cast_target(s->m, in), t;
  const char *name = lulld_op_name(in->op);
  if (!lulld_vt_ok(s->m, rt))
    return unknown(s, "type", LULL_VT_INDEX(rt));
  if (pop_ref(s, name, &t))
    return -1;
  if (t != LULLD_VT_UNKNOWN &&
      lulld_vt_top(lulld_vt_resolve(s->m, t)) != lulld_vt_top(rt))
    return lulld_vfail(s, "type mismatch", "%s to %s of a %s", name,
                       lulld_vtype_name(rt), lulld_vtype_name(t));
  int test = in->op == LULLD_OP_REF_TEST || in->op == LULLD_OP_REF_TEST_NULL;
  lulld_vpush(s, test ? LULL_I32 : rt);
  return 0;
}

/* ref.eq and the i31 instructions. */
static int gc_simple(lulld_vstate *s, const lulld_instr *in) {
  switch (in->op) {
  case LULLD_OP_REF_EQ:
    if (lulld_vpop(s, LULL_REF(LULL_HT_EQ, 1), NULL) ||
        lulld_vpop(s, LULL_REF(LULL_HT_EQ, 1), NULL))
      return -1;
    lulld_vpush(s, LULL_I32);
    return 0;
  case LULLD_OP_REF_I31:
    if (lulld_vpop(s, LULL_I32, NULL))
      return -1;
    lulld_vpush(s, LULL_REF(LULL_HT_I31, 0));
    return 0;
  default: /* i31.get_s, i31.get_u */
    if (lulld_vpop(s, LULL_REF(LULL_HT_I31, 1), NULL))
      return -1;
    lulld_vpush(s, LULL_I32);
    return 0;
  }
}

/* References and tables: their types come from the table or the
 * immediate. */
static int reference(lulld_vstate *s, const lulld_instr *in,
                     const lulld_opinfo *oi) {
  lulld_module *m = s->m;
  lull_valtype t;
  uint32_t x = in->u.index;
  switch (in->op) {
  case LULLD_OP_REF_NULL:
    if (!lulld_vt_ok(m, in->u.reftype))
      return unknown(s, "type", LULL_VT_INDEX(in->u.reftype));
    lulld_vpush(s, in->u.reftype);
    return 0;
  case LULLD_OP_REF_AS_NON_NULL:
    if (pop_ref(s, "ref.as_non_null", &t))
      return -1;
    lulld_vpush(s, non_null(t));
    return 0;
  case LULLD_OP_REF_IS_NULL:
    if (pop_ref(s, "ref.is_null", &t))
      return -1;
    lulld_vpush(s, LULL_I32);
    return 0;
  case LULLD_OP_REF_FUNC:
    if (x >= m->nfuncs)
      return unknown(s, "function", x);
    if (!m->declared_refs || !(m->declared_refs[x >> 3] & (1u << (x & 7))))
      return lulld_vfail(s, "undeclared function reference",
                         "ref.func %u", x);
    lulld_vpush(s, lulld_ref_func_type(m, x));
    return 0;
  case LULLD_OP_TABLE_GET:
  case LULLD_OP_TABLE_SET:
  case LULLD_OP_TABLE_SIZE:
  case LULLD_OP_TABLE_GROW:
  case LULLD_OP_TABLE_FILL:
    if (check_table(s, x))
      return -1;
    t = m->tables[x].elem;
    lull_valtype at = table_at(s, x);
    switch (in->op) {
    case LULLD_OP_TABLE_GET:
      if (lulld_vpop(s, at, NULL))
        return -1;
      lulld_vpush(s, t);
      return 0;
    case LULLD_OP_TABLE_SET:
      return lulld_vpop(s, t, NULL) || lulld_vpop(s, at, NULL) ? -1 : 0;
    case LULLD_OP_TABLE_SIZE:
      lulld_vpush(s, at);
      return 0;
    case LULLD_OP_TABLE_GROW:
      if (lulld_vpop(s, at, NULL) || lulld_vpop(s, t, NULL))
        return -1;
      lulld_vpush(s, at);
      return 0;
    default: /* table.fill */
      return lulld_vpop(s, at, NULL) || lulld_vpop(s, t, NULL) ||
                     lulld_vpop(s, at, NULL)
                 ? -1
                 : 0;
    }
  case LULLD_OP_TABLE_COPY: /* dst, src */
    if (check_table(s, in->u.pair.a) || check_table(s, in->u.pair.b))
      return -1;
    if (!lulld_vt_match(m, m->tables[in->u.pair.b].elem,
                        m->tables[in->u.pair.a].elem))
      return lulld_vfail(s, "type mismatch",
                         "table.copy from a table of %s to one of %s",
                         lulld_vtype_name(m->tables[in->u.pair.b].elem),
                         lulld_vtype_name(m->tables[in->u.pair.a].elem));
    return sig_copy(s, oi, table_at(s, in->u.pair.a),
                    table_at(s, in->u.pair.b));
  case LULLD_OP_TABLE_INIT: /* elem, table */
    if (check_table(s, in->u.pair.b) || check_elem(s, in->u.pair.a))
      return -1;
    if (!lulld_vt_match(m, m->elems[in->u.pair.a].type,
                        m->tables[in->u.pair.b].elem))
      return lulld_vfail(s, "type mismatch",
                         "table.init of a table of %s from a segment of %s",
                         lulld_vtype_name(m->tables[in->u.pair.b].elem),
                         lulld_vtype_name(m->elems[in->u.pair.a].type));
    {
      lulld_opinfo row = *oi;
      row.p[0] = table_at(s, in->u.pair.b);
      return sig(s, &row);
    }
  case LULLD_OP_ELEM_DROP:
    return check_elem(s, x);
  }
  return malformed(s, "illegal opcode");
}

/* Memory instructions: the memory must exist, and its address type
 * (i64 for a 64-bit memory) types the addresses and sizes; loads and
 * stores check their alignment and offset, bulk instructions their data
 * segment. memory.copy between a 32-bit and a 64-bit memory counts in
 * i32. */
static int memory(lulld_vstate *s, const lulld_instr *in,
                  const lulld_opinfo *oi) {
  switch (in->op) {
  case LULLD_OP_MEMORY_INIT:
    if (check_memory(s, in->u.pair.b) || check_data(s, in->u.pair.a))
      return -1;
    return lulld_vsig_mem(s, oi, in->u.pair.b, 1);
  case LULLD_OP_DATA_DROP:
    return check_data(s, in->u.index);
  case LULLD_OP_MEMORY_SIZE:
    if (check_memory(s, in->u.index))
      return -1;
    return lulld_vsig_mem(s, oi, in->u.index, 8);
  case LULLD_OP_MEMORY_GROW:
    if (check_memory(s, in->u.index))
      return -1;
    return lulld_vsig_mem(s, oi, in->u.index, 1 | 8);
  case LULLD_OP_MEMORY_FILL:
    if (check_memory(s, in->u.index))
      return -1;
    return lulld_vsig_mem(s, oi, in->u.index, 1 | 4);
  case LULLD_OP_MEMORY_COPY: {
    if (check_memory(s, in->u.pair.a) || check_memory(s, in->u.pair.b))
      return -1;
    return sig_copy(s, oi, addr_type(s, in->u.pair.a),
                    addr_type(s, in->u.pair.b));
  }
  default:
    if (oi->imm != LULLD_IMM_MEMARG)
      return malformed(s, "illegal opcode");
    if (lulld_vmemarg(s, in, oi->align))
      return -1;
  }
  return lulld_vsig_mem(s, oi, in->u.mem.memory, 1);
}

/* Every instruction whose table row does not give its whole type. */
static int special(lulld_vstate *s, const lulld_reader *code,
                   const lulld_instr *in, const lulld_opinfo *oi) {
  switch (in->op) {
  case LULLD_OP_UNREACHABLE:
    set_unreachable(s);
    return 0;
  case LULLD_OP_BLOCK:
  case LULLD_OP_LOOP:
  case LULLD_OP_IF:
  case LULLD_OP_ELSE:
  case LULLD_OP_END:
  case LULLD_OP_TRY_TABLE:
  case LULLD_OP_THROW:
  case LULLD_OP_THROW_REF:
  case LULLD_OP_BR:
  case LULLD_OP_BR_IF:
  case LULLD_OP_BR_TABLE:
  case LULLD_OP_BR_ON_NULL:
  case LULLD_OP_BR_ON_NON_NULL:
  case LULLD_OP_RETURN:
    return control(s, code, in);
  case LULLD_OP_DROP:
  case LULLD_OP_SELECT:
  case LULLD_OP_SELECT_T:
  case LULLD_OP_CALL:
  case LULLD_OP_CALL_INDIRECT:
  case LULLD_OP_CALL_REF:
  case LULLD_OP_RETURN_CALL:
  case LULLD_OP_RETURN_CALL_INDIRECT:
  case LULLD_OP_RETURN_CALL_REF:
  case LULLD_OP_LOCAL_GET:
  case LULLD_OP_LOCAL_SET:
  case LULLD_OP_LOCAL_TEE:
  case LULLD_OP_GLOBAL_GET:
  case LULLD_OP_GLOBAL_SET:
    return parametric(s, in);
  case LULLD_OP_REF_NULL:
  case LULLD_OP_REF_IS_NULL:
  case LULLD_OP_REF_AS_NON_NULL:
  case LULLD_OP_REF_FUNC:
  case LULLD_OP_TABLE_GET:
  case LULLD_OP_TABLE_SET:
  case LULLD_OP_TABLE_SIZE:
  case LULLD_OP_TABLE_GROW:
  case LULLD_OP_TABLE_FILL:
  case LULLD_OP_TABLE_COPY:
  case LULLD_OP_TABLE_INIT:
  case LULLD_OP_ELEM_DROP:
    return reference(s, in, oi);
  case LULLD_OP_REF_TEST:
  case LULLD_OP_REF_TEST_NULL:
  case LULLD_OP_REF_CAST:
  case LULLD_OP_REF_CAST_NULL:
    return ref_cast(s, in);
  case LULLD_OP_REF_EQ:
  case LULLD_OP_REF_I31:
  case LULLD_OP_I31_GET_S:
  case LULLD_OP_I31_GET_U:
    return gc_simple(s, in);
  case LULLD_OP_BR_ON_CAST:
  case LULLD_OP_BR_ON_CAST_FAIL:
    return br_on_cast(s, in);
  }
  if ((in->op >> 8) == LULLD_OP_PREFIX_FD)
    return lulld_vsimd(s, in, oi);
  if ((in->op >> 8) == LULLD_OP_PREFIX_FB)
    return lulld_vgc(s, in);
  return memory(s, in, oi);
}

/*
 * The main loop. It reads instructions in place from the body's bytes and
 * keeps the hot part of the state (the top of the operand stack, the
 * current block's base, the slot count and its maximum) in locals, so that
 * the common instructions touch no memory but the operand stack.
 * Everything else is handed to the helpers above, which work on the
 * lulld_vstate: the locals are written back before (save) and read again
 * after (load), as Lua's interpreter does around calls that may move its
 * stack.
 *
 * Reading in place: the decoder has already checked every encoding with
 * lulld_read_instr, so the shortcuts here only meet encodings it accepts.
 * They take the common instructions with short immediates and read them
 * the same way; anything else goes through lulld_read_instr.
 */

/* How the loop takes an instruction, by its first byte.
 *   F_SLOW    lulld_read_instr, then the table row or a helper
 *   F_UN      no immediate; pops p[0], pushes r (from the table row)
 *   F_BIN     no immediate; pops p[1] and p[0], pushes r
 *   F_SIG     no immediate; any other row (nop, three operands, no
 *             result)
 *   F_CONST   i32.const or i64.const: a LEB128 whose value is irrelevant
 *   F_FIX4/8  f32.const, f64.const
 *   F_LOCAL   local.get, local.set, local.tee
 *   F_MEM     a load or a store
 *   F_HAND    no immediate, an index or a block type; typed by a helper
 *   F_PREFIX  0xFD: the sub-opcode's row, or the slow path */
enum { F_SLOW = 0, F_UN, F_BIN, F_SIG, F_CONST, F_FIX4, F_FIX8, F_LOCAL,
       F_MEM, F_HAND, F_PREFIX };

/* One row per opcode: the loop's class, the slots the instruction adds
 * to the stack (negative when it shrinks it), and the row of opcodes.h. */
typedef struct fast_row {
  uint8_t fast;
  int8_t dslots;
  lulld_opinfo info;
} fast_row;

#define W(t) ((t) == 0 ? 0 : (t) == TV ? 2 : 1)
#define DSLOTS(p1, p2, p3, r) ((r) == TX ? 0 : W(r) - W(p1) - W(p2) - W(p3))
#define IS_IMM(imm, kind) (LULLD_IMM_##imm == LULLD_IMM_##kind)
#define SIG_CLASS(p1, p2, p3, r)                                              \
  ((p3) || !(r) ? F_SIG : (p2) ? F_BIN : (p1) ? F_UN : F_SIG)
#define MAIN_CLASS(code, imm, p1, p2, p3, r)                                  \
  (IS_IMM(imm, NONE)        ? ((r) == TX ? F_HAND : SIG_CLASS(p1, p2, p3, r))   \
   : IS_IMM(imm, I32)       ? F_CONST                                        \
   : IS_IMM(imm, I64)       ? F_CONST                                        \
   : IS_IMM(imm, F32)       ? F_FIX4                                         \
   : IS_IMM(imm, F64)       ? F_FIX8                                         \
   : IS_IMM(imm, MEMARG)    ? F_MEM                                          \
   : IS_IMM(imm, BLOCKTYPE) ? F_HAND                                         \
   : (code) >= LULLD_OP_LOCAL_GET && (code) <= LULLD_OP_LOCAL_TEE ? F_LOCAL  \
   : IS_IMM(imm, INDEX)     ? F_HAND                                         \
                            : F_SLOW)
#define MAIN_ROW(name, code, text, imm, p1, p2, p3, r, a)                     \
  [code] = {MAIN_CLASS(code, imm, p1, p2, p3, r), DSLOTS(p1, p2, p3, r),     \
            {text, LULLD_IMM_##imm, {p1, p2, p3}, r, a}},
static const fast_row main_rows[256] = {
    LULLD_OPCODES(MAIN_ROW)[LULLD_OP_PREFIX_FD] = {F_PREFIX, 0, {0}},
};

/* 0xFD instructions without immediates are typed by their row here; the
 * others (memory, lanes, shuffle, v128.const) take the slow path. */
#define FD_ROW(name, code, text, imm, p1, p2, p3, r, a)                       \
  [code] = {IS_IMM(imm, NONE) ? SIG_CLASS(p1, p2, p3, r) : F_SLOW,              \
            DSLOTS(p1, p2, p3, r), {text, LULLD_IMM_##imm, {p1, p2, p3}, r, a}},
static const fast_row fd_rows[256] = {LULLD_OPCODES_FD(FD_ROW)};
#undef FD_ROW
#undef MAIN_ROW
#undef MAIN_CLASS
#undef SIG_CLASS
#undef IS_IMM
#undef DSLOTS
#undef W

/* Slots per operand-stack entry beyond the first, by the type's low
 * byte: only v128 (0x7B) and unknown (0) have that byte, as every other
 * type's code differs and a type index sits above it. */
static const uint8_t slot_extra_tab[256] = {[LULL_V128] = 1,
                                            [LULLD_VT_UNKNOWN] = 1};
static inline uint32_t slot_extra(lull_valtype t) {
  return slot_extra_tab[t & 0xFF];
}

/* The loop's locals. The compiler keeps them in registers: only
 * always-inlined functions see their address. */
typedef struct hot {
  lull_valtype *sp;   /* one past the top operand */
  lull_valtype *base; /* the current block's first operand */
  uint32_t slots;
  uint32_t maxs;
} hot;

#define HOT static inline __attribute__((always_inline))

HOT void save(lulld_vstate *s, const hot *h) {
  s->nvals = (uint32_t)(h->sp - s->vals);
  s->slots = h->slots;
  s->max_slots = h->maxs;
}

HOT void load(const lulld_vstate *s, hot *h) {
  h->sp = s->vals + s->nvals;
  h->base = s->vals + s->ctrls[s->nctrls - 1].height;
  h->slots = s->slots;
  h->maxs = s->max_slots;
}

/* Makes room for one push per byte left in the body, so that the
 * instructions typed in place, which take at least a byte each and push at
 * most one value, need no capacity check. Called at the start and after
 * each helper (which may push more). */
HOT int hroom(lulld_vstate *s, hot *h, size_t left) {
  size_t need = (size_t)(h->sp - s->vals) + left + 2;
  if (LULL_LIKELY(need <= s->vals_cap))
    return 0;
  save(s, h);
  if (LULLD_GROW(&s->m->alloc, s->vals, &s->vals_cap, need))
    return lulld_vnomem(s);
  load(s, h);
  return 0;
}

HOT void hpush(hot *h, lull_valtype t) {
  *h->sp++ = t;
  h->slots += 1u + slot_extra(t);
  if (h->slots > h->maxs)
    h->maxs = h->slots;
}

/* An instruction typed by its row when the fast checks did not settle
 * it: block base, unknown operands or a mismatch, with the full rules. */
static int slow_sig(lulld_vstate *s, hot *h, const lulld_opinfo *oi,
                    size_t at) {
  save(s, h);
  s->at = (uint32_t)at;
  if (sig(s, oi))
    return -1;
  load(s, h);
  return 0;
}

/* A u32 LEB128 of at most 4 bytes (28 bits, no range check needed);
 * returns its length, or 0 to leave it to the slow path. */
HOT size_t leb_u32(const uint8_t *p, size_t avail, uint32_t *out) {
  if (LULL_LIKELY(avail && p[0] < 0x80)) {
    *out = p[0];
    return 1;
  }
  size_t lim = avail < 4 ? avail : 4;
  uint32_t v = 0;
  for (size_t i = 0; i < lim; i++) {
    v |= (uint32_t)(p[i] & 0x7F) << (7 * i);
    if (p[i] < 0x80) {
      *out = v;
      return i + 1;
    }
  }
  return 0;
}

/* Length of a LEB128 of at most `max` bytes, or 0. */
HOT size_t leb_len(const uint8_t *p, size_t avail, size_t max) {
  if (LULL_LIKELY(avail && p[0] < 0x80))
    return 1;
  size_t lim = avail < max ? avail : max;
  for (size_t i = 0; i < lim; i++)
    if (p[i] < 0x80)
      return i + 1;
  return 0;
}

/* Prepares `in` for a helper from an instruction read in place: its
 * immediate is nothing, one u32 index or a one-byte block type. Returns
 * the instruction's length, or 0 for the slow path. */
HOT size_t hand_read(const uint8_t *p, size_t avail, lulld_instr *in) {
  uint8_t imm = main_rows[p[0]].info.imm;
  if (imm == LULLD_IMM_NONE)
    return 1;
  if (imm == LULLD_IMM_INDEX) {
    size_t n = leb_u32(p + 1, avail, &in->u.index);
    return n ? n + 1 : 0;
  }
  /* A block type in one byte: 0x40 (empty), a value type, or a type
   * index below 64. */
  if (avail < 1 || (p[1] & 0x80))
    return 0;
  if (p[1] & 0x40) {
    if (p[1] != 0x40 && !lulld_is_valtype(p[1]))
      return 0;
    in->u.block = p[1] == 0x40 ? LULLD_BLOCK_EMPTY : -(int64_t)p[1];
  } else {
    in->u.block = p[1];
  }
  return 2;
}

/* Dispatch: with GNU C's labels as values, each handler ends with its
 * own indirect jump to the next one, which branch predictors handle far
 * better than one shared switch; otherwise a switch does the same job.
 * FETCH reads the next instruction's first byte and row. */
#define FETCH()                                                               \
  do {                                                                        \
    p = ip;                                                                   \
    if (LULL_UNLIKELY(p >= end))                                              \
      goto l_cut;                                                             \
    at = (size_t)(p - bytes);                                                 \
    avail = (size_t)(end - p) - 1;                                            \
    row = &main_rows[*p];                                                     \
    oi = &row->info;                                                          \
  } while (0)
#if defined(__GNUC__) && !defined(LULL_DISPATCH_SWITCH)
#define NEXT()                                                                \
  do {                                                                        \
    FETCH();                                                                  \
    goto *go[row->fast];                                                      \
  } while (0)
#else
#define NEXT() goto l_next
#endif

int lulld_vcode(lulld_vstate *s, uint32_t i) {
  lulld_module *m = s->m;
  lulld_code *code = &m->codes[i];
  s->func = m->nfunc_imports + i;
  s->ft = lulld_func_type(m, s->func);
  s->code = code;
  s->at = code->body;
  s->nvals = s->slots = s->max_slots = s->nctrls = 0;
  if (setup_locals(s))
    return -1;
  lulld_vtypes none = {NULL, 0, 0, 0}, results = results_of(s->ft);
  if (push_ctrl(s, 0, &none, &results))
    return -1;
#if defined(__GNUC__) && !defined(LULL_DISPATCH_SWITCH)
  static const void *const go[] = {
      [F_SLOW] = &&l_slow,   [F_UN] = &&l_un,       [F_BIN] = &&l_bin,
      [F_SIG] = &&l_sig1,    [F_CONST] = &&l_const, [F_FIX4] = &&l_fix,
      [F_FIX8] = &&l_fix,    [F_LOCAL] = &&l_local, [F_MEM] = &&l_mem,
      [F_HAND] = &&l_hand,   [F_PREFIX] = &&l_prefix};
#endif
  const uint8_t *bytes = m->bytes;
  const uint8_t *ip = bytes + code->body, *end = bytes + code->end;
  const lull_valtype *ltypes = s->ltypes;
  const uint32_t nlexp = s->nlexp;
  /* Loads and stores of memory 0 with 32-bit addresses take the fast
   * path; others (and a memarg naming a memory) the slow one. */
  const int has_memory = m->nmemories > 0 && !m->memories[0].is64;
  const int strict = s->strict;
  const uint8_t *p;
  const fast_row *row;
  const lulld_opinfo *oi;
  size_t at, avail, n;
  uint32_t x;
  lull_valtype t;
  lulld_instr in;
  hot h;
  /* Room for one push per byte (see hroom), before any pointer into the
   * operand stack is made. */
  if (LULLD_GROW(&m->alloc, s->vals, &s->vals_cap,
                 (size_t)s->nvals + (size_t)(end - ip) + 2))
    return lulld_vnomem(s);
  load(s, &h);
  NEXT();

#if !defined(__GNUC__) || defined(LULL_DISPATCH_SWITCH)
l_next:
  FETCH();
  switch (row->fast) {
  case F_UN: goto l_un;
  case F_BIN: goto l_bin;
  case F_SIG: goto l_sig1;
  case F_CONST: goto l_const;
  case F_FIX4:
  case F_FIX8: goto l_fix;
  case F_LOCAL: goto l_local;
  case F_MEM: goto l_mem;
  case F_HAND: goto l_hand;
  case F_PREFIX: goto l_prefix;
  default: goto l_slow;
  }
#endif

l_un:
  ip++;
l_un_typed:
  if (LULL_LIKELY(h.sp > h.base && h.sp[-1] == oi->p[0])) {
    h.sp[-1] = oi->r;
    h.slots += (uint32_t)(int32_t)row->dslots;
    if (h.slots > h.maxs)
      h.maxs = h.slots;
  } else if (slow_sig(s, &h, oi, at)) {
    return -1;
  }
  NEXT();

l_bin:
  ip++;
l_bin_typed:
  if (LULL_LIKELY(h.sp - h.base >= 2 && h.sp[-1] == oi->p[1] &&
                  h.sp[-2] == oi->p[0])) {
    h.sp[-2] = oi->r;
    h.sp--;
    h.slots += (uint32_t)(int32_t)row->dslots;
  } else if (slow_sig(s, &h, oi, at)) {
    return -1;
  }
  NEXT();

l_sig1:
  ip++;
l_sig:
  if (slow_sig(s, &h, oi, at))
    return -1;
  NEXT();

l_const:
  n = leb_len(p + 1, avail, p[0] == LULLD_OP_I32_CONST ? 5 : 10);
  if (!n)
    goto l_slow;
  ip += 1 + n;
  hpush(&h, oi->r);
  NEXT();

l_fix:
  n = row->fast == F_FIX4 ? 4 : 8;
  if (avail < n)
    goto l_slow;
  ip += 1 + n;
  hpush(&h, oi->r);
  NEXT();

l_local:
  n = leb_u32(p + 1, avail, &x);
  if (!n)
    goto l_slow;
  ip += 1 + n;
  t = x < nlexp ? ltypes[x] : local_type(s, x);
  if (LULL_UNLIKELY(!t)) {
    s->at = (uint32_t)at;
    return unknown(s, "local", x);
  }
  if (LULL_UNLIKELY(strict)) {
    /* The rule is checked before the operand is popped, as the slow
     * path would for a matching operand; a mismatch fails either way. */
    s->at = (uint32_t)at;
    if (local_init(s, p[0], x))
      return -1;
  }
  if (p[0] == LULLD_OP_LOCAL_GET) {
    hpush(&h, t);
  } else if (LULL_LIKELY(h.sp > h.base && h.sp[-1] == t)) {
    if (p[0] == LULLD_OP_LOCAL_SET) {
      h.sp--;
      h.slots -= 1u + slot_extra(t);
    }
  } else {
    /* The full pop, then the tee's push. */
    save(s, &h);
    s->at = (uint32_t)at;
    if (lulld_vpop_slow(s, t, NULL))
      return -1;
    load(s, &h);
    if (p[0] == LULLD_OP_LOCAL_TEE)
      hpush(&h, t);
  }
  NEXT();

l_mem:
  n = leb_u32(p + 1, avail, &in.u.mem.align);
  if (!n || !(x = (uint32_t)leb_len(p + 1 + n, avail - n, 4)))
    goto l_slow;
  ip += 1 + n + x;
  if (LULL_UNLIKELY(!has_memory || in.u.mem.align >= 0x40))
    goto l_slow;
  if (LULL_UNLIKELY(in.u.mem.align > oi->align)) {
    in.op = p[0];
    in.u.mem.memory = 0;
    in.u.mem.offset = 0;
    s->at = (uint32_t)at;
    return lulld_vmemarg(s, &in, oi->align);
  }
  /* A load pops an address and pushes a value; a store pops an address
   * and a value. */
  if (!oi->p[1])
    goto l_un_typed;
  if (LULL_LIKELY(h.sp - h.base >= 2 && h.sp[-1] == oi->p[1] &&
                  h.sp[-2] == oi->p[0])) {
    h.sp -= 2;
    h.slots += (uint32_t)(int32_t)row->dslots;
  } else if (slow_sig(s, &h, oi, at)) {
    return -1;
  }
  NEXT();

l_hand:
  n = hand_read(p, avail, &in);
  if (!n)
    goto l_slow;
  in.op = p[0];
  in.offset = (uint32_t)at;
  ip += n;
  save(s, &h);
  s->at = (uint32_t)at;
  if (special(s, NULL, &in, oi))
    return -1;
  goto l_after_helper;

l_prefix:
  /* The sub-opcode in one byte, or two for 0x80..0xFF. */
  if (avail >= 1 && p[1] < 0x80) {
    row = &fd_rows[p[1]];
    n = 2;
  } else if (avail >= 2 && p[2] == 0x01) {
    row = &fd_rows[0x80u | (p[1] & 0x7Fu)];
    n = 3;
  } else {
    goto l_slow;
  }
  oi = &row->info;
  if (row->fast == F_UN) {
    ip += n;
    goto l_un_typed;
  }
  if (row->fast == F_BIN) {
    ip += n;
    goto l_bin_typed;
  }
  if (row->fast == F_SIG) {
    ip += n;
    goto l_sig;
  }
  /* fall through to the slow path */

l_slow: {
  lulld_reader r;
  lulld_reader_init(&r, bytes, at, (size_t)(end - bytes));
  s->at = (uint32_t)at;
  if (lulld_read_instr(&r, m->features, &in) != 0)
    return malformed(s, r.err);
  ip = bytes + r.pos;
  oi = lulld_opinfo_of(in.op);
  if (oi->r != TX && (PLAIN_IMMS >> oi->imm & 1u))
    goto l_sig;
  save(s, &h);
  if (special(s, &r, &in, oi))
    return -1;
}
l_after_helper:
  /* The helper worked on `s`; the body ends with the `end` that closes
   * the function's own frame. */
  if (s->nctrls == 0)
    goto l_done;
  load(s, &h);
  if (hroom(s, &h, (size_t)(end - ip)))
    return -1;
  NEXT();

l_cut:
  s->at = (uint32_t)(ip - bytes);
  return malformed(s, "unexpected end");

l_done:
  if (ip != end)
    return malformed(s, "section size mismatch");
  code->max_height = s->max_slots;
  return 0;
}
#undef NEXT
#undef FETCH
