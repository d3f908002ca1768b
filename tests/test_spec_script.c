/*
 * test_spec_script.c -- the .bin.wast front end of the spec runner: the
 * S-expression reader (good input, and bad input that must give an error
 * with a line number, never a crash), the number literals, the
 * conversion to the runner's JSON, and a small script run end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spec-tests/json.h"
#include "spec-tests/lit.h"
#include "spec-tests/runner.h"
#include "spec-tests/script.h"
#include "spec-tests/sexpr.h"

/* ------------------------------------------------------------------ */
/* The S-expression reader */

static spec_sx_doc *sx_ok(const char *text) {
  char err[160];
  spec_sx_doc *doc = spec_sx_parse(text, strlen(text), err, sizeof err);
  if (!doc)
    fail_msg("parse of %s failed: %s", text, err);
  return doc;
}

/* `text` must be refused with an error starting "line <line>: " and
 * mentioning `why`. */
static void sx_bad(const char *text, size_t len, unsigned line,
                   const char *why) {
  char err[160], want[32];
  spec_sx_doc *doc = spec_sx_parse(text, len, err, sizeof err);
  if (doc) {
    spec_sx_free(doc);
    fail_msg("parse of %s should fail", text);
  }
  snprintf(want, sizeof want, "line %u: ", line);
  if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, why))
    fail_msg("parse of %s: error \"%s\", wanted \"%s...%s\"", text, err, want,
             why);
}

static void sexpr_shapes(void **state) {
  (void)state;
  spec_sx_doc *doc = sx_ok(";; a comment\n"
                           "(module $M binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
                           "(; a block (; nested ;) comment ;)\n"
                           "(assert_return (invoke \"f\" (i32.const -0x1_0))\n"
                           "  (f32.const nan:canonical))");
  const spec_sx *root = spec_sx_root(doc);
  assert_int_equal(root->kind, SPEC_SX_LIST);
  assert_int_equal(root->len, 2);
  const spec_sx *m = root->child;
  assert_int_equal(m->kind, SPEC_SX_LIST);
  assert_int_equal(m->line, 2);
  assert_int_equal(m->len, 5);
  assert_true(spec_sx_is(m->child, "module"));
  assert_true(spec_sx_is(m->child->next, "$M"));
  const spec_sx *s = m->child->next->next->next;
  assert_int_equal(s->kind, SPEC_SX_STRING);
  assert_int_equal(s->len, 4);
  assert_memory_equal(s->text, "\0asm", 4);
  assert_int_equal(s->next->len, 4);
  const spec_sx *a = m->next;
  assert_int_equal(a->line, 4);
  assert_true(spec_sx_is(a->child, "assert_return"));
  const spec_sx *inv = a->child->next;
  assert_int_equal(inv->len, 3);
  assert_string_equal(inv->child->next->text, "f");
  assert_string_equal(inv->child->next->next->child->next->text, "-0x1_0");
  assert_int_equal(inv->next->line, 5);
  spec_sx_free(doc);

  /* Every escape of the text format. */
  doc = sx_ok("\"\\t\\n\\r\\\"\\'\\\\\\7f\\u{41}\\u{e9}\\u{1_F600}\" atom");
  s = spec_sx_root(doc)->child;
  assert_int_equal(s->len, 14);
  assert_memory_equal(s->text, "\t\n\r\"'\\\x7f" "A\xc3\xa9\xf0\x9f\x98\x80",
                      14);
  assert_int_equal(s->next->kind, SPEC_SX_ATOM);
  spec_sx_free(doc);

  /* Empty input and empty lists are fine. */
  doc = sx_ok("");
  assert_int_equal(spec_sx_root(doc)->len, 0);
  spec_sx_free(doc);
  doc = sx_ok("(()) ( )");
  assert_int_equal(spec_sx_root(doc)->len, 2);
  assert_int_equal(spec_sx_root(doc)->child->child->len, 0);
  spec_sx_free(doc);
}

