/*
 * test_module_serialize.c -- compiled modules as bytes: a module read back
 * in a fresh engine runs as the original (calls, call_indirect, memory,
 * globals, host imports, traps with named frames, fuel), in an engine
 * whose type ids differ it is compiled again and still runs, and bytes
 * that are damaged, truncated, of another build, another module or
 * another engine setting are refused with nothing left allocated, as is
 * every allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode_util.h"
#include "lull.h"
#include "lull_text.h"

static const char guest[] =
    "(module\n"
    "  (type $un (func (param i32) (result i32)))\n"
    "  (import \"h\" \"twice\" (func $twice (type $un)))\n"
    "  (memory (export \"mem\") 1)\n"
    "  (global $g (mut i32) (i32.const 5))\n"
    "  (table 3 funcref)\n"
    "  (elem (i32.const 0) $inc $twice $sq)\n"
    "  (data (i32.const 16) \"cached\")\n"
    "  (func $inc (type $un) (i32.add (local.get 0) (i32.const 1)))\n"
    "  (func $sq (type $un) (i32.mul (local.get 0) (local.get 0)))\n"
    "  (func (export \"via\") (param i32 i32) (result i32)\n"
    "    (call_indirect (type $un) (local.get 1) (local.get 0)))\n"
    "  (func (export \"sum\") (param $n i32) (result i32) (local $s i32)\n"
    "    (block $out (loop $l\n"
    "      (br_if $out (i32.eqz (local.get $n)))\n"
    "      (local.set $s (i32.add (local.get $s) (local.get $n)))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br $l)))\n"
    "    (i32.add (local.get $s) (global.get $g)))\n"
    "  (func $deep (export \"boom\") (drop (i32.load (i32.const 70000))))\n"
    "  (func (export \"pick\") (param i32) (result i32)\n"
    "    (block $a (block $b (block $c\n"
    "      (br_table $a $b $c (local.get 0)))\n"
    "      (return (i32.const 30)))\n"
    "      (return (i32.const 20)))\n"
    "    (i32.const 10)))\n";

/* A type that makes another engine's ids differ when loaded first. */
static const char other[] =
    "(module (type (func (param f64 f64 f64) (result i64)))"
    "  (func (type 0) (i64.const 0)))";

static lull_hostret twice(lull_hostcall *hc, const lull_val *args,
                          lull_val *results, void *env) {
  (void)hc;
  (void)env;
  results[0].of.i32 = args[0].of.i32 * 2;
  return LULL_HOST_RETURN;
}

static uint8_t *wasm_of(lull_engine *e, const char *text, size_t *len) {
  uint8_t *b;
  lull_error err;
  if (lull_wat_to_wasm(e, text, strlen(text), &b, len, &err) != LULL_OK)
    fail_msg("%s", err.message);
  uint8_t *copy = malloc(*len);
  memcpy(copy, b, *len);
  lull_wasm_free(e, b, *len);
  return copy;
}

/* Serialized bytes of `guest`, made by a fresh default engine (malloc'd). */
static uint8_t *serialized(size_t *len, uint8_t **wasm, size_t *wasm_len) {
  lull_engine *e = lull_engine_new(NULL);
  *wasm = wasm_of(e, guest, wasm_len);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, *wasm, *wasm_len, &m, &err), LULL_OK);
  uint8_t *b;
  assert_int_equal(lull_module_serialize(m, &b, len, &err), LULL_OK);
  uint8_t *copy = malloc(*len);
  memcpy(copy, b, *len);
  lull_module_serialized_free(e, b, *len);
  lull_engine_free(e);
  return copy;
}

static int32_t call1(lull_thread *t, lull_instance *inst, const char *name,
                     int32_t a, int32_t b, size_t nargs) {
  lull_val args[2] = {{.type = LULL_I32, .of.i32 = a},
                      {.type = LULL_I32, .of.i32 = b}};
  lull_val r;
  lull_status s = lull_call(t, lull_instance_func(inst, name), args, nargs,
                            &r, 1);
  if (s != LULL_OK)
    fail_msg("%s: %s", name, lull_thread_trap_message(t));
  return r.of.i32;
}

