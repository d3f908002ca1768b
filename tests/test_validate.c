/*
 * test_validate.c -- the validator (decoder/validate*.c): every error
 * message it emits, fed an invalid module (wording first, then function
 * and offset); the polymorphic stack after unreachable, br, br_table and
 * return; multi-value blocks; the max_height it records for the compiler
 * (v128 counting two slots); locals found past the spelled-out prefix; and
 * out-of-memory at every allocation it makes.
 *
 * Invalid modules are written in the hex notation of decode_util.h (byte
 * by byte, so each is wrong in exactly the one way it tests); a valid
 * module with a bit of everything comes from tests/wat/validate_ok.wat.
 */
#include "decode_util.h"
#include "test_util.h"

/* 16 zero bytes: a v128.const immediate or a shuffle's lanes. */
#define V16 "00000000 00000000 00000000 00000000 "
#define F64Z "44 00000000 00000000 "
#define V128Z "fd 0c " V16

/* One function of type () -> () whose body is `b` and `end`. Its first
 * instruction is at offset 0x17. */
#define FN(b) HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 " b " 0b}}"
/* The same with memory 0 (one page); the body starts at 0x1c. */
#define FN_MEM(b)                                                             \
  HDR "01{01 60 00 00} 03{01 00} 05{01 00 01} 0a{01 {00 " b " 0b}}"
/* One function of type 0 from the type section contents `t` (without the
 * count, which is 1). The body starts at 0x14 + the size of `t`. */
#define FN_T(t, b) HDR "01{01 " t "} 03{01 00} 0a{01 {00 " b " 0b}}"
/* Types used with FN_TYPES: 0 () -> (), 1 () -> i32, 2 (i32) -> i32,
 * 3 (i32 i32) -> (i32 i32), 4 (i64) -> i32; the function has type 0 or
 * 1 and the others are there for block types and calls. */
#define TYPES                                                                 \
  "01{05 60 00 00  60 00 01 7f  60 01 7f 01 7f  60 02 7f 7f 02 7f 7f"        \
  "    60 01 7e 01 7f}"
#define FN_TYPES(ty, b) HDR TYPES "03{01 " ty "} 0a{01 {00 " b " 0b}}"

/* Decodes and validates; the module must be valid. Returns it (free it
 * with lulld_module_free) so that tests can read what validation filled. */
static lulld_module *validated(const char *hex) {
  lulld_module *m = decode_ok(hex);
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status s = lulld_validate(m, &err);
  if (s != LULL_OK)
    fail_msg("expected a valid module, got status %d: %s", s, err.message);
  return m;
}

static void valid(const char *hex) { lulld_module_free(validated(hex)); }

/* The module must be invalid: the message starts with `msg`; for an error
 * in a function body (`offset` >= 0) it names the function and the
 * instruction's offset, which lull_error.offset also holds. */
static void invalid_at(const char *hex, const char *msg, long offset) {
  lulld_module *m = decode_ok(hex);
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status s = lulld_validate(m, &err);
  lulld_module_free(m);
  if (s != LULL_INVALID)
    fail_msg("expected \"%s\", got status %d: %s", msg, s,
             s == LULL_OK ? "(valid)" : err.message);
  assert_int_equal(err.status, LULL_INVALID);
  if (strncmp(err.message, msg, strlen(msg)) != 0)
    fail_msg("expected \"%s\", got \"%s\"", msg, err.message);
  if (offset < 0)
    return;
  if (err.offset != (uint64_t)offset)
    fail_msg("\"%s\": offset 0x%llx, expected 0x%lx", err.message,
             (unsigned long long)err.offset, offset);
  char where[64];
  snprintf(where, sizeof where, "in function 0 at offset 0x%lx", offset);
  if (!strstr(err.message, where))
    fail_msg("message \"%s\" lacks \"%s\"", err.message, where);
}

static void invalid(const char *hex, const char *msg) {
  invalid_at(hex, msg, -1);
}

/* The message must also contain `detail`. */
static void invalid_says(const char *hex, const char *msg,
                         const char *detail) {
  lulld_module *m = decode_ok(hex);
  lull_error err;
  lull_status s = lulld_validate(m, &err);
  lulld_module_free(m);
  assert_int_equal(s, LULL_INVALID);
  if (strncmp(err.message, msg, strlen(msg)) != 0 ||
      !strstr(err.message, detail))
    fail_msg("expected \"%s...%s\", got \"%s\"", msg, detail, err.message);
}

