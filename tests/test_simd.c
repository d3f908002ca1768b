/*
 * test_simd.c -- v128 beyond what the spec tests check: the register code
 * the compiler makes for v128 instructions (every op walks with its size,
 * constants become immediates), and agreement of the x86 forms of the
 * lane operations with the portable ones on inputs full of edge cases
 * (NaNs, signed zeros, saturation limits, every shift count).
 *
 * The semantics themselves are the spec tests' job (the 56 simd_*.wast
 * files); these tests catch what those cannot see, such as a size in
 * opinfo.c that is wrong for an op the testsuite never disassembles, or
 * an SSE path that a CI machine does not take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interp/interp_internal.h"
#include "interp/ops.h"
#include "interp/simd.h"
#include "interp/simd_cpu.h"
#include "lull.h"
#include "test_util.h"

/* ---------------------------------------------------------------------
 * Register code
 * ------------------------------------------------------------------- */

typedef struct fixture {
  lull_engine *e;
  lull_module *m;
  lull_instance *inst;
} fixture;

static int setup_module(void **state, const char *name) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->e = lull_engine_new(NULL);
  assert_non_null(f->e);
  f->m = test_load(f->e, name);
  lull_error err;
  assert_int_equal(lull_instantiate(f->e, f->m, NULL, 0, &f->inst, &err),
                   LULL_OK);
  *state = f;
  return 0;
}
static int setup_ops(void **state) { return setup_module(state, "simd_ops"); }
static int setup_forms(void **state) {
  return setup_module(state, "simd_forms");
}
static int teardown(void **state) {
  fixture *f = *state;
  lull_instance_free(f->inst);
  lull_module_free(f->m);
  lull_engine_free(f->e);
  free(f);
  return 0;
}

static const lulli_code *code_of(fixture *f, const char *name) {
  lull_func *fn = lull_instance_func(f->inst, name);
  assert_non_null(fn);
  assert_int_equal(fn->kind, LULLI_FUNC_WASM);
  return fn->code;
}

/* The op names of a function's code, space-separated, with its
 * SAFEPOINTs left out and the CPU-variant suffixes (_SSSE3, _SSE41)
 * cut, so the expectations hold on every machine. Checks on the way that
 * every instruction is a known op and that the sizes add up. */
static void ops_of(fixture *f, const char *name, char *out, size_t cap) {
  const lulli_code *c = code_of(f, name);
  size_t len = 0;
  out[0] = '\0';
  for (uint32_t at = 0; at < c->ncells;) {
    int op = lulli_op_of(f->e, &c->code[at]);
    assert_true(op >= 0);
    const char *n = lulli_op_name((unsigned)op);
    size_t nlen = strlen(n);
    const char *cut = strstr(n, "_SSSE3");
    if (!cut)
      cut = strstr(n, "_SSE41");
    if (cut)
      nlen = (size_t)(cut - n);
    if (op != LULLI_OP_SAFEPOINT) {
      assert_true(len + nlen + 2 < cap);
      if (len)
        out[len++] = ' ';
      memcpy(out + len, n, nlen);
      len += nlen;
      out[len] = '\0';
    }
    at += lulli_op_size(f->e, &c->code[at]);
    assert_true(at <= c->ncells);
  }
}

/* Every op of simd_ops.wat's functions is known and has the size opinfo.c
 * gives it: walking the code lands exactly on its end. */
static void every_op_walks_with_its_size(void **state) {
  fixture *f = *state;
  static const char *const funcs[] = {"binary", "unary", "lanes", "memory"};
  char buf[65536];
  for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
    const lulli_code *c = code_of(f, funcs[i]);
    uint32_t at = 0;
    while (at < c->ncells)
      at += lulli_op_size(f->e, &c->code[at]);
    assert_int_equal(at, c->ncells);
    ops_of(f, funcs[i], buf, sizeof buf);
  }
}

/* The same functions run to the end (every handler at least once, under
 * the sanitizers in `make test-asan`). */
