/*
 * test_gc_types.c -- the type system of Wasm GC: recursion groups,
 * struct and array definitions, declared subtypes and `final`, and
 * iso-recursive type equivalence. In the decoder and validator: groups
 * decode (and are malformed without GC), references leave a group only
 * backwards, equal groups are one type, supertypes are earlier, open and
 * of a matching structure (fields covariant when immutable, invariant when
 * mutable; function parameters contravariant). In the engine: equal
 * groups of two modules link as one type, a group that differs does not,
 * an import accepts a function of a declared subtype, and call_indirect
 * calls one while refusing an equal-looking final type. ref.test and
 * ref.cast follow declared subtypes (a failed cast traps with "cast
 * failure") and take only references of their target's hierarchy. i31
 * references: made, read signed and unsigned, compared with ref.eq, made
 * in a constant expression, and passed to the host and back.
 * br_on_cast and br_on_cast_fail branch on the test, with the reference
 * as the label's last value. Running out of memory anywhere in loading
 * GC types leaves nothing allocated.
 *
 * Modules are written in the hex notation of decode_util.h.
 */
#include "decode_util.h"
#include "test_util.h"

#define GC (LULL_FEATURE_FUNCTION_REFERENCES | LULL_FEATURE_GC)

static lull_status check(const char *hex, uint32_t features,
                         lulld_module **out, lull_error *err) {
  lulld_module *m = NULL;
  memset(err, 0, sizeof *err);
  lull_status s = decode_hex_features(hex, features, &m, err);
  if (s == LULL_OK)
    s = lulld_validate(m, err);
  if (out && s == LULL_OK)
    *out = m;
  else
    lulld_module_free(m);
  return s;
}

/* A valid module, returned for its types (the caller frees it). */
static lulld_module *valid(const char *hex) {
  lull_error err;
  lulld_module *m = NULL;
  lull_status s = check(hex, GC, &m, &err);
  if (s != LULL_OK)
    fail_msg("expected a valid module, got %d: %s", s, err.message);
  return m;
}

static void valid_free(const char *hex) { lulld_module_free(valid(hex)); }

static void refused(const char *hex, uint32_t features, lull_status status,
                    const char *msg) {
  lull_error err;
  lull_status s = check(hex, features, NULL, &err);
  if (s != status || strncmp(err.message, msg, strlen(msg)) != 0)
    fail_msg("expected %d \"%s\", got %d: %s", status, msg, s,
             s == LULL_OK ? "(valid)" : err.message);
}

static void invalid(const char *hex, const char *msg) {
  refused(hex, GC, LULL_INVALID, msg);
}

static void recursion_groups_decode(void **state) {
  (void)state;
  /* (rec (struct (field (mut (ref null 1)))) (struct (field (ref null 0))))
   * (array (mut i8)) */
  const char *hex = HDR "01{02 4e 02 5f 01 63 01 01  5f 01 63 00 00"
                        "   5e 78 01}";
  lulld_module *m = valid(hex);
  assert_int_equal(m->ntypes, 3);
  assert_int_equal(m->types[0].kind, LULLD_COMP_STRUCT);
  assert_int_equal(m->types[0].nfields, 1);
  assert_int_equal(m->types[0].muts[0], 1);
  assert_int_equal(m->types[1].muts[0], 0);
  assert_int_equal(m->types[1].rec, 0);
  assert_int_equal(m->types[1].nrec, 2);
  assert_int_equal(m->types[2].kind, LULLD_COMP_ARRAY);
  assert_int_equal(m->types[2].types[0], LULLD_PACKED_I8);
  assert_int_equal(m->types[2].rec, 2);
  assert_int_equal(m->types[2].nrec, 1);
  assert_true(m->types[0].final);
  /* A reference's code is its definition's kind. */
  assert_int_equal(LULL_VT_CODE(m->types[0].types[0]), LULL_HT_STRUCT);
  lulld_module_free(m);
  /* Without GC the group's byte is not a type. */
  refused(hex, LULL_FEATURE_FUNCTION_REFERENCES, LULL_MALFORMED,
          "malformed function type");
  refused(HDR "01{01 5f 01 7f 02}", GC, LULL_MALFORMED,
          "malformed mutability");
  /* An empty group defines nothing. */
  lulld_module *e = valid(HDR "01{02 4e 00 60 00 00}");
  assert_int_equal(e->ntypes, 1);
  lulld_module_free(e);
}