/* ------------------------------------------------------------------ */
/* Operand types */

static void type_mismatch_of_operands(void **state) {
  (void)state;
  /* i32.add of an i32 and an f64, at 0x17 + 2 + 9. */
  invalid_at(FN("41 00 " F64Z "6a 1a"), "type mismatch", 0x22);
  invalid_says(FN("41 00 " F64Z "6a 1a"), "type mismatch",
               "expected i32, found f64");
  /* Nothing to pop. */
  invalid_at(FN("6a 1a"), "type mismatch", 0x17);
  invalid_says(FN("6a 1a"), "type mismatch", "found nothing");
  /* A value left over at the function's end. */
  invalid_at(FN("41 00"), "type mismatch", 0x19);
  /* The function's result missing, and of the wrong type. */
  invalid_at(FN_T("60 00 01 7f", ""), "type mismatch", 0x18);
  invalid(FN_T("60 00 01 7f", "42 00"), "type mismatch");
  /* A block's operands are its own: the outer i32 is out of reach. */
  invalid(FN("41 00 02 40 1a 0b 1a"), "type mismatch");
  /* Stores: value then address. */
  invalid(FN_MEM("42 00 41 00 37 03 00"), "type mismatch");
  valid(FN_MEM("41 00 42 00 37 03 00"));
  /* Loads and conversions from the table rows. */
  valid(FN_MEM("41 00 29 03 00 a7 1a"));
  invalid(FN_MEM("41 00 29 03 00 45 1a"), "type mismatch");
  /* SIMD from the table rows: i8x16.add of a v128 and an i32. */
  invalid(FN(V128Z "41 00 fd 6e 1a"), "type mismatch");
  valid(FN(V128Z V128Z "fd 6e fd 53 1a"));
}

static void type_mismatch_by_hand(void **state) {
  (void)state;
  /* if (result i32) without else: the empty else cannot produce it. */
  invalid(FN("41 01 04 7f 41 00 0b 1a"), "type mismatch");
  invalid_says(FN("41 01 04 7f 41 00 0b 1a"), "type mismatch",
               "if without else");
  /* br_table whose targets differ in arity. */
  invalid(FN("02 40 02 7f 41 00 41 00 0e 01 00 01 0b 1a 0b"),
          "type mismatch");
  /* br_table whose operand suits the default but not another target. */
  invalid(FN("02 7e 02 7f 42 00 41 00 0e 01 00 01 0b 1a 42 00 0b 1a"),
          "type mismatch");
  /* Untyped select: references need the typed form; types must agree. */
  invalid(FN("d0 70 d0 70 41 00 1b 1a"), "type mismatch");
  invalid(FN("41 00 42 00 41 00 1b 1a"), "type mismatch");
  invalid(FN(V128Z "41 00 41 00 1b 1a"), "type mismatch");
  valid(FN(V128Z V128Z "41 00 1b 1a"));
  /* call_indirect through a table of externref. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 6f 00 01}"
              "0a{01 {00 41 00 11 00 00 0b}}",
          "type mismatch");
  /* table.copy between tables of different types. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{02 70 00 01 6f 00 01}"
              "0a{01 {00 41 00 41 00 41 00 fc 0e 00 01 0b}}",
          "type mismatch");
  /* table.init of an externref table from a funcref segment. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 6f 00 01} 09{01 01 00 00}"
              "0a{01 {00 41 00 41 00 41 00 fc 0c 00 00 0b}}",
          "type mismatch");
  /* ref.is_null of a number; table.set of the wrong reference. */
  invalid(FN("41 00 d1 1a"), "type mismatch");
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 70 00 01}"
              "0a{01 {00 41 00 d0 6f 26 00 0b}}",
          "type mismatch");
  /* global.set of the wrong type. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 06{01 7f 01 41 00 0b}"
              "0a{01 {00 42 00 24 00 0b}}",
          "type mismatch");
  /* A call's arguments. */
  invalid(HDR TYPES "03{02 00 02} 0a{02 {00 42 00 10 01 1a 0b} {00 20 00 0b}}",
          "type mismatch");
}

/* ------------------------------------------------------------------ */
/* Indices */

