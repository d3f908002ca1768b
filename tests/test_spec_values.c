/*
 * test_spec_values.c -- the spec runner's JSON reader, value parsing and
 * matching (NaN patterns, v128 lanes, references) and --kinds parsing.
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
#include "spec-tests/runner.h"
#include "spec-tests/values.h"

/* ------------------------------------------------------------------ */
/* JSON */

static spec_json_doc *parse_ok(const char *text) {
  char err[128];
  spec_json_doc *doc = spec_json_parse(text, strlen(text), err, sizeof err);
  if (!doc)
    fail_msg("parse of %s failed: %s", text, err);
  return doc;
}

static void parse_bad(const char *text, const char *why) {
  char err[128];
  spec_json_doc *doc = spec_json_parse(text, strlen(text), err, sizeof err);
  if (doc) {
    spec_json_free(doc);
    fail_msg("parse of %s should fail", text);
  }
  if (!strstr(err, why))
    fail_msg("parse of %s: error \"%s\" does not mention \"%s\"", text, err,
             why);
}

static void json_wast2json_shape(void **state) {
  (void)state;
  spec_json_doc *doc = parse_ok(
      "{\"source_filename\": \"a.wast\",\n \"commands\": [\n"
      "  {\"type\": \"module\", \"line\": 3, \"filename\": \"a.0.wasm\"}, \n"
      "  {\"type\": \"assert_return\", \"line\": 104, \"action\": {\"type\": "
      "\"invoke\", \"field\": \"f\", \"args\": []}, \"expected\": [{\"type\": "
      "\"i32\", \"value\": \"97\"}]}]}\n");
  const spec_json *root = spec_json_root(doc);
  assert_int_equal(root->kind, SPEC_JSON_OBJECT);
  assert_int_equal(root->len, 2);
  const spec_json *cmds = spec_json_get(root, "commands");
  assert_non_null(cmds);
  assert_int_equal(cmds->kind, SPEC_JSON_ARRAY);
  assert_int_equal(cmds->len, 2);
  const spec_json *c0 = spec_json_at(cmds, 0);
  assert_string_equal(spec_json_get_str(c0, "type"), "module");
  assert_int_equal((int)spec_json_get(c0, "line")->num, 3);
  assert_string_equal(spec_json_get(c0, "line")->str, "3");
  const spec_json *c1 = spec_json_at(cmds, 1);
  const spec_json *act = spec_json_get(c1, "action");
  assert_string_equal(spec_json_get_str(act, "field"), "f");
  assert_int_equal(spec_json_get(act, "args")->len, 0);
  assert_null(spec_json_get(act, "args")->child);
  assert_null(spec_json_at(cmds, 2));
  assert_null(spec_json_get(c1, "missing"));
  assert_null(spec_json_get_str(c1, "line")); /* a number, not a string */
  assert_null(spec_json_get(cmds, "type"));   /* not an object */
  spec_json_free(doc);
}

static void json_escapes(void **state) {
  (void)state;
  spec_json_doc *doc =
      parse_ok("[\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\", \"\\u0041\\u00e9\\u20ac\","
               " \"\\ud83d\\ude00\", \"x\\u0000y\", \"\\ud800z\", \"\"]");
  const spec_json *r = spec_json_root(doc);
  const spec_json *s = spec_json_at(r, 0);
  assert_int_equal(s->len, 12);
  assert_memory_equal(s->str, "a\"b\\c/d\n\t\r\b\f", 13);
  s = spec_json_at(r, 1);
  assert_string_equal(s->str, "A\xC3\xA9\xE2\x82\xAC");
  s = spec_json_at(r, 2);
  assert_string_equal(s->str, "\xF0\x9F\x98\x80");
  s = spec_json_at(r, 3); /* U+0000 is kept; the length says so */
  assert_int_equal(s->len, 3);
  assert_memory_equal(s->str, "x\0y", 4);
  s = spec_json_at(r, 4); /* a lone surrogate is kept as bytes */
  assert_int_equal(s->len, 4);
  assert_memory_equal(s->str, "\xED\xA0\x80z", 4);
  s = spec_json_at(r, 5);
  assert_int_equal(s->kind, SPEC_JSON_STRING);
  assert_int_equal(s->len, 0);
  spec_json_free(doc);
}