static void every_op_runs(void **state) {
  fixture *f = *state;
  lull_thread *t = lull_thread_new(f->e);
  assert_non_null(t);
  lull_val args[6], res[5];
  memset(args, 0, sizeof args);
  for (int i = 0; i < 2; i++) {
    args[i].type = LULL_V128;
    for (int b = 0; b < 16; b++)
      args[i].of.v128[b] = (uint8_t)(b * 37 + i * 101);
  }
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "binary"), args, 2, res, 1),
      LULL_OK);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "unary"), args, 1, res, 2),
      LULL_OK);
  args[2].type = LULL_I32;
  args[2].of.i32 = 11;
  args[3].type = LULL_I64;
  args[3].of.i64 = -12345;
  args[4].type = LULL_F32;
  args[4].of.f32 = 0.75f;
  args[5].type = LULL_F64;
  args[5].of.f64 = -8.5;
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "lanes"), args, 6, res, 5),
      LULL_OK);
  lull_val mem[2];
  mem[0].type = LULL_I32;
  mem[0].of.i32 = 1000;
  mem[1] = args[0];
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "memory"), mem, 2, res, 1),
      LULL_OK);
  /* Out of bounds: the last byte of a v128.load past the end traps. */
  mem[0].of.i32 = 65536 - 16;
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "memory"), mem, 2, res, 1),
      LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t),
                      "out of bounds memory access");
  lull_thread_free(t);
}

/* v128 constants cost no instruction where the op that uses them has an
 * immediate form, at most one CONST128 otherwise; constant splats, lane
 * extractions and shuffles fold. */
static void constants_become_immediates(void **state) {
  fixture *f = *state;
  static const struct {
    const char *func, *ops;
  } want[] = {
      {"add_k", "I32X4_ADD_I RET2"},
      {"k_add", "I32X4_ADD_I RET2"},      /* commutes */
      {"k_sub", "CONST128 I32X4_SUB RET2"},
      {"k_lt", "I32X4_GT_S_I RET2"},      /* k < a is a > k */
      {"shl_k", "I16X8_SHL_I RET2"},
      {"splat_k", "CONST128 RET2"},       /* folded; the return writes it */
      {"extract_k", "CONST32 RET0"},
      {"zero_extend", "I16X8_EXTEND_LOW_I8X16_U RET2"},
      {"zero_local", "I16X8_EXTEND_HIGH_I8X16_U RET2"},
      {"widen_u16", "I32X4_EXTEND_LOW_I16X8_U RET2"},
      {"const_local", "I16X8_ADD_I I16X8_ADD_I RET2"},
      {"late_const", "CONST128 I32X4_ADD RET2"},
      {"blend", "I16X8_EXTEND_LOW_I8X16_U I16X8_ADD_EXTLO_U_SHL "
                "I16X8_ADD_EXTLO_U_SHL I16X8_ADD_SHR_U_AND_I "
                "I16X8_EXT2HI_U_SHL "
                "I16X8_ADD_EXTHI_U_SHL I16X8_ADD_SHR_U_AND_I "
                "I8X16_NARROW_I16X8_U_STORE V128_LOAD RET2"},
      {"blend_mem", "I32_ADD V128_LOAD_RR_EXTLO_U I16X8_ADD_EXTLO_U_SHL_RR "
                    "I16X8_ADD_EXTLO_U_SHL_RR I16X8_ADD_SHR_U_AND_I "
                    "I16X8_EXT2HI_U_SHL "
                    "I16X8_ADD_EXTHI_U_SHL I16X8_ADD_SHR_U_AND_I "
                    "I8X16_NARROW_I16X8_U_STORE V128_LOAD_RR RET2"},
      {"shuffle_k", "I8X16_SHUFFLE_I RET2"},
      {"shuffle_one", "I8X16_SWIZZLE_I RET2"},
      {"shuffle_two", "I8X16_SHUFFLE RET2"},
      {"swizzle_k", "I8X16_SWIZZLE_I RET2"},
      {"bitselect_k", "V128_BITSELECT_I RET2"},
      {"store_k", "V128_STORE_I RET0"},
      {"into_local", "F32X4_MUL RET2"},
  };
  char buf[256];
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    ops_of(f, want[i].func, buf, sizeof buf);
    if (strcmp(buf, want[i].ops) != 0)
      fail_msg("%s: \"%s\", expected \"%s\"", want[i].func, buf, want[i].ops);
  }
  /* into_local's multiply writes local 1 (slots 2 and 3) directly. */
  const lulli_code *c = code_of(f, "into_local");
  uint32_t at = 0;
  assert_int_equal(lulli_op_of(f->e, &c->code[at]), LULLI_OP_F32X4_MUL);
  assert_int_equal(c->code[at + 1].u16[0], 2);
}

