/*
 * values.h -- the values of wast2json commands: reading them from JSON,
 * turning arguments into lull_val, matching results against expectations
 * and printing both. Prefix spec_.
 *
 * wast2json writes every number as a decimal string of its bits: i32 and
 * i64 unsigned, f32 and f64 as the integer of their IEEE-754 encoding. An
 * expected float may instead be "nan:canonical" or "nan:arithmetic", also
 * per lane of a v128. References are "null", a number N for ref.extern N,
 * "nonnull" for any non-null reference of the type, or (for funcref)
 * anything else for "some non-null function". The .bin.wast front end
 * (script.h) adds {"type": "either", "values": [...]} and the reference
 * types of GC and exception handling (anyref, structref, exnref, ...), of
 * which lull has no values yet: only their nulls can be matched.
 */
#ifndef LULL_SPEC_VALUES_H
#define LULL_SPEC_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "lull.h"

/* How an expected value (or one v128 lane) matches. */
typedef enum spec_pat {
  SPEC_PAT_BITS = 0,      /* exactly these bits (or this reference) */
  SPEC_PAT_NAN_CANONICAL, /* sign free, quiet bit set, payload zero */
  SPEC_PAT_NAN_ARITHMETIC,/* sign free, quiet bit set, any payload */
  SPEC_PAT_NONNULL,       /* a reference that is not null (ref.func,
                             ref.extern without a number) */
  SPEC_PAT_ANY,           /* no value given: only the type is known */
  SPEC_PAT_NULL,          /* a null reference of the type's hierarchy
                             (any null for a hierarchy lull lacks) */
  SPEC_PAT_NO_VALUES      /* a reference lull has no values of (GC,
                             exceptions): never matches, cannot be an
                             argument */
} spec_pat;

/* The shape of a v128 as the test wrote it. */
typedef enum spec_lanes {
  SPEC_LANES_NONE = 0,
  SPEC_LANES_I8,
  SPEC_LANES_I16,
  SPEC_LANES_I32,
  SPEC_LANES_I64,
  SPEC_LANES_F32,
  SPEC_LANES_F64
} spec_lanes;

typedef struct spec_value spec_value;

struct spec_value {
  lull_valtype type;       /* 0 for the reference types lull lacks */
  const char *type_name;   /* as the JSON spells it ("structref") */
  spec_pat pat;            /* for non-v128 values */
  uint64_t bits;           /* i32/f32 in the low 32 bits; externref: the
                              pointer value (N + 1, 0 for null) */
  spec_lanes lanes;        /* v128 only */
  spec_pat lane_pat[16];   /* v128: one per lane, spec_lane_count(lanes)
                              of them */
  uint8_t v128[16];        /* v128: the bytes, little-endian lanes */
  spec_value *alts;        /* "either": the results that may come
                              (malloc'd; `type` is 0) */
  size_t nalts;
};

/* Reads one {"type": ..., "value": ...} object into `out`. Returns 0, or -1
 * with a message in `err` (`errlen` bytes). Free with spec_value_fini. */
int spec_value_parse(const spec_json *node, spec_value *out, char *err,
                     size_t errlen);

/* Frees what spec_value_parse allocated (the alternatives of "either"). */
void spec_value_fini(spec_value *v);

/* When `v` is a value lull cannot check yet (an "either" alternative
 * included), why; else NULL. */
const char *spec_value_unsupported(const spec_value *v);

/* The externref value the runner passes for ref.extern `n`: n + 1, so
 * that ref.extern 0 is not the null reference. */
void *spec_extern_ref(uint64_t n);

/* The type of a lull_val that stands for (ref.host n) in the runner: an
 * anyref holding a host value, whose bits are in `externref`. (ref none)
 * has no values in Wasm, so the two never meet. spec_value_to_val makes
 * one for an argument, which the session boxes (lull_gc_host_ref);
 * the session unboxes results into one (spec_val_unbox_host). */
#define SPEC_HOSTREF LULL_REF(LULL_HT_NONE, 0)

/* Turns an anyref result holding a host value into a SPEC_HOSTREF. */
void spec_val_unbox_host(const lull_engine *e, lull_val *v);

/* Converts an argument to a lull_val. Fails (-1, message in `err`) for
 * patterns, which only an expectation may hold, for ref.func, and for
 * references lull has no values of. */
int spec_value_to_val(const spec_value *v, lull_val *out, char *err,
                      size_t errlen);

/* Number of lanes of a v128 shape (0 for SPEC_LANES_NONE). */
unsigned spec_lane_count(spec_lanes lanes);

/* 1 when `got` matches `exp`: same type, then the pattern. Floats compare
 * by bits, NaN patterns by class. A SPEC_PAT_ANY expectation matches any
 * value of its type, SPEC_PAT_NULL a null of its hierarchy, "either" when
 * one of its alternatives matches. */
int spec_value_match(const spec_value *exp, const lull_val *got);

/* Writes a readable form of an expectation ("i32:42", "f32:nan:canonical",
 * "v128:i32x4 1 2 3 4") into `buf` (always NUL-terminated). */
void spec_value_format(const spec_value *v, char *buf, size_t n);

/* Writes a readable form of an actual value; a v128 is shown in the shape
 * `lanes` (SPEC_LANES_NONE: i32x4), to line up with its expectation. */
void spec_val_format(const lull_val *v, spec_lanes lanes, char *buf,
                     size_t n);

#endif