static void unknown_indices(void **state) {
  (void)state;
  invalid_at(FN("20 05 1a"), "unknown local 5", 0x17);
  invalid_at(FN_T("60 01 7f 00", "20 01 1a"), "unknown local 1", 0x18);
  invalid_at(FN("23 00 1a"), "unknown global 0", 0x17);
  invalid_at(FN("41 00 24 03"), "unknown global 3", 0x19);
  invalid_at(FN("10 07"), "unknown function 7", 0x17);
  invalid_at(FN("d2 07 1a"), "unknown function 7", 0x17);
  invalid_at(FN("41 00 11 00 00"), "unknown table 0", 0x19);
  invalid_at(FN("41 00 25 02 1a"), "unknown table 2", 0x19);
  invalid_at(FN("fc 10 01 1a"), "unknown table 1", 0x17);
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 70 00 01}"
              "0a{01 {00 41 00 11 05 00 0b}}",
          "unknown type 5");
  invalid_at(FN("02 05 0b"), "unknown type 5", 0x17);
  invalid_at(FN("0c 01"), "unknown label 1", 0x17);
  invalid_at(FN("41 00 0d 02"), "unknown label 2", 0x19);
  invalid(FN("41 00 0e 01 00 03"), "unknown label 3");
  invalid(FN("41 00 0e 02 00 04 00"), "unknown label 4");
  invalid_at(FN("41 00 28 02 00 1a"), "unknown memory 0", 0x19);
  invalid_at(FN("3f 00 1a"), "unknown memory 0", 0x17);
  invalid_at(FN("41 00 41 00 41 00 fc 0b 00"), "unknown memory 0", 0x1d);
  invalid(FN("41 00 " V128Z "fd 54 00 00 00 1a"), "unknown memory 0");
  /* Data and element segments named by instructions. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 0c{00} 0a{01 {00 fc 09 00 0b}}",
          "unknown data segment 0");
  invalid(HDR "01{01 60 00 00} 03{01 00} 05{01 00 01} 0c{01}"
              "0a{01 {00 41 00 41 00 41 00 fc 08 01 00 0b}} 0b{01 01 00}",
          "unknown data segment 1");
  invalid(FN("fc 0d 04"), "unknown elem segment 4");
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 70 00 01}"
              "0a{01 {00 41 00 41 00 41 00 fc 0c 00 00 0b}}",
          "unknown elem segment 0");
  /* A function whose type index is out of range. */
  invalid(HDR "01{01 60 00 00} 03{01 05} 0a{01 {00 0b}}", "unknown type 5");
}

/* ------------------------------------------------------------------ */
/* Immediates: alignment and lanes */

static void alignment(void **state) {
  (void)state;
  invalid_at(FN_MEM("41 00 28 03 00 1a"),
             "alignment must not be larger than natural", 0x1e);
  invalid(FN_MEM("41 00 42 00 37 04 00"),
          "alignment must not be larger than natural");
  invalid(FN_MEM("41 00 2c 01 00 1a"),
          "alignment must not be larger than natural");
  invalid(FN_MEM("41 00 fd 00 05 00 1a"),
          "alignment must not be larger than natural");
  invalid(FN_MEM("41 00 " V128Z "fd 54 01 00 00 1a"),
          "alignment must not be larger than natural");
  invalid(FN_MEM("41 00 " V128Z "fd 5b 04 00 00"),
          "alignment must not be larger than natural");
  /* Natural alignment and smaller are fine. */
  valid(FN_MEM("41 00 29 03 00 1a 41 00 29 00 00 1a"));
  valid(FN_MEM("41 00 fd 00 04 00 1a 41 00 fd 0a 03 00 1a"));
  valid(FN_MEM("41 00 " V128Z "fd 57 03 00 01 1a"));
}

static void lanes(void **state) {
  (void)state;
  invalid(FN(V128Z "fd 15 10 1a"), "invalid lane index");
  invalid_says(FN(V128Z "fd 15 10 1a"), "invalid lane index", "lane 16");
  invalid(FN(V128Z "fd 18 08 1a"), "invalid lane index");
  invalid(FN(V128Z "41 00 fd 1c 04 1a"), "invalid lane index");
  invalid(FN(V128Z "42 00 fd 1e 02 1a"), "invalid lane index");
  invalid(FN(V128Z "fd 21 02 1a"), "invalid lane index");
  invalid(FN(V128Z V128Z "fd 0d 00000000 00000000 00000000 00000020 1a"),
          "invalid lane index");
  invalid(FN_MEM("41 00 " V128Z "fd 54 00 00 10 1a"), "invalid lane index");
  invalid(FN_MEM("41 00 " V128Z "fd 5b 03 00 02"), "invalid lane index");
  /* The last lane of each shape. */
  valid(FN(V128Z "fd 16 0f 1a " V128Z "fd 19 07 1a " V128Z "fd 1b 03 1a "
               V128Z "fd 1d 01 1a " V128Z "fd 1f 03 1a " V128Z "fd 21 01 1a"));
  valid(FN(V128Z V128Z "fd 0d 1f1f1f1f 1f1f1f1f 1f1f1f1f 1f1f1f1f 1a"));
  valid(FN_MEM("41 00 " V128Z "fd 54 00 00 0f 1a 41 00 " V128Z
               "fd 5b 03 00 01"));
}