/* The folded and immediate forms compute what the Wasm says. */
static void immediate_forms_compute(void **state) {
  fixture *f = *state;
  lull_thread *t = lull_thread_new(f->e);
  lull_val a[2], r;
  a[0].type = a[1].type = LULL_V128;
  for (int b = 0; b < 16; b++) {
    a[0].of.v128[b] = (uint8_t)(0xF0 + b);
    a[1].of.v128[b] = (uint8_t)b;
  }
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "zero_extend"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 2 ? 0 : 0xF0 + b / 2);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "zero_local"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 2 ? 0 : 0xF8 + b / 2);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "widen_u16"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 4 < 2 ? 0xF0 + b / 4 * 2 + b % 4 : 0);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "const_local"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b += 2)
    assert_int_equal(r.of.v128[b] | r.of.v128[b + 1] << 8,
                     (uint16_t)((a[0].of.v128[b] | a[0].of.v128[b + 1] << 8) +
                                4));
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "late_const"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 4 ? 0xF0 + b : 0xF0 + b + 1);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "shuffle_k"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 2 ? 1 : 0xF0 + b);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "swizzle_k"), a, 1, &r, 1),
      LULL_OK);
  for (int b = 0; b < 15; b++)
    assert_int_equal(r.of.v128[b], 0xF0 + 15 - b);
  assert_int_equal(r.of.v128[15], 0); /* index 200 */
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "shuffle_two"), a, 2, &r, 1),
      LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], b % 2 ? b / 2 : 0xF0 + b / 2);
  assert_int_equal(
      lull_call(t, lull_instance_func(f->inst, "extract_k"), NULL, 0, &r, 1),
      LULL_OK);
  assert_int_equal(r.of.i32, -4);
  lull_thread_free(t);
}

/* The fused widening sum, rounding and packing store give the blend's
 * bytes, and the store traps where its 16 bytes do not fit. */
static void widened_sums_compute(void **state) {
  fixture *f = *state;
  lull_thread *t = lull_thread_new(f->e);
  lull_val a[4], r;
  a[0].type = LULL_I32;
  a[0].of.i32 = 64;
  for (int i = 1; i < 4; i++) {
    a[i].type = LULL_V128;
    for (int b = 0; b < 16; b++)
      a[i].of.v128[b] = (uint8_t)(b * 53 + i * 97 + (b & 1) * 200);
  }
  lull_func *fn = lull_instance_func(f->inst, "blend");
  assert_int_equal(lull_call(t, fn, a, 4, &r, 1), LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], (a[1].of.v128[b] + 2 * a[2].of.v128[b] +
                                    a[3].of.v128[b] + 2) >> 2);
  a[0].of.i32 = 65536 - 8;
  assert_int_equal(lull_call(t, fn, a, 4, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t),
                      "out of bounds memory access");
  /* From memory: rows at 1000, 2000 and 3000, to 4000, at i = 5; then a
   * row that ends past the memory traps in the fused load. */
  uint8_t *mem = lull_memory_data(lull_instance_memory(f->inst));
  for (int i = 0; i < 32; i++)
    for (int row = 1; row < 4; row++)
      mem[row * 1000 + i] = (uint8_t)(i * 29 + row * 71 + (i & 3) * 60);
  lull_val m[5];
  for (int i = 0; i < 5; i++) {
    m[i].type = LULL_I32;
    m[i].of.i32 = i == 4 ? 5 : (i ? i : 4) * 1000;
  }
  fn = lull_instance_func(f->inst, "blend_mem");
  assert_int_equal(lull_call(t, fn, m, 5, &r, 1), LULL_OK);
  for (int b = 0; b < 16; b++)
    assert_int_equal(r.of.v128[b], (mem[1005 + b] + 2 * mem[2005 + b] +
                                    mem[3005 + b] + 2) >> 2);
  m[2].of.i32 = 65536 - 16;
  assert_int_equal(lull_call(t, fn, m, 5, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(t),
                      "out of bounds memory access");
  lull_thread_free(t);
}

/* ---------------------------------------------------------------------
 * x86 forms against the portable ones
 * ------------------------------------------------------------------- */

