/*
 * test_typed_refs.c -- typed function references and extended constant
 * expressions in the decoder and validator: the 0x63/0x64 reference
 * types, call_ref, ref.as_non_null, br_on_null, br_on_non_null, the
 * initialization rule of non-nullable locals, tables with initializers,
 * type indices that must exist (and refer back), equal types as one, and
 * arithmetic in constant expressions; each refused as in Wasm 2.0 when
 * its proposal is off.
 *
 * Modules are written in the hex notation of decode_util.h.
 */
#include "decode_util.h"
#include "test_util.h"

#define FR (LULL_FEATURE_FUNCTION_REFERENCES | LULL_FEATURE_EXTENDED_CONST)

/* Types: 0 () -> (); 1 ((ref 0)) -> (); 2 ((ref null 0)) -> ((ref 0)). */
#define TYPES "01{03 60 00 00  60 01 64 00 00  60 01 63 00 01 64 00} "
/* Function 0 of type 0 (empty) and function 1 of type `ty` whose body is
 * `b`, with the local declarations `l` (e.g. "00": none). */
#define FN2(ty, l, b)                                                         \
  HDR TYPES "03{02 00 " ty "} 0a{02 {00 0b} {" l " " b " 0b}}"

static lull_status check(const char *hex, uint32_t features,
                         lull_error *err) {
  lulld_module *m = NULL;
  memset(err, 0, sizeof *err);
  lull_status s = decode_hex_features(hex, features, &m, err);
  if (s == LULL_OK)
    s = lulld_validate(m, err);
  lulld_module_free(m);
  return s;
}

static void valid(const char *hex) {
  lull_error err;
  lull_status s = check(hex, FR, &err);
  if (s != LULL_OK)
    fail_msg("expected a valid module, got %d: %s", s, err.message);
}

/* Invalid or malformed (`status`) with a message starting with `msg`. */
static void refused(const char *hex, uint32_t features, lull_status status,
                    const char *msg) {
  lull_error err;
  lull_status s = check(hex, features, &err);
  if (s != status || strncmp(err.message, msg, strlen(msg)) != 0)
    fail_msg("expected %d \"%s\", got %d: %s", status, msg, s,
             s == LULL_OK ? "(valid)" : err.message);
}

static void invalid(const char *hex, const char *msg) {
  refused(hex, FR, LULL_INVALID, msg);
}

static void call_ref_is_typed_by_its_index(void **state) {
  (void)state;
  valid(FN2("01", "00", "20 00 14 00"));
  /* The reference must be to the type named. */
  invalid(FN2("00", "00", "41 00 14 00"), "type mismatch");
  invalid(FN2("01", "00", "20 00 14 01"), "type mismatch");
  invalid(FN2("01", "00", "20 00 14 07"), "unknown type");
}

static void ref_as_non_null_and_the_branches_on_null(void **state) {
  (void)state;
  /* (ref null 0) -> (ref 0) */
  valid(FN2("02", "00", "20 00 d4"));
  invalid(FN2("00", "00", "41 00 d4"), "type mismatch");
  /* Returning the nullable parameter itself does not fit (ref 0). */
  invalid(FN2("02", "00", "20 00"), "type mismatch");
  /* br_on_null leaves the reference non-null. */
  valid(FN2("02", "00", "02 40 20 00 d5 00 1a 0b 20 00 d4"));
  /* The label (the function's result) needs a (ref 0) below. */
  invalid(FN2("02", "00", "20 00 d5 00 0f"), "type mismatch");
  /* br_on_non_null needs a label that takes the reference last: here a
   * block of type (ref 0), a block type in the 0x64 form. */
  valid(FN2("02", "00", "02 64 00 20 00 d6 00 00 0b"));
  invalid(FN2("02", "00", "02 40 20 00 d6 00 0b 20 00 d4"), "type mismatch");
  invalid(FN2("00", "00", "41 00 d5 00 1a"), "type mismatch");
}

static void non_nullable_locals_must_be_set_first(void **state) {
  (void)state;
  /* Function 1: parameter 0 and local 1 of type (ref 0). */
  valid(FN2("01", "01 01 64 00", "20 00 21 01 20 01 1a"));
  valid(FN2("01", "01 01 64 00", "20 00 22 01 1a 20 01 1a"));
  invalid(FN2("01", "01 01 64 00", "20 01 1a"), "uninitialized local");
  /* What a block sets is forgotten at its end. */
  invalid(FN2("01", "01 01 64 00", "02 40 20 00 21 01 0b 20 01 1a"),
          "uninitialized local");
  valid(FN2("01", "01 01 64 00", "02 40 20 00 21 01 20 01 1a 0b"));
  /* A nullable local has its default, null. */
  valid(FN2("01", "01 01 63 00", "20 01 1a"));
}

