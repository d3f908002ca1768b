/*
 * test_text.c -- the text format (include/lull_text.h): conversion of
 * modules to their binary form, every abbreviation the encoder expands,
 * numeric literals, the reference interpreter's error wording with line
 * and column, and robustness on truncated and deeply nested input.
 * (The whole 3.0 testsuite is compared with the reference interpreter's
 * binary forms by lull-text-oracle, CTest's text_oracle.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

/* Converts `wat` and checks the bytes after the 8-byte header. */
static void expect_bytes(const char *wat, const uint8_t *want, size_t n) {
  uint8_t *out;
  size_t len;
  lull_error err = {0};
  lull_status s = lull_wat_to_wasm(NULL, wat, strlen(wat), &out, &len, &err);
  if (s != LULL_OK)
    fail_msg("%s: %s", wat, err.message);
  assert_int_equal(len, n + 8);
  assert_memory_equal(out, "\0asm\1\0\0\0", 8);
  assert_memory_equal(out + 8, want, n);
  lull_wasm_free(NULL, out, len);
}

/* Converts `wat`, which must fail with a message starting with `msg`. */
static void expect_error(const char *wat, const char *msg) {
  uint8_t *out = (uint8_t *)1;
  size_t len;
  lull_error err = {0};
  lull_status s = lull_wat_to_wasm(NULL, wat, strlen(wat), &out, &len, &err);
  if (s == LULL_OK)
    fail_msg("%s: accepted", wat);
  assert_int_equal(s, LULL_MALFORMED);
  assert_null(out);
  if (strncmp(err.message, msg, strlen(msg)))
    fail_msg("%s: \"%s\", expected \"%s\"", wat, err.message, msg);
}

static void empty_module(void **state) {
  (void)state;
  expect_bytes("(module)", NULL, 0);
  expect_bytes("", NULL, 0);
  expect_bytes("(module $m)", NULL, 0);
  expect_bytes(";; nothing\n(module (;block;) (@a annotation (x)))", NULL, 0);
}

static void function_with_implicit_type(void **state) {
  (void)state;
  static const uint8_t want[] = {
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F, /* type */
      0x03, 0x02, 0x01, 0x00,                               /* func */
      0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00,    /* export */
      0x0A, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B};
  expect_bytes("(func (export \"add\") (param $a i32) (param i32) "
               "(result i32) (i32.add (local.get $a) (local.get 1)))",
               want, sizeof want);
  /* the same in plain instructions */
  expect_bytes("(module (func $f (export \"add\") (param $a i32 ) (param i32) "
               "(result i32) local.get $a local.get 1 i32.add))",
               want, sizeof want);
}

static void labels_and_blocks(void **state) {
  (void)state;
  static const uint8_t want[] = {
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
      0x0A, 0x0E, 0x01, 0x0C, 0x00,
      0x02, 0x40, 0x03, 0x40, 0x0C, 0x01, 0x0C, 0x00, 0x0B, 0x0B, 0x0B};
  expect_bytes("(func (block $out (loop $in (br $out) (br $in))))", want,
               sizeof want);
  expect_bytes("(func block $out loop $in br $out br $in end $in end $out)",
               want, sizeof want);
  expect_error("(func block $a end $b)", "mismatching label");
  expect_error("(func (br $nowhere))", "unknown label");
}

static void literals(void **state) {
  (void)state;
  /* i32.const -1 from 0xffffffff, f32 largest finite, canonical LEB */
  static const uint8_t want[] = {
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A,
      0x17, 0x01, 0x15, 0x00, 0x41, 0x7F, 0x1A, 0x43, 0xFF, 0xFF, 0x7F,
      0x7F, 0x1A, 0x43, 0x00, 0x00, 0xA0, 0x7F, 0x1A, 0x42, 0x80, 0x01,
      0x1A, 0x0B};
  expect_bytes("(func (drop (i32.const 0xffff_ffff)) "
               "(drop (f32.const 0x1.fffffep127)) "
               "(drop (f32.const nan:0x200000)) (drop (i64.const 1_28)))",
               want, sizeof want);
  expect_error("(func (drop (i32.const 0x1_0000_0000)))",
               "constant out of range");
  expect_error("(func (drop (f32.const 1e39)))", "constant out of range");
  expect_error("(func (drop (f64.const nan:0x0)))", "constant out of range");
  expect_error("(func (drop (i32.const 1__0)))", "unknown operator");
  expect_error("(func (drop (i32.const)))", "unexpected token");
  /* decimal rounding: 2^-149 is the least f32, 1e-46 rounds to 0 */
  static const uint8_t tiny[] = {
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A,
      0x10, 0x01, 0x0E, 0x00, 0x43, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x43,
      0x00, 0x00, 0x00, 0x80, 0x1A, 0x0B};
  expect_bytes("(func (drop (f32.const 1.401298464324817e-45)) "
               "(drop (f32.const -1e-46)))",
               tiny, sizeof tiny);
}

