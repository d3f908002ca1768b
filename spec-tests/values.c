/*
 * values.c -- reading, converting, matching and printing spec-test values.
 * Everything is done on bit patterns: a float that went through a C double
 * could lose a signalling NaN's payload, which is exactly what some tests
 * look at.
 */
#include "values.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define F32_QUIET 0x00400000u
#define F32_EXP 0x7F800000u
#define F64_QUIET UINT64_C(0x0008000000000000)
#define F64_EXP UINT64_C(0x7FF0000000000000)

static void put_err(char *err, size_t errlen, const char *what,
                    const char *detail) {
  if (errlen)
    snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "",
             detail ? detail : "");
}

/* A decimal integer that must fit in `bits` bits, either as an unsigned
 * number or (with a leading '-') as a two's-complement one. wast2json only
 * writes unsigned ones, but hand-written JSON may not. */
static int parse_int(const char *s, unsigned bits, uint64_t *out) {
  int neg = 0;
  if (*s == '-') {
    neg = 1;
    s++;
  }
  if (*s < '0' || *s > '9')
    return -1;
  uint64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  if (neg) {
    uint64_t limit = UINT64_C(1) << (bits - 1); /* |INT_MIN| */
    if (v > limit)
      return -1;
    v = (0 - v) & mask;
  } else if (v > mask) {
    return -1;
  }
  *out = v;
  return 0;
}

/* Reads a float or integer field that may also be a NaN pattern. */
static int parse_num(const char *s, unsigned bits, int is_float,
                     spec_pat *pat, uint64_t *out) {
  *out = 0;
  if (is_float && strcmp(s, "nan:canonical") == 0) {
    *pat = SPEC_PAT_NAN_CANONICAL;
    return 0;
  }
  if (is_float && strcmp(s, "nan:arithmetic") == 0) {
    *pat = SPEC_PAT_NAN_ARITHMETIC;
    return 0;
  }
  *pat = SPEC_PAT_BITS;
  return parse_int(s, bits, out);
}

unsigned spec_lane_count(spec_lanes lanes) {
  switch (lanes) {
  case SPEC_LANES_I8: return 16;
  case SPEC_LANES_I16: return 8;
  case SPEC_LANES_I32: case SPEC_LANES_F32: return 4;
  case SPEC_LANES_I64: case SPEC_LANES_F64: return 2;
  case SPEC_LANES_NONE: break;
  }
  return 0;
}

static int lane_is_float(spec_lanes lanes) {
  return lanes == SPEC_LANES_F32 || lanes == SPEC_LANES_F64;
}

static const char *lanes_name(spec_lanes lanes) {
  static const char *const names[] = {"i32x4", "i8x16", "i16x8", "i32x4",
                                      "i64x2", "f32x4", "f64x2"};
  return names[lanes];
}

static int parse_lanes_type(const char *s, spec_lanes *out) {
  static const struct { const char *name; spec_lanes lanes; } map[] = {
      {"i8", SPEC_LANES_I8},   {"i16", SPEC_LANES_I16},
      {"i32", SPEC_LANES_I32}, {"i64", SPEC_LANES_I64},
      {"f32", SPEC_LANES_F32}, {"f64", SPEC_LANES_F64}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(s, map[i].name) == 0) {
      *out = map[i].lanes;
      return 0;
    }
  return -1;
}