static void sexpr_errors(void **state) {
  (void)state;
  sx_bad("(module\n  (func)\n", 17, 1, "'(' is never closed");
  sx_bad("(a)\n(b (c)\n", 11, 2, "'(' is never closed");
  sx_bad("(a))\n", 5, 1, "unexpected ')'");
  sx_bad("\n\n)", 3, 3, "unexpected ')'");
  sx_bad("(a \"abc)\n", 9, 1, "string is never closed");
  sx_bad("(a \"abc\ndef\")", 13, 1, "string is never closed");
  sx_bad("\n(a \"\\x\")", 9, 2, "bad escape");
  sx_bad("(a \"\\4\")", 8, 1, "bad escape");
  sx_bad("(a \"\\u{d800}\")", 14, 1, "bad escape");
  sx_bad("(a \"\\u{110000}\")", 16, 1, "bad escape");
  sx_bad("(a \"\\u{}\")", 10, 1, "bad escape");
  sx_bad("(a \"\\u41\")", 10, 1, "bad escape");
  sx_bad("(a \"\\u{41\")", 11, 1, "bad escape");
  sx_bad("(a \"\\", 5, 1, "string is never closed");
  sx_bad("(a \"tab\there\")", 14, 1, "control character 0x09");
  sx_bad("(a)\n(; open (; ;)\n", 18, 2, "block comment");
  sx_bad("(a ; b)", 7, 1, "unexpected byte 0x3b");
  sx_bad("(a \x01)", 5, 1, "unexpected byte 0x01");
  sx_bad("(a \xc3\xa9)", 6, 1, "unexpected byte 0xc3");
  sx_bad("(a\0)", 4, 1, "unexpected byte 0x00");
}

/* No input crashes the reader: deep nesting, every prefix of a script
 * and bytes flipped all over it give a tree or an error. */
static void sexpr_never_crashes(void **state) {
  (void)state;
  size_t deep = 200000;
  char *text = malloc(2 * deep);
  assert_non_null(text);
  memset(text, '(', deep);
  memset(text + deep, ')', deep);
  char err[160];
  spec_sx_doc *doc = spec_sx_parse(text, 2 * deep, err, sizeof err);
  assert_non_null(doc);
  spec_sx_free(doc);
  assert_null(spec_sx_parse(text, deep, err, sizeof err));
  assert_non_null(strstr(err, "never closed"));
  free(text);

  const char *script =
      "(module definition $M binary \"\\00asm\\01\\00\\00\\00\")\n"
      "(module instance $I $M) ;; comment\n"
      "(assert_return (invoke $I \"f\\u{41}\" (v128.const i8x16 1 2 3 4 5 6 "
      "7 8 9 10 11 12 13 14 15 16)) (either (i32.const 1) (ref.null)))\n"
      "(; block ;)(assert_trap (module instance) \"trap\")\n";
  size_t len = strlen(script);
  char *copy = malloc(len);
  assert_non_null(copy);
  for (size_t n = 0; n <= len; n++) {
    doc = spec_sx_parse(script, n, err, sizeof err);
    if (!doc)
      assert_int_equal(strncmp(err, "line ", 5), 0);
    spec_sx_free(doc);
  }
  static const char flips[] = {'(', ')', '"', '\\', ';', '\n', '\0', 'u',
                               '{', '}', (char)0xff};
  for (size_t i = 0; i < len; i++)
    for (size_t f = 0; f < sizeof flips; f++) {
      memcpy(copy, script, len);
      copy[i] = flips[f];
      doc = spec_sx_parse(copy, len, err, sizeof err);
      if (!doc)
        assert_int_equal(strncmp(err, "line ", 5), 0);
      spec_sx_free(doc);
      /* The converter must survive whatever the reader accepts. */
      spec_converted out;
      if (spec_script_convert(copy, len, "x.bin.wast", &out, err,
                              sizeof err) == 0)
        spec_converted_free(&out);
    }
  free(copy);
}