static void json_scalars(void **state) {
  (void)state;
  spec_json_doc *doc =
      parse_ok(" [ true , false , null , -0 , 12.5e2 , 1E-1 , {} , [] ] ");
  const spec_json *r = spec_json_root(doc);
  assert_int_equal(r->len, 8);
  assert_int_equal(spec_json_at(r, 0)->kind, SPEC_JSON_TRUE);
  assert_int_equal(spec_json_at(r, 1)->kind, SPEC_JSON_FALSE);
  assert_int_equal(spec_json_at(r, 2)->kind, SPEC_JSON_NULL);
  assert_true(spec_json_at(r, 3)->num == 0.0);
  assert_true(spec_json_at(r, 4)->num == 1250.0);
  assert_true(spec_json_at(r, 5)->num == 0.1);
  assert_int_equal(spec_json_at(r, 6)->kind, SPEC_JSON_OBJECT);
  assert_int_equal(spec_json_at(r, 6)->len, 0);
  assert_int_equal(spec_json_at(r, 7)->kind, SPEC_JSON_ARRAY);
  spec_json_free(doc);
}

static void json_errors(void **state) {
  (void)state;
  parse_bad("", "unexpected end");
  parse_bad("[1, 2", "expected ',' or ']'");
  parse_bad("[1, 2,]", "bad number");
  parse_bad("{\"a\" 1}", "expected ':'");
  parse_bad("{1: 2}", "expected a key");
  parse_bad("{\"a\": 1,}", "expected a key");
  parse_bad("\"abc", "unterminated string");
  parse_bad("\"a\\qb\"", "bad escape");
  parse_bad("\"\\u12g4\"", "bad \\u escape");
  parse_bad("\"a\nb\"", "control character");
  parse_bad("[] []", "content after the document");
  parse_bad("01", "content after the document");
  parse_bad("-", "bad number");
  parse_bad("1.", "bad number");
  parse_bad("1e+", "bad number");
  parse_bad("tru", "unexpected character");
  parse_bad("[1] x", "offset 4");
  char deep[300];
  memset(deep, '[', 200);
  deep[200] = '\0';
  parse_bad(deep, "nested deeper");
  /* A NUL inside the given length is just a bad character. */
  char err[64];
  assert_null(spec_json_parse("[1\0]", 4, err, sizeof err));
  /* errlen 0 must not write. */
  assert_null(spec_json_parse("[", 1, NULL, 0));
}

