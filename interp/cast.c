/*
 * cast.c -- the run-time type of a reference, for ref.test and ref.cast.
 * A function reference carries its type's engine id, so a test against a
 * concrete type walks the declared supertypes of that id; a test against
 * an abstract type needs only the hierarchy. In the any hierarchy an odd
 * pointer is an i31 and an even one a GC object (gc_heap.c), whose
 * header names its kind and type.
 */
#include "interp_internal.h"

/* Is the object `o` a value of heap type `code` (indexed: type `index`)?
 * A HOST box is only an any. */
static int object_test(const lull_engine *e, const lulli_gcobj *o,
                       uint32_t code, int indexed, uint32_t index) {
  uint32_t own = o->kind == LULLI_GC_STRUCT  ? LULL_HT_STRUCT
                 : o->kind == LULLI_GC_ARRAY ? LULL_HT_ARRAY
                                             : LULL_HT_ANY;
  if (indexed)
    return own != LULL_HT_ANY && lulli_type_sub(e, o->type, index);
  if (code == LULL_HT_ANY)
    return 1;
  if (own == LULL_HT_ANY)
    return 0;
  return code == LULL_HT_EQ || code == own;
}

int lulli_ref_test(const lull_engine *e, const void *ref, lull_valtype t) {
  if (!ref)
    return LULL_VT_IS_NULLABLE(t);
  uint32_t code = LULL_VT_CODE(t);
  if (code == LULL_HT_EXTERN)
    return 1;
  if (code == LULL_HT_STRUCT || code == LULL_HT_ARRAY || code == LULL_HT_EQ ||
      code == LULL_HT_ANY || code == LULL_HT_I31) {
    /* An odd pointer is an i31 (REF_I31). */
    if ((uintptr_t)ref & 1u)
      return !LULL_VT_IS_INDEXED(t) &&
             (code == LULL_HT_I31 || code == LULL_HT_EQ || code == LULL_HT_ANY);
    return code != LULL_HT_I31 &&
           object_test(e, ref, code, LULL_VT_IS_INDEXED(t), LULL_VT_INDEX(t));
  }
  if (LULL_VT_IS_INDEXED(t))
    return code == LULL_HT_FUNC &&
           lulli_type_sub(e, ((const lull_func *)ref)->type_id,
                          LULL_VT_INDEX(t));
  /* A non-null reference is a value of its hierarchy's top, and never of
   * a bottom type. */
  return code == LULL_HT_FUNC || code == LULL_HT_EXN;
}