static int parse_v128(const spec_json *node, spec_value *out, char *err,
                      size_t errlen) {
  const char *lt = spec_json_get_str(node, "lane_type");
  const spec_json *arr = spec_json_get(node, "value");
  if (!lt || !arr) {
    /* A bare {"type": "v128"} (assert_trap result lists) names the type
     * only. */
    if (!lt && !arr) {
      out->pat = SPEC_PAT_ANY;
      return 0;
    }
    put_err(err, errlen, "v128 needs both lane_type and value", NULL);
    return -1;
  }
  if (parse_lanes_type(lt, &out->lanes) != 0) {
    put_err(err, errlen, "unknown lane_type", lt);
    return -1;
  }
  unsigned count = spec_lane_count(out->lanes);
  unsigned width = 128 / count;
  if (arr->kind != SPEC_JSON_ARRAY || arr->len != count) {
    put_err(err, errlen, "wrong number of v128 lanes for", lt);
    return -1;
  }
  unsigned i = 0;
  for (const spec_json *l = arr->child; l; l = l->next, i++) {
    uint64_t bits;
    if (l->kind != SPEC_JSON_STRING ||
        parse_num(l->str, width, lane_is_float(out->lanes), &out->lane_pat[i],
                  &bits) != 0) {
      put_err(err, errlen, "bad v128 lane",
              l->kind == SPEC_JSON_STRING ? l->str : "(not a string)");
      return -1;
    }
    for (unsigned b = 0; b < width / 8; b++)
      out->v128[i * (width / 8) + b] = (uint8_t)(bits >> (8 * b));
  }
  return 0;
}

/* The reference types a script may name. `family` is the lull type of
 * their values, 0 where lull has none yet (`why`). */
/* The family of the any hierarchy's values, which lull keeps in
 * `externref`. */
#define SPEC_ANYREF LULL_REF(LULL_HT_ANY, 1)
/* What a non-null expectation of that family asks for (in `bits`). */
#define SPEC_ANY_I31 1u
#define SPEC_ANY_OBJECT 2u
/* The family of exception references, also kept in `externref`. */
#define SPEC_EXNREF LULL_REF(LULL_HT_EXN, 1)

static const struct {
  const char *name;
  lull_valtype family;
  const char *why;
} ref_types[] = {
    {"funcref", LULL_FUNCREF, NULL},
    {"externref", LULL_EXTERNREF, NULL},
    {"nullfuncref", LULL_FUNCREF, NULL},
    {"nullexternref", LULL_EXTERNREF, NULL},
    {"anyref", SPEC_ANYREF, NULL},
    {"eqref", SPEC_ANYREF, NULL},
    {"i31ref", SPEC_ANYREF, NULL},
    {"structref", SPEC_ANYREF, NULL},
    {"arrayref", SPEC_ANYREF, NULL},
    {"nullref", SPEC_ANYREF, NULL},
    {"hostref", SPEC_HOSTREF, NULL},
    {"exnref", SPEC_EXNREF, NULL},
    {"nullexnref", SPEC_EXNREF, NULL},
    {"ref", 0, "a null of a type lull does not name"},
};

static int parse_ref(const spec_json *node, size_t i, spec_value *out,
                     char *err, size_t errlen) {
  const char *s = spec_json_get_str(node, "value");
  out->type = ref_types[i].family;
  if (!s) {
    out->pat = ref_types[i].family ? SPEC_PAT_ANY : SPEC_PAT_NO_VALUES;
    return 0;
  }
  if (strcmp(s, "null") == 0) {
    out->pat = SPEC_PAT_NULL;
    return 0;
  }
  if (!ref_types[i].family) {
    out->pat = SPEC_PAT_NO_VALUES;
    return 0;
  }
  if (out->type == SPEC_ANYREF) {
    /* (ref.i31), (ref.struct)...: some value of that kind. */
    out->pat = SPEC_PAT_NONNULL;
    out->bits = strcmp(ref_types[i].name, "i31ref") == 0      ? SPEC_ANY_I31
                : strcmp(ref_types[i].name, "structref") == 0 ||
                          strcmp(ref_types[i].name, "arrayref") == 0
                    ? SPEC_ANY_OBJECT
                    : 0;
    return 0;
  }
  if (strcmp(s, "nonnull") == 0 || out->type == LULL_FUNCREF ||
      out->type == SPEC_EXNREF) {
    /* wast2json has no way to name a function: ref.func only says "some
     * function". */
    out->pat = SPEC_PAT_NONNULL;
    return 0;
  }
  /* (ref.extern n) and (ref.host n): the runner's host value n + 1. */
  uint64_t n;
  if (parse_int(s, 64, &n) != 0 || n >= UINTPTR_MAX) {
    put_err(err, errlen,
            out->type == SPEC_HOSTREF ? "bad hostref value"
                                      : "bad externref value",
            s);
    return -1;
  }
  out->bits = (uint64_t)(uintptr_t)spec_extern_ref(n);
  return 0;
}