/* Instantiates `m` and checks it behaves as `guest` says. */
static void runs_as_compiled(lull_engine *e, lull_module *m) {
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {1, 1, i32, i32};
  lull_extern imp = {LULL_EXTERN_FUNC,
                     {.func = lull_func_new(e, &ft, twice, NULL, NULL)}};
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, m, &imp, 1, &inst, &err), LULL_OK);
  lull_func_free(imp.of.func);
  lull_thread *t = lull_thread_new(e);
  assert_int_equal(call1(t, inst, "via", 0, 41, 2), 42);
  assert_int_equal(call1(t, inst, "via", 1, 21, 2), 42);
  assert_int_equal(call1(t, inst, "via", 2, 7, 2), 49);
  assert_int_equal(call1(t, inst, "sum", 100, 0, 1), 5055);
  assert_int_equal(call1(t, inst, "pick", 0, 0, 1), 10);
  assert_int_equal(call1(t, inst, "pick", 1, 0, 1), 20);
  assert_int_equal(call1(t, inst, "pick", 2, 0, 1), 30);
  assert_int_equal(call1(t, inst, "pick", 9, 0, 1), 30);
  char s[8];
  assert_int_equal(lull_memory_read_str(lull_instance_memory(inst), 16, s,
                                        sizeof s, NULL),
                   LULL_OK);
  assert_string_equal(s, "cached");
  assert_int_equal(
      lull_call(t, lull_instance_func(inst, "boom"), NULL, 0, NULL, 0),
      LULL_TRAP);
  assert_int_equal(lull_thread_trap_code(t), LULL_TRAP_MEMORY_OUT_OF_BOUNDS);
  lull_frame_info fr;
  assert_int_equal(lull_thread_backtrace(t, &fr, 1), 1);
  assert_string_equal(fr.func_name, "boom");
  /* Fuel: the safepoints came along. */
  lull_thread_set_fuel(t, 50);
  lull_val a = {.type = LULL_I32, .of.i32 = 1000}, r;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "sum"), &a, 1, &r, 1),
                   LULL_SUSPENDED);
  lull_thread_set_fuel(t, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 500505);
  lull_thread_free(t);
  lull_instance_free(inst);
}

static void round_trip_in_a_fresh_engine(void **state) {
  (void)state;
  size_t len, wlen;
  uint8_t *wasm;
  uint8_t *b = serialized(&len, &wasm, &wlen);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_deserialize(e, b, len, wasm, wlen, &m, &err),
                   LULL_OK);
  runs_as_compiled(e, m);
  /* Without the module's bytes to check against, too. */
  lull_module *m2;
  assert_int_equal(lull_module_deserialize(e, b, len, NULL, 0, &m2, &err),
                   LULL_OK);
  /* The same module id as lull_module_id gives, and serializing again
   * gives the same bytes. */
  uint8_t *b2;
  size_t len2;
  assert_int_equal(lull_module_serialize(m2, &b2, &len2, &err), LULL_OK);
  assert_int_equal(len2, len);
  assert_memory_equal(b2, b, len);
  lull_module_serialized_free(e, b2, len2);
  lull_engine_free(e);
  free(b);
  free(wasm);
}

static void other_type_ids_compile_again(void **state) {
  (void)state;
  size_t len, wlen, olen;
  uint8_t *wasm;
  uint8_t *b = serialized(&len, &wasm, &wlen);
  lull_engine *e = lull_engine_new(NULL);
  uint8_t *ow = wasm_of(e, other, &olen);
  lull_module *first, *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, ow, olen, &first, &err), LULL_OK);
  assert_int_equal(lull_module_deserialize(e, b, len, wasm, wlen, &m, &err),
                   LULL_OK);
  runs_as_compiled(e, m);
  lull_engine_free(e);
  free(ow);
  free(b);
  free(wasm);
}

