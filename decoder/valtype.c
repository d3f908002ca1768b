/*
 * valtype.c -- reading, naming and matching value types (see valtype.h).
 */
#include "module.h"
#include "valtype.h"

/* Abstract heap types a module may name, by the features they need:
 * func and extern always; the GC and exception hierarchies only with
 * their proposals (nofunc and noextern belong to GC's bottom types). */
static int heap_code_ok(uint32_t code, uint32_t features) {
  switch (code) {
  case LULL_HT_FUNC:
  case LULL_HT_EXTERN:
    return 1;
  case LULL_HT_ANY:
  case LULL_HT_EQ:
  case LULL_HT_I31:
  case LULL_HT_STRUCT:
  case LULL_HT_ARRAY:
  case LULL_HT_NONE:
  case LULL_HT_NOFUNC:
  case LULL_HT_NOEXTERN:
    return (features & LULL_FEATURE_GC) != 0;
  case LULL_HT_EXN:
  case LULL_HT_NOEXN:
    return (features & LULL_FEATURE_EXCEPTIONS) != 0;
  }
  return 0;
}

int lulld_read_heaptype(lulld_reader *r, uint32_t features,
                        lull_valtype *out) {
  size_t at = r->pos;
  int64_t v = lulld_read_sleb(r, 33);
  if (r->err)
    return -1;
  if (v >= 0) {
    uint64_t idx = (uint64_t)v > LULL_VT_MAX_INDEX ? LULL_VT_MAX_INDEX
                                                   : (uint64_t)v;
    *out = LULL_REF_INDEX((uint32_t)idx, 1);
    return 0;
  }
  uint32_t code = (uint32_t)(v & 0x7F);
  if (v < -64 || !heap_code_ok(code, features)) {
    lulld_reader_fail(r, "malformed heap type", at);
    return -1;
  }
  *out = LULL_REF(code, 1);
  return 0;
}

int lulld_read_valtype(lulld_reader *r, uint32_t features, int ref,
                       lull_valtype *out) {
  size_t at = r->pos;
  uint8_t b = lulld_read_u8(r);
  if (r->err)
    return -1;
  /* Type bytes are 7-bit signed LEB128 numbers in the reference
   * interpreter: a continuation bit makes an over-long number before it
   * makes an unknown type. */
  if (b & 0x80) {
    lulld_reader_fail(r, "integer representation too long", at + 1);
    return -1;
  }
  const char *bad = ref ? "malformed reference type" : "malformed value type";
  if (b == 0x63 || b == 0x64) {
    if (!(features & LULL_FEATURE_FUNCTION_REFERENCES)) {
      lulld_reader_fail(r, bad, at);
      return -1;
    }
    lull_valtype t;
    if (lulld_read_heaptype(r, features, &t))
      return -1;
    *out = b == 0x64 ? t | LULL_VT_NONNULL : t;
    return 0;
  }
  if (!ref && b >= 0x7B && b <= 0x7F) {
    *out = b;
    return 0;
  }
  if (heap_code_ok(b, features)) {
    *out = LULL_REF(b, 1);
    return 0;
  }
  lulld_reader_fail(r, bad, at);
  return -1;
}

int lulld_vt_ok(const lulld_module *m, lull_valtype t) {
  return !LULL_VT_IS_INDEXED(t) || LULL_VT_INDEX(t) < m->ntypes;
}

/* Abstract heap types from exn (0x69) to noexn (0x74): the names of
 * (ref null ht) and of (ref ht). */
static const char *const heap_names[12][2] = {
    {"exnref", "(ref exn)"},         {"arrayref", "(ref array)"},
    {"structref", "(ref struct)"},   {"i31ref", "(ref i31)"},
    {"eqref", "(ref eq)"},           {"anyref", "(ref any)"},
    {"externref", "(ref extern)"},   {"funcref", "(ref func)"},
    {"nullref", "(ref none)"},       {"nullexternref", "(ref noextern)"},
    {"nullfuncref", "(ref nofunc)"}, {"nullexnref", "(ref noexn)"},
};