void *spec_extern_ref(uint64_t n) { return (void *)(uintptr_t)(n + 1); }

void spec_val_unbox_host(const lull_engine *e, lull_val *v) {
  void *host;
  if (lull_valtype_is_ref(v->type) && lull_val_host(e, v, &host)) {
    v->type = SPEC_HOSTREF;
    v->of.externref = host;
  }
}

static int parse_either(const spec_json *node, spec_value *out, char *err,
                        size_t errlen) {
  const spec_json *vals = spec_json_get(node, "values");
  if (!vals || vals->kind != SPEC_JSON_ARRAY || vals->len == 0) {
    put_err(err, errlen, "either without values", NULL);
    return -1;
  }
  out->alts = calloc(vals->len, sizeof *out->alts);
  if (!out->alts) {
    put_err(err, errlen, "out of memory", NULL);
    return -1;
  }
  for (const spec_json *v = vals->child; v; v = v->next) {
    if (spec_value_parse(v, &out->alts[out->nalts], err, errlen) != 0) {
      spec_value_fini(out);
      return -1;
    }
    out->nalts++;
  }
  return 0;
}

int spec_value_parse(const spec_json *node, spec_value *out, char *err,
                     size_t errlen) {
  memset(out, 0, sizeof *out);
  const char *type = spec_json_get_str(node, "type");
  if (!type) {
    put_err(err, errlen, "value without a type", NULL);
    return -1;
  }
  static const struct { const char *name; lull_valtype type; unsigned bits; }
  types[] = {{"i32", LULL_I32, 32},  {"i64", LULL_I64, 64},
             {"f32", LULL_F32, 32},  {"f64", LULL_F64, 64},
             {"v128", LULL_V128, 0}};
  for (size_t i = 0; i < sizeof ref_types / sizeof ref_types[0]; i++)
    if (strcmp(ref_types[i].name, type) == 0) {
      out->type_name = ref_types[i].name;
      return parse_ref(node, i, out, err, errlen);
    }
  if (strcmp(type, "either") == 0) {
    out->type_name = "either";
    return parse_either(node, out, err, errlen);
  }
  size_t i = 0;
  while (i < sizeof types / sizeof types[0] && strcmp(types[i].name, type))
    i++;
  if (i == sizeof types / sizeof types[0]) {
    put_err(err, errlen, "unsupported value type", type);
    return -1;
  }
  out->type = types[i].type;
  out->type_name = types[i].name;
  if (out->type == LULL_V128)
    return parse_v128(node, out, err, errlen);
  const char *s = spec_json_get_str(node, "value");
  if (!s) {
    out->pat = SPEC_PAT_ANY;
    return 0;
  }
  int is_float = out->type == LULL_F32 || out->type == LULL_F64;
  if (parse_num(s, types[i].bits, is_float, &out->pat, &out->bits) != 0) {
    put_err(err, errlen, "bad number", s);
    return -1;
  }
  return 0;
}

void spec_value_fini(spec_value *v) {
  for (size_t i = 0; i < v->nalts; i++)
    spec_value_fini(&v->alts[i]);
  free(v->alts);
  v->alts = NULL;
  v->nalts = 0;
}

const char *spec_value_unsupported(const spec_value *v) {
  for (size_t i = 0; i < v->nalts; i++)
    if (spec_value_unsupported(&v->alts[i]))
      return spec_value_unsupported(&v->alts[i]);
  if (v->pat != SPEC_PAT_NO_VALUES)
    return NULL;
  for (size_t i = 0; i < sizeof ref_types / sizeof ref_types[0]; i++)
    if (strcmp(ref_types[i].name, v->type_name) == 0)
      return ref_types[i].why;
  return "lull cannot represent this reference";
}