static void lazy_engines_serialize_everything(void **state) {
  (void)state;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.lazy_compile = 1;
  lull_engine *e = lull_engine_new(&cfg);
  size_t wlen, len;
  uint8_t *wasm = wasm_of(e, guest, &wlen);
  lull_module *m;
  lull_error err;
  assert_int_equal(lull_module_new(e, wasm, wlen, &m, &err), LULL_OK);
  uint8_t *b;
  assert_int_equal(lull_module_serialize(m, &b, &len, &err), LULL_OK);
  lull_engine *fresh = lull_engine_new(&cfg);
  lull_module *back;
  assert_int_equal(lull_module_deserialize(fresh, b, len, wasm, wlen, &back,
                                           &err),
                   LULL_OK);
  runs_as_compiled(fresh, back);
  lull_module_serialized_free(e, b, len);
  lull_engine_free(fresh);
  lull_engine_free(e);
  free(wasm);
}

/* Deserializes `b` in a default engine: the status, with the message. */
static lull_status try_bytes(const uint8_t *b, size_t len, const uint8_t *w,
                             size_t wlen, lull_error *err) {
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = (lull_module *)1;
  lull_status s = lull_module_deserialize(e, b, len, w, wlen, &m, err);
  if (s != LULL_OK)
    assert_null(m);
  lull_engine_free(e);
  return s;
}

static void reseal(uint8_t *b, size_t len) {
  uint64_t c = lull_module_key(b, len - 8);
  for (int i = 0; i < 8; i++)
    b[len - 8 + i] = (uint8_t)(c >> (8 * i));
}

static void bad_bytes_are_refused(void **state) {
  (void)state;
  size_t len, wlen;
  uint8_t *wasm;
  uint8_t *b = serialized(&len, &wasm, &wlen);
  lull_error err;
  /* Every truncation. */
  for (size_t n = 0; n < len; n += n < 64 ? 1 : 97) {
    assert_int_equal(try_bytes(b, n, NULL, 0, &err), LULL_BADCODE);
  }
  assert_int_equal(try_bytes(b, 7, NULL, 0, &err), LULL_BADCODE);
  assert_string_equal(err.message,
                      "not usable compiled module: not a serialized lull "
                      "module");
  assert_int_equal(try_bytes(b, len - 1, NULL, 0, &err), LULL_BADCODE);
  assert_string_equal(err.message, "not usable compiled module: truncated or "
                                   "damaged (checksum)");
  /* Any byte flipped. */
  for (size_t i = 8; i < len; i += 13) {
    b[i] ^= 0x40;
    assert_int_equal(try_bytes(b, len, NULL, 0, &err), LULL_BADCODE);
    b[i] ^= 0x40;
  }
  /* The module bytes are lull's wasm only: the text module given as the
   * wasm to check against is another module. */
  assert_int_equal(try_bytes(b, len, (const uint8_t *)"\0asm\1\0\0\0", 8,
                             &err),
                   LULL_BADCODE);
  assert_string_equal(err.message,
                      "not usable compiled module: made for another module");
  /* Another build: its fingerprint (after magic and version) differs. */
  b[12] ^= 1;
  reseal(b, len);
  assert_int_equal(try_bytes(b, len, NULL, 0, &err), LULL_BADCODE);
  assert_string_equal(err.message,
                      "not usable compiled module: made by another build of "
                      "lull");
  b[12] ^= 1;
  /* Another format version. */
  b[8] ^= 1;
  reseal(b, len);
  assert_int_equal(try_bytes(b, len, NULL, 0, &err), LULL_BADCODE);
  b[8] ^= 1;
  /* Undone, the bytes are good again. */
  reseal(b, len);
  assert_int_equal(try_bytes(b, len, wasm, wlen, &err), LULL_OK);
  /* Bytes after the end. */
  uint8_t *longer = malloc(len + 4);
  memcpy(longer, b, len - 8);
  memset(longer + len - 8, 0, 12);
  reseal(longer, len + 4);
  assert_int_equal(try_bytes(longer, len + 4, NULL, 0, &err), LULL_BADCODE);
  assert_string_equal(err.message, "not usable compiled module: bytes after "
                                   "the last function");
  free(longer);
  free(b);
  free(wasm);
}