static void references_leave_a_group_only_backwards(void **state) {
  (void)state;
  invalid(HDR "01{02 5f 01 63 01 00  5f 00}", "unknown type 1: in type 0");
  valid_free(HDR "01{02 5f 00  5f 01 63 00 00}");
  /* A function's type must be a function type. */
  invalid(HDR "01{01 5f 00} 03{01 00} 0a{01 {00 0b}}", "non-function type");
  invalid(HDR "01{02 5f 00 60 00 00} 03{01 01} 0a{01 {00 02 00 0b 0b}}",
          "non-function type");
}

static void equal_groups_are_one_type(void **state) {
  (void)state;
  /* The same group twice, then a struct like the group's second type but
   * in a group of its own, then the group with its types swapped. */
  lulld_module *m = valid(HDR
      "01{04 4e 02 5f 01 63 01 01  5f 01 63 00 00"
      "      4e 02 5f 01 63 03 01  5f 01 63 02 00"
      "      5f 01 63 04 00"
      "      4e 02 5f 01 63 06 00  5f 01 63 05 01}");
  assert_int_equal(m->ntypes, 7);
  assert_int_equal(m->type_canon[2], 0);
  assert_int_equal(m->type_canon[3], 1);
  assert_int_equal(m->type_canon[4], 4);
  assert_int_equal(m->type_canon[5], 5);
  assert_int_equal(m->type_canon[6], 6);
  lulld_module_free(m);
  /* Open and final types differ, and so do supertypes. */
  m = valid(HDR "01{04 5f 00  50 00 5f 00  4f 00 5f 00  50 01 01 5f 00}");
  assert_int_equal(m->type_canon[2], 0);
  assert_int_equal(m->type_canon[1], 1);
  assert_int_equal(m->type_canon[3], 3);
  lulld_module_free(m);
}

static void supertypes_are_earlier_open_and_matching(void **state) {
  (void)state;
  /* (sub (struct i32)) and (sub 0 (struct i32 i64)) */
  valid_free(HDR "01{02 50 00 5f 01 7f 00  50 01 00 5f 02 7f 00 7e 00}");
  invalid(HDR "01{02 4f 00 5f 00  50 01 00 5f 00}", "sub type");
  invalid(HDR "01{02 5f 00  50 01 00 5f 00}", "sub type");
  invalid(HDR "01{02 50 00 5f 01 7f 00  50 01 00 5f 01 7e 00}", "sub type");
  invalid(HDR "01{02 50 00 5f 01 7f 00  50 01 00 5f 00}", "sub type");
  invalid(HDR "01{02 50 00 5e 7f 00  50 01 00 5f 00}", "sub type");
  /* An immutable field is covariant, a mutable one invariant. */
  valid_free(HDR "01{02 50 00 5f 01 6e 00  50 01 00 5f 01 6d 00}");
  invalid(HDR "01{02 50 00 5f 01 6e 01  50 01 00 5f 01 6d 01}", "sub type");
  valid_free(HDR "01{02 50 00 5e 6e 00  50 01 00 5e 6c 00}");
  /* Parameters are contravariant, results covariant. */
  valid_free(HDR "01{02 50 00 60 01 6d 01 6e  50 01 00 60 01 6e 01 6d}");
  invalid(HDR "01{02 50 00 60 01 6e 00  50 01 00 60 01 6d 00}", "sub type");
  invalid(HDR "01{02 50 00 60 00 01 6d  50 01 00 60 00 01 6e}", "sub type");
  /* One supertype at most, defined before. */
  invalid(HDR "01{02 50 00 5f 00  50 02 00 00 5f 00}",
          "multiple supertypes");
  invalid(HDR "01{02 50 01 01 5f 00  50 00 5f 00}",
          "unknown type 1: in type 0");
  /* Within one group a type may extend an earlier one. */
  valid_free(HDR "01{01 4e 02 50 00 5f 00  50 01 00 5f 01 7f 00}");
}