/* ------------------------------------------------------------------ */
/* Number literals */

static uint64_t int_ok(const char *s, unsigned bits) {
  uint64_t v = 0;
  if (spec_lit_int(s, bits, &v) != 0)
    fail_msg("integer %s (%u bits) refused", s, bits);
  return v;
}

static uint64_t float_ok(const char *s, unsigned bits) {
  uint64_t v = 0;
  if (spec_lit_float(s, bits, &v) != 0)
    fail_msg("float %s (%u bits) refused", s, bits);
  return v;
}

static void literals(void **state) {
  (void)state;
  assert_int_equal(int_ok("0", 32), 0);
  assert_int_equal(int_ok("42", 32), 42);
  assert_int_equal(int_ok("0xffff_ffff", 32), 0xffffffffu);
  assert_int_equal(int_ok("-1", 32), 0xffffffffu);
  assert_int_equal(int_ok("-0x8000_0000", 32), 0x80000000u);
  assert_int_equal(int_ok("+7", 8), 7);
  assert_int_equal(int_ok("-128", 8), 0x80);
  assert_int_equal(int_ok("255", 8), 255);
  assert_int_equal(int_ok("0xffff_ffff_ffff_ffff", 64), UINT64_MAX);
  assert_int_equal(int_ok("-9223372036854775808", 64), UINT64_C(1) << 63);
  uint64_t v;
  static const char *const bad_ints[] = {
      "", "-", "0x", "256", "-129", "1__0", "_1", "1_", "0x_1", "12a",
      "0x1g", "18446744073709551616", "--1", " 1", "1.0"};
  for (size_t i = 0; i < sizeof bad_ints / sizeof bad_ints[0]; i++)
    if (spec_lit_int(bad_ints[i], 8, &v) == 0)
      fail_msg("integer \"%s\" should be refused", bad_ints[i]);

  assert_int_equal(float_ok("0x0p+0", 32), 0);
  assert_int_equal(float_ok("-0x0p+0", 32), 0x80000000u);
  assert_int_equal(float_ok("0x1p-149", 32), 1);
  assert_int_equal(float_ok("0x1.fffffep+127", 32), 0x7f7fffffu);
  assert_int_equal(float_ok("1.5", 32), 0x3fc00000u);
  assert_int_equal(float_ok("1e10", 64), UINT64_C(0x4202a05f20000000));
  assert_int_equal(float_ok("0x1.a3d7_0a3d_70a3_dp+0", 64),
                   UINT64_C(0x3ffa3d70a3d70a3d));
  assert_int_equal(float_ok("inf", 32), 0x7f800000u);
  assert_int_equal(float_ok("-inf", 64), UINT64_C(0xfff0000000000000));
  assert_int_equal(float_ok("nan", 32), 0x7fc00000u);
  assert_int_equal(float_ok("-nan:0x200000", 32), 0xffa00000u);
  assert_int_equal(float_ok("nan:0x1", 32), 0x7f800001u);
  assert_int_equal(float_ok("nan:0xf_ffff_ffff_ffff", 64),
                   UINT64_C(0x7fffffffffffffff));
  /* Ties go to even, straight to 32 bits (no double rounding). */
  assert_int_equal(float_ok("0x1.000001p+0", 32), 0x3f800000u);
  assert_int_equal(float_ok("0x1.000003p+0", 32), 0x3f800002u);
  assert_int_equal(float_ok("0x1.0000010000000001p+0", 32), 0x3f800001u);
  static const char *const bad_floats[] = {
      "", "x", "nan:0x0", "nan:0x800000", "nan:0x", "infinity", "nan(1)",
      " 1.0", "0x1p", "1e", "0x1p+128", "1e39", "1._5", "_1.0", "0x1.8p+0x"};
  for (size_t i = 0; i < sizeof bad_floats / sizeof bad_floats[0]; i++)
    if (spec_lit_float(bad_floats[i], 32, &v) == 0)
      fail_msg("float \"%s\" should be refused", bad_floats[i]);
}