static void other_engine_settings_are_refused(void **state) {
  (void)state;
  size_t len, wlen;
  uint8_t *wasm;
  uint8_t *b = serialized(&len, &wasm, &wlen);
  lull_error err;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.safepoints = 0;
  lull_engine *e = lull_engine_new(&cfg);
  lull_module *m;
  assert_int_equal(lull_module_deserialize(e, b, len, wasm, wlen, &m, &err),
                   LULL_BADCODE);
  assert_string_equal(err.message,
                      "not usable compiled module: made by an engine with "
                      "other features or safepoints");
  lull_engine_free(e);
  lull_config_init(&cfg);
  cfg.features = LULL_FEATURES_2_0;
  e = lull_engine_new(&cfg);
  assert_int_equal(lull_module_deserialize(e, b, len, wasm, wlen, &m, &err),
                   LULL_BADCODE);
  lull_engine_free(e);
  /* Misuse. */
  e = lull_engine_new(NULL);
  assert_int_equal(lull_module_deserialize(NULL, b, len, NULL, 0, &m, &err),
                   LULL_BADARG);
  assert_int_equal(lull_module_deserialize(e, b, len, NULL, 0, NULL, &err),
                   LULL_BADARG);
  assert_int_equal(lull_module_deserialize(e, NULL, 3, NULL, 0, &m, &err),
                   LULL_BADARG);
  assert_int_equal(lull_module_deserialize(e, b, len, NULL, 5, &m, &err),
                   LULL_BADARG);
  uint8_t *out;
  size_t olen;
  assert_int_equal(lull_module_serialize(NULL, &out, &olen, &err),
                   LULL_BADARG);
  lull_module_serialized_free(e, NULL, 0);
  lull_module_serialized_free(NULL, NULL, 0);
  lull_engine_free(e);
  free(b);
  free(wasm);
}

static void out_of_memory_leaves_nothing(void **state) {
  (void)state;
  size_t len, wlen;
  uint8_t *wasm;
  uint8_t *b = serialized(&len, &wasm, &wlen);
  int done = 0;
  for (long n = 0; n < 5000 && !done; n++) {
    counting cnt = {0, n, 0, 0, 0};
    lull_config cfg;
    lull_config_init(&cfg);
    cfg.alloc = counting_alloc;
    cfg.alloc_ud = &cnt;
    lull_engine *e = lull_engine_new(&cfg);
    if (e) {
      lull_module *m = NULL;
      lull_error err;
      lull_status s = lull_module_deserialize(e, b, len, wasm, wlen, &m, &err);
      if (s != LULL_OK && s != LULL_NOMEM)
        fail_msg("%d: %s", s, err.message);
      if (s == LULL_OK) {
        uint8_t *again;
        size_t alen;
        s = lull_module_serialize(m, &again, &alen, &err);
        if (s == LULL_OK)
          lull_module_serialized_free(e, again, alen);
        else
          assert_int_equal(s, LULL_NOMEM);
        done = s == LULL_OK;
        lull_module_free(m);
      }
      lull_engine_free(e);
    }
    assert_int_equal(cnt.live, 0);
    assert_int_equal(cnt.nblocks, 0);
  }
  assert_true(done);
  free(b);
  free(wasm);
}

static void module_keys(void **state) {
  (void)state;
  uint8_t a[64], b[64];
  for (int i = 0; i < 64; i++)
    a[i] = b[i] = (uint8_t)i;
  assert_true(lull_module_key(a, 64) == lull_module_key(b, 64));
  /* Any byte, any length, changes it. */
  for (int i = 0; i < 64; i++) {
    b[i] ^= 1;
    assert_true(lull_module_key(a, 64) != lull_module_key(b, 64));
    b[i] ^= 1;
  }
  assert_true(lull_module_key(a, 63) != lull_module_key(a, 64));
  assert_true(lull_module_key(NULL, 0) == lull_module_key(a, 0));
  assert_true(lull_module_key(NULL, 5) == lull_module_key(a, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(round_trip_in_a_fresh_engine),
      cmocka_unit_test(other_type_ids_compile_again),
      cmocka_unit_test(lazy_engines_serialize_everything),
      cmocka_unit_test(bad_bytes_are_refused),
      cmocka_unit_test(other_engine_settings_are_refused),
      cmocka_unit_test(out_of_memory_leaves_nothing),
      cmocka_unit_test(module_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