/* Lanes that break careless code, mixed with random bytes. */
static lulli_v128 edgy(uint32_t *seed) {
  static const uint32_t f32s[] = {
      0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000,
      0xFFC00000, 0x7FA00000, 0x7F800001, 0x3F000000, 0xBF000000,
      0x3FC00000, 0x40200000, 0x4F000000, 0xCF000000, 0x4F800000,
      0xCF000001, 0x4EFFFFFF, 0x80000001, 0x00800000, 0x3F800001};
  static const uint64_t f64s[] = {
      0x0000000000000000ull, 0x8000000000000000ull, 0x7FF8000000000000ull,
      0x7FF4000000000000ull, 0xFFF0000000000000ull, 0x3FE0000000000000ull,
      0xBFF8000000000000ull, 0x41E0000000000000ull, 0xC1E0000000200000ull,
      0x41EFFFFFFFE00000ull, 0x4330000000000001ull};
  static const uint16_t i16s[] = {0x8000, 0x7FFF, 0xFFFF, 0x0000, 0x0001,
                                  0x00FF, 0xFF00, 0x7F80, 0x8001};
  uint8_t b[16];
  for (int i = 0; i < 16; i++) {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    b[i] = (uint8_t)*seed;
  }
  switch (*seed % 5) {
  case 0:
    for (int i = 0; i < 4; i++)
      memcpy(b + 4 * i, &f32s[(*seed >> (i * 5)) % 20], 4);
    break;
  case 1:
    for (int i = 0; i < 2; i++)
      memcpy(b + 8 * i, &f64s[(*seed >> (i * 7)) % 11], 8);
    break;
  case 2:
    for (int i = 0; i < 8; i += 2)
      memcpy(b + 2 * i, &i16s[(*seed >> (i * 3)) % 9], 2);
    break;
  default:
    break;
  }
  return lulli_v128_load(b);
}

#define SAME(x, y, what)                                                      \
  do {                                                                        \
    lulli_v128 x_ = (x), y_ = (y);                                            \
    if (x_[0] != y_[0] || x_[1] != y_[1])                                     \
      fail_msg("%s: %016llx%016llx, portable %016llx%016llx", what,           \
               (unsigned long long)x_[1], (unsigned long long)x_[0],          \
               (unsigned long long)y_[1], (unsigned long long)y_[0]);         \
  } while (0)

#if defined(__SSE2__)
#define BIN(name) {#name, lulli_x86_##name, lulli_c_##name}
#define UN(name) {#name, lulli_x86_##name, lulli_c_##name}
#define TEST(name) {#name, lulli_x86_##name, lulli_c_##name}
static const struct {
  const char *name;
  lulli_v128 (*x86)(lulli_v128, lulli_v128), (*c)(lulli_v128, lulli_v128);
} binops[] = {
    BIN(i8x16_add_sat_s), BIN(i8x16_add_sat_u), BIN(i8x16_sub_sat_s),
    BIN(i8x16_sub_sat_u), BIN(i16x8_add_sat_s), BIN(i16x8_add_sat_u),
    BIN(i16x8_sub_sat_s), BIN(i16x8_sub_sat_u), BIN(i8x16_min_u),
    BIN(i8x16_max_u), BIN(i16x8_min_s), BIN(i16x8_max_s), BIN(i8x16_min_s),
    BIN(i8x16_max_s), BIN(i16x8_min_u), BIN(i16x8_max_u), BIN(i32x4_min_s),
    BIN(i32x4_max_s), BIN(i32x4_min_u), BIN(i32x4_max_u), BIN(i8x16_avgr_u),
    BIN(i16x8_avgr_u), BIN(i8x16_narrow_i16x8_s), BIN(i8x16_narrow_i16x8_u),
    BIN(i16x8_narrow_i32x4_s), BIN(i16x8_narrow_i32x4_u),
    BIN(i32x4_dot_i16x8_s), BIN(i16x8_q15mulr_sat_s), BIN(i32x4_mul),
    BIN(i8x16_swizzle),
    {"i16x8_narrow_i32x4_u_sse2", lulli_x86_i16x8_narrow_i32x4_u_sse2,
     lulli_c_i16x8_narrow_i32x4_u},
    {"i16x8_q15mulr_sat_s_sse2", lulli_x86_i16x8_q15mulr_sat_s_sse2,
     lulli_c_i16x8_q15mulr_sat_s},
};
static const struct {
  const char *name;
  lulli_v128 (*x86)(lulli_v128), (*c)(lulli_v128);
} unops[] = {
    UN(i8x16_popcnt), UN(f32x4_sqrt), UN(f64x2_sqrt),
    UN(i32x4_trunc_sat_f32x4_s), UN(f32x4_ceil), UN(f32x4_floor),
    UN(f32x4_trunc), UN(f32x4_nearest), UN(f64x2_ceil), UN(f64x2_floor),
    UN(f64x2_trunc), UN(f64x2_nearest), UN(i16x8_extend_low_i8x16_u),
    UN(i16x8_extend_high_i8x16_u), UN(i32x4_extend_low_i16x8_u),
    UN(i32x4_extend_high_i16x8_u), UN(i64x2_extend_low_i32x4_u),
    UN(i64x2_extend_high_i32x4_u),
};
static const struct {
  const char *name;
  uint32_t (*x86)(lulli_v128), (*c)(lulli_v128);
} tests[] = {
    TEST(i8x16_bitmask), TEST(i16x8_bitmask), TEST(i32x4_bitmask),
    TEST(i64x2_bitmask), TEST(i8x16_all_true), TEST(i16x8_all_true),
    TEST(i32x4_all_true),
};
static const struct {
  const char *name;
  lulli_v128 (*x86)(lulli_v128, uint32_t), (*c)(lulli_v128, uint32_t);
} shifts[] = {
    BIN(i8x16_shl), BIN(i8x16_shr_s), BIN(i8x16_shr_u),
};
/* The out-of-line forms for CPU features the build does not assume;
 * each runs only on a CPU that has its feature. */