static void json_big_document(void **state) {
  (void)state;
  /* More than one arena chunk, and a string bigger than a chunk. */
  size_t n = 200000;
  char *text = malloc(n * 4 + 16);
  assert_non_null(text);
  size_t o = 0;
  text[o++] = '[';
  for (size_t i = 0; i < n / 10; i++)
    o += (size_t)sprintf(text + o, "%s1", i ? "," : "");
  o += (size_t)sprintf(text + o, ",\"");
  memset(text + o, 'x', n);
  o += n;
  o += (size_t)sprintf(text + o, "\"]");
  char err[64];
  spec_json_doc *doc = spec_json_parse(text, o, err, sizeof err);
  assert_non_null(doc);
  const spec_json *r = spec_json_root(doc);
  assert_int_equal(r->len, n / 10 + 1);
  assert_int_equal(spec_json_at(r, n / 10)->len, n);
  spec_json_free(doc);
  free(text);
  spec_json_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Values */

/* Parses one value object given as JSON text. */
static int value(const char *json, spec_value *v, char *err, size_t errlen) {
  char perr[128];
  spec_json_doc *doc = spec_json_parse(json, strlen(json), perr, sizeof perr);
  if (!doc)
    fail_msg("bad test JSON %s: %s", json, perr);
  int rc = spec_value_parse(spec_json_root(doc), v, err, errlen);
  spec_json_free(doc);
  return rc;
}

static spec_value value_ok(const char *json) {
  spec_value v;
  char err[128];
  if (value(json, &v, err, sizeof err) != 0)
    fail_msg("value %s: %s", json, err);
  return v;
}

static void value_bad(const char *json, const char *why) {
  spec_value v;
  char err[128];
  if (value(json, &v, err, sizeof err) == 0)
    fail_msg("value %s should be rejected", json);
  if (!strstr(err, why))
    fail_msg("value %s: error \"%s\" does not mention \"%s\"", json, err, why);
}

static lull_val arg(const char *json) {
  spec_value v = value_ok(json);
  lull_val out;
  char err[128];
  if (spec_value_to_val(&v, &out, err, sizeof err) != 0)
    fail_msg("argument %s: %s", json, err);
  return out;
}

static lull_val f32_bits(uint32_t bits) {
  lull_val v = {.type = LULL_F32};
  memcpy(&v.of.f32, &bits, 4);
  return v;
}

static lull_val f64_bits(uint64_t bits) {
  lull_val v = {.type = LULL_F64};
  memcpy(&v.of.f64, &bits, 8);
  return v;
}

static void values_integers(void **state) {
  (void)state;
  lull_val v = arg("{\"type\": \"i32\", \"value\": \"4294967295\"}");
  assert_int_equal(v.type, LULL_I32);
  assert_int_equal(v.of.i32, -1);
  v = arg("{\"type\": \"i32\", \"value\": \"-2147483648\"}");
  assert_int_equal(v.of.i32, INT32_MIN);
  v = arg("{\"type\": \"i64\", \"value\": \"18446744073709551615\"}");
  assert_int_equal(v.type, LULL_I64);
  assert_true(v.of.i64 == -1);
  v = arg("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}");
  assert_true(v.of.i64 == INT64_MIN);
  value_bad("{\"type\": \"i32\", \"value\": \"4294967296\"}", "bad number");
  value_bad("{\"type\": \"i32\", \"value\": \"-2147483649\"}", "bad number");
  value_bad("{\"type\": \"i64\", \"value\": \"18446744073709551616\"}",
            "bad number");
  value_bad("{\"type\": \"i32\", \"value\": \"12a\"}", "bad number");
  value_bad("{\"type\": \"i32\", \"value\": \"\"}", "bad number");
  value_bad("{\"type\": \"i32\", \"value\": \"nan:canonical\"}", "bad number");
  value_bad("{\"type\": \"i8\", \"value\": \"1\"}", "unsupported value type");
  value_bad("{\"value\": \"1\"}", "without a type");

  spec_value e = value_ok("{\"type\": \"i32\", \"value\": \"4294967295\"}");
  lull_val got = {.type = LULL_I32, .of.i32 = -1};
  assert_true(spec_value_match(&e, &got));
  got.of.i32 = 0x7FFFFFFF;
  assert_false(spec_value_match(&e, &got));
  got.type = LULL_I64; /* same bits, wrong type */
  got.of.i64 = 0xFFFFFFFF;
  assert_false(spec_value_match(&e, &got));
}

static void values_floats_bits(void **state) {
  (void)state;
  lull_val v = arg("{\"type\": \"f32\", \"value\": \"1065353216\"}");
  assert_int_equal(v.type, LULL_F32);
  assert_true(v.of.f32 == 1.0f);
  v = arg("{\"type\": \"f64\", \"value\": \"4607182418800017408\"}");
  assert_true(v.of.f64 == 1.0);
  /* A signalling NaN argument keeps its payload. */
  v = arg("{\"type\": \"f32\", \"value\": \"2139095041\"}");
  uint32_t bits;
  memcpy(&bits, &v.of.f32, 4);
  assert_int_equal(bits, 0x7F800001u);

  /* Exact expectations compare bits: -0 is not +0, NaN payloads count. */
  spec_value zero = value_ok("{\"type\": \"f32\", \"value\": \"0\"}");
  lull_val got = f32_bits(0x80000000u);
  assert_false(spec_value_match(&zero, &got));
  got = f32_bits(0);
  assert_true(spec_value_match(&zero, &got));
  spec_value nan =
      value_ok("{\"type\": \"f64\", \"value\": \"9221120237041090561\"}");
  got = f64_bits(UINT64_C(0x7FF8000000000001));
  assert_true(spec_value_match(&nan, &got));
  got = f64_bits(UINT64_C(0x7FF8000000000000));
  assert_false(spec_value_match(&nan, &got));
}

static void values_nan_patterns(void **state) {
  (void)state;
  spec_value c32 =
      value_ok("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
  spec_value a32 =
      value_ok("{\"type\": \"f32\", \"value\": \"nan:arithmetic\"}");
  static const struct {
    uint32_t bits;
    int canonical, arithmetic;
  } f32s[] = {{0x7FC00000u, 1, 1}, {0xFFC00000u, 1, 1}, {0x7FC00001u, 0, 1},
              {0xFFFFFFFFu, 0, 1}, {0x7FA00000u, 0, 0}, {0x7F800001u, 0, 0},
              {0x7F800000u, 0, 0}, {0x3F800000u, 0, 0}, {0x00400000u, 0, 0}};
  for (size_t i = 0; i < sizeof f32s / sizeof f32s[0]; i++) {
    lull_val got = f32_bits(f32s[i].bits);
    assert_int_equal(spec_value_match(&c32, &got), f32s[i].canonical);
    assert_int_equal(spec_value_match(&a32, &got), f32s[i].arithmetic);
  }
  spec_value c64 =
      value_ok("{\"type\": \"f64\", \"value\": \"nan:canonical\"}");
  spec_value a64 =
      value_ok("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
  static const struct {
    uint64_t bits;
    int canonical, arithmetic;
  } f64s[] = {{UINT64_C(0x7FF8000000000000), 1, 1},
              {UINT64_C(0xFFF8000000000000), 1, 1},
              {UINT64_C(0x7FF8000000000001), 0, 1},
              {UINT64_C(0xFFFFFFFFFFFFFFFF), 0, 1},
              {UINT64_C(0x7FF4000000000000), 0, 0},
              {UINT64_C(0x7FF0000000000001), 0, 0},
              {UINT64_C(0x7FF0000000000000), 0, 0},
              {UINT64_C(0x0008000000000000), 0, 0}};
  for (size_t i = 0; i < sizeof f64s / sizeof f64s[0]; i++) {
    lull_val got = f64_bits(f64s[i].bits);
    assert_int_equal(spec_value_match(&c64, &got), f64s[i].canonical);
    assert_int_equal(spec_value_match(&a64, &got), f64s[i].arithmetic);
  }
  /* A NaN pattern of one width never matches the other width. */
  lull_val got = f64_bits(UINT64_C(0x7FF8000000000000));
  assert_false(spec_value_match(&c32, &got));
  /* Patterns cannot be arguments. */
  lull_val out;
  char err[128];
  assert_int_equal(spec_value_to_val(&c32, &out, err, sizeof err), -1);
}

static void values_v128(void **state) {
  (void)state;
  lull_val v = arg("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": "
                   "[\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", "
                   "\"8\", \"9\", \"10\", \"11\", \"12\", \"13\", \"14\", "
                   "\"255\"]}");
  assert_int_equal(v.type, LULL_V128);
  for (int i = 0; i < 15; i++)
    assert_int_equal(v.of.v128[i], i);
  assert_int_equal(v.of.v128[15], 255);
  v = arg("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\", "
          "\"65535\", \"0\", \"0\", \"0\", \"0\", \"0\", \"258\"]}");
  static const uint8_t i16s[16] = {1, 0, 0xFF, 0xFF, 0, 0, 0, 0,
                                   0, 0, 0,    0,    0, 0, 2, 1};
  assert_memory_equal(v.of.v128, i16s, 16);
  v = arg("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": "
          "[\"1\", \"18446744073709551615\"]}");
  assert_int_equal(v.of.v128[0], 1);
  assert_int_equal(v.of.v128[8], 0xFF);
  assert_int_equal(v.of.v128[15], 0xFF);

  value_bad("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"256\", "
            "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", "
            "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\"]}",
            "bad v128 lane");
  value_bad("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"0\"]}",
            "wrong number of v128 lanes");
  value_bad("{\"type\": \"v128\", \"lane_type\": \"i128\", \"value\": []}",
            "unknown lane_type");
  value_bad("{\"type\": \"v128\", \"lane_type\": \"i32\"}", "needs both");

  /* f32 lanes: a NaN pattern in one lane, exact bits in the others. */
  spec_value e = value_ok(
      "{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": "
      "[\"nan:canonical\", \"1065353216\", \"nan:arithmetic\", \"0\"]}");
  lull_val got = {.type = LULL_V128};
  uint32_t lanes[4] = {0xFFC00000u, 0x3F800000u, 0x7FC00123u, 0};
  memcpy(got.of.v128, lanes, 16);
  assert_true(spec_value_match(&e, &got));
  lanes[0] = 0x7FC00001u; /* not canonical */
  memcpy(got.of.v128, lanes, 16);
  assert_false(spec_value_match(&e, &got));
  lanes[0] = 0x7FC00000u;
  lanes[3] = 0x80000000u; /* -0 in an exact lane */
  memcpy(got.of.v128, lanes, 16);
  assert_false(spec_value_match(&e, &got));
  lanes[3] = 0;
  memcpy(got.of.v128, lanes, 16);
  assert_true(spec_value_match(&e, &got));
  lull_val out;
  char err[128];
  assert_int_equal(spec_value_to_val(&e, &out, err, sizeof err), -1);

  /* f64 lanes. */
  e = value_ok("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": "
               "[\"nan:arithmetic\", \"4607182418800017408\"]}");
  uint64_t l64[2] = {UINT64_C(0xFFF8000000000001),
                     UINT64_C(0x3FF0000000000000)};
  memcpy(got.of.v128, l64, 16);
  assert_true(spec_value_match(&e, &got));
  l64[0] = UINT64_C(0x7FF0000000000001); /* signalling */
  memcpy(got.of.v128, l64, 16);
  assert_false(spec_value_match(&e, &got));

  /* Integer lanes compare bytes. */
  e = value_ok("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": "
               "[\"1\", \"2\", \"3\", \"4294967295\"]}");
  uint32_t i32s[4] = {1, 2, 3, 0xFFFFFFFFu};
  memcpy(got.of.v128, i32s, 16);
  assert_true(spec_value_match(&e, &got));
  i32s[2] = 4;
  memcpy(got.of.v128, i32s, 16);
  assert_false(spec_value_match(&e, &got));
}

static void values_references(void **state) {
  (void)state;
  lull_val v = arg("{\"type\": \"externref\", \"value\": \"0\"}");
  assert_int_equal(v.type, LULL_EXTERNREF);
  assert_ptr_equal(v.of.externref, spec_extern_ref(0));
  assert_non_null(v.of.externref); /* ref.extern 0 is not null */
  v = arg("{\"type\": \"externref\", \"value\": \"null\"}");
  assert_null(v.of.externref);
  v = arg("{\"type\": \"funcref\", \"value\": \"null\"}");
  assert_int_equal(v.type, LULL_FUNCREF);
  assert_null(v.of.funcref);
  value_bad("{\"type\": \"externref\", \"value\": \"x\"}",
            "bad externref value");

  spec_value e = value_ok("{\"type\": \"externref\", \"value\": \"42\"}");
  lull_val got = {.type = LULL_EXTERNREF, .of.externref = spec_extern_ref(42)};
  assert_true(spec_value_match(&e, &got));
  got.of.externref = spec_extern_ref(41);
  assert_false(spec_value_match(&e, &got));
  got.of.externref = NULL;
  assert_false(spec_value_match(&e, &got));
  e = value_ok("{\"type\": \"externref\", \"value\": \"null\"}");
  assert_true(spec_value_match(&e, &got));
  got.type = LULL_FUNCREF; /* a null of the other reference type */
  got.of.funcref = NULL;
  assert_false(spec_value_match(&e, &got));

  /* ref.func: any non-null function; it cannot be an argument. */
  e = value_ok("{\"type\": \"funcref\", \"value\": \"0\"}");
  assert_int_equal(e.pat, SPEC_PAT_NONNULL);
  assert_false(spec_value_match(&e, &got));
  got.of.funcref = (lull_func *)&e; /* any non-null pointer will do */
  assert_true(spec_value_match(&e, &got));
  lull_val out;
  char err[128];
  assert_int_equal(spec_value_to_val(&e, &out, err, sizeof err), -1);
  e = value_ok("{\"type\": \"funcref\", \"value\": \"null\"}");
  assert_false(spec_value_match(&e, &got));

  /* Results of typed reference types are matched by their hierarchy:
   * (ref.func) takes a (ref $t), (ref.null nofunc) a null funcref. */
  got.type = LULL_REF_INDEX(0, 0);
  e = value_ok("{\"type\": \"funcref\", \"value\": \"nonnull\"}");
  assert_true(spec_value_match(&e, &got));
  got.type = LULL_REF(LULL_HT_NOFUNC, 1);
  got.of.funcref = NULL;
  e = value_ok("{\"type\": \"funcref\", \"value\": \"null\"}");
  assert_true(spec_value_match(&e, &got));
  e = value_ok("{\"type\": \"nullfuncref\", \"value\": \"null\"}");
  assert_true(spec_value_match(&e, &got));
  e = value_ok("{\"type\": \"ref\", \"value\": \"null\"}");
  assert_true(spec_value_match(&e, &got));
  e = value_ok("{\"type\": \"nullexternref\", \"value\": \"null\"}");
  assert_false(spec_value_match(&e, &got));
  e = value_ok("{\"type\": \"externref\", \"value\": \"nonnull\"}");
  got.type = LULL_REF(LULL_HT_EXTERN, 0);
  got.of.externref = spec_extern_ref(3);
  assert_true(spec_value_match(&e, &got));

  /* The any hierarchy: (ref.struct) is any object, not an i31 nor an
   * extern; (ref.i31) an i31; neither can be an argument. */
  e = value_ok("{\"type\": \"structref\", \"value\": \"nonnull\"}");
  assert_int_equal(e.pat, SPEC_PAT_NONNULL);
  assert_false(spec_value_match(&e, &got));
  assert_int_equal(spec_value_to_val(&e, &out, err, sizeof err), -1);
  lull_val any = {.type = LULL_REF(LULL_HT_EQ, 0)};
  any.of.externref = (void *)(uintptr_t)((42u << 1) | 1u); /* i31 42 */
  assert_false(spec_value_match(&e, &got));
  assert_false(spec_value_match(&e, &any));
  spec_value i31 = value_ok("{\"type\": \"i31ref\", \"value\": \"\"}");
  assert_true(spec_value_match(&i31, &any));
  int32_t n = 0;
  assert_true(lull_val_i31(&any, &n));
  assert_int_equal(n, 42);
  any.of.externref = &any; /* an even pointer: an object */
  assert_true(spec_value_match(&e, &any));
  assert_false(spec_value_match(&i31, &any));
  assert_false(lull_val_i31(&any, &n));
  /* (ref.host 1): the runner's host value 2, as an argument and matched
   * against a result unboxed by the session. */
  e = value_ok("{\"type\": \"hostref\", \"value\": \"1\"}");
  assert_int_equal(e.type, SPEC_HOSTREF);
  assert_null(spec_value_unsupported(&e));
  assert_int_equal(spec_value_to_val(&e, &out, err, sizeof err), 0);
  assert_int_equal(out.type, SPEC_HOSTREF);
  assert_ptr_equal(out.of.externref, spec_extern_ref(1));
  assert_true(spec_value_match(&e, &out));
  out.of.externref = spec_extern_ref(2);
  assert_false(spec_value_match(&e, &out));
  /* (ref.exn): some exception, which no script can name. */
  e = value_ok("{\"type\": \"exnref\", \"value\": \"1\"}");
  assert_int_equal(e.pat, SPEC_PAT_NONNULL);
  assert_null(spec_value_unsupported(&e));
  got.type = LULL_REF(LULL_HT_EXN, 1);
  got.of.externref = NULL;
  assert_false(spec_value_match(&e, &got));
  got.of.externref = &got;
  assert_true(spec_value_match(&e, &got));
  /* References lull has no values of never match, and say why. */
  e = value_ok("{\"type\": \"ref\", \"value\": \"1\"}");
  assert_int_equal(e.pat, SPEC_PAT_NO_VALUES);
  assert_non_null(spec_value_unsupported(&e));
  assert_int_equal(spec_value_to_val(&e, &out, err, sizeof err), -1);
  e = value_ok("{\"type\": \"anyref\", \"value\": \"null\"}");
  assert_null(spec_value_unsupported(&e));
  got.type = LULL_REF(LULL_HT_ANY, 1);
  got.of.externref = NULL;
  assert_true(spec_value_match(&e, &got));
}

/* "either": any alternative may match; the alternatives are freed. */
static void values_either(void **state) {
  (void)state;
  spec_value e = value_ok(
      "{\"type\": \"either\", \"values\": [{\"type\": \"i32\", \"value\": "
      "\"1\"}, {\"type\": \"f32\", \"value\": \"nan:canonical\"}]}");
  assert_int_equal(e.nalts, 2);
  lull_val got = {.type = LULL_I32, .of.i32 = 1};
  assert_true(spec_value_match(&e, &got));
  got.of.i32 = 2;
  assert_false(spec_value_match(&e, &got));
  uint32_t nan = 0xffc00000u;
  got.type = LULL_F32;
  memcpy(&got.of.f32, &nan, 4);
  assert_true(spec_value_match(&e, &got));
  char buf[200];
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "either(i32:1 | f32:nan:canonical)");
  lull_val out;
  assert_int_equal(spec_value_to_val(&e, &out, buf, sizeof buf), -1);
  spec_value_fini(&e);
  assert_null(e.alts);
  value_bad("{\"type\": \"either\", \"values\": []}", "either without");
  value_bad("{\"type\": \"either\", \"values\": [{\"type\": \"i32\", "
            "\"value\": \"x\"}]}",
            "bad number");
}

static void values_type_only(void **state) {
  (void)state;
  /* assert_trap result lists give types without values. */
  static const char *const types[] = {"i32",  "i64",     "f32",      "f64",
                                      "v128", "funcref", "externref"};
  for (size_t i = 0; i < 7; i++) {
    char json[64];
    snprintf(json, sizeof json, "{\"type\": \"%s\"}", types[i]);
    spec_value e = value_ok(json);
    assert_int_equal(e.pat, SPEC_PAT_ANY);
    lull_val got = {.type = e.type};
    assert_true(spec_value_match(&e, &got));
  }
}

static void values_format(void **state) {
  (void)state;
  char buf[200];
  spec_value e = value_ok("{\"type\": \"i32\", \"value\": \"4294967295\"}");
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "i32:4294967295");
  e = value_ok("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "f32:nan:canonical");
  e = value_ok("{\"type\": \"f32\", \"value\": \"1065353216\"}");
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "f32:0x3f800000(1)");
  e = value_ok("{\"type\": \"externref\", \"value\": \"7\"}");
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "externref:7");
  e = value_ok("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": "
               "[\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"65535\"]}");
  spec_value_format(&e, buf, sizeof buf);
  assert_string_equal(buf, "v128:i16x8 1 2 3 4 5 6 7 65535");

  lull_val got = {.type = LULL_I64, .of.i64 = -1};
  spec_val_format(&got, SPEC_LANES_NONE, buf, sizeof buf);
  assert_string_equal(buf, "i64:18446744073709551615");
  got = f64_bits(UINT64_C(0x8000000000000000));
  spec_val_format(&got, SPEC_LANES_NONE, buf, sizeof buf);
  assert_string_equal(buf, "f64:0x8000000000000000(-0)");
  got.type = LULL_V128;
  uint32_t lanes[4] = {1, 2, 3, 4};
  memcpy(got.of.v128, lanes, 16);
  spec_val_format(&got, SPEC_LANES_NONE, buf, sizeof buf);
  assert_string_equal(buf, "v128:i32x4 1 2 3 4");
  spec_val_format(&got, SPEC_LANES_I64, buf, sizeof buf);
  assert_string_equal(buf, "v128:i64x2 8589934593 17179869187");
  got.type = LULL_EXTERNREF;
  got.of.externref = NULL;
  spec_val_format(&got, SPEC_LANES_NONE, buf, sizeof buf);
  assert_string_equal(buf, "externref:null");

  /* Truncation keeps the buffer terminated. */
  char tiny[6];
  spec_value_format(&e, tiny, sizeof tiny);
  assert_string_equal(tiny, "v128:");
}