static void tables_of_non_nullable_references_need_an_initializer(
    void **state) {
  (void)state;
  /* One function of type 0; a table of (ref func) filled with it. */
  valid(HDR TYPES "03{01 00} 04{01 40 00 64 70 00 01 d2 00 0b} 0a{01 {00 0b}}");
  invalid(HDR TYPES "03{01 00} 04{01 64 70 00 01} 0a{01 {00 0b}}",
          "type mismatch");
  /* The initializer must fit the element type. */
  invalid(HDR TYPES "03{01 00} 04{01 40 00 64 70 00 01 d0 70 0b} "
                    "0a{01 {00 0b}}",
          "type mismatch");
  /* Without the proposal the 0x40 form is not a table type. */
  refused(HDR TYPES "04{01 40 00 70 00 01 d0 70 0b}", 0, LULL_MALFORMED,
          "malformed");
}

static void type_indices_exist_and_refer_back(void **state) {
  (void)state;
  invalid(HDR "01{02 60 01 64 01 00 60 00 00}", "unknown type");
  valid(HDR "01{01 60 01 64 00 00}"); /* a type may refer to itself */
  invalid(FN2("00", "01 01 64 09", ""), "unknown type");
  invalid(FN2("00", "00", "d0 09 1a"), "unknown type");
}

static void structurally_equal_types_are_one(void **state) {
  (void)state;
  /* Types 0 and 1 are both () -> (); call_ref 0 takes a (ref 1). */
  valid(HDR "01{03 60 00 00 60 00 00 60 01 64 01 00} 03{01 02} "
            "0a{01 {00 20 00 14 00 0b}}");
  /* Types 0 and 1 differ: () -> () and () -> (i32). */
  invalid(HDR "01{03 60 00 00 60 00 01 7f 60 01 64 01 00} 03{01 02} "
              "0a{01 {00 20 00 14 00 0b}}",
          "type mismatch");
}

static void ref_func_has_its_function_type(void **state) {
  (void)state;
  /* ref.func 0 (declared by an export) is a (ref 0): call_ref takes it. */
  valid(HDR TYPES "03{01 00} 07{01 01 'f' 00 00} 0a{01 {00 d2 00 14 00 0b}}");
  /* A (ref func) is not a (ref 0). */
  invalid(HDR TYPES "03{02 00 02} 0a{02 {00 0b} {00 20 00 d4 14 01 0b}}",
          "type mismatch");
}

static void wasm_2_0_refuses_the_new_forms(void **state) {
  (void)state;
  refused(HDR "01{01 60 01 64 00 00}", 0, LULL_MALFORMED,
          "malformed value type");
  refused(FN2("01", "00", "20 00 14 00"), 0, LULL_MALFORMED,
          "malformed value type");
  refused(HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 41 00 d4 0b}}", 0,
          LULL_MALFORMED, "illegal opcode");
}

static void extended_constant_expressions(void **state) {
  (void)state;
  /* global i32 = 1 + 2 * 3, global i64 = 5 - 1 */
  valid(HDR "06{02 7f 00 41 01 41 02 41 03 6c 6a 0b "
            "7e 00 42 05 42 01 7d 0b}");
  invalid(HDR "06{01 7f 00 41 01 42 02 6a 0b}", "type mismatch");
  invalid(HDR "06{01 7f 00 41 01 41 02 0b}", "type mismatch");
  invalid(HDR "06{01 7e 00 41 01 41 02 6a 0b}", "type mismatch");
  refused(HDR "06{01 7f 00 41 01 41 02 6a 0b}", 0, LULL_INVALID,
          "constant expression required");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(call_ref_is_typed_by_its_index),
      cmocka_unit_test(ref_as_non_null_and_the_branches_on_null),
      cmocka_unit_test(non_nullable_locals_must_be_set_first),
      cmocka_unit_test(tables_of_non_nullable_references_need_an_initializer),
      cmocka_unit_test(type_indices_exist_and_refer_back),
      cmocka_unit_test(structurally_equal_types_are_one),
      cmocka_unit_test(ref_func_has_its_function_type),
      cmocka_unit_test(wasm_2_0_refuses_the_new_forms),
      cmocka_unit_test(extended_constant_expressions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