static void values_of_subtypes_match(void **state) {
  (void)state;
  /* 0: (sub (struct)), 1: (sub 0 (struct i32)), 2: (func (param (ref 1))
   * (result (ref 0))), 3: the same with eqref, 4: (func (param (ref 0))
   * (result (ref 1))) */
#define SUBTYPES                                                              \
  "01{05 50 00 5f 00  50 01 00 5f 01 7f 00  60 01 64 01 01 64 00"            \
  "      60 01 64 01 01 6d  60 01 64 00 01 64 01} "
  valid_free(HDR SUBTYPES "03{01 02} 0a{01 {00 20 00 0b}}");
  valid_free(HDR SUBTYPES "03{01 03} 0a{01 {00 20 00 0b}}");
  invalid(HDR SUBTYPES "03{01 04} 0a{01 {00 20 00 0b}}", "type mismatch");
#undef SUBTYPES
}

/* ---- In the engine ---- */

static lull_engine *gc_engine(void) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features |= LULL_FEATURE_GC;
  lull_engine *e = lull_engine_new(&cfg);
  assert_non_null(e);
  return e;
}

static lull_module *load(lull_engine *e, const char *hex) {
  size_t n;
  uint8_t *b = hex_bytes(hex, &n);
  lull_module *m = NULL;
  lull_error err;
  if (lull_module_new(e, b, n, &m, &err) != LULL_OK)
    fail_msg("module: %s", err.message);
  free(b);
  return m;
}

/* Instantiates `hex` with `imports`: the status, and *out on success. */
static lull_status link_hex(lull_engine *e, const char *hex,
                        const lull_extern *imports, size_t n,
                        lull_instance **out, lull_error *err) {
  lull_module *m = load(e, hex);
  lull_status s = lull_instantiate(e, m, imports, n, out, err);
  lull_module_free(m);
  return s;
}

/* Instantiates `hex` (no imports), which must succeed. */
static lull_instance *instance(lull_engine *e, const char *hex) {
  lull_instance *inst = NULL;
  lull_error err;
  if (link_hex(e, hex, NULL, 0, &inst, &err) != LULL_OK)
    fail_msg("instantiate: %s", err.message);
  return inst;
}

static lull_extern export_of(lull_instance *inst, const char *name) {
  lull_extern x;
  assert_int_equal(lull_instance_export(inst, name, &x), LULL_OK);
  return x;
}

static void unlinkable(lull_engine *e, const char *hex, lull_extern *x) {
  lull_instance *inst = NULL;
  lull_error err;
  lull_status s = link_hex(e, hex, x, 1, &inst, &err);
  if (s != LULL_UNLINKABLE)
    fail_msg("expected unlinkable, got %d", s);
  assert_null(inst);
}

static void linkable(lull_engine *e, const char *hex, lull_extern *x) {
  lull_instance *inst = NULL;
  lull_error err;
  if (link_hex(e, hex, x, 1, &inst, &err) != LULL_OK)
    fail_msg("link: %s", err.message);
  lull_instance_free(inst);
}

static void modules_share_equal_groups(void **state) {
  (void)state;
  lull_engine *e = gc_engine();
  /* (rec (func (param (ref null 1))) (struct)), exporting a function of
   * the group's function type. */
  lull_instance *a = instance(e, HDR "01{01 4e 02 60 01 63 01 00  5f 00}"
                                     "03{01 00} 07{01 {'f'} 00 00}"
                                     "0a{01 {00 0b}}");
  lull_extern x = export_of(a, "f");
  linkable(e, HDR "01{01 4e 02 60 01 63 01 00  5f 00} 02{01 {'a'} {'f'} 00 00}",
           &x);
  /* The struct differs, or the types are not one group. */
  unlinkable(e,
             HDR "01{01 4e 02 60 01 63 01 00  5f 01 7f 00}"
                 "02{01 {'a'} {'f'} 00 00}",
             &x);
  unlinkable(e, HDR "01{02 5f 00  60 01 63 00 00} 02{01 {'a'} {'f'} 00 01}",
             &x);
  lull_instance_free(a);
  lull_engine_free(e);
}