int spec_value_to_val(const spec_value *v, lull_val *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  out->type = v->type;
  if (!v->type) {
    const char *why = spec_value_unsupported(v);
    put_err(err, errlen, v->type_name ? v->type_name : "value",
            why ? why : "not a value lull has");
    return -1;
  }
  int patterned = v->pat != SPEC_PAT_BITS && v->pat != SPEC_PAT_NULL;
  if (v->type == LULL_V128)
    for (unsigned i = 0; i < spec_lane_count(v->lanes); i++)
      patterned |= v->lane_pat[i] != SPEC_PAT_BITS;
  if (patterned) {
    put_err(err, errlen, "an argument must be a concrete value", NULL);
    return -1;
  }
  uint32_t u32 = (uint32_t)v->bits;
  switch (v->type) {
  case LULL_I32: out->of.i32 = (int32_t)u32; break;
  case LULL_I64: out->of.i64 = (int64_t)v->bits; break;
  case LULL_F32: memcpy(&out->of.f32, &u32, 4); break;
  case LULL_F64: memcpy(&out->of.f64, &v->bits, 8); break;
  case LULL_V128: memcpy(out->of.v128, v->v128, 16); break;
  case LULL_FUNCREF: out->of.funcref = NULL; break;
  case LULL_EXTERNREF:
  case SPEC_HOSTREF: out->of.externref = (void *)(uintptr_t)v->bits; break;
  }
  return 0;
}

static int match_f32(spec_pat pat, uint32_t want, uint32_t got) {
  switch (pat) {
  case SPEC_PAT_NAN_CANONICAL:
    return (got & 0x7FFFFFFFu) == (F32_EXP | F32_QUIET);
  case SPEC_PAT_NAN_ARITHMETIC:
    return (got & (F32_EXP | F32_QUIET)) == (F32_EXP | F32_QUIET);
  case SPEC_PAT_ANY: return 1;
  default: return got == want;
  }
}

static int match_f64(spec_pat pat, uint64_t want, uint64_t got) {
  switch (pat) {
  case SPEC_PAT_NAN_CANONICAL:
    return (got & ~(UINT64_C(1) << 63)) == (F64_EXP | F64_QUIET);
  case SPEC_PAT_NAN_ARITHMETIC:
    return (got & (F64_EXP | F64_QUIET)) == (F64_EXP | F64_QUIET);
  case SPEC_PAT_ANY: return 1;
  default: return got == want;
  }
}

static uint64_t load_le(const uint8_t *p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned b = 0; b < bytes; b++)
    v |= (uint64_t)p[b] << (8 * b);
  return v;
}

static int match_v128(const spec_value *exp, const uint8_t *got) {
  if (exp->pat == SPEC_PAT_ANY)
    return 1;
  unsigned count = spec_lane_count(exp->lanes);
  unsigned bytes = 16 / count;
  for (unsigned i = 0; i < count; i++) {
    uint64_t w = load_le(exp->v128 + i * bytes, bytes);
    uint64_t g = load_le(got + i * bytes, bytes);
    int ok = exp->lanes == SPEC_LANES_F32 ? match_f32(exp->lane_pat[i],
                                                      (uint32_t)w, (uint32_t)g)
             : exp->lanes == SPEC_LANES_F64 ? match_f64(exp->lane_pat[i], w, g)
                                            : w == g;
    if (!ok)
      return 0;
  }
  return 1;
}

/* The hierarchy of a value's type: LULL_FUNCREF for every function
 * reference ((ref $t), (ref null nofunc), ...), LULL_EXTERNREF for every
 * extern one, 0 for a reference of another hierarchy (lull keeps those in
 * `externref`), and the type itself for numbers and vectors. Results are
 * compared by what they hold, whatever their declared reference type. */
static lull_valtype family(lull_valtype t) {
  if (!lull_valtype_is_ref(t))
    return t;
  switch (LULL_VT_CODE(t)) {
  case LULL_HT_FUNC: case LULL_HT_NOFUNC: return LULL_FUNCREF;
  case LULL_HT_EXTERN: case LULL_HT_NOEXTERN: return LULL_EXTERNREF;
  case LULL_HT_EXN: case LULL_HT_NOEXN: return SPEC_EXNREF;
  default: return t == SPEC_HOSTREF ? SPEC_HOSTREF : SPEC_ANYREF;
  }
}