/* ------------------------------------------------------------------ */
/* --kinds */

static void kinds_parse(void **state) {
  (void)state;
  unsigned k;
  char bad[32];
  assert_int_equal(
      spec_kinds_parse("malformed,invalid,module", &k, bad, sizeof bad), 0);
  assert_int_equal(k, SPEC_KIND(MALFORMED) | SPEC_KIND(INVALID) |
                          SPEC_KIND(MODULE));
  assert_int_equal(k & SPEC_KINDS_EXEC, 0);
  assert_int_equal(spec_kinds_parse("return", &k, bad, sizeof bad), 0);
  assert_int_equal(k, SPEC_KIND(RETURN));
  assert_int_equal(spec_kinds_parse("malformed,invalid,module,unlinkable,"
                                    "uninstantiable,return,trap,exhaustion,"
                                    "action,register,instance,exception",
                                    &k, bad, sizeof bad),
                   0);
  assert_int_equal(k, SPEC_KINDS_ALL);
  assert_int_equal(spec_kinds_parse("module,bogus", &k, bad, sizeof bad), -1);
  assert_string_equal(bad, "bogus");
  assert_int_equal(spec_kinds_parse("", &k, bad, sizeof bad), -1);
  assert_int_equal(spec_kinds_parse("module,", &k, bad, sizeof bad), -1);
  assert_int_equal(spec_kinds_parse("modules", &k, bad, sizeof bad), -1);
  assert_string_equal(spec_kind_word(SPEC_KINDNO_EXHAUSTION), "exhaustion");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_wast2json_shape),
      cmocka_unit_test(json_escapes),
      cmocka_unit_test(json_scalars),
      cmocka_unit_test(json_errors),
      cmocka_unit_test(json_big_document),
      cmocka_unit_test(values_integers),
      cmocka_unit_test(values_floats_bits),
      cmocka_unit_test(values_nan_patterns),
      cmocka_unit_test(values_v128),
      cmocka_unit_test(values_references),
      cmocka_unit_test(values_either),
      cmocka_unit_test(values_type_only),
      cmocka_unit_test(values_format),
      cmocka_unit_test(kinds_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