/* ------------------------------------------------------------------ */
/* References, globals, select */

static void references_and_globals(void **state) {
  (void)state;
  /* ref.func needs the function declared outside function bodies. */
  invalid_at(FN("d2 00 1a"), "undeclared function reference", 0x17);
  valid(HDR "01{01 60 00 00} 03{01 00} 09{01 03 00 01 00}"
            "0a{01 {00 d2 00 1a 0b}}");
  valid(HDR "01{01 60 00 00} 03{01 00} 07{01 {'f'} 00 00}"
            "0a{01 {00 d2 00 d1 1a 0b}}");
  /* global.set of an immutable global, imported or defined. */
  invalid_at(HDR "01{01 60 00 00} 03{01 00} 06{01 7f 00 41 00 0b}"
                 "0a{01 {00 41 00 24 00 0b}}",
             "global is immutable", 0x21);
  invalid(HDR "01{01 60 00 00} 02{01 {'m'}{'g'} 03 7e 00} 03{01 00}"
              "0a{01 {00 42 00 24 00 0b}}",
          "global is immutable");
  valid(HDR "01{01 60 00 00} 03{01 00} 06{01 7f 01 41 00 0b}"
            "0a{01 {00 23 00 41 01 6a 24 00 0b}}");
  /* Typed select takes exactly one type. */
  invalid(FN("41 00 41 00 41 00 1c 02 7f 7f 1a"), "invalid result arity");
  invalid(FN("41 00 41 00 41 00 1c 00 1a"), "invalid result arity");
  valid(FN("d0 70 d0 70 41 00 1c 01 70 1a"));
  invalid(FN("d0 70 d0 6f 41 00 1c 01 70 1a"), "type mismatch");
  /* Tables of both reference types. */
  valid(HDR "01{01 60 00 00} 03{01 00} 04{02 70 00 01 6f 00 01}"
            "0a{01 {00 41 00 25 01 d1 1a  fc 10 00 1a  d0 6f 41 01 fc 0f 01 1a"
            " 41 00 d0 70 41 01 fc 11 00  41 00 41 00 41 00 fc 0e 01 01 0b}}");
}

/* ------------------------------------------------------------------ */
/* Module-level rules */

static void constant_expressions(void **state) {
  (void)state;
  /* Not constant: nop, i32.add, local.get. */
  invalid(HDR "06{01 7f 00 01 0b}", "constant expression required");
  invalid(HDR "06{01 7f 00 41 00 41 00 6a 0b}",
          "constant expression required");
  /* No value, two values, the wrong type. */
  invalid(HDR "06{01 7f 00 0b}", "type mismatch");
  invalid(HDR "06{01 7f 00 41 00 41 00 0b}", "type mismatch");
  invalid(HDR "06{01 7f 00 42 00 0b}", "type mismatch");
  invalid(HDR "06{01 6f 00 d0 70 0b}", "type mismatch");
  /* global.get: only imported globals, and only immutable ones. */
  valid(HDR "02{01 {'m'}{'g'} 03 7f 00} 06{01 7f 00 23 00 0b}");
  invalid(HDR "02{01 {'m'}{'g'} 03 7f 01} 06{01 7f 00 23 00 0b}",
          "constant expression required");
  invalid(HDR "06{02 7f 00 41 00 0b 7f 00 23 00 0b}", "unknown global 0");
  invalid(HDR "02{01 {'m'}{'g'} 03 7f 00} 06{01 7f 00 23 01 0b}",
          "unknown global 1");
  invalid(HDR "02{01 {'m'}{'g'} 03 7e 00} 06{01 7f 00 23 00 0b}",
          "type mismatch");
  /* ref.func of a function that does not exist. */
  invalid(HDR "06{01 70 00 d2 03 0b}", "unknown function 3");
  valid(HDR "01{01 60 00 00} 03{01 00} 06{01 70 00 d2 00 0b}"
            "0a{01 {00 0b}}");
}