static void imports_take_declared_subtypes(void **state) {
  (void)state;
  lull_engine *e = gc_engine();
  /* $a = (sub (func)), $b = (sub $a (func)); "g" has type $b. */
  lull_instance *a = instance(e, HDR "01{02 50 00 60 00 00  50 01 00 60 00 00}"
                                     "03{01 01} 07{01 {'g'} 00 00}"
                                     "0a{01 {00 0b}}");
  lull_extern x = export_of(a, "g");
  linkable(e, HDR "01{01 50 00 60 00 00} 02{01 {'e'} {'g'} 00 00}", &x);
  /* A final (func) is another type than the open $a. */
  unlinkable(e, HDR "01{01 60 00 00} 02{01 {'e'} {'g'} 00 00}", &x);
  lull_instance_free(a);
  lull_engine_free(e);
}

static void call_indirect_calls_subtypes(void **state) {
  (void)state;
  lull_engine *e = gc_engine();
  /* 0: (sub (func (result i32))), 1: (sub 0 (func (result i32))),
   * 2: (func (result i32)), 3: (func (param i32) (result i32)).
   * Table: [f0 of type 1 -> 7, f1 of type 2 -> 8];
   * "call" i = call_indirect (type 0) i. */
  lull_instance *inst = instance(
      e, HDR "01{04 50 00 60 00 01 7f  50 01 00 60 00 01 7f"
             "      60 00 01 7f  60 01 7f 01 7f}"
             "03{03 01 02 03} 04{01 70 00 02} 07{01 {'call'} 00 02}"
             "09{01 00 41 00 0b 02 00 01}"
             "0a{03 {00 41 07 0b} {00 41 08 0b} {00 20 00 11 00 00 0b}}");
  lull_thread *t = lull_thread_new(e);
  lull_func *call = lull_instance_func(inst, "call");
  assert_non_null(call);
  lull_val arg, res;
  memset(&arg, 0, sizeof arg);
  arg.type = LULL_I32;
  arg.of.i32 = 0;
  assert_int_equal(lull_call(t, call, &arg, 1, &res, 1), LULL_OK);
  assert_int_equal(res.of.i32, 7);
  arg.of.i32 = 1;
  assert_int_equal(lull_call(t, call, &arg, 1, &res, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t),
                      "indirect call type mismatch");
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_engine_free(e);
}

/* Calls the export `name` (() -> i32): its status, and *out. */
static lull_status call_i32(lull_thread *t, lull_instance *inst,
                            const char *name, int32_t *out) {
  lull_func *f = lull_instance_func(inst, name);
  assert_non_null(f);
  lull_val res;
  lull_status s = lull_call(t, f, NULL, 0, &res, 1);
  *out = res.of.i32;
  return s;
}

static void casts_follow_declared_subtypes(void **state) {
  (void)state;
  /* 0: (sub (func)), 1: (sub 0 (func)), 2: (func (result i32));
   * f0 of type 1, f1 of type 0.
   *   t0 = ref.test (ref 1) f0          t1 = ref.test (ref 1) f1
   *   tn = ref.test (ref null 1) null - ref.test (ref 1) null
   *   c0 = ref.test (ref 1) (ref.cast (ref 0) f0)
   *   c1 = ref.cast (ref 1) f1 */
  lull_engine *e = gc_engine();
  lull_instance *inst = instance(
      e, HDR "01{03 50 00 60 00 00  50 01 00 60 00 00  60 00 01 7f}"
             "03{07 01 00 02 02 02 02 02}"
             "07{05 {'t0'} 00 02 {'t1'} 00 03 {'tn'} 00 04 {'c0'} 00 05"
             "      {'c1'} 00 06}"
             "09{01 03 00 02 00 01}"
             "0a{07 {00 0b} {00 0b} {00 d2 00 fb 14 01 0b}"
             "   {00 d2 01 fb 14 01 0b}"
             "   {00 d0 70 fb 15 01 d0 70 fb 14 01 6b 0b}"
             "   {00 d2 00 fb 16 00 fb 14 01 0b}"
             "   {00 d2 01 fb 16 01 1a 41 00 0b}}");
  lull_thread *t = lull_thread_new(e);
  int32_t v = -1;
  assert_int_equal(call_i32(t, inst, "t0", &v), LULL_OK);
  assert_int_equal(v, 1);
  assert_int_equal(call_i32(t, inst, "t1", &v), LULL_OK);
  assert_int_equal(v, 0);
  assert_int_equal(call_i32(t, inst, "tn", &v), LULL_OK);
  assert_int_equal(v, 1);
  assert_int_equal(call_i32(t, inst, "c0", &v), LULL_OK);
  assert_int_equal(v, 1);
  assert_int_equal(call_i32(t, inst, "c1", &v), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t), "cast failure");
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_engine_free(e);
}

