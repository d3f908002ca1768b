/*
 * decode_constexpr.c -- constant expressions (global initializers, segment
 * offsets, element items). Any well-formed instruction sequence is
 * accepted here; whether it is constant and of the right type is the
 * validator's question, answered from what is recorded (see module.h).
 */
#include "decode_internal.h"

/*
 * Scans the expression with the body scanner (so a malformed one fails
 * exactly like malformed code), then keeps the single constant
 * instruction, or LULLD_CONST_BAD with the reason. The expression must
 * end inside its section: one whose `end` is missing runs into the end of
 * the section ("unexpected end of section or function"), not into the
 * bytes of the next one.
 */
int lulld_dconstexpr(lulld_dctx *c, lulld_constexpr *out) {
  size_t at = c->r.pos, end = c->r.end;
  lulld_dconst k;
  k.ninstr = 0;
  k.nonconst_at = 0;
  if (c->in_section && c->sec_end < end)
    c->r.end = c->sec_end;
  int bad = lulld_dscan(c, &k);
  c->r.end = end;
  if (bad)
    return -1;
  memset(out, 0, sizeof *out);
  out->offset = (uint32_t)at;
  if (k.nonconst_at) {
    out->op = LULLD_CONST_BAD;
    out->index = LULLD_CONSTBAD_NONCONST;
    out->offset = k.nonconst_at - 1;
    return 0;
  }
  /* The GC instructions take operands: only a walk types them. */
  if ((k.ninstr > 1 && (c->m->features & (LULL_FEATURE_EXTENDED_CONST |
                                            LULL_FEATURE_GC))) ||
      (k.first.op >> 8) == LULLD_OP_PREFIX_FB) {
    out->op = LULLD_CONST_EXPR;
    return 0;
  }
  if (k.ninstr != 1) {
    out->op = LULLD_CONST_BAD;
    out->index = LULLD_CONSTBAD_ARITY;
    return 0;
  }
  lulld_const_from_instr(&k.first, out);
  return 0;
}

void lulld_const_from_instr(const lulld_instr *in, lulld_constexpr *out) {
  switch (in->op) {
  case LULLD_OP_I32_CONST:
    out->op = LULLD_CONST_I32;
    out->type = LULL_I32;
    out->v.i32 = (uint32_t)in->u.i32;
    break;
  case LULLD_OP_I64_CONST:
    out->op = LULLD_CONST_I64;
    out->type = LULL_I64;
    out->v.i64 = (uint64_t)in->u.i64;
    break;
  case LULLD_OP_F32_CONST:
    out->op = LULLD_CONST_F32;
    out->type = LULL_F32;
    out->v.i32 = in->u.f32;
    break;
  case LULLD_OP_F64_CONST:
    out->op = LULLD_CONST_F64;
    out->type = LULL_F64;
    out->v.i64 = in->u.f64;
    break;
  case LULLD_OP_V128_CONST:
    out->op = LULLD_CONST_V128;
    out->type = LULL_V128;
    memcpy(out->v.v128, in->u.v128, 16);
    break;
  case LULLD_OP_REF_NULL:
    out->op = LULLD_CONST_REF_NULL;
    out->type = in->u.reftype;
    break;
  case LULLD_OP_REF_FUNC:
    out->op = LULLD_CONST_REF_FUNC;
    out->type = LULL_FUNCREF;
    out->index = in->u.index;
    break;
  default:
    /* global.get: its type is the global's, which the validator looks up
     * (the index may be out of range), so `type` stays 0 here. */
    out->op = LULLD_CONST_GLOBAL_GET;
    out->index = in->u.index;
    break;
  }
}