/* ------------------------------------------------------------------ */
/* Conversion */

typedef struct converted {
  spec_converted files;
  spec_json_doc *doc;
  const spec_json *cmds;
} converted;

static void convert_ok(const char *script, converted *c) {
  char err[256];
  if (spec_script_convert(script, strlen(script), "t.bin.wast", &c->files,
                          err, sizeof err) != 0)
    fail_msg("conversion failed: %s", err);
  const spec_blob *json = spec_converted_find(&c->files, SPEC_JSON_NAME);
  assert_non_null(json);
  c->doc = spec_json_parse((const char *)json->bytes, json->len, err,
                           sizeof err);
  if (!c->doc)
    fail_msg("the JSON written does not parse: %s\n%s", err, json->bytes);
  assert_string_equal(
      spec_json_get_str(spec_json_root(c->doc), "source_filename"),
      "t.bin.wast");
  c->cmds = spec_json_get(spec_json_root(c->doc), "commands");
  assert_non_null(c->cmds);
}

static void converted_free(converted *c) {
  spec_json_free(c->doc);
  spec_converted_free(&c->files);
}

static const spec_json *cmd_at(const converted *c, size_t i, const char *type,
                               unsigned line) {
  const spec_json *cmd = spec_json_at(c->cmds, i);
  assert_non_null(cmd);
  assert_string_equal(spec_json_get_str(cmd, "type"), type);
  assert_int_equal((unsigned)spec_json_get(cmd, "line")->num, line);
  return cmd;
}

static void convert_modules(void **state) {
  (void)state;
  converted c;
  convert_ok("(module definition $M binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
             "(module instance $I $M)\n"
             "(module instance)\n"
             "(module binary \"\\00asm\\01\\00\\00\\00\")\n"
             "(module $N quote \"(module)\")\n"
             "(module (func))\n"
             "(register \"reg\" $I)\n"
             "(register \"cur\")\n"
             "(assert_unlinkable (module instance $X $M) \"unknown import\")\n"
             "(assert_trap (module binary \"\\00asm\") \"out of bounds\")\n"
             "(assert_malformed (module quote \"x\") \"unexpected token\")\n"
             "(assert_invalid (module definition binary \"\") \"type\")\n",
             &c);
  assert_int_equal(c.cmds->len, 12);
  const spec_json *m = cmd_at(&c, 0, "module_definition", 1);
  assert_string_equal(spec_json_get_str(m, "name"), "$M");
  const spec_blob *b =
      spec_converted_find(&c.files, spec_json_get_str(m, "filename"));
  assert_non_null(b);
  assert_int_equal(b->len, 8);
  assert_memory_equal(b->bytes, "\0asm\1\0\0\0", 8);
  m = cmd_at(&c, 1, "module_instance", 2);
  assert_string_equal(spec_json_get_str(m, "name"), "$I");
  assert_string_equal(spec_json_get_str(m, "module"), "$M");
  m = cmd_at(&c, 2, "module_instance", 3);
  assert_null(spec_json_get(m, "name"));
  assert_null(spec_json_get(m, "module"));
  m = cmd_at(&c, 3, "module", 4);
  assert_string_equal(spec_json_get_str(m, "module_type"), "binary");
  assert_non_null(spec_converted_find(&c.files,
                                      spec_json_get_str(m, "filename")));
  /* text modules, quoted or not, are converted by lull's text format */
  m = cmd_at(&c, 4, "module", 5);
  assert_string_equal(spec_json_get_str(m, "module_type"), "binary");
  assert_string_equal(spec_json_get_str(m, "name"), "$N");
  m = cmd_at(&c, 5, "module", 6);
  assert_string_equal(spec_json_get_str(m, "module_type"), "binary");
  assert_int_equal(
      spec_converted_find(&c.files, spec_json_get_str(m, "filename"))->len,
      24);
  m = cmd_at(&c, 6, "register", 7);
  assert_string_equal(spec_json_get_str(m, "as"), "reg");
  assert_string_equal(spec_json_get_str(m, "name"), "$I");
  m = cmd_at(&c, 7, "register", 8);
  assert_null(spec_json_get(m, "name"));
  m = cmd_at(&c, 8, "assert_unlinkable", 9);
  assert_string_equal(spec_json_get_str(m, "module_type"), "instance");
  assert_string_equal(spec_json_get_str(m, "module"), "$M");
  assert_string_equal(spec_json_get_str(m, "text"), "unknown import");
  m = cmd_at(&c, 9, "assert_trap", 10);
  assert_string_equal(spec_json_get_str(m, "module_type"), "binary");
  /* text that lull rejects keeps its message for the assertion */
  m = cmd_at(&c, 10, "assert_malformed", 11);
  assert_string_equal(spec_json_get_str(m, "module_type"), "text");
  assert_string_equal(spec_json_get_str(m, "text_error"),
                      "unknown operator x at 1:1");
  m = cmd_at(&c, 11, "assert_invalid", 12);
  assert_int_equal(
      spec_converted_find(&c.files, spec_json_get_str(m, "filename"))->len, 0);
  converted_free(&c);
}