static int is_null(const lull_val *v) {
  return family(v->type) == LULL_FUNCREF ? v->of.funcref == NULL
                                         : v->of.externref == NULL;
}

int spec_value_match(const spec_value *exp, const lull_val *got) {
  for (size_t i = 0; i < exp->nalts; i++)
    if (spec_value_match(&exp->alts[i], got))
      return 1;
  lull_valtype fam = family(got->type);
  if (exp->pat == SPEC_PAT_NULL) {
    /* (ref.null nofunc) matches a null funcref, as the reference
     * interpreter compares within a hierarchy; a null whose hierarchy
     * lull has no type for, or (ref.null), matches any null. */
    lull_valtype want = exp->type == SPEC_HOSTREF ? SPEC_ANYREF : exp->type;
    if (!lull_valtype_is_ref(got->type) || (want && want != fam))
      return 0;
    return is_null(got);
  }
  if (!exp->type || exp->type != fam)
    return 0;
  uint32_t u32;
  uint64_t u64;
  switch (exp->type) {
  case LULL_I32:
    return exp->pat == SPEC_PAT_ANY || (uint32_t)got->of.i32 == exp->bits;
  case LULL_I64:
    return exp->pat == SPEC_PAT_ANY || (uint64_t)got->of.i64 == exp->bits;
  case LULL_F32:
    memcpy(&u32, &got->of.f32, 4);
    return match_f32(exp->pat, (uint32_t)exp->bits, u32);
  case LULL_F64:
    memcpy(&u64, &got->of.f64, 8);
    return match_f64(exp->pat, exp->bits, u64);
  case LULL_V128:
    return match_v128(exp, got->of.v128);
  case LULL_FUNCREF:
    if (exp->pat == SPEC_PAT_ANY)
      return 1;
    if (exp->pat == SPEC_PAT_NONNULL)
      return got->of.funcref != NULL;
    return got->of.funcref == NULL;
  case SPEC_ANYREF:
    /* An i31 is told apart from an object; which object, not yet. */
    if (exp->pat == SPEC_PAT_ANY)
      return 1;
    if (!got->of.externref)
      return 0;
    return exp->bits == SPEC_ANY_I31      ? lull_val_i31(got, NULL)
           : exp->bits == SPEC_ANY_OBJECT ? !lull_val_i31(got, NULL)
                                          : 1;
  case SPEC_HOSTREF:
  case SPEC_EXNREF:
  case LULL_EXTERNREF:
    if (exp->pat == SPEC_PAT_NONNULL)
      return got->of.externref != NULL;
    return exp->pat == SPEC_PAT_ANY ||
           (uintptr_t)got->of.externref == (uintptr_t)exp->bits;
  }
  return 0;
}

/* ---------------------------------------------------------------------
 * Printing. A bounded appender keeps every writer simple: it never writes
 * past `n` and always leaves the buffer terminated.
 * --------------------------------------------------------------------- */

typedef struct out {
  char *buf;
  size_t n;
  size_t len;
} out;

__attribute__((format(printf, 2, 3))) static void put(out *o, const char *fmt,
                                                      ...) {
  if (o->len >= o->n)
    return;
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
  va_end(ap);
  if (k > 0)
    o->len += (size_t)k;
  if (o->len >= o->n)
    o->len = o->n - 1;
}

static void put_f32(out *o, spec_pat pat, uint32_t bits) {
  if (pat == SPEC_PAT_NAN_CANONICAL) {
    put(o, "nan:canonical");
  } else if (pat == SPEC_PAT_NAN_ARITHMETIC) {
    put(o, "nan:arithmetic");
  } else {
    float f;
    memcpy(&f, &bits, 4);
    put(o, "0x%08" PRIx32 "(%.9g)", bits, (double)f);
  }
}