const char *lulld_vt_str(lull_valtype t) {
  switch (t) {
  case LULL_I32: return "i32";
  case LULL_I64: return "i64";
  case LULL_F32: return "f32";
  case LULL_F64: return "f64";
  case LULL_V128: return "v128";
  }
  if (!lulld_vt_is_ref(t))
    return "?";
  if (LULL_VT_IS_INDEXED(t))
    return LULL_VT_IS_NULLABLE(t) ? "(ref null $t)" : "(ref $t)";
  return heap_names[LULL_VT_CODE(t) - LULL_HT_EXN][!LULL_VT_IS_NULLABLE(t)];
}

/* The top of a heap type's hierarchy: func, extern, any or exn. */
static uint32_t top_of(uint32_t code) {
  switch (code) {
  case LULL_HT_FUNC:
  case LULL_HT_NOFUNC:
    return LULL_HT_FUNC;
  case LULL_HT_EXTERN:
  case LULL_HT_NOEXTERN:
    return LULL_HT_EXTERN;
  case LULL_HT_EXN:
  case LULL_HT_NOEXN:
    return LULL_HT_EXN;
  }
  return LULL_HT_ANY;
}

uint32_t lulld_vt_top(lull_valtype t) {
  uint32_t c = LULL_VT_CODE(t);
  return LULL_VT_IS_INDEXED(t) && c != LULL_HT_FUNC ? LULL_HT_ANY : top_of(c);
}

static int is_bottom(uint32_t code) {
  return code == LULL_HT_NOFUNC || code == LULL_HT_NOEXTERN ||
         code == LULL_HT_NONE || code == LULL_HT_NOEXN;
}

uint32_t lulld_kind_code(uint8_t kind) {
  return kind == LULLD_COMP_STRUCT  ? LULL_HT_STRUCT
         : kind == LULLD_COMP_ARRAY ? LULL_HT_ARRAY
                                    : LULL_HT_FUNC;
}

lull_valtype lulld_vt_resolve(const lulld_module *m, lull_valtype t) {
  if (!LULL_VT_IS_INDEXED(t) || LULL_VT_INDEX(t) >= m->ntypes)
    return t;
  return (t & ~(lull_valtype)0xFF) |
         lulld_kind_code(m->types[LULL_VT_INDEX(t)].kind);
}

int lulld_type_sub(const lulld_module *m, uint32_t x, uint32_t y) {
  if (x == y)
    return 1;
  if (x >= m->ntypes || y >= m->ntypes)
    return 0;
  uint32_t cy = m->type_canon ? m->type_canon[y] : y;
  /* Declared supertypes have smaller indices, so the walk ends. */
  for (; x < m->ntypes; x = m->types[x].super)
    if (x == y || (m->type_canon && m->type_canon[x] == cy))
      return 1;
  return 0;
}

/* Heap type a below heap type b (both references; nullability apart). */
static int heap_match(const lulld_module *m, lull_valtype a, lull_valtype b) {
  if (m) {
    a = lulld_vt_resolve(m, a);
    b = lulld_vt_resolve(m, b);
  }
  uint32_t ca = LULL_VT_CODE(a), cb = LULL_VT_CODE(b);
  int ia = LULL_VT_IS_INDEXED(a), ib = LULL_VT_IS_INDEXED(b);
  if (ia && ib)
    return m ? lulld_type_sub(m, LULL_VT_INDEX(a), LULL_VT_INDEX(b))
             : LULL_VT_INDEX(a) == LULL_VT_INDEX(b);
  if (ia) /* a concrete type is below the abstract type it belongs to */
    return cb == ca || cb == top_of(ca) ||
           (cb == LULL_HT_EQ && ca != LULL_HT_FUNC);
  if (ib) /* only the bottom of its hierarchy is below a concrete type */
    return is_bottom(ca) && top_of(ca) == top_of(cb);
  if (ca == cb)
    return 1;
  if (top_of(ca) != top_of(cb))
    return 0;
  if (is_bottom(ca) || cb == top_of(cb))
    return 1;
  /* GC's middle of the any hierarchy: i31, struct and array under eq. */
  return cb == LULL_HT_EQ &&
         (ca == LULL_HT_I31 || ca == LULL_HT_STRUCT || ca == LULL_HT_ARRAY);
}

int lulld_vt_match(const lulld_module *m, lull_valtype a, lull_valtype b) {
  if (a == b)
    return 1;
  if (!lulld_vt_is_ref(a) || !lulld_vt_is_ref(b))
    return 0;
  if (LULL_VT_IS_NULLABLE(a) && !LULL_VT_IS_NULLABLE(b))
    return 0;
  return heap_match(m, a, b);
}