static void casts_stay_in_their_hierarchy(void **state) {
  (void)state;
#define CAST_BODY(b)                                                          \
  HDR "01{02 50 00 60 00 00  60 00 01 7f} 03{01 01} 0a{01 {00 " b " 0b}}"
  valid_free(CAST_BODY("d0 70 fb 14 00"));
  valid_free(CAST_BODY("d0 70 fb 16 70 fb 15 73"));
  invalid(CAST_BODY("d0 6f fb 14 00"), "type mismatch");
  invalid(CAST_BODY("d0 70 fb 14 6b"), "type mismatch");
  invalid(CAST_BODY("41 00 fb 14 70"), "type mismatch");
  invalid(CAST_BODY("d0 70 fb 14 09"), "unknown type");
  /* ref.cast's result is the target type. */
  invalid(CAST_BODY("d0 70 fb 16 70"), "type mismatch");
  refused(HDR "01{01 60 00 01 7f} 03{01 00} 0a{01 {00 d0 70 fb 14 70 0b}}",
          LULL_FEATURE_FUNCTION_REFERENCES, LULL_MALFORMED,
          "illegal opcode");
#undef CAST_BODY
}

/* Calls `f` with one argument and one result. */
static lull_status call1(lull_thread *t, lull_instance *inst,
                         const char *name, lull_val arg, lull_val *res) {
  lull_func *f = lull_instance_func(inst, name);
  assert_non_null(f);
  return lull_call(t, f, &arg, 1, res, 1);
}

static lull_val i32_val(int32_t v) {
  lull_val x;
  memset(&x, 0, sizeof x);
  x.type = LULL_I32;
  x.of.i32 = v;
  return x;
}

static void i31_references(void **state) {
  (void)state;
  /* s, u: i31.get_s / get_u of ref.i31 of the argument; mk: ref.i31;
   * get: i31.get_s of an i31ref argument; eq: ref.eq of ref.i31 5 and a
   * global initialized to ref.i31 5. */
  lull_engine *e = gc_engine();
  lull_instance *inst = instance(
      e, HDR "01{04 60 01 7f 01 7f  60 01 7f 01 6c  60 01 6c 01 7f"
             "      60 00 01 7f}"
             "03{05 00 00 01 02 03} 06{01 64 6c 00 41 05 fb 1c 0b}"
             "07{05 {'s'} 00 00 {'u'} 00 01 {'mk'} 00 02 {'get'} 00 03"
             "      {'eq'} 00 04}"
             "0a{05 {00 20 00 fb 1c fb 1d 0b} {00 20 00 fb 1c fb 1e 0b}"
             "   {00 20 00 fb 1c 0b} {00 20 00 fb 1d 0b}"
             "   {00 41 05 fb 1c 23 00 d3 0b}}");
  lull_thread *t = lull_thread_new(e);
  lull_val r;
  assert_int_equal(call1(t, inst, "s", i32_val(-1), &r), LULL_OK);
  assert_int_equal(r.of.i32, -1);
  assert_int_equal(call1(t, inst, "s", i32_val(0x40000000), &r), LULL_OK);
  assert_int_equal(r.of.i32, -0x40000000);
  assert_int_equal(call1(t, inst, "u", i32_val(-1), &r), LULL_OK);
  assert_int_equal(r.of.i32, 0x7FFFFFFF);
  /* An i31 goes to the host and back. */
  lull_val ref;
  assert_int_equal(call1(t, inst, "mk", i32_val(-7), &ref), LULL_OK);
  int32_t v = 0;
  assert_true(lull_val_i31(&ref, &v));
  assert_int_equal(v, -7);
  assert_int_equal(call1(t, inst, "get", ref, &r), LULL_OK);
  assert_int_equal(r.of.i32, -7);
  /* A null, and an even pointer (no object the host could hold). */
  ref.of.externref = NULL;
  assert_int_equal(call1(t, inst, "get", ref, &r), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t), "null i31 reference");
  ref.of.externref = &ref;
  assert_int_equal(call1(t, inst, "get", ref, &r), LULL_BADARG);
  assert_false(lull_val_i31(&r, NULL));
  assert_int_equal(call_i32(t, inst, "eq", &v), LULL_OK);
  assert_int_equal(v, 1);
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_engine_free(e);
  /* ref.eq takes eqrefs only; ref.i31 an i32. */
  invalid(HDR "01{01 60 00 01 7f} 03{01 00} 0a{01 {00 d0 6e d0 6e d3 0b}}",
          "type mismatch");
  invalid(HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 42 00 fb 1c 1a 0b}}",
          "type mismatch");
  invalid(HDR "06{01 6c 00 42 05 fb 1c 0b}", "type mismatch");
}