static void segments(void **state) {
  (void)state;
  /* Element segments: items, table, type, offset. */
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 70 00 01}"
              "09{01 00 41 00 0b 01 05} 0a{01 {00 0b}}",
          "unknown function 5");
  invalid(HDR "01{01 60 00 00} 03{01 00} 09{01 02 03 41 00 0b 00 01 00}"
              "0a{01 {00 0b}}",
          "unknown table 3");
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 6f 00 01}"
              "09{01 00 41 00 0b 01 00} 0a{01 {00 0b}}",
          "type mismatch");
  invalid(HDR "01{01 60 00 00} 03{01 00} 04{01 70 00 01}"
              "09{01 00 42 00 0b 01 00} 0a{01 {00 0b}}",
          "type mismatch");
  invalid(HDR "04{01 6f 00 01} 09{01 05 6f 01 d0 70 0b}", "type mismatch");
  invalid(HDR "04{01 70 00 01} 09{01 04 41 00 0b 01 01 0b}",
          "constant expression required");
  valid(HDR "01{01 60 00 00} 03{01 00} 04{01 6f 00 01}"
            "09{02 06 00 41 00 0b 6f 01 d0 6f 0b  05 70 01 d2 00 0b}"
            "0a{01 {00 0b}}");
  /* Data segments: memory and offset. */
  invalid(HDR "0b{01 00 41 00 0b 00}", "unknown memory 0");
  invalid(HDR "05{01 00 01} 0b{01 02 01 41 00 0b 00}", "unknown memory 1");
  invalid(HDR "05{01 00 01} 0b{01 00 42 00 0b 00}", "type mismatch");
  invalid(HDR "05{01 00 01} 0b{01 00 01 0b 00}",
          "constant expression required");
  valid(HDR "05{01 00 01} 0b{02 00 41 00 0b 01 aa 01 01 bb}");
}

static void limits_and_memories(void **state) {
  (void)state;
  invalid(HDR "05{01 00 81 80 04}",
          "memory size must be at most 65536 pages (4GiB)");
  invalid(HDR "05{01 01 00 81 80 04}",
          "memory size must be at most 65536 pages (4GiB)");
  invalid(HDR "02{01 {'m'}{'m'} 02 00 81 80 04}",
          "memory size must be at most 65536 pages (4GiB)");
  valid(HDR "05{01 01 00 80 80 04}");
  invalid(HDR "05{01 01 02 01}",
          "size minimum must not be greater than maximum");
  invalid(HDR "04{01 70 01 02 01}",
          "size minimum must not be greater than maximum");
  valid(HDR "04{01 70 01 ffffffff0f ffffffff0f}");
  invalid(HDR "05{02 00 01 00 01}", "multiple memories");
  invalid(HDR "02{01 {'m'}{'m'} 02 00 01} 05{01 00 01}",
          "multiple memories");
  /* Several tables are fine. */
  valid(HDR "04{03 70 00 01 6f 00 01 70 00 00}");
}

static void start_and_exports(void **state) {
  (void)state;
  invalid(HDR "01{01 60 01 7f 00} 03{01 00} 08{00} 0a{01 {00 0b}}",
          "start function");
  invalid(HDR "01{01 60 00 01 7f} 03{01 00} 08{00} 0a{01 {00 41 00 0b}}",
          "start function");
  invalid(HDR "01{01 60 00 00} 03{01 00} 08{01} 0a{01 {00 0b}}",
          "unknown function 1");
  valid(HDR "01{01 60 00 00} 03{01 00} 08{00} 0a{01 {00 0b}}");
  invalid(HDR "01{01 60 00 00} 03{01 00} 07{02 {'a'} 00 00 {'a'} 00 00}"
              "0a{01 {00 0b}}",
          "duplicate export name");
  invalid(HDR "05{01 00 01} 06{01 7f 00 41 00 0b}"
              "07{03 {'a'} 02 00 {'b'} 03 00 {'a'} 03 00}",
          "duplicate export name");
  valid(HDR "05{01 00 01} 06{01 7f 01 41 00 0b}"
            "07{03 {'a'} 02 00 {'b'} 03 00 {''} 03 00}");
  invalid(HDR "07{01 {'x'} 00 00}", "unknown function 0");
  invalid(HDR "07{01 {'x'} 01 00}", "unknown table 0");
  invalid(HDR "07{01 {'x'} 02 00}", "unknown memory 0");
  invalid(HDR "07{01 {'x'} 03 00}", "unknown global 0");
}