/* The JSON of the i-th expected value of command `cmd`. */
static const spec_json *expected(const spec_json *cmd, size_t i) {
  const spec_json *v = spec_json_at(spec_json_get(cmd, "expected"), i);
  assert_non_null(v);
  return v;
}

static void assert_value(const spec_json *v, const char *type,
                         const char *value) {
  assert_string_equal(spec_json_get_str(v, "type"), type);
  assert_string_equal(spec_json_get_str(v, "value"), value);
}

static void convert_values(void **state) {
  (void)state;
  converted c;
  convert_ok(
      "(assert_return (invoke $I \"f\\00g\" (i32.const -1) (i64.const 0x10)\n"
      "  (f32.const -0x1p-149) (f64.const nan:0x8_0000_0000_0000)\n"
      "  (ref.extern 7) (ref.null func) (ref.host 3))\n"
      "  (f32.const nan:canonical) (f64.const nan:arithmetic)\n"
      "  (v128.const f32x4 nan:canonical 0x1p+0 -inf nan:arithmetic)\n"
      "  (v128.const i8x16 -1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 0xff)\n"
      "  (ref.func) (ref.extern) (ref.null) (ref.null nofunc)\n"
      "  (ref.struct) (ref.array) (ref.i31) (ref.eq) (ref.any) (ref.exn)\n"
      "  (ref.null exn) (ref.null 0)\n"
      "  (either (i32.const 1) (v128.const i64x2 1 -1)))\n"
      "(assert_trap (invoke \"t\") \"unreachable\")\n"
      "(assert_exhaustion (invoke \"r\") \"call stack exhausted\")\n"
      "(assert_exception (invoke \"e\" (i32.const 1)))\n"
      "(invoke \"a\")\n"
      "(get $I \"g\")\n",
      &c);
  assert_int_equal(c.cmds->len, 6);
  const spec_json *r = cmd_at(&c, 0, "assert_return", 1);
  const spec_json *act = spec_json_get(r, "action");
  assert_string_equal(spec_json_get_str(act, "type"), "invoke");
  assert_string_equal(spec_json_get_str(act, "module"), "$I");
  const spec_json *field = spec_json_get(act, "field");
  assert_int_equal(field->len, 3);
  assert_memory_equal(field->str, "f\0g", 3);
  const spec_json *args = spec_json_get(act, "args");
  assert_int_equal(args->len, 7);
  assert_value(spec_json_at(args, 0), "i32", "4294967295");
  assert_value(spec_json_at(args, 1), "i64", "16");
  assert_value(spec_json_at(args, 2), "f32", "2147483649");
  assert_value(spec_json_at(args, 3), "f64", "9221120237041090560");
  assert_value(spec_json_at(args, 4), "externref", "7");
  assert_value(spec_json_at(args, 5), "funcref", "null");
  assert_value(spec_json_at(args, 6), "hostref", "3");
  assert_value(expected(r, 0), "f32", "nan:canonical");
  assert_value(expected(r, 1), "f64", "nan:arithmetic");
  const spec_json *v = expected(r, 2);
  assert_string_equal(spec_json_get_str(v, "lane_type"), "f32");
  const spec_json *lanes = spec_json_get(v, "value");
  assert_string_equal(spec_json_at(lanes, 0)->str, "nan:canonical");
  assert_string_equal(spec_json_at(lanes, 1)->str, "1065353216");
  assert_string_equal(spec_json_at(lanes, 2)->str, "4286578688");
  assert_string_equal(spec_json_at(lanes, 3)->str, "nan:arithmetic");
  lanes = spec_json_get(expected(r, 3), "value");
  assert_int_equal(lanes->len, 16);
  assert_string_equal(spec_json_at(lanes, 0)->str, "255");
  assert_string_equal(spec_json_at(lanes, 15)->str, "255");
  assert_value(expected(r, 4), "funcref", "nonnull");
  assert_value(expected(r, 5), "externref", "nonnull");
  assert_value(expected(r, 6), "ref", "null");
  assert_value(expected(r, 7), "nullfuncref", "null");
  static const char *const gc[] = {"structref", "arrayref", "i31ref",
                                   "eqref",     "anyref",   "exnref"};
  for (size_t i = 0; i < 6; i++)
    assert_value(expected(r, 8 + i), gc[i], "nonnull");
  assert_value(expected(r, 14), "exnref", "null");
  assert_value(expected(r, 15), "ref", "null");
  v = expected(r, 16);
  assert_string_equal(spec_json_get_str(v, "type"), "either");
  assert_int_equal(spec_json_get(v, "values")->len, 2);
  assert_value(spec_json_at(spec_json_get(v, "values"), 0), "i32", "1");

  r = cmd_at(&c, 1, "assert_trap", 11);
  assert_string_equal(spec_json_get_str(r, "text"), "unreachable");
  r = cmd_at(&c, 2, "assert_exhaustion", 12);
  assert_string_equal(spec_json_get_str(r, "text"), "call stack exhausted");
  r = cmd_at(&c, 3, "assert_exception", 13);
  assert_int_equal(spec_json_get(spec_json_get(r, "action"), "args")->len, 1);
  r = cmd_at(&c, 4, "action", 14);
  r = cmd_at(&c, 5, "action", 15);
  act = spec_json_get(r, "action");
  assert_string_equal(spec_json_get_str(act, "type"), "get");
  assert_null(spec_json_get(act, "args"));
  converted_free(&c);
}