static void br_on_cast_branches_on_the_test(void **state) {
  (void)state;
  /* 0: (sub (func)), 1: (sub 0 (func)); f0 of type 1, f1 of type 0.
   *   b0, b1: 1 when br_on_cast funcref -> (ref 1) of f0 (f1) branches
   *   bf: 1 when br_on_cast_fail funcref -> (ref 1) of f0 goes on
   *   bi (anyref): i31.get_s of what br_on_cast anyref -> (ref i31)
   *   passes, -1 when it goes on */
  lull_engine *e = gc_engine();
  lull_instance *inst = instance(
      e, HDR "01{04 50 00 60 00 00  50 01 00 60 00 00  60 00 01 7f"
             "      60 01 6e 01 7f}"
             "03{06 01 00 02 02 02 03}"
             "07{04 {'b0'} 00 02 {'b1'} 00 03 {'bf'} 00 04 {'bi'} 00 05}"
             "09{01 03 00 02 00 01}"
             "0a{06 {00 0b} {00 0b}"
             "   {00 02 64 01 d2 00 fb 18 01 00 70 01 1a 41 00 0f 0b"
             "    1a 41 01 0b}"
             "   {00 02 64 01 d2 01 fb 18 01 00 70 01 1a 41 00 0f 0b"
             "    1a 41 01 0b}"
             "   {00 02 70 d2 00 fb 19 01 00 70 01 1a 41 01 0f 0b"
             "    1a 41 00 0b}"
             "   {00 02 64 6c 20 00 fb 18 01 00 6e 6c 1a 41 7f 0f 0b"
             "    fb 1d 0b}}");
  lull_thread *t = lull_thread_new(e);
  int32_t v = -1;
  assert_int_equal(call_i32(t, inst, "b0", &v), LULL_OK);
  assert_int_equal(v, 1);
  assert_int_equal(call_i32(t, inst, "b1", &v), LULL_OK);
  assert_int_equal(v, 0);
  assert_int_equal(call_i32(t, inst, "bf", &v), LULL_OK);
  assert_int_equal(v, 1);
  lull_val any, r;
  memset(&any, 0, sizeof any);
  any.type = LULL_REF(LULL_HT_ANY, 1);
  any.of.externref = (void *)(uintptr_t)((9u << 1) | 1u); /* i31 9 */
  assert_int_equal(call1(t, inst, "bi", any, &r), LULL_OK);
  assert_int_equal(r.of.i32, 9);
  any.of.externref = NULL;
  assert_int_equal(call1(t, inst, "bi", any, &r), LULL_OK);
  assert_int_equal(r.of.i32, -1);
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_engine_free(e);
  /* The target must be below the source; the label must take it. */
#define BR_CAST(b)                                                            \
  HDR "01{01 60 00 00} 03{01 00} 0a{01 {00 " b " 0b}}"
  valid_free(BR_CAST("02 70 d0 70 fb 18 01 00 70 73 0b 1a"));
  invalid(BR_CAST("02 6e d0 70 fb 18 01 00 70 6e 0b 1a"), "type mismatch");
  invalid(BR_CAST("02 6c d0 6e fb 18 01 00 6e 6d 0b 1a"), "type mismatch");
  invalid(BR_CAST("02 6e d0 70 fb 18 01 00 6e 6c 0b 1a"), "type mismatch");
  refused(BR_CAST("02 70 d0 70 fb 18 04 00 70 73 0b 1a"), GC,
          LULL_MALFORMED, "malformed br_on_cast flags");
#undef BR_CAST
}