/* ------------------------------------------------------------------ */
/* The polymorphic stack and multi-value blocks */

static void polymorphic_stack(void **state) {
  (void)state;
  /* After unreachable, missing operands are unknown and match anything. */
  valid(FN_T("60 00 01 7f", "00 6a"));
  valid(FN_T("60 00 01 7f", "00 1b"));
  valid(FN("00 1a 1a 1a 6a 6a 1a"));
  valid(FN("00 d1 1a"));
  /* ...but values pushed after it are real and must fit. */
  invalid(FN_T("60 00 01 7f", "00 " F64Z "6a"), "type mismatch");
  invalid(FN("00 42 00 45 1a"), "type mismatch");
  /* br and return end the block's reachable part. */
  valid(FN_T("60 00 01 7f", "41 00 0c 00 1a 1a 41 05"));
  valid(FN_T("60 00 01 7f", "41 07 0f 6a"));
  invalid(FN_T("60 00 01 7f", "41 00 0c 00 " F64Z "6a"), "type mismatch");
  /* br_table in dead code: targets of one arity but different types. */
  valid(FN("02 7f 02 7d 00 0e 01 00 01 0b 1a 41 00 0b 1a"));
  /* The stack is polymorphic only down to the block's base. */
  invalid(FN("41 00 02 40 00 0b 6a 1a"), "type mismatch");
  /* A select of unknown operands gives an unknown result. */
  valid(FN("00 1b d1 1a"));
  valid(FN("00 1c 01 70 d1 1a"));
  invalid(FN("00 41 00 41 00 1b d1 1a"), "type mismatch");
  /* Dead code after the end of a block is live again. */
  invalid(FN("02 40 00 0b 6a 1a"), "type mismatch");
}

static void multi_value_blocks(void **state) {
  (void)state;
  /* block (type 3): (i32 i32) -> (i32 i32) */
  valid(FN_TYPES("00", "41 01 41 02 02 03 6a 41 00 0b 1a 1a"));
  invalid(FN_TYPES("00", "41 01 02 03 6a 41 00 0b 1a 1a"), "type mismatch");
  invalid(FN_TYPES("00", "41 01 41 02 02 03 6a 0b 1a 1a"), "type mismatch");
  /* block (type 2): (i32) -> i32, with a value type parameter from
   * outside; loop (type 3) branching back with its parameters. */
  valid(FN_TYPES("00", "41 01 02 02 41 01 6a 0b 1a"));
  valid(FN_TYPES("00", "41 00 41 00 03 03 41 00 0d 00 0b 1a 1a"));
  valid(FN_TYPES("00", "41 00 41 00 03 03 0c 00 0b 1a 1a"));
  invalid(FN_TYPES("00", "41 00 03 02 42 00 0c 00 0b 1a"), "type mismatch");
  /* A branch to a loop passes its parameters, not its results: loop
   * (type 4) takes an i64 and gives an i32. */
  valid(FN_TYPES("00", "42 00 03 04 0c 00 0b 1a"));
  invalid(FN_TYPES("00", "42 00 03 04 41 00 0c 00 0b 1a"), "type mismatch");
  /* if (type 3) with else; without else it passes its operands on. */
  valid(FN_TYPES("00", "41 01 41 02 41 01 04 03 6a 41 00 05 1a 41 07 0b"
                       " 1a 1a"));
  valid(FN_TYPES("00", "41 01 41 02 41 01 04 03 0b 1a 1a"));
  invalid(FN_TYPES("00", "41 01 41 02 41 01 04 03 6a 41 00 05 1a 0b 1a 1a"),
          "type mismatch");
  /* if (type 2): (i32) -> i32 without else is fine too. */
  valid(FN_TYPES("00", "41 05 41 01 04 02 0b 1a"));
  /* br_if to a block with results leaves them on the stack. */
  valid(FN_TYPES("01", "41 01 41 02 02 03 41 00 0d 00 0b 6a"));
  /* Calls with several results. */
  valid(HDR TYPES "03{02 00 03} 0a{02 {00 41 01 41 02 10 01 1a 1a 0b}"
                  " {00 20 00 20 01 0b}}");
}

/* ------------------------------------------------------------------ */
/* What validation records for the compiler */

static uint32_t height_of(const char *hex) {
  lulld_module *m = validated(hex);
  uint32_t h = m->codes[0].max_height;
  lulld_module_free(m);
  return h;
}