/* A command that cannot be read becomes a script_error naming its line;
 * the commands around it are kept. */
static void convert_bad_commands(void **state) {
  (void)state;
  static const struct {
    const char *text;
    const char *why;
  } cases[] = {
      {"(frobnicate 1)", "line 2: unknown command (frobnicate ...)"},
      {"atom", "line 2: expected a command"},
      {"()", "line 2: expected a command"},
      {"(assert_return (invoke \"f\" (i32.const 0x1_0000_0000)))",
       "line 2: bad i32 literal \"0x1_0000_0000\""},
      {"(assert_return (invoke \"f\") (f32.const 1e39))",
       "line 2: bad f32 literal"},
      {"(assert_return (invoke \"f\") (v128.const i32x4 1 2 3))",
       "needs 4 lanes"},
      {"(assert_return (invoke \"f\") (v128.const i32x4 1 2 3 4 5))",
       "more than 4 lanes"},
      {"(assert_return (invoke \"f\") (v128.const i33x4 1 2 3 4))",
       "unknown v128 shape i33x4"},
      {"(assert_return (invoke \"f\") (i32.const))",
       "expected a number, got end of list"},
      {"(assert_return (invoke \"f\") (i32.const 1 2))", "unexpected 2"},
      {"(assert_return (invoke \"f\") (ref.null bogus))",
       "unknown heap type bogus"},
      {"(assert_return (invoke \"f\") (ref.extern x))",
       "bad reference number"},
      {"(assert_return (invoke \"f\") (i32.add))", "unknown value form"},
      {"(invoke \"f\" (either (i32.const 1)))", "only allowed as a result"},
      {"(assert_return (invoke \"f\") (either))", "without results"},
      {"(assert_return (call \"f\"))", "expected (invoke ...) or (get ...)"},
      {"(assert_return (invoke $I))", "expected the export's name"},
      {"(get \"g\" (i32.const 1))", "unexpected i32.const in (get ...)"},
      {"(assert_trap (invoke \"f\"))", "expected the failure message"},
      {"(assert_trap (invoke \"f\") \"a\" \"b\")",
       "unexpected a string after the message"},
      {"(assert_invalid (module instance) \"x\")",
       "needs a module, not an instance"},
      {"(assert_invalid (func) \"x\")", "expected a module, got func"},
      {"(module binary \"\\00\" atom)", "expected a string in (module binary"},
      {"(module instance $a $b $c)", "unexpected $c"},
      {"(register $I)", "expected (register"},
      {"(register \"r\" $I extra)", "unexpected extra in register"},
      {"(assert_exception (invoke \"f\") \"msg\")",
       "unexpected a string in assert_exception"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char script[512];
    snprintf(script, sizeof script, "(invoke \"before\")\n%s\n(invoke \"after\")",
             cases[i].text);
    converted c;
    convert_ok(script, &c);
    assert_int_equal(c.cmds->len, 3);
    cmd_at(&c, 0, "action", 1);
    const spec_json *e = cmd_at(&c, 1, "script_error", 2);
    const char *text = spec_json_get_str(e, "text");
    if (!strstr(text, cases[i].why) || strncmp(text, "line 2: ", 8) != 0)
      fail_msg("%s: error \"%s\" does not say \"%s\"", cases[i].text, text,
               cases[i].why);
    cmd_at(&c, 2, "action", 3);
    converted_free(&c);
  }

  /* A file that is not an S-expression at all fails as a whole. */
  spec_converted out;
  char err[160];
  assert_int_equal(
      spec_script_convert("(module\n(", 9, "t", &out, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 2: '(' is never closed"));
  assert_int_equal(out.n, 0);
}

/* ------------------------------------------------------------------ */
/* A script run end to end */

/* (module (func (export "f") (result i32) (i32.const 42))) */
#define MODULE_F                                                              \
  "\"\\00asm\\01\\00\\00\\00\" \"\\01\\05\\01\\60\\00\\01\\7f\" "             \
  "\"\\03\\02\\01\\00\" \"\\07\\05\\01\\01\\66\\00\\00\" "                    \
  "\"\\0a\\06\\01\\04\\00\\41\\2a\\0b\""

static void run_script(void **state) {
  (void)state;
  const char *script =
      "(module definition $M binary " MODULE_F ")\n"                /* pass */
      "(module instance $I $M)\n"                                   /* pass */
      "(assert_return (invoke $I \"f\") (i32.const 42))\n"          /* pass */
      "(assert_return (invoke \"f\") (either (i32.const 1) (i32.const 0x2a)))\n"
      "(assert_return (invoke \"f\") (i32.const 43))\n"             /* fail */
      "(assert_return (invoke \"f\") (either (i64.const 42) (f32.const 0)))\n"
      "(assert_exception (invoke \"f\"))\n"                         /* fail */
      "(assert_return (invoke \"f\") (ref.struct))\n"               /* fail */
      "(assert_return (invoke \"f\" (ref.host 1)) (i32.const 42))\n"
      "(register \"m\" $I)\n"                                       /* pass */
      "(module quote \"(module)\")\n"                               /* pass */
      "(assert_malformed (module quote \"x\") \"unknown operator\")\n"
      "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")\n"
      "(module instance $J)\n"                                      /* pass */
      "(assert_return (invoke $J \"f\") (i32.const 42))\n"          /* pass */
      "(assert_unlinkable (module instance $X $M) \"unknown import\")\n"
      "(module instance $K $nowhere)\n"                             /* fail */
      "(frobnicate)\n";                                             /* fail */
  spec_converted files;
  char err[160];
  assert_int_equal(spec_script_convert(script, strlen(script), "t.bin.wast",
                                       &files, err, sizeof err),
                   0);
  spec_opts o = {SPEC_KINDS_ALL, 0, "wast2json", 100, 0,
                 lull_features_supported(), 0};
  spec_counts n = {0, 0, 0};
  spec_run_file(&o, "t.bin.wast", &files, &n);
  spec_converted_free(&files);
  /* Passed: the definition, two instances, three returns (the either
   * included), the register, the quoted module, and assert_malformed on
   * text and on bytes. Failed: the wrong result, the either that matches
   * nothing, assert_exception, ref.struct, the ref.host argument, the
   * instance that links, the unknown definition and the unknown
   * command. */
  assert_int_equal(n.passed, 10);
  assert_int_equal(n.failed, 8);
  assert_int_equal(n.skipped, 0);

  /* With only validation selected, definitions validate and instances do
   * not run (nor count). */
  assert_int_equal(spec_script_convert(script, strlen(script), "t.bin.wast",
                                       &files, err, sizeof err),
                   0);
  o.kinds = SPEC_KIND(MODULE) | SPEC_KIND(MALFORMED) | SPEC_KIND(INVALID);
  memset(&n, 0, sizeof n);
  spec_run_file(&o, "t.bin.wast", &files, &n);
  spec_converted_free(&files);
  /* definition, quoted module, both assert_malformed */
  assert_int_equal(n.passed, 4);
  assert_int_equal(n.failed, 1); /* the unknown command */
  assert_int_equal(n.skipped, 0);
}

static void features_parse(void **state) {
  (void)state;
  lull_features f = 123;
  char bad[32];
  assert_int_equal(spec_features_parse("2.0", &f, bad, sizeof bad), 0);
  assert_int_equal(f, LULL_FEATURES_2_0);
  assert_int_equal(
      spec_features_parse("tail-call,memory64", &f, bad, sizeof bad), 0);
  assert_int_equal(f, LULL_FEATURE_TAIL_CALL | LULL_FEATURE_MEMORY64);
  assert_int_equal(spec_features_parse("all", &f, bad, sizeof bad), 0);
  assert_int_equal(f, LULL_FEATURE_TAIL_CALL | LULL_FEATURE_EXTENDED_CONST |
                          LULL_FEATURE_MULTI_MEMORY | LULL_FEATURE_MEMORY64 |
                          LULL_FEATURE_FUNCTION_REFERENCES |
                          LULL_FEATURE_RELAXED_SIMD |
                          LULL_FEATURE_EXCEPTIONS | LULL_FEATURE_GC);
  assert_int_equal(spec_features_parse("gc,bogus", &f, bad, sizeof bad), -1);
  assert_string_equal(bad, "bogus");
  assert_int_equal(spec_features_parse("", &f, bad, sizeof bad), -1);
  assert_int_equal(spec_features_parse("gc,", &f, bad, sizeof bad), -1);
  assert_int_equal(spec_features_parse("tail", &f, bad, sizeof bad), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sexpr_shapes),
      cmocka_unit_test(sexpr_errors),
      cmocka_unit_test(sexpr_never_crashes),
      cmocka_unit_test(literals),
      cmocka_unit_test(convert_modules),
      cmocka_unit_test(convert_values),
      cmocka_unit_test(convert_bad_commands),
      cmocka_unit_test(run_script),
      cmocka_unit_test(features_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