/* Loads and instantiates `hex` in engine e; 0 when all of it worked. */
static int try_load(lull_engine *e, const char *hex) {
  size_t n;
  uint8_t *b = hex_bytes(hex, &n);
  lull_module *m = NULL;
  lull_instance *inst = NULL;
  lull_error err;
  lull_status s = lull_module_new(e, b, n, &m, &err);
  free(b);
  if (s == LULL_OK)
    s = lull_instantiate(e, m, NULL, 0, &inst, &err);
  if (s != LULL_OK && s != LULL_NOMEM)
    fail_msg("unexpected %d: %s", s, err.message);
  lull_instance_free(inst);
  lull_module_free(m);
  return s == LULL_OK ? 0 : -1;
}

static void out_of_memory_leaves_nothing(void **state) {
  (void)state;
  /* Two modules with equal groups (the second finds the first's), and
   * types of every kind, against an allocator failing at the n-th call. */
  const char *a = HDR "01{03 4e 02 50 00 5f 01 63 01 01  50 01 00 5f 02 63"
                  "      01 01 7f 00  5e 78 01  60 01 63 00 01 7f}"
                  "03{01 03} 0a{01 {00 41 00 0b}}";
  const char *b = HDR "01{02 4e 02 50 00 5f 01 63 01 01  50 01 00 5f 02 63"
                  "      01 01 7f 00  5e 77 00}";
  int done = 0;
  for (long n = 0; n < 5000 && !done; n++) {
    counting cnt = {0, n, 0, 0, 0};
    lull_config cfg;
    lull_config_init(&cfg);
    cfg.features |= LULL_FEATURE_GC;
    cfg.alloc = counting_alloc;
    cfg.alloc_ud = &cnt;
    lull_engine *e = lull_engine_new(&cfg);
    if (e) {
      done = try_load(e, a) == 0 && try_load(e, b) == 0;
      lull_engine_free(e);
    }
    assert_int_equal(cnt.live, 0);
    assert_int_equal(cnt.nblocks, 0);
  }
  assert_true(done);
}

/* GC is on by default; an engine without it reads no recursion group. */
static void gc_is_on_by_default(void **state) {
  (void)state;
  assert_int_equal(lull_features_supported() & LULL_FEATURE_GC,
                   LULL_FEATURE_GC);
  size_t n;
  uint8_t *b = hex_bytes(HDR "01{01 4e 01 5f 00}", &n);
  lull_module *m = NULL;
  lull_error err;
  lull_engine *e = lull_engine_new(NULL);
  assert_non_null(e);
  assert_int_equal(lull_module_new(e, b, n, &m, &err), LULL_OK);
  lull_engine_free(e);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features &= ~(lull_features)LULL_FEATURE_GC;
  e = lull_engine_new(&cfg);
  assert_non_null(e);
  m = NULL;
  assert_int_equal(lull_module_new(e, b, n, &m, &err), LULL_MALFORMED);
  assert_null(m);
  free(b);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(recursion_groups_decode),
      cmocka_unit_test(references_leave_a_group_only_backwards),
      cmocka_unit_test(equal_groups_are_one_type),
      cmocka_unit_test(supertypes_are_earlier_open_and_matching),
      cmocka_unit_test(values_of_subtypes_match),
      cmocka_unit_test(modules_share_equal_groups),
      cmocka_unit_test(imports_take_declared_subtypes),
      cmocka_unit_test(call_indirect_calls_subtypes),
      cmocka_unit_test(casts_follow_declared_subtypes),
      cmocka_unit_test(casts_stay_in_their_hierarchy),
      cmocka_unit_test(i31_references),
      cmocka_unit_test(br_on_cast_branches_on_the_test),
      cmocka_unit_test(out_of_memory_leaves_nothing),
      cmocka_unit_test(gc_is_on_by_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