static void max_height(void **state) {
  (void)state;
  assert_int_equal(height_of(FN("")), 0);
  assert_int_equal(height_of(FN("41 01 41 02 6a 1a")), 2);
  assert_int_equal(height_of(FN("41 01 41 02 41 03 6a 6a 1a")), 3);
  /* A v128 takes two slots. */
  assert_int_equal(height_of(FN(V128Z "1a")), 2);
  assert_int_equal(height_of(FN(V128Z V128Z "fd 6e 1a")), 4);
  assert_int_equal(height_of(FN("41 00 " V128Z "1a 1a")), 3);
  assert_int_equal(height_of(FN(V128Z "fd 1b 00 fd 11 1a")), 2);
  /* Parameters and locals are not operands. */
  assert_int_equal(height_of(FN_T("60 02 7f 7f 01 7f", "20 00 20 01 6a")), 2);
  assert_int_equal(height_of(HDR "01{01 60 00 00} 03{01 00}"
                                 "0a{01 {01 05 7b 20 04 1a 0b}}"),
                   2);
  /* Block parameters and results are. */
  assert_int_equal(
      height_of(FN_TYPES("00", "41 01 41 02 41 03 02 03 6a 41 00 0b 1a 1a 1a")),
      3);
  /* Several block parameters of mixed widths: 1 + 2 + 1 slots, still 4
   * after the block passes them on, 6 with two more. */
  assert_int_equal(height_of(HDR "01{02 60 00 00  60 03 7f 7b 7e 03 7f 7b 7e}"
                                 "03{01 00} 0a{01 {00 41 00 " V128Z
                                 "42 00 02 01 41 00 1a 0b 41 00 41 00"
                                 " 1a 1a 1a 1a 1a 0b}}"),
                   6);
  /* Call results; nested blocks. */
  assert_int_equal(height_of(HDR TYPES "03{02 00 03}"
                                 "0a{02 {00 41 01 41 02 10 01 1a 1a 0b}"
                                 " {00 20 00 20 01 0b}}"),
                   2);
  assert_int_equal(
      height_of(FN("41 00 02 7f 41 01 02 7f 41 02 0b 6a 0b 6a 1a")), 3);
  /* Each function has its own. */
  lulld_module *m = validated(HDR "01{01 60 00 00} 03{02 00 00}"
                                  "0a{02 {00 41 00 1a 0b} {00 " V128Z V128Z
                                  V128Z "1a 1a 1a 0b}}");
  assert_int_equal(m->codes[0].max_height, 1);
  assert_int_equal(m->codes[1].max_height, 6);
  lulld_module_free(m);
}

/* Locals past the prefix spelled out for the body's size are found by a
 * binary search over the groups: a tiny body declaring 49000 locals. */
static void many_locals(void **state) {
  (void)state;
  /* Locals: 10 i32 then 48990 i64 (48990 = de fe 02); parameter i32. */
#define MANY(b)                                                               \
  HDR "01{01 60 01 7f 00} 03{01 00}"                                        \
      "0a{01 {02 0a 7f de fe 02 7e " b " 0b}}"
  valid(MANY("20 00 45 1a  20 0a 45 1a  20 0b 50 1a  20 e8 fe 02 50 1a"));
  invalid(MANY("20 e8 fe 02 45 1a"), "type mismatch");
  invalid(MANY("20 e9 fe 02 1a"), "unknown local 49001");
  invalid(MANY("20 ffffffff0f 1a"), "unknown local 4294967295");
  valid(MANY("42 00 21 e8 fe 02 41 00 22 01 1a"));
#undef MANY
}

/* A valid module with a bit of everything, assembled from tests/wat. */
static void wat_module(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/validate_ok.wasm", LULL_TEST_WASM_DIR);
  size_t len;
  unsigned char *bytes = test_read_file(path, &len);
  assert_non_null(bytes);
  lulld_alloc a = {lulld_default_alloc, NULL};
  lulld_module *m = NULL;
  lull_error err;
  assert_int_equal(lulld_decode(&a, 0, bytes, len, &m, &err), LULL_OK);
  free(bytes);
  if (lulld_validate(m, &err) != LULL_OK)
    fail_msg("validate_ok.wat: %s", err.message);
  /* Heights the .wat file's comments work out, one per function. */
  static const uint32_t heights[] = {3, 6, 2, 4, 3};
  assert_int_equal(m->ncodes, sizeof heights / sizeof heights[0]);
  for (uint32_t i = 0; i < m->ncodes; i++)
    if (m->codes[i].max_height != heights[i])
      fail_msg("function %u: max_height %u, expected %u", i,
               m->codes[i].max_height, heights[i]);
  lulld_module_free(m);
}