static void put_f64(out *o, spec_pat pat, uint64_t bits) {
  if (pat == SPEC_PAT_NAN_CANONICAL) {
    put(o, "nan:canonical");
  } else if (pat == SPEC_PAT_NAN_ARITHMETIC) {
    put(o, "nan:arithmetic");
  } else {
    double d;
    memcpy(&d, &bits, 8);
    put(o, "0x%016" PRIx64 "(%.17g)", bits, d);
  }
}

static void put_lanes(out *o, spec_lanes lanes, const uint8_t *bytes,
                      const spec_pat *pats) {
  if (lanes == SPEC_LANES_NONE)
    lanes = SPEC_LANES_I32;
  unsigned count = spec_lane_count(lanes);
  unsigned size = 16 / count;
  put(o, "%s", lanes_name(lanes));
  for (unsigned i = 0; i < count; i++) {
    uint64_t v = load_le(bytes + i * size, size);
    spec_pat p = pats ? pats[i] : SPEC_PAT_BITS;
    put(o, " ");
    if (lanes == SPEC_LANES_F32)
      put_f32(o, p, (uint32_t)v);
    else if (lanes == SPEC_LANES_F64)
      put_f64(o, p, v);
    else
      put(o, "%" PRIu64, v);
  }
}

void spec_value_format(const spec_value *v, char *buf, size_t n) {
  out o = {buf, n, 0};
  if (n)
    buf[0] = '\0';
  if (v->nalts) {
    put(&o, "either(");
    for (size_t i = 0; i < v->nalts; i++) {
      char alt[200];
      spec_value_format(&v->alts[i], alt, sizeof alt);
      put(&o, "%s%s", i ? " | " : "", alt);
    }
    put(&o, ")");
    return;
  }
  put(&o, "%s:", v->type_name ? v->type_name : lull_valtype_str(v->type));
  switch (v->pat) {
  case SPEC_PAT_ANY: put(&o, "any"); return;
  case SPEC_PAT_NULL: put(&o, "null"); return;
  case SPEC_PAT_NONNULL:
  case SPEC_PAT_NO_VALUES: put(&o, "nonnull"); return;
  default: break;
  }
  switch (v->type) {
  case LULL_I32: put(&o, "%" PRIu32, (uint32_t)v->bits); break;
  case LULL_I64: put(&o, "%" PRIu64, v->bits); break;
  case LULL_F32: put_f32(&o, v->pat, (uint32_t)v->bits); break;
  case LULL_F64: put_f64(&o, v->pat, v->bits); break;
  case LULL_V128: put_lanes(&o, v->lanes, v->v128, v->lane_pat); break;
  case LULL_FUNCREF: put(&o, "func"); break;
  case LULL_EXTERNREF: put(&o, "%" PRIu64, v->bits - 1); break;
  }
}

void spec_val_format(const lull_val *v, spec_lanes lanes, char *buf,
                     size_t n) {
  out o = {buf, n, 0};
  if (n)
    buf[0] = '\0';
  put(&o, "%s:", lull_valtype_str(v->type));
  uint32_t u32;
  uint64_t u64;
  switch (family(v->type)) {
  case LULL_I32: put(&o, "%" PRIu32, (uint32_t)v->of.i32); break;
  case LULL_I64: put(&o, "%" PRIu64, (uint64_t)v->of.i64); break;
  case LULL_F32:
    memcpy(&u32, &v->of.f32, 4);
    put_f32(&o, SPEC_PAT_BITS, u32);
    break;
  case LULL_F64:
    memcpy(&u64, &v->of.f64, 8);
    put_f64(&o, SPEC_PAT_BITS, u64);
    break;
  case LULL_V128: put_lanes(&o, lanes, v->of.v128, NULL); break;
  case LULL_FUNCREF:
    put(&o, v->of.funcref ? "func" : "null");
    break;
  case SPEC_HOSTREF:
  case LULL_EXTERNREF:
    if (v->of.externref)
      put(&o, "%" PRIuPTR, (uintptr_t)v->of.externref - 1);
    else
      put(&o, "null");
    break;
  default:
    if (lull_valtype_is_ref(v->type))
      put(&o, "%s", is_null(v) ? "null" : "nonnull");
    else
      put(&o, "?");
    break;
  }
}