static void sections_and_abbreviations(void **state) {
  (void)state;
  /* inline import and export, memory with inline data, table with
     inline elements, a start function */
  static const uint8_t want[] = {
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                   /* type */
      0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00,   /* import */
      0x03, 0x02, 0x01, 0x00,                               /* func */
      0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x02,             /* table */
      0x05, 0x04, 0x01, 0x01, 0x01, 0x01,                   /* memory */
      0x07, 0x05, 0x01, 0x01, 'g', 0x00, 0x01,              /* export */
      0x08, 0x01, 0x01,                                     /* start */
      /* elem: funcref is nullable, so the items are expressions */
      0x09, 0x0C, 0x01, 0x04, 0x41, 0x00, 0x0B, 0x02, 0xD2, 0x01, 0x0B,
      0xD2, 0x00, 0x0B,
      0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,                   /* code */
      0x0B, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 'h', 'i'};
  expect_bytes("(module (func $f (import \"m\" \"f\")) "
               "(func $g (export \"g\")) (table funcref (elem $g $f)) "
               "(memory (data \"h\" \"i\")) (start $g))",
               want, sizeof want);
  expect_error("(func) (import \"m\" \"f\" (func))", "import after function");
  expect_error("(func $f) (func $f)", "duplicate func");
  expect_error("(func (param $x i32) (local $x i32))", "duplicate local");
  expect_error("(start 0) (start 0) (func)", "multiple start sections");
  expect_error("(type $t (func)) (func (type $t) (param i32))",
               "inline function type");
  expect_error("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))",
               "alignment must be a power of two");
  expect_error("(func (export \"\\ff\"))", "malformed UTF-8 encoding");
}

static void binary_and_quote(void **state) {
  (void)state;
  expect_bytes("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")", NULL, 0);
  expect_bytes("(module quote \"(func)\")",
               (const uint8_t *)"\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00"
                                "\x0a\x04\x01\x02\x00\x0b",
               16);
  expect_error("(module quote \"(func (i32.wrap/i64))\")", "unknown operator");
}

static void lexical_errors(void **state) {
  (void)state;
  expect_error("(func $)", "empty identifier");
  expect_error("(data \"abc", "unclosed string");
  expect_error("(@x ", "unclosed annotation");
  expect_error("(func (nop)) (;", "unclosed comment");
  expect_error("(func \x01)", "misplaced control character");
  expect_error("(func (i32.const0))", "unknown operator");
}

static void line_and_column(void **state) {
  (void)state;
  const char *wat = "(module\n  (func\n    (i32.add oops)))";
  uint8_t *out;
  size_t len;
  lull_error err;
  assert_int_equal(lull_wat_to_wasm(NULL, wat, strlen(wat), &out, &len, &err),
                   LULL_MALFORMED);
  assert_non_null(strstr(err.message, " at 3:14"));
  assert_int_equal(err.offset, (uint64_t)(strstr(wat, "oops") - wat));
  uint32_t line, col;
  lull_text_position(wat, strlen(wat), err.offset, &line, &col);
  assert_int_equal(line, 3);
  assert_int_equal(col, 14);
}

static void runs_through_the_engine(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  assert_non_null(e);
  const char *wat = "(func (export \"sq\") (param i32) (result i32) "
                    "(i32.mul (local.get 0) (local.get 0)))";
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new_text(e, wat, strlen(wat), &m, &err),
                   LULL_OK);
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, m, NULL, 0, &inst, &err), LULL_OK);
  lull_thread *th = lull_thread_new(e);
  lull_val arg = {.type = LULL_I32, .of.i32 = 12}, res;
  assert_int_equal(lull_call(th, lull_instance_func(inst, "sq"), &arg, 1,
                             &res, 1),
                   LULL_OK);
  assert_int_equal(res.of.i32, 144);
  assert_int_equal(lull_validate_text(e, "(func (result i32))", 19, &err),
                   LULL_INVALID);
  lull_engine_free(e);
}

