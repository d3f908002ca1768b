/*
 * cast.c -- the run-time type of a reference, for ref.test and ref.cast.
 * A function reference carries its type's engine id, so a test against a
 * concrete type walks the declared supertypes of that id; a test against
 * an abstract type needs only the hierarchy. In the any hierarchy an odd
 * pointer is an i31; structs, arrays and converted externs do not exist
 * yet.
 */
#include "interp_internal.h"

int lulli_ref_test(const lull_engine *e, const void *ref, lull_valtype t) {
  if (!ref)
    return LULL_VT_IS_NULLABLE(t);
  uint32_t code = LULL_VT_CODE(t);
  /* An odd pointer is an i31 (REF_I31). */
  if ((uintptr_t)ref & 1u)
    return code == LULL_HT_I31 || code == LULL_HT_EQ || code == LULL_HT_ANY;
  if (LULL_VT_IS_INDEXED(t))
    return code == LULL_HT_FUNC &&
           lulli_type_sub(e, ((const lull_func *)ref)->type_id,
                          LULL_VT_INDEX(t));
  /* A non-null reference is a value of its hierarchy's top, and never of
   * a bottom type. */
  return code == LULL_HT_FUNC || code == LULL_HT_EXTERN ||
         code == LULL_HT_ANY || code == LULL_HT_EXN;
}