/* ------------------------------------------------------------------ */
/* Out of memory */

/* A module that makes the validator allocate each of its scratch arrays
 * and grow them: deep blocks, a long operand stack, local groups and
 * exports. */
#define DEEP8 "02 40 02 40 02 40 02 40 02 40 02 40 02 40 02 40 "
#define END8 "0b 0b 0b 0b 0b 0b 0b 0b "
#define PUSH8 "41 00 41 00 41 00 41 00 41 00 41 00 41 00 41 00 "
#define DROP8 "1a 1a 1a 1a 1a 1a 1a 1a "
#define OOM_MODULE                                                            \
  HDR "01{01 60 00 00} 03{02 00 00} 07{02 {'a'} 00 00 {'b'} 00 01}"         \
      "0a{02 {03 02 7f 03 7e 04 7b " DEEP8 DEEP8 DEEP8 PUSH8 PUSH8 PUSH8      \
      DROP8 DROP8 DROP8 "20 08 1a" END8 END8 END8 "0b}"                       \
      " {01 80 01 7f 20 7f 1a 0b}}"

/*
 * Fails the n-th allocation of lulld_validate for n = 0, 1, 2, ... until
 * it succeeds: every failure must be LULL_NOMEM, free all it allocated,
 * and leave the module as it was.
 */
static void out_of_memory_at_every_allocation(void **state) {
  (void)state;
  size_t n;
  uint8_t *b = hex_bytes(OOM_MODULE, &n);
  long k = 0;
  for (;; k++) {
    counting cnt = {0, -1, 0, 0, 0};
    lulld_alloc a = {counting_alloc, &cnt};
    lulld_module *m = NULL;
    lull_error err;
    assert_int_equal(lulld_decode(&a, 0, b, n, &m, &err), LULL_OK);
    size_t live = cnt.live, blocks = cnt.nblocks;
    cnt.fail_at = cnt.calls + k;
    lull_status s = lulld_validate(m, &err);
    assert_int_equal(cnt.live, live);
    assert_int_equal(cnt.nblocks, blocks);
    lulld_module_free(m);
    assert_int_equal(cnt.live, 0);
    assert_int_equal(cnt.nblocks, 0);
    if (s == LULL_OK)
      break;
    if (s != LULL_NOMEM)
      fail_msg("allocation %ld failed: status %d, %s", k, s, err.message);
    assert_int_equal(err.status, LULL_NOMEM);
    assert_true(strlen(err.message) > 0);
  }
  /* Operand stack, control stack (grown), local types and ends, and the
   * export names' table. */
  assert_true(k >= 5);
  free(b);
}

/* Validating twice gives the same result: nothing is left over in the
 * module from the first run but max_height, which is rewritten. */
static void validate_twice(void **state) {
  (void)state;
  lulld_module *m = validated(OOM_MODULE);
  uint32_t h0 = m->codes[0].max_height, h1 = m->codes[1].max_height;
  lull_error err;
  assert_int_equal(lulld_validate(m, &err), LULL_OK);
  assert_int_equal(m->codes[0].max_height, h0);
  assert_int_equal(m->codes[1].max_height, h1);
  assert_int_equal(h0, 24);
  assert_int_equal(h1, 1);
  assert_int_equal(lulld_validate(NULL, &err), LULL_BADARG);
  lulld_module_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(type_mismatch_of_operands),
      cmocka_unit_test(type_mismatch_by_hand),
      cmocka_unit_test(unknown_indices),
      cmocka_unit_test(alignment),
      cmocka_unit_test(lanes),
      cmocka_unit_test(references_and_globals),
      cmocka_unit_test(constant_expressions),
      cmocka_unit_test(segments),
      cmocka_unit_test(limits_and_memories),
      cmocka_unit_test(start_and_exports),
      cmocka_unit_test(polymorphic_stack),
      cmocka_unit_test(multi_value_blocks),
      cmocka_unit_test(max_height),
      cmocka_unit_test(many_locals),
      cmocka_unit_test(wat_module),
      cmocka_unit_test(out_of_memory_at_every_allocation),
      cmocka_unit_test(validate_twice),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