static const struct {
  const char *name;
  unsigned cpu;
  lulli_v128 (*x86)(lulli_v128), (*c)(lulli_v128);
} cpu_unops[] = {
    {"sse41 f32x4_ceil", LULLI_CPU_SSE41, lulli_sse41_f32x4_ceil,
     lulli_c_f32x4_ceil},
    {"sse41 f32x4_floor", LULLI_CPU_SSE41, lulli_sse41_f32x4_floor,
     lulli_c_f32x4_floor},
    {"sse41 f32x4_trunc", LULLI_CPU_SSE41, lulli_sse41_f32x4_trunc,
     lulli_c_f32x4_trunc},
    {"sse41 f32x4_nearest", LULLI_CPU_SSE41, lulli_sse41_f32x4_nearest,
     lulli_c_f32x4_nearest},
    {"sse41 f64x2_ceil", LULLI_CPU_SSE41, lulli_sse41_f64x2_ceil,
     lulli_c_f64x2_ceil},
    {"sse41 f64x2_floor", LULLI_CPU_SSE41, lulli_sse41_f64x2_floor,
     lulli_c_f64x2_floor},
    {"sse41 f64x2_trunc", LULLI_CPU_SSE41, lulli_sse41_f64x2_trunc,
     lulli_c_f64x2_trunc},
    {"sse41 f64x2_nearest", LULLI_CPU_SSE41, lulli_sse41_f64x2_nearest,
     lulli_c_f64x2_nearest},
};
#undef BIN
#undef UN
#undef TEST

/* What the CPU has: the build's own features, and what simd_cpu.h finds
 * beyond them. */
static unsigned cpu_features(void) {
  unsigned f = lulli_simd_cpu();
#ifdef __SSSE3__
  f |= LULLI_CPU_SSSE3;
#endif
#ifdef __SSE4_1__
  f |= LULLI_CPU_SSE41;
#endif
  return f;
}

