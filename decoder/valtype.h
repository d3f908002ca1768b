/*
 * valtype.h -- value types as lull_valtype (32 bits; the layout is in
 * lull.h): reading them from the binary, naming them, and the subtyping
 * the validator needs. One reader serves the sections (decode_*.c) and the
 * instruction immediates (instr.c), so a type is parsed one way.
 */
#ifndef LULL_DECODER_VALTYPE_H
#define LULL_DECODER_VALTYPE_H

#include <stdint.h>

#include "reader.h"

struct lulld_module;

/* Is `b` a one-byte value type (number, vector, funcref, externref)? The
 * fast paths of the scanner and validator take exactly these; every other
 * encoding goes through lulld_read_valtype. */
static inline int lulld_is_valtype(uint8_t b) {
  return (b >= 0x7B && b <= 0x7F) || b == 0x70 || b == 0x6F;
}

/* The bits of a type below its type index: code, non-null and indexed. */
#define LULLD_VT_FORM(t) ((t) & ((1u << LULL_VT_INDEX_SHIFT) - 1))

/* Is `t` a reference type? (Numbers and vectors have codes 0x7B..0x7F.) */
static inline int lulld_vt_is_ref(lull_valtype t) {
  return LULL_VT_IS_INDEXED(t) ||
         (LULL_VT_CODE(t) >= LULL_HT_EXN && LULL_VT_CODE(t) <= LULL_HT_NOEXN);
}

/* Is every value of type `t` a function reference (or null)? Then its
 * slot holds a lull_func pointer; the other references hold an opaque
 * pointer (externref). */
static inline int lulld_vt_is_funcref(lull_valtype t) {
  uint32_t c = LULL_VT_CODE(t);
  return c == LULL_HT_FUNC || c == LULL_HT_NOFUNC;
}

/* The nullable form of a reference type. */
static inline lull_valtype lulld_vt_nullable(lull_valtype t) {
  return t & ~(lull_valtype)LULL_VT_NONNULL;
}

/* Does the type have a default value (numbers, vectors, nullable
 * references)? A local of a type without one must be set before use. */
static inline int lulld_vt_defaultable(lull_valtype t) {
  return LULL_VT_IS_NULLABLE(t) || !lulld_vt_is_ref(t);
}

/* Reads a value type (`ref` false) or a reference type (`ref` true): the
 * one-byte forms, and with LULL_FEATURE_FUNCTION_REFERENCES in `features`
 * the 0x63 (ref null ht) and 0x64 (ref ht) forms. A type index is kept as
 * read, capped at LULL_VT_MAX_INDEX (the validator reports it unknown).
 * Returns 0, or -1 with the reader's error set ("malformed value type",
 * "malformed reference type", "integer representation too long"...). */
LULL_HIDDEN int lulld_read_valtype(lulld_reader *r, uint32_t features,
                                   int ref, lull_valtype *out);

/* A heap type (an s33: an abstract type's code, or a type index) as the
 * nullable reference type to it: what ref.null and the 0x63/0x64 forms
 * read. Returns 0 or -1 with the reader's error set. */
LULL_HIDDEN int lulld_read_heaptype(lulld_reader *r, uint32_t features,
                                    lull_valtype *out);

/* Is `t` well-formed in module `m` (its type index, if any, exists)? */
LULL_HIDDEN int lulld_vt_ok(const struct lulld_module *m, lull_valtype t);

/* The name of a type ("i32", "funcref", "(ref func)", "(ref null $t)"
 * for any concrete type, "?" for a bad one): lull_valtype_str. */
LULL_HIDDEN const char *lulld_vt_str(lull_valtype t);

/* Subtyping in module `m` (types compared by their module indices): is
 * every value of type `a` a value of type `b`? Numbers and vectors match
 * only themselves; references by nullability and heap type (a concrete
 * function type under func, bottom types under everything of their
 * hierarchy, equal type indices as equal, declared supertypes). */
LULL_HIDDEN int lulld_vt_match(const struct lulld_module *m, lull_valtype a,
                               lull_valtype b);

/* The abstract heap type of a definition's kind (LULLD_COMP_*): func,
 * struct or array. */
LULL_HIDDEN uint32_t lulld_kind_code(uint8_t kind);

/* `t` with the code of a type index set to its definition's kind (a
 * type index is read before its definition is known, as func). Other
 * types and unknown indices are returned as they are. */
LULL_HIDDEN lull_valtype lulld_vt_resolve(const struct lulld_module *m,
                                          lull_valtype t);

/* The top of a reference type's hierarchy: LULL_HT_FUNC, _EXTERN, _ANY
 * or _EXN (a type index's code must be resolved). */
LULL_HIDDEN uint32_t lulld_vt_top(lull_valtype t);

/* Declared subtyping of type indices in `m`: is x y, an equal type, or
 * one of their declared supertypes, transitively? */
LULL_HIDDEN int lulld_type_sub(const struct lulld_module *m, uint32_t x,
                               uint32_t y);

#endif
