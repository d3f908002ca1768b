/*
 * values.c -- lull_val to and from Wasm stack slots (see the slot rules
 * in interp_internal.h: every write fills 64 bits).
 */
#include "interp_internal.h"

void lulli_val_to_slots(const lull_val *v, lulli_slot *s) {
  uint32_t b32;
  switch (v->type) {
  case LULL_I32:
    s[0].u64 = (uint32_t)v->of.i32;
    break;
  case LULL_F32:
    memcpy(&b32, &v->of.f32, 4);
    s[0].u64 = b32;
    break;
  case LULL_I64:
    s[0].u64 = (uint64_t)v->of.i64;
    break;
  case LULL_F64:
    memcpy(&s[0].u64, &v->of.f64, 8);
    break;
  case LULL_V128:
    memcpy(&s[0].u64, v->of.v128, 8);
    memcpy(&s[1].u64, v->of.v128 + 8, 8);
    break;
  default: /* a reference: its union member by its hierarchy */
    s[0].u64 = 0;
    s[0].ref = lulld_vt_is_funcref(v->type) ? (void *)v->of.funcref
                                             : v->of.externref;
    break;
  }
}

void lulli_slots_to_val(lull_engine *e, lull_valtype type, const lulli_slot *s,
                        lull_val *v) {
  uint32_t b32;
  memset(v, 0, sizeof *v);
  v->type = type;
  switch (v->type) {
  case LULL_I32:
    v->of.i32 = (int32_t)(uint32_t)s[0].u64;
    break;
  case LULL_F32:
    b32 = (uint32_t)s[0].u64;
    memcpy(&v->of.f32, &b32, 4);
    break;
  case LULL_I64:
    v->of.i64 = (int64_t)s[0].u64;
    break;
  case LULL_F64:
    memcpy(&v->of.f64, &s[0].u64, 8);
    break;
  case LULL_V128:
    memcpy(v->of.v128, &s[0].u64, 8);
    memcpy(v->of.v128 + 8, &s[1].u64, 8);
    break;
  default:
    if (lulld_vt_is_funcref(type))
      v->of.funcref = s[0].ref;
    else
      v->of.externref = s[0].ref;
    lulli_gc_hand_out(e, type, s[0].ref);
    break;
  }
}

int lulli_val_fits(const lull_engine *e, const lull_val *v, lull_valtype t) {
  if (!lulld_vt_is_ref(t) || !lulld_vt_is_ref(v->type))
    return v->type == t;
  /* A reference is checked by what it holds: the embedder may call a
   * (ref $t) value a funcref, but it must be a function of type $t. */
  if (!lulli_vt_valid(e, v->type) ||
      lulld_vt_is_funcref(v->type) != lulld_vt_is_funcref(t))
    return 0;
  if (lulld_vt_is_funcref(t)) {
    const lull_func *f = v->of.funcref;
    if (!f)
      return LULL_VT_IS_NULLABLE(t);
    return lulli_vt_match(e, LULL_REF_INDEX(f->type_id, 0), t);
  }
  if (!v->of.externref)
    return LULL_VT_IS_NULLABLE(t);
  if (lulld_vt_top(t) == LULL_HT_ANY)
    /* An i31 (odd bits, as REF_I31 makes them), or an object lull handed
     * out, judged by its own type; never a pointer the host made up. */
    return ((uintptr_t)v->of.externref & 1u || lulli_gc_owns(e, v->of.externref)) &&
           lulli_ref_test(e, v->of.externref, t);
  if (lulld_vt_top(t) == LULL_HT_EXN)
    /* Only lull makes exceptions: the value is one it handed out. */
    return ((const lulli_gcobj *)v->of.externref)->kind == LULLI_GC_EXN &&
           lulli_vt_match(e, LULL_REF(LULL_HT_EXN, 0), t);
  return lulli_vt_match(e, LULL_REF(LULL_HT_EXTERN, 0), t);
}

int lull_val_i31(const lull_val *v, int32_t *out) {
  if (!v || !lulld_vt_is_ref(v->type) ||
      lulld_vt_top(v->type) != LULL_HT_ANY ||
      !((uintptr_t)v->of.externref & 1u))
    return 0;
  /* The bits REF_I31 makes: the value above a set low bit. */
  uint32_t b = (uint32_t)(uintptr_t)v->of.externref;
  if (out)
    *out = (int32_t)(b & ~1u) >> 1;
  return 1;
}