static void x86_forms_agree_with_portable(void **state) {
  (void)state;
  uint32_t seed = 0x12345678u;
  unsigned cpu = cpu_features();
  char what[96];
  for (int round = 0; round < 20000; round++) {
    lulli_v128 a = edgy(&seed), b = edgy(&seed), lanes = edgy(&seed);
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
      SAME(binops[i].x86(a, b), binops[i].c(a, b), binops[i].name);
    for (size_t i = 0; i < sizeof unops / sizeof unops[0]; i++)
      SAME(unops[i].x86(a), unops[i].c(a), unops[i].name);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
      assert_int_equal(tests[i].x86(a), tests[i].c(a));
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
      uint32_t n = (uint32_t)round % 20;
      snprintf(what, sizeof what, "%s by %u", shifts[i].name, n);
      SAME(shifts[i].x86(a, n), shifts[i].c(a, n), what);
    }
    for (size_t i = 0; i < sizeof cpu_unops / sizeof cpu_unops[0]; i++)
      if (cpu & cpu_unops[i].cpu)
        SAME(cpu_unops[i].x86(a), cpu_unops[i].c(a), cpu_unops[i].name);
    if (cpu & LULLI_CPU_SSSE3) {
      lulli_v128 l32 = (lulli_v128)((lulli_u8x16)lanes & 31);
      SAME(lulli_ssse3_i8x16_swizzle(a, lanes), lulli_c_i8x16_swizzle(a, lanes),
           "ssse3 swizzle");
      SAME(lulli_ssse3_i8x16_shuffle(a, b, l32),
           lulli_c_i8x16_shuffle(a, b, l32), "ssse3 shuffle");
    }
    SAME(lulli_x86_i8x16_shuffle(a, b, (lulli_v128)((lulli_u8x16)lanes & 31)),
         lulli_c_i8x16_shuffle(a, b, (lulli_v128)((lulli_u8x16)lanes & 31)),
         "shuffle");
  }
}
#else
static void x86_forms_agree_with_portable(void **state) {
  (void)state;
  skip();
}
#endif

/* The portable bitmask gathers bits with one multiply per half; check it
 * against the obvious loop on every single-lane pattern and random ones. */
static void portable_bitmask_is_exact(void **state) {
  (void)state;
  uint32_t seed = 0x9E3779B9u;
  for (int round = 0; round < 20000; round++) {
    uint8_t b[16];
    lulli_v128 v = edgy(&seed);
    if (round < 16 * 256) {
      memset(b, 0, sizeof b);
      b[round / 256] = (uint8_t)round;
      v = lulli_v128_load(b);
    }
    memcpy(b, &v, 16);
    uint32_t want = 0;
    for (int i = 0; i < 16; i++)
      want |= (uint32_t)(b[i] >> 7) << i;
    assert_int_equal(lulli_c_i8x16_bitmask(v), want);
  }
}

/* The rows of ops.h agree with themselves: each relative is the op of the
 * same name with its suffix (_I, _BACK, _AK), a back edge has the length
 * and format of its forward jump, and every handler maps back to its op
 * (the reverse table lulli_op_of reads). */
static void op_table_relatives_are_consistent(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  assert_non_null(e);
  char want[96];
  for (unsigned op = 0; op < LULLI_OP_COUNT_; op++) {
    const lulli_opinfo *in = lulli_op_info(op);
    assert_true(in->cells >= 1 && in->cells <= LULLI_CELLS_MAX);
    lulli_cell h = {.h = e->handlers[op]};
    assert_int_equal(lulli_op_of(e, &h), (int)op);
    if (in->imm != LULLI_OP_NONE) {
      snprintf(want, sizeof want, "%s_I", in->name);
      assert_string_equal(lulli_op_name(in->imm), want);
    }
    if (in->back != LULLI_OP_NONE) {
      snprintf(want, sizeof want, "%s_BACK", in->name);
      assert_string_equal(lulli_op_name(in->back), want);
      assert_int_equal(lulli_op_info(in->back)->cells, in->cells);
      assert_int_equal(lulli_op_info(in->back)->format, in->format);
    }
    if (in->fused != LULLI_OP_NONE) {
      snprintf(want, sizeof want, "%s_AK", in->name);
      assert_string_equal(lulli_op_name(in->fused), want);
      assert_int_equal(lulli_op_info(in->fused)->cells, in->cells + 1);
    }
  }
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests_[] = {
      cmocka_unit_test_setup_teardown(every_op_walks_with_its_size,
                                      setup_ops, teardown),
      cmocka_unit_test_setup_teardown(every_op_runs, setup_ops, teardown),
      cmocka_unit_test_setup_teardown(constants_become_immediates,
                                      setup_forms, teardown),
      cmocka_unit_test_setup_teardown(immediate_forms_compute, setup_forms,
                                      teardown),
      cmocka_unit_test_setup_teardown(widened_sums_compute, setup_forms,
                                      teardown),
      cmocka_unit_test(op_table_relatives_are_consistent),
      cmocka_unit_test(x86_forms_agree_with_portable),
      cmocka_unit_test(portable_bitmask_is_exact),
  };
  return cmocka_run_group_tests(tests_, NULL, NULL);
}