/* Every prefix of a module converts or fails cleanly (ASan checks). */
static void truncated_input(void **state) {
  (void)state;
  const char *wat =
      "(module (type $t (func (param i32) (result i32))) (rec (type $s "
      "(struct (field $x (mut i32)))) (type (array i8))) (memory i64 1) "
      "(table 1 funcref) (global $g (mut i32) (i32.const 1)) (tag $e) "
      "(func $f (type $t) (local v128) (block $b (result i32) (try_table "
      "(catch $e $b) (i32.const 1)) (br_table 0 0 (i32.const 0))) "
      "(v128.const f32x4 1 2 3 nan) drop (if (then) (else nop)) "
      "(call_indirect (type $t) (i32.const 2) (i32.const 0))) "
      "(elem declare func $f) (data $d \"\\00\\u{41}\") (export \"f\" (func $f)))";
  size_t n = strlen(wat);
  char *buf = malloc(n);
  assert_non_null(buf);
  for (size_t i = 0; i <= n; i++) {
    memcpy(buf, wat, i);
    uint8_t *out;
    size_t len;
    lull_error err;
    lull_status s = lull_wat_to_wasm(NULL, buf, i, &out, &len, &err);
    if (s == LULL_OK)
      lull_wasm_free(NULL, out, len);
    else
      assert_int_equal(s, LULL_MALFORMED);
  }
  free(buf);
}

/* `buf` (n bytes, freed here) nests deeper than the parser goes. */
static void expect_too_deep(char *buf, size_t n) {
  uint8_t *out;
  size_t len;
  lull_error err;
  assert_int_equal(lull_wat_to_wasm(NULL, buf, n, &out, &len, &err),
                   LULL_MALFORMED);
  assert_non_null(strstr(err.message, "nesting too deep"));
  free(buf);
}

/* Deeply nested plain blocks with types: the walk that numbers implicit
 * types (order.c) stays linear and the depth limit holds (this input took
 * seconds when the walk rescanned each block). */
static void deep_plain_blocks(void **state) {
  (void)state;
  size_t depth = 20000;
  const char *open = "block (param i32) ";
  size_t n = 0, cap = depth * (strlen(open) + 4) + 16;
  char *buf = malloc(cap);
  assert_non_null(buf);
  n += (size_t)sprintf(buf, "(func ");
  for (size_t i = 0; i < depth; i++)
    n += (size_t)sprintf(buf + n, "%s", open);
  for (size_t i = 0; i < depth; i++)
    n += (size_t)sprintf(buf + n, "end ");
  buf[n++] = ')';
  expect_too_deep(buf, n);
}

static void deep_nesting(void **state) {
  (void)state;
  size_t depth = 100000;
  char *buf = malloc(depth * 8 + 32);
  assert_non_null(buf);
  size_t n = 0;
  n += (size_t)sprintf(buf, "(func ");
  for (size_t i = 0; i < depth; i++)
    memcpy(buf + n, "(block ", 7), n += 7;
  memset(buf + n, ')', depth + 1);
  n += depth + 1;
  expect_too_deep(buf, n);
}

static void custom_sections(void **state) {
  (void)state;
  /* after type, before func, and (by default) after the last section */
  static const uint8_t want[] = {
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x00, 0x02, 0x01, 'y',
      0x00, 0x03, 0x01, 'x', 'q', 0x03, 0x02, 0x01, 0x00, 0x0A,
      0x04, 0x01, 0x02, 0x00, 0x0B, 0x00, 0x06, 0x02, 'h', 'i',
      'a', 'b', 'c'};
  expect_bytes("(module (@custom \"hi\" \"ab\" \"c\") (func) (@custom \"x\" "
               "(before func) \"q\") (@custom \"y\" (after type)))",
               want, sizeof want);
  expect_error("(@custom \"x\" (before nothing))",
               "malformed custom annotation");
  expect_error("(@custom 1)", "malformed custom annotation");
  expect_error("(@custom \"\\ff\")", "malformed UTF-8 encoding");
}

static void binary_or_text(void **state) {
  (void)state;
  assert_true(lull_is_binary((const uint8_t *)"\0asm\1\0\0\0", 8));
  assert_false(lull_is_binary((const uint8_t *)"(module)", 8));
  assert_true(lull_is_text((const uint8_t *)"(module)", 8));
  const char *c = " ;; x\n (; a (; nested ;) ;)\n\t(func)";
  assert_true(lull_is_text((const uint8_t *)c, strlen(c)));
  assert_false(lull_is_text((const uint8_t *)"hello", 5));
  assert_false(lull_is_text((const uint8_t *)"\0asm", 4));
  assert_false(lull_is_text((const uint8_t *)"(; open", 7));
  assert_false(lull_is_text(NULL, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(empty_module),
      cmocka_unit_test(function_with_implicit_type),
      cmocka_unit_test(labels_and_blocks),
      cmocka_unit_test(literals),
      cmocka_unit_test(sections_and_abbreviations),
      cmocka_unit_test(binary_and_quote),
      cmocka_unit_test(lexical_errors),
      cmocka_unit_test(line_and_column),
      cmocka_unit_test(runs_through_the_engine),
      cmocka_unit_test(truncated_input),
      cmocka_unit_test(deep_nesting),
      cmocka_unit_test(deep_plain_blocks),
      cmocka_unit_test(binary_or_text),
      cmocka_unit_test(custom_sections),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
