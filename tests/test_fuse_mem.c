/*
 * test_fuse_mem.c -- the memory and arithmetic instructions compile_fuse.c
 * makes from two to four Wasm instructions give exactly what those gave:
 * x OP= m in memory, addresses with a constant that wrap at 32 bits, traps
 * before any write and reported at the load, rotation sums, moves in
 * sequence, products rounded in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "ops_util.h"
#include "test_util.h"

typedef struct fixture {
  test_guest g;
  uint8_t *mem;
  unsigned char *bytes; /* the module's bytes, to find offsets in */
  size_t len;
} fixture;

static int setup(void **state) {
  static fixture f;
  test_guest_open(&f.g, "fuse_mem", 0);
  f.mem = lull_memory_data(lull_instance_memory(f.g.inst));
  f.bytes = test_wasm_bytes("fuse_mem", &f.len);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  free(f->bytes);
  lull_engine_free(f->g.e);
  return 0;
}

#define I32 test_i32
#define I64 test_i64
#define F32 test_f32
#define F64 test_f64

static lull_status call(fixture *f, const char *name, const lull_val *args,
                        size_t n, lull_val *r, size_t nr) {
  return test_guest_call(&f->g, name, args, n, r, nr);
}

/* The module offset of the one place `pat` occurs in the module. */
static uint32_t offset_of(const fixture *f, const uint8_t *pat, size_t n) {
  uint32_t at = UINT32_MAX;
  for (size_t i = 0; i + n <= f->len; i++)
    if (!memcmp(f->bytes + i, pat, n)) {
      assert_int_equal(at, UINT32_MAX);
      at = (uint32_t)i;
    }
  assert_int_not_equal(at, UINT32_MAX);
  return at;
}

/* The module offset of the first place `pat` occurs in the module. */
static uint32_t offset_of_first(const fixture *f, const uint8_t *pat,
                                size_t n) {
  for (size_t i = 0; i + n <= f->len; i++)
    if (!memcmp(f->bytes + i, pat, n))
      return (uint32_t)i;
  fail();
  return 0;
}

/* The call traps out of bounds in its only frame, at module offset at. */
static void assert_oob_at(fixture *f, lull_status s, uint32_t at) {
  assert_int_equal(s, LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->g.t),
                      "out of bounds memory access");
  lull_frame_info bt[2];
  assert_int_equal(lull_thread_backtrace(f->g.t, bt, 2), 1);
  assert_int_equal(bt[0].wasm_offset, at);
}

static void update_in_place_each_type(void **state) {
  fixture *f = *state;
  uint32_t p = 100, u;
  lull_val a[2] = {I32((int32_t)p), I32(7)};
  u = 0xfffffffe;
  memcpy(f->mem + p + 4, &u, 4);
  assert_int_equal(call(f, "i32_add_to", a, 2, NULL, 0), LULL_OK);
  memcpy(&u, f->mem + p + 4, 4);
  assert_int_equal(u, 5);
  a[1] = I32(-3);
  assert_int_equal(call(f, "i32_mul_to", a, 2, NULL, 0), LULL_OK);
  memcpy(&u, f->mem + p + 4, 4);
  assert_int_equal(u, (uint32_t)-15);

  uint64_t q = 0xffffffffull;
  memcpy(f->mem + p + 4, &q, 8);
  lull_val b[2] = {I32((int32_t)p), I64(1)};
  assert_int_equal(call(f, "i64_add_to", b, 2, NULL, 0), LULL_OK);
  memcpy(&q, f->mem + p + 4, 8);
  assert_true(q == 0x100000000ull);

  float s = 1.5f;
  memcpy(f->mem + p + 4, &s, 4);
  lull_val c[2] = {I32((int32_t)p), F32(0.25f)};
  assert_int_equal(call(f, "f32_add_to", c, 2, NULL, 0), LULL_OK);
  assert_int_equal(call(f, "f32_mul_to", c, 2, NULL, 0), LULL_OK);
  memcpy(&s, f->mem + p + 4, 4);
  assert_true(s == (1.5f + 0.25f) * 0.25f);

  double d = 0.1;
  memcpy(f->mem + p + 1000, &d, 8);
  lull_val e[2] = {I32((int32_t)p), F64(0.2)};
  assert_int_equal(call(f, "f64_add_to", e, 2, NULL, 0), LULL_OK);
  memcpy(&d, f->mem + p + 1000, 8);
  assert_true(d == 0.1 + 0.2);
  memcpy(f->mem + p + 4, &d, 8);
  e[1] = F64(3.0);
  assert_int_equal(call(f, "f64_mul_to", e, 2, NULL, 0), LULL_OK);
  memcpy(&d, f->mem + p + 4, 8);
  assert_true(d == 3.0 * (0.1 + 0.2));
}

static void lookalikes_store_where_they_said(void **state) {
  fixture *f = *state;
  uint32_t p = 200, v = 40, w = 0xaabbccdd, r;
  memcpy(f->mem + p + 4, &v, 4);
  memcpy(f->mem + p + 8, &w, 4);
  lull_val a[2] = {I32((int32_t)p), I32(2)};
  assert_int_equal(call(f, "add_elsewhere", a, 2, NULL, 0), LULL_OK);
  memcpy(&r, f->mem + p + 4, 4);
  assert_int_equal(r, 40);
  memcpy(&r, f->mem + p + 8, 4);
  assert_int_equal(r, 42);

  v = 0x12345678;
  memcpy(f->mem + p + 4, &v, 4);
  a[1] = I32(0x10);
  assert_int_equal(call(f, "add_narrow", a, 2, NULL, 0), LULL_OK);
  memcpy(&r, f->mem + p + 4, 4);
  assert_int_equal(r, 0x12345688);

  v = 5;
  memcpy(f->mem + p + 4, &v, 4);
  lull_val b[3] = {I32((int32_t)p), I32((int32_t)p + 16), I32(1)};
  assert_int_equal(call(f, "add_other", b, 3, NULL, 0), LULL_OK);
  memcpy(&r, f->mem + p + 4, 4);
  assert_int_equal(r, 5);
  memcpy(&r, f->mem + p + 20, 4);
  assert_int_equal(r, 6);
}

static void update_out_of_bounds_traps_at_the_load(void **state) {
  fixture *f = *state;
  /* f64.load offset=1000: 0x2b, align 3, LEB128 1000 */
  static const uint8_t load[] = {0x2b, 0x03, 0xe8, 0x07};
  uint32_t at = offset_of(f, load, sizeof load);
  /* The last 8 bytes fit; one further does not, and nothing is written. */
  uint32_t p = 65536 - 1000 - 8;
  memset(f->mem + 65528, 0, 8);
  lull_val a[2] = {I32((int32_t)p), F64(1.0)};
  assert_int_equal(call(f, "f64_add_to", a, 2, NULL, 0), LULL_OK);
  assert_int_equal(f->mem[65534], 0xf0);
  a[0] = I32((int32_t)p + 1);
  memset(f->mem + 65528, 0, 8);
  assert_oob_at(f, call(f, "f64_add_to", a, 2, NULL, 0), at);
  for (int i = 65528; i < 65536; i++)
    assert_int_equal(f->mem[i], 0);
  /* p + 1000 past 2^32 does not wrap. */
  a[0] = I32(-8);
  assert_oob_at(f, call(f, "f64_add_to", a, 2, NULL, 0), at);
}

static void constants_in_addresses_wrap_at_32_bits(void **state) {
  fixture *f = *state;
  static const uint8_t load[] = {0x2b, 0x03, 0xe9, 0x07};
  uint32_t at = offset_of(f, load, sizeof load);
  double d = 2.5;
  memcpy(f->mem + 1001, &d, 8);
  lull_val a[2] = {I32(8), F64(4.0)}, r;
  assert_int_equal(call(f, "f64_mul_sub_k", a, 2, &r, 1), LULL_OK);
  assert_true(r.of.f64 == 10.0);
  /* 4 - 8 wraps to 2^32 - 4 before the offset is added: out of bounds,
   * though 4 - 8 + 1001 would be in. */
  a[0] = I32(4);
  assert_oob_at(f, call(f, "f64_mul_sub_k", a, 2, &r, 1), at);

  uint32_t v = 6;
  memcpy(f->mem + 2, &v, 4);
  /* 0xfffffff8 + 8 wraps to 0, then offset 2 */
  lull_val b[2] = {I32(-8), I32(7)};
  assert_int_equal(call(f, "i32_mul_add_k", b, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
  memcpy(f->mem + 18, &v, 4);
  b[0] = I32(8);
  assert_int_equal(call(f, "i32_mul_add_k", b, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 42);
}

static void matrix_inner_loop(void **state) {
  fixture *f = *state;
  enum { N = 10 };
  double c[2 * N], b[2 * N], want[2 * N];
  for (int i = 0; i < 2 * N; i++) {
    c[i] = i / 3.0;
    b[i] = (i - 7) / 7.0;
    want[i] = c[i] + 0.1 * b[i];
  }
  memcpy(f->mem + 4096, c, sizeof c);
  memcpy(f->mem + 8192, b, sizeof b);
  lull_val a[4] = {I32(4096), I32(8192), F64(0.1), I32(N)};
  assert_int_equal(call(f, "axpy", a, 4, NULL, 0), LULL_OK);
  memcpy(c, f->mem + 4096, sizeof c);
  assert_memory_equal(c, want, sizeof c);
}

static void products_accumulated(void **state) {
  fixture *f = *state;
  enum { N = 9 };
  uint32_t a[N], b[N], c[N], want = 0;
  for (uint32_t i = 0; i < N; i++) {
    a[i] = 0x9e3779b9u * (i + 1);
    b[i] = 0x7f4a7c15u ^ (i << 20);
    c[i] = i * 1000u;
    want += a[i] * b[i];
  }
  memcpy(f->mem + 2048, a, sizeof a);
  memcpy(f->mem + 3072, b, sizeof b);
  memcpy(f->mem + 4096, c, sizeof c);
  lull_val args[4] = {I32(2048), I32(3072), I32(N), I32(0)}, r;
  assert_int_equal(call(f, "dot", args, 3, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, want);
  lull_val x[4] = {I32(4096), I32(3072), I32(-7), I32(N)};
  assert_int_equal(call(f, "axpy32", x, 4, NULL, 0), LULL_OK);
  for (uint32_t i = 0; i < N; i++) {
    uint32_t got;
    memcpy(&got, f->mem + 4096 + 4 * i, 4);
    assert_int_equal(got, c[i] + (uint32_t)-7 * b[i]);
  }
  /* The fourth element of c out of bounds: three updated, then a trap. */
  memset(f->mem + 65536 - 12, 0, 12);
  x[0] = I32(65536 - 12);
  x[2] = I32(1);
  x[3] = I32(4);
  assert_int_equal(call(f, "axpy32", x, 4, NULL, 0), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->g.t),
                      "out of bounds memory access");
  uint32_t last;
  memcpy(&last, f->mem + 65536 - 4, 4);
  assert_int_equal(last, b[2]);
}

/* Updates with two accesses: each traps at its own load, in the order the
 * Wasm code loads them, before anything is written. */
static void two_accesses_trap_at_their_own(void **state) {
  fixture *f = *state;
  static const uint8_t c32[] = {0x28, 0x02, 0xec, 0x07};
  static const uint8_t b32[] = {0x28, 0x02, 0xed, 0x07};
  static const uint8_t c64[] = {0x2b, 0x03, 0xee, 0x07};
  static const uint8_t b64[] = {0x2b, 0x03, 0xef, 0x07};
  static const uint8_t cv[] = {0x28, 0x02, 0xf0, 0x07};
  static const uint8_t bv[] = {0x28, 0x02, 0xf1, 0x07};
  uint32_t v = 5, w = 7;
  memcpy(f->mem + 1004, &v, 4);
  memcpy(f->mem + 1005 + 100, &w, 4);
  lull_val a[3] = {I32(0), I32(100), I32(3)}, r;
  assert_int_equal(call(f, "madd32", a, 3, NULL, 0), LULL_OK);
  memcpy(&v, f->mem + 1004, 4);
  assert_int_equal(v, 5 + 3 * 7);
  /* c and b the same place: both loads see the old value. */
  a[0] = I32(1);
  a[1] = I32(0);
  memcpy(f->mem + 1005, &w, 4);
  assert_int_equal(call(f, "madd32", a, 3, NULL, 0), LULL_OK);
  memcpy(&v, f->mem + 1005, 4);
  assert_int_equal(v, 7 + 3 * 7);
  a[0] = I32(65536 - 1004 - 3);
  assert_oob_at(f, call(f, "madd32", a, 3, NULL, 0), offset_of(f, c32, 4));
  a[0] = I32(0);
  a[1] = I32(65536 - 1005 - 3);
  assert_oob_at(f, call(f, "madd32", a, 3, NULL, 0), offset_of(f, b32, 4));
  /* c out of bounds too: c's load comes first. */
  a[0] = I32(-1);
  assert_oob_at(f, call(f, "madd32", a, 3, NULL, 0), offset_of(f, c32, 4));
  assert_int_equal(call(f, "madd32_value", a, 3, &r, 1), LULL_TRAP);
  a[0] = I32(0);
  assert_oob_at(f, call(f, "madd32_value", a, 3, &r, 1), offset_of(f, bv, 4));
  a[0] = I32(65536 - 1008 - 3);
  a[1] = I32(0);
  assert_oob_at(f, call(f, "madd32_value", a, 3, &r, 1), offset_of(f, cv, 4));
  a[0] = I32(0);
  memcpy(f->mem + 1009, &w, 4);
  memcpy(&v, f->mem + 1008, 4);
  assert_int_equal(call(f, "madd32_value", a, 3, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, v + w * 3);

  double x = 0.1, y = 0.3, z;
  memcpy(f->mem + 2006, &x, 8);
  memcpy(f->mem + 3007, &y, 8);
  lull_val d[3] = {I32(1000), I32(2000), F64(0.7)};
  assert_int_equal(call(f, "madd64", d, 3, NULL, 0), LULL_OK);
  memcpy(&z, f->mem + 2006, 8);
  assert_true(z == 0.7 * 0.3 + 0.1);
  /* f64: the multiplied load (b) comes first. */
  d[0] = I32(65536 - 1006 - 7);
  assert_oob_at(f, call(f, "madd64", d, 3, NULL, 0), offset_of(f, c64, 4));
  d[1] = I32(65536 - 1007 - 7);
  assert_oob_at(f, call(f, "madd64", d, 3, NULL, 0), offset_of(f, b64, 4));
  d[0] = I32(1000);
  assert_oob_at(f, call(f, "madd64", d, 3, NULL, 0), offset_of(f, b64, 4));
  memcpy(&z, f->mem + 2006, 8);
  assert_true(z == 0.7 * 0.3 + 0.1);
}

/* The second update of an unrolled loop steps its address into a local
 * first: the local holds it after, and a trap still names its load. */
static void unrolled_updates(void **state) {
  fixture *f = *state;
  static const uint8_t c32[] = {0x28, 0x02, 0xf8, 0x07};
  static const uint8_t b64[] = {0x2b, 0x03, 0xfa, 0x07};
  enum { N = 4 };
  uint32_t c[2 * N], b[2 * N];
  for (uint32_t i = 0; i < 2 * N; i++) {
    c[i] = i * 7;
    b[i] = i + 100;
  }
  memset(f->mem + 5000, 0, 1100);
  for (uint32_t i = 0; i < N; i++) {
    memcpy(f->mem + 5000 + 8 * i, &c[2 * i], 4);
    memcpy(f->mem + 5000 + 8 * i + 4 + 1016, &c[2 * i + 1], 4);
  }
  memcpy(f->mem + 7000, b, sizeof b);
  lull_val a[4] = {I32(5000), I32(7000), I32(3), I32(N)}, r;
  assert_int_equal(call(f, "axpy32x2", a, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 5000 + 8 * (N - 1) + 4);
  for (uint32_t i = 0; i < N; i++) {
    uint32_t even, odd;
    memcpy(&even, f->mem + 5000 + 8 * i, 4);
    memcpy(&odd, f->mem + 5000 + 8 * i + 4 + 1016, 4);
    assert_int_equal(even, c[2 * i] + 3 * b[2 * i]);
    assert_int_equal(odd, c[2 * i + 1] + 3 * b[2 * i + 1]);
  }
  a[0] = I32(65536 - 1016 - 4 - 3);
  a[3] = I32(1);
  assert_oob_at(f, call(f, "axpy32x2", a, 4, &r, 1), offset_of(f, c32, 4));

  double dc[2 * N], db[2 * N];
  for (int i = 0; i < 2 * N; i++) {
    dc[i] = i / 3.0;
    db[i] = 1.0 / (i + 1);
  }
  for (int i = 0; i < N; i++) {
    memcpy(f->mem + 5000 + 16 * i, &dc[2 * i], 8);
    memcpy(f->mem + 5000 + 16 * i + 8 + 1017, &dc[2 * i + 1], 8);
  }
  for (int i = 0; i < N; i++) {
    memcpy(f->mem + 7000 + 16 * i, &db[2 * i], 8);
    memcpy(f->mem + 7000 + 16 * i + 1018, &db[2 * i + 1], 8);
  }
  lull_val d[4] = {I32(5000), I32(7000), F64(0.3), I32(N)};
  assert_int_equal(call(f, "axpy64x2", d, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 5000 + 16 * (N - 1) + 8);
  for (int i = 0; i < N; i++) {
    double even, odd, we = 0.3 * db[2 * i] + dc[2 * i],
                      wo = 0.3 * db[2 * i + 1] + dc[2 * i + 1];
    memcpy(&even, f->mem + 5000 + 16 * i, 8);
    memcpy(&odd, f->mem + 5000 + 16 * i + 8 + 1017, 8);
    assert_memory_equal(&even, &we, 8);
    assert_memory_equal(&odd, &wo, 8);
  }
  /* b's second load out of bounds comes before c's. */
  d[1] = I32(65536 - 1018 - 7);
  d[3] = I32(1);
  d[0] = I32(5000);
  assert_oob_at(f, call(f, "axpy64x2", d, 4, &r, 1), offset_of(f, b64, 4));
}

static void stores_then_steps(void **state) {
  fixture *f = *state;
  /* i64.store offset=1002 and i32.store offset=1002 */
  static const uint8_t st64[] = {0x37, 0x03, 0xea, 0x07};
  static const uint8_t st32[] = {0x36, 0x02, 0xea, 0x07};
  uint32_t at64 = offset_of(f, st64, sizeof st64);
  uint32_t at32 = offset_of(f, st32, sizeof st32);
  memset(f->mem + 1000, 0xee, 32);
  lull_val a[2] = {I32(0), I64(0x0102030405060708ll)}, r;
  assert_int_equal(call(f, "steps", a, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 15);
  static const uint8_t want[] = {8, 7, 6, 5, 4, 3, 2, 1, 8, 7, 6, 5, 8, 7, 8,
                                 0xee};
  assert_memory_equal(f->mem + 1002, want, sizeof want);
  /* The first store one byte out: it traps, nothing written. */
  uint32_t p = 65536 - 1002 - 8 + 1;
  memset(f->mem + 65520, 0, 16);
  a[0] = I32((int32_t)p);
  assert_oob_at(f, call(f, "steps", a, 2, &r, 1), at64);
  for (int i = 65520; i < 65536; i++)
    assert_int_equal(f->mem[i], 0);
  /* The first fits, the one after its step does not: the first's bytes
   * are there, the trap is the second's. */
  a[0] = I32((int32_t)(p - 4));
  assert_oob_at(f, call(f, "steps", a, 2, &r, 1), at32);
  assert_int_equal(f->mem[p - 4 + 1002], 8);
  assert_int_equal(f->mem[p - 4 + 1002 + 7], 1);
  assert_int_equal(f->mem[p - 4 + 1002 + 8], 0);
}

static void loads_from_sums(void **state) {
  fixture *f = *state;
  /* i64.load offset=1003: 0x29, align 3, LEB128 1003 */
  static const uint8_t load[] = {0x29, 0x03, 0xeb, 0x07};
  uint32_t at = offset_of(f, load, sizeof load);
  for (int i = 0; i < 1100; i++)
    f->mem[i] = (uint8_t)(i * 7 + 1);
  uint64_t q;
  uint32_t w;
  uint16_t h;
  memcpy(&q, f->mem + 16 + 1003, 8);
  memcpy(&w, f->mem + 16 + 8, 4);
  memcpy(&h, f->mem + 16 + 12, 2);
  uint64_t want = q + w + h + f->mem[16 + 14];
  /* 0xfffffff0 + 0x20 wraps to 16 */
  lull_val a[2] = {I32(-16), I32(0x20)}, r;
  assert_int_equal(call(f, "load_sums", a, 2, &r, 1), LULL_OK);
  assert_true((uint64_t)r.of.i64 == want);
  a[0] = I32(65536 - 1003 - 8 + 1 - 0x20);
  assert_oob_at(f, call(f, "load_sums", a, 2, &r, 1), at);

  uint32_t v;
  /* bytes at 40 + 3, 40 + 3 + 3 + 1 and 40 + 3 + 3 + 2 */
  memcpy(&h, f->mem + 47, 2);
  memcpy(&v, f->mem + 48, 4);
  lull_val b[2] = {I32(40), I32(3)};
  assert_int_equal(call(f, "load_narrow_sums", b, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, f->mem[43] + h + v);
}

static void constants_stored_at_a_sum(void **state) {
  fixture *f = *state;
  /* i64.store offset=1010: 0x37, align 3, LEB128 1010 */
  static const uint8_t store[] = {0x37, 0x03, 0xf2, 0x07};
  memset(f->mem + 1000, 0, 64);
  lull_val a = I32(10);
  assert_int_equal(call(f, "store_consts_k", &a, 1, NULL, 0), LULL_OK);
  static const uint8_t want[] = {1,  2,  3,  4,  5,  6,  7, 8,
                                 9, 10, 11, 12, 13, 14, 15, 0};
  assert_memory_equal(f->mem + 10 + 8 + 1010, want, sizeof want);
  /* p + 8 wraps to 4, then the offset: in bounds. */
  a = I32(-4);
  memset(f->mem + 1000, 0, 64);
  assert_int_equal(call(f, "store_consts_k", &a, 1, NULL, 0), LULL_OK);
  assert_memory_equal(f->mem + 4 + 1010, want, sizeof want);
  a = I32(65536 - 1010 - 8 - 7);
  assert_oob_at(f, call(f, "store_consts_k", &a, 1, NULL, 0),
                offset_of(f, store, sizeof store));
}

static void table_lookups(void **state) {
  fixture *f = *state;
  static const uint8_t load[] = {0x28, 0x02, 0xf3, 0x07};
  uint32_t x = 0x01020304, y = 0x10000000;
  memcpy(f->mem + 8 + 64 + 1011, &x, 4);
  memcpy(f->mem + 8 + 3, &y, 4);
  /* i = 2, and i = 2 + 2^30, whose shift by 2 wraps to 8 */
  lull_val a = I32(2), r;
  assert_int_equal(call(f, "table", &a, 1, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + y);
  a = I32(2 + (1 << 30));
  assert_int_equal(call(f, "table", &a, 1, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + y);
  a = I32((65536 - 1011 - 64 - 4) / 4 + 1);
  assert_oob_at(f, call(f, "table", &a, 1, &r, 1),
                offset_of(f, load, sizeof load));
}

static void bit_selections(void **state) {
  fixture *f = *state;
  uint32_t x = 7;
  for (int i = 0; i < 500; i++) {
    uint32_t y = x * 2654435761u, z = y ^ (x >> 3);
    lull_val a[3] = {I32((int32_t)x), I32((int32_t)y), I32((int32_t)z)}, r;
    assert_int_equal(call(f, "choose", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, (x & y) ^ (~x & z));
    assert_int_equal(call(f, "majority", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, (x & y) ^ (x & z) ^ (y & z));
    assert_int_equal(call(f, "bits_swapped", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     (z & (x ^ y)) + (z ^ (x & y)));
    assert_int_equal(call(f, "not_all_ones", a, 2, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, x & (y ^ 0xfffffffeu));
    x = x * 1103515245u + 12345u;
  }
}

static void f64_constant_operands(void **state) {
  fixture *f = *state;
  static const double xs[] = {0.0, -1.5, 1e-300, 3.0, 1e308};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    volatile double x = xs[i];
    lull_val a = F64(x), r;
    assert_int_equal(call(f, "f64_consts", &a, 1, &r, 1), LULL_OK);
    double want = ((x + 0.1) + 3.0 * x) + ((x - 0.7) + (0.7 - x));
    assert_memory_equal(&r.of.f64, &want, 8);
    assert_int_equal(call(f, "f64_divs", &a, 1, &r, 1), LULL_OK);
    want = x / 3.0 - 3.0 / x;
    assert_memory_equal(&r.of.f64, &want, 8);
  }
}

static void velocity_updates(void **state) {
  fixture *f = *state;
  static const uint8_t lv[] = {0x2b, 0x03, 0xf4, 0x07};
  static const uint8_t lw[] = {0x2b, 0x03, 0xf5, 0x07};
  volatile double v = 0.3, w = -0.7, dx = 0.1, m = 0.7, k = 3.3;
  memcpy(f->mem + 1012, (const double *)&v, 8);
  memcpy(f->mem + 2013, (const double *)&w, 8);
  lull_val a[5] = {I32(0), I32(1000), F64(dx), F64(m), F64(k)}, r;
  assert_int_equal(call(f, "kick", a, 5, NULL, 0), LULL_OK);
  double got, want = v - (dx * m) * k;
  memcpy(&got, f->mem + 1012, 8);
  assert_memory_equal(&got, &want, 8);
  want = (dx * m) * k + w;
  memcpy(&got, f->mem + 2013, 8);
  assert_memory_equal(&got, &want, 8);
  lull_val b[4] = {F64(v), F64(dx), F64(m), F64(k)};
  assert_int_equal(call(f, "kick_value", b, 4, &r, 1), LULL_OK);
  want = v - (dx * m) * k;
  assert_memory_equal(&r.of.f64, &want, 8);
  /* Each update traps at its own load, the first before anything is
   * written. */
  uint8_t before[8];
  memcpy(before, f->mem + 2013, 8);
  a[0] = I32(65536 - 1012 - 7);
  assert_oob_at(f, call(f, "kick", a, 5, NULL, 0), offset_of(f, lv, 4));
  assert_memory_equal(f->mem + 2013, before, 8);
  a[0] = I32(0);
  a[1] = I32(65536 - 1013 - 7);
  assert_oob_at(f, call(f, "kick", a, 5, NULL, 0), offset_of(f, lw, 4));

  /* The field's address stepped into a local first: p = q - 24, then
   * p = q - 40000 (too far for the fused step, the same result). */
  double f1 = 0.25, f2 = -0.5;
  memcpy(f->mem + 50000 - 24 + 1019, &f1, 8);
  memcpy(f->mem + 50000 - 40000 + 1019, &f2, 8);
  lull_val q[4] = {I32(50000), F64(dx), F64(m), F64(k)};
  assert_int_equal(call(f, "kick_fields", q, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 50000 - 40000);
  want = (dx * m) * k + f1;
  memcpy(&got, f->mem + 50000 - 24 + 1019, 8);
  assert_memory_equal(&got, &want, 8);
  want = (dx * m) * k + f2;
  memcpy(&got, f->mem + 50000 - 40000 + 1019, 8);
  assert_memory_equal(&got, &want, 8);
  /* q - 24 wraps below zero: out of bounds at the first update's load. */
  static const uint8_t lf[] = {0x2b, 0x03, 0xfb, 0x07};
  q[0] = I32(8);
  assert_int_equal(call(f, "kick_fields", q, 4, &r, 1), LULL_TRAP);
  lull_frame_info bt[2];
  assert_int_equal(lull_thread_backtrace(f->g.t, bt, 2), 1);
  uint32_t first = offset_of_first(f, lf, 4);
  assert_int_equal(bt[0].wasm_offset, first);
}

static void pointers_stepped_then_read(void **state) {
  fixture *f = *state;
  static const uint8_t load[] = {0x28, 0x02, 0xf6, 0x07};
  for (uint32_t i = 0; i < 16; i++) {
    uint32_t v = i * 10;
    memcpy(f->mem + 1014 + 4 * i, &v, 4);
  }
  lull_val a[2] = {I32(0), I32(55)}, r;
  assert_int_equal(call(f, "find", a, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 24);
  /* Walking off the end traps at the load. */
  memset(f->mem + 65536 - 64, 0, 64);
  a[0] = I32(65536 - 1014 - 64);
  a[1] = I32(1);
  assert_oob_at(f, call(f, "find", a, 2, &r, 1), offset_of(f, load, 4));

  for (int i = 0; i < 32; i++)
    f->mem[3000 + i] = (uint8_t)(0x40 + i);
  lull_val b[2] = {I32(3016), I32(4000)};
  assert_int_equal(call(f, "copy_back", b, 2, NULL, 0), LULL_OK);
  assert_int_equal(f->mem[4000], f->mem[3017]);
  assert_memory_equal(f->mem + 4001, f->mem + 3007, 8);

  /* v128.load from a + b: 0xfd 0x00, align 4, LEB128 1015 */
  static const uint8_t vload[] = {0xfd, 0x00, 0x04, 0xf7, 0x07};
  uint32_t lane = 0xdeadbeef;
  memcpy(f->mem + 100 + 1015 + 4, &lane, 4);
  lull_val v[2] = {I32(-20), I32(120)};
  assert_int_equal(call(f, "v128_sum", v, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, lane + 100);
  v[0] = I32(65536 - 1015 - 16 + 1 - 120);
  assert_oob_at(f, call(f, "v128_sum", v, 2, &r, 1), offset_of(f, vload, 5));

  lull_val s4[4] = {I32(1), I32(20), I32(300), I32(-4000)};
  assert_int_equal(call(f, "add4", s4, 4, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1 + 20 + 300 - 4000);
}

static void array_elements(void **state) {
  fixture *f = *state;
  static const uint8_t load[] = {0x28, 0x02, 0xfc, 0x07};
  uint32_t x = 1000000, y = 58;
  memcpy(f->mem + 200 + 4 * 5 + 1020, &x, 4);
  memcpy(f->mem + 200 + 4 * 5 + 96, &y, 4);
  lull_val a[2] = {I32(200), I32(5)}, r;
  assert_int_equal(call(f, "elements", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x - y);
  /* i << 2 drops its top bits and a + ... wraps: the same element. */
  a[0] = I32(200 + 64);
  a[1] = I32((int32_t)(5u - 16u + (1u << 30)));
  assert_int_equal(call(f, "elements", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x - y);
  a[0] = I32(65536 - 1020 - 3);
  a[1] = I32(0);
  assert_oob_at(f, call(f, "elements", a, 2, &r, 1), offset_of(f, load, 4));
}

static void stack_slots(void **state) {
  fixture *f = *state;
  /* i32.store offset=1021, i32.load offset=1022 and offset=1023 */
  static const uint8_t store[] = {0x36, 0x02, 0xfd, 0x07};
  static const uint8_t top[] = {0x28, 0x02, 0xfe, 0x07};
  static const uint8_t peek[] = {0x28, 0x02, 0xff, 0x07};
  uint32_t v = 0xabcdef12, got;
  lull_val a[3] = {I32(200), I32(5), I32((int32_t)v)}, r;
  assert_int_equal(call(f, "push", a, 3, NULL, 0), LULL_OK);
  memcpy(&got, f->mem + 200 + 96 + 20 + 1021, 4);
  assert_int_equal(got, v);
  /* sp << 2 drops its top bits, b + 96 + ... wraps: the same slot */
  a[0] = I32(200 + 64);
  a[1] = I32((int32_t)(5u - 16u + (1u << 30)));
  a[2] = I32(77);
  assert_int_equal(call(f, "push", a, 3, NULL, 0), LULL_OK);
  memcpy(&got, f->mem + 200 + 96 + 20 + 1021, 4);
  assert_int_equal(got, 77);
  a[0] = I32(65536 - 96 - 1021 - 3);
  a[1] = I32(0);
  assert_oob_at(f, call(f, "push", a, 3, NULL, 0), offset_of(f, store, 4));

  uint32_t x = 0x01020304;
  memcpy(f->mem + 212 + 1022, &x, 4);
  lull_val b[2] = {I32(200), I32(5)};
  assert_int_equal(call(f, "top", b, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + 212);
  b[0] = I32((int32_t)(200u + (1u << 31)));
  b[1] = I32((int32_t)(5u + (1u << 29)));
  assert_int_equal(call(f, "top", b, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + 212);
  b[0] = I32(65536 - 1022 - 3 + 8);
  b[1] = I32(0);
  assert_oob_at(f, call(f, "top", b, 2, &r, 1), offset_of(f, top, 4));

  memcpy(f->mem + 100 + 1023, &x, 4);
  b[0] = I32(-16); /* b + 96 wraps to 80 */
  b[1] = I32(5);
  assert_int_equal(call(f, "peek", b, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x);
  b[0] = I32(65536 - 96 - 1023 - 3);
  b[1] = I32(0);
  assert_oob_at(f, call(f, "peek", b, 2, &r, 1), offset_of(f, peek, 4));

  /* the lookalike: b + ((i + 3) << 2) */
  b[0] = I32(7);
  b[1] = I32(5);
  assert_int_equal(call(f, "index_sum", b, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7 + 32);
  b[1] = I32(-3);
  assert_int_equal(call(f, "index_sum", b, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7);
}

static void bytecode_fetch(void **state) {
  fixture *f = *state;
  /* i32.load8_u offset=1041 */
  static const uint8_t load[] = {0x2d, 0x00, 0x91, 0x08};
  for (uint32_t pc = 2; pc < 6; pc++)
    f->mem[(pc << 3) + 1041] = (uint8_t)(pc * 40 + 1);
  uint32_t s = 0;
  for (uint32_t pc = 2; pc < 6; pc++)
    s = s * 31 + (uint8_t)(pc * 40 + 1);
  lull_val a[2] = {I32(2), I32(6)}, r;
  assert_int_equal(call(f, "fetch", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, s + (5u << 3));
  /* pc << 3 drops its top bits: the same bytes */
  a[0] = I32((int32_t)(2u + (1u << 29)));
  a[1] = I32((int32_t)(6u + (1u << 29)));
  assert_int_equal(call(f, "fetch", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, s + (5u << 3));
  a[0] = I32((65536 - 1041) / 8 + 1);
  a[1] = I32((65536 - 1041) / 8 + 2);
  assert_oob_at(f, call(f, "fetch", a, 2, &r, 1), offset_of(f, load, 4));

  /* the lookalike: the step adds to the shifted value */
  lull_val x = I32(3);
  assert_int_equal(call(f, "shift_step", &x, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 29);
  x = I32(0x20000001);
  assert_int_equal(call(f, "shift_step", &x, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 13);
}

static void slot_copies(void **state) {
  fixture *f = *state;
  /* i32.load offset=1038, i32.store offset=1037 */
  static const uint8_t load[] = {0x28, 0x02, 0x8e, 0x08};
  static const uint8_t store[] = {0x36, 0x02, 0x8d, 0x08};
  uint32_t x = 0x12345678, got;
  memcpy(f->mem + 80 + 20 + 1038, &x, 4);
  /* b + 96 wraps to 80 */
  lull_val a[3] = {I32(-16), I32(5), I32(600)};
  assert_int_equal(call(f, "copy_slot", a, 3, NULL, 0), LULL_OK);
  memcpy(&got, f->mem + 600 + 1037, 4);
  assert_int_equal(got, x);
  /* the store out of bounds, after the load */
  a[2] = I32(65536 - 1037 - 3);
  assert_oob_at(f, call(f, "copy_slot", a, 3, NULL, 0), offset_of(f, store, 4));
  /* the load out of bounds: nothing stored */
  memset(f->mem + 700 + 1037, 0, 4);
  a[0] = I32(65536 - 96 - 1038 - 3);
  a[1] = I32(0);
  a[2] = I32(700);
  assert_oob_at(f, call(f, "copy_slot", a, 3, NULL, 0), offset_of(f, load, 4));
  memcpy(&got, f->mem + 700 + 1037, 4);
  assert_int_equal(got, 0);

  /* the element 800 stored at 800 + 1039 */
  x = 800;
  memcpy(f->mem + 900 + 12 + 1040, &x, 4);
  lull_val b[2] = {I32(900), I32(3)};
  assert_int_equal(call(f, "self_slot", b, 2, NULL, 0), LULL_OK);
  memcpy(&got, f->mem + 800 + 1039, 4);
  assert_int_equal(got, 800);
}

static void kept_slot_addresses(void **state) {
  fixture *f = *state;
  /* i32.load offset=1054 */
  static const uint8_t load[] = {0x28, 0x02, 0x9e, 0x08};
  uint32_t x = 0x1234, p = 300 + 20 + 88;
  memcpy(f->mem + p + 1054, &x, 4);
  lull_val a[2] = {I32(300), I32(5)}, r;
  assert_int_equal(call(f, "slot_kept", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + 3 * p);
  /* sp << 2 drops its top bits, b + ... wraps: the same slot */
  a[0] = I32(300 - 64);
  a[1] = I32((int32_t)(5u + 16u + (1u << 30)));
  assert_int_equal(call(f, "slot_kept", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, x + 3 * p);
  a[0] = I32(65536 - 1054 - 88 - 3 - 20);
  a[1] = I32(5);
  assert_oob_at(f, call(f, "slot_kept", a, 2, &r, 1), offset_of(f, load, 4));
}

static void stack_pops(void **state) {
  fixture *f = *state;
  /* i32.store offset=1050, i32.load offset=1051 and offset=1052 */
  static const uint8_t store[] = {0x36, 0x02, 0x9a, 0x08};
  static const uint8_t load[] = {0x28, 0x02, 0x9b, 0x08};
  static const uint8_t plus[] = {0x28, 0x02, 0x9c, 0x08};
  uint32_t x = 0x0badf00d, got;
  memcpy(f->mem + 200 + 96 + 20 + 1051, &x, 4);
  lull_val a[3] = {I32(200), I32(6), I32(600)}, r;
  assert_int_equal(call(f, "pop_to", a, 3, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 5);
  memcpy(&got, f->mem + 600 + 1050, 4);
  assert_int_equal(got, x);
  /* b + 96 wraps to 80; (sp - 1) << 2 drops its top bits */
  x = 0x600d;
  memcpy(f->mem + 80 + 20 + 1051, &x, 4);
  a[0] = I32(-16);
  a[1] = I32((int32_t)(6u + (1u << 30)));
  assert_int_equal(call(f, "pop_to", a, 3, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, 5u + (1u << 30));
  memcpy(&got, f->mem + 600 + 1050, 4);
  assert_int_equal(got, x);
  /* the store out of bounds, after the load */
  a[0] = I32(200);
  a[1] = I32(6);
  a[2] = I32(65536 - 1050 - 3);
  assert_oob_at(f, call(f, "pop_to", a, 3, &r, 1), offset_of(f, store, 4));
  /* the load out of bounds: nothing stored */
  memset(f->mem + 700 + 1050, 0, 4);
  a[0] = I32(65536 - 3 - 1051 - 96 - 20);
  a[2] = I32(700);
  assert_oob_at(f, call(f, "pop_to", a, 3, &r, 1), offset_of(f, load, 4));
  memcpy(&got, f->mem + 700 + 1050, 4);
  assert_int_equal(got, 0);

  x = 77;
  memcpy(f->mem + 200 + 96 + 20 + 1052, &x, 4);
  lull_val b[2] = {I32(200), I32(6)};
  assert_int_equal(call(f, "pop_plus", b, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 77 + 5000);
  b[0] = I32(65536 - 3 - 1052 - 96 - 20);
  assert_oob_at(f, call(f, "pop_plus", b, 2, &r, 1), offset_of(f, plus, 4));

  /* the base from sp before its step: 100 + 96 + (99 << 2) */
  x = 0x5eed;
  memcpy(f->mem + 100 + 96 + 396 + 1053, &x, 4);
  lull_val s = I32(100);
  assert_int_equal(call(f, "pop_base", &s, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x5eed);
}

/* The operation's first load keeps its address twice (LOAD32_ASHW2),
 * the second takes the base's constant, over the copy the local's change
 * made; both loads are one instruction (LOAD32_ASHW2_ASHB), each trapping
 * at its own offset. */
static void stack_binary_ops(void **state) {
  fixture *f = *state;
  assert_int_equal(
      test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_ASHW2_ASHB), 1);
  /* i32.load offset=1060, i32.load offset=1061 (the store goes where
   * the first load read) */
  static const uint8_t first[] = {0x28, 0x02, 0xa4, 0x08};
  static const uint8_t second[] = {0x28, 0x02, 0xa5, 0x08};
  uint32_t x = 1000, y = 1, got;
  uint32_t b = 400, sp = 7, slot = b + 96 + (sp - 2) * 4;
  memcpy(f->mem + slot + 1060, &x, 4);
  memcpy(f->mem + b + 96 + (sp - 1) * 4 + 1061, &y, 4);
  lull_val a[2] = {I32((int32_t)b), I32((int32_t)sp)}, r;
  assert_int_equal(call(f, "stack_binop", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, sp - 1);
  memcpy(&got, f->mem + slot + 1060, 4);
  assert_int_equal(got, x - y);
  /* each access out of bounds in turn, nothing stored */
  a[0] = I32(65536 - 1060 - 96 - 3 - (int32_t)(sp - 2) * 4);
  assert_oob_at(f, call(f, "stack_binop", a, 2, &r, 1),
                offset_of(f, first, 4));
  a[0] = I32(65536 - 1061 - 96 - 3 - (int32_t)(sp - 1) * 4);
  assert_oob_at(f, call(f, "stack_binop", a, 2, &r, 1),
                offset_of(f, second, 4));
  /* sp << 2 drops its top bits: the same slots */
  a[0] = I32((int32_t)b);
  a[1] = I32((int32_t)(sp + (1u << 30)));
  memcpy(f->mem + slot + 1060, &x, 4);
  assert_int_equal(call(f, "stack_binop", a, 2, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, sp - 1 + (1u << 30));
  memcpy(&got, f->mem + slot + 1060, 4);
  assert_int_equal(got, x - y);
}

/* A word loaded and stored elsewhere: each access checked in order, the
 * store's trap reported at the store, nothing stored when the load
 * traps. */
static void word_copies(void **state) {
  fixture *f = *state;
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_AK_ST), 2);
  /* i32.load offset=1070 and 1072, i32.store offset=1071 and 1073 */
  static const uint8_t load[] = {0x28, 0x02, 0xae, 0x08};
  static const uint8_t store[] = {0x36, 0x02, 0xaf, 0x08};
  static const uint8_t load0[] = {0x28, 0x02, 0xb0, 0x08};
  static const uint8_t store0[] = {0x36, 0x02, 0xb1, 0x08};
  uint32_t x = 0xfeedbeef, got;
  memcpy(f->mem + 100 + 12 + 1070, &x, 4);
  lull_val a[2] = {I32(100), I32(3000)}, r;
  assert_int_equal(call(f, "word_copy", a, 2, &r, 1), LULL_OK);
  memcpy(&got, f->mem + 3000 + 1071, 4);
  assert_int_equal(got, x);
  /* p + 12 wraps at 32 bits: p = -12 reads at 1070 */
  x = 0x5a5a1234;
  memcpy(f->mem + 1070, &x, 4);
  a[0] = I32(-12);
  a[1] = I32(3100);
  assert_int_equal(call(f, "word_copy", a, 2, &r, 1), LULL_OK);
  memcpy(&got, f->mem + 3100 + 1071, 4);
  assert_int_equal(got, x);
  a[0] = I32(65536 - 1070 - 12 - 3);
  a[1] = I32(3200);
  memset(f->mem + 3200 + 1071, 0, 4);
  assert_oob_at(f, call(f, "word_copy", a, 2, &r, 1), offset_of(f, load, 4));
  memcpy(&got, f->mem + 3200 + 1071, 4);
  assert_int_equal(got, 0);
  a[0] = I32(100);
  a[1] = I32(65536 - 1071 - 3);
  assert_oob_at(f, call(f, "word_copy", a, 2, &r, 1), offset_of(f, store, 4));

  memcpy(f->mem + 200 + 1072, &x, 4);
  a[0] = I32(200);
  a[1] = I32(3300);
  assert_int_equal(call(f, "word_copy0", a, 2, &r, 1), LULL_OK);
  memcpy(&got, f->mem + 3300 + 1073, 4);
  assert_int_equal(got, x);
  a[0] = I32(65536 - 1072 - 3);
  assert_oob_at(f, call(f, "word_copy0", a, 2, &r, 1), offset_of(f, load0, 4));
  a[0] = I32(200);
  a[1] = I32(65536 - 1073 - 3);
  assert_oob_at(f, call(f, "word_copy0", a, 2, &r, 1),
                offset_of(f, store0, 4));
}

/* An element at an index just loaded, copied elsewhere: three accesses,
 * each trapping at its own offset, nothing stored unless both loads
 * succeed. */
static void registers_pushed(void **state) {
  fixture *f = *state;
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_AK_ASH_ST),
                   1);
  /* i32.load offset=1074 and 1075, i32.store offset=1076 */
  static const uint8_t index[] = {0x28, 0x02, 0xb2, 0x08};
  static const uint8_t elem[] = {0x28, 0x02, 0xb3, 0x08};
  static const uint8_t store[] = {0x36, 0x02, 0xb4, 0x08};
  uint32_t i = 5, x = 0xabcd1234, got;
  memcpy(f->mem + 40 + 1044 + 1074, &i, 4);
  memcpy(f->mem + 300 + 1075 + 20, &x, 4);
  lull_val a[3] = {I32(40), I32(300), I32(4000)}, r;
  assert_int_equal(call(f, "push_reg", a, 3, &r, 1), LULL_OK);
  memcpy(&got, f->mem + 4000 + 1076, 4);
  assert_int_equal(got, x);
  /* index << 2 drops its top bits, r + ... wraps */
  i = 5u + (1u << 30);
  memcpy(f->mem + 40 + 1044 + 1074, &i, 4);
  a[2] = I32(4100);
  assert_int_equal(call(f, "push_reg", a, 3, &r, 1), LULL_OK);
  memcpy(&got, f->mem + 4100 + 1076, 4);
  assert_int_equal(got, x);
  /* each access out of bounds in turn */
  memset(f->mem + 4200 + 1076, 0, 4);
  a[2] = I32(4200);
  a[0] = I32(65536 - 1044 - 1074 - 3);
  assert_oob_at(f, call(f, "push_reg", a, 3, &r, 1), offset_of(f, index, 4));
  a[0] = I32(40);
  a[1] = I32(65536 - 1075 - 20 - 3);
  assert_oob_at(f, call(f, "push_reg", a, 3, &r, 1), offset_of(f, elem, 4));
  memcpy(&got, f->mem + 4200 + 1076, 4);
  assert_int_equal(got, 0);
  a[1] = I32(300);
  a[2] = I32(65536 - 1076 - 3);
  assert_oob_at(f, call(f, "push_reg", a, 3, &r, 1), offset_of(f, store, 4));
}

/* The pushes with the stack slot's address made before the loads: the
 * address wraps as the i32.add and i32.shl did, and each access still
 * traps at its own offset, the store after both loads. */
static void pushes_onto_a_stack(void **state) {
  fixture *f = *state;
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_AK_ST_W), 1);
  assert_int_equal(
      test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_AK_ASH_ST_W), 1);
  /* i32.load offset=1078, i32.store offset=1077; i32.load offset=1081
   * and 1080, i32.store offset=1079 */
  static const uint8_t wload[] = {0x28, 0x02, 0xb6, 0x08};
  static const uint8_t wstore[] = {0x36, 0x02, 0xb5, 0x08};
  static const uint8_t rindex[] = {0x28, 0x02, 0xb9, 0x08};
  static const uint8_t relem[] = {0x28, 0x02, 0xb8, 0x08};
  static const uint8_t rstore[] = {0x36, 0x02, 0xb7, 0x08};
  uint32_t x = 0x7e57ab1e, i = 3, y = 0x12345678, got;
  /* the word at 48 + 2122, the index at 80 + 2125: apart */
  uint32_t b = 1000, sp = 9, at = 48, at2 = 80, r = 500;
  uint32_t slot = b + 96 + sp * 4;
  memcpy(f->mem + at + 1044 + 1078, &x, 4);
  lull_val a[4] = {I32((int32_t)b), I32((int32_t)sp), I32((int32_t)at),
                   I32((int32_t)r)},
           res;
  assert_int_equal(call(f, "push_word", a, 3, &res, 1), LULL_OK);
  assert_int_equal((uint32_t)res.of.i32, sp);
  memcpy(&got, f->mem + slot + 1077, 4);
  assert_int_equal(got, x);
  memcpy(f->mem + at2 + 1044 + 1081, &i, 4);
  memcpy(f->mem + r + 1080 + 12, &y, 4);
  a[2] = I32((int32_t)at2);
  assert_int_equal(call(f, "push_reg_top", a, 4, &res, 1), LULL_OK);
  memcpy(&got, f->mem + slot + 1079, 4);
  assert_int_equal(got, y);
  /* sp << 2 drops its top bits: the same slot */
  memset(f->mem + slot + 1077, 0, 8);
  a[1] = I32((int32_t)(sp + (3u << 30)));
  a[2] = I32((int32_t)at);
  assert_int_equal(call(f, "push_word", a, 3, &res, 1), LULL_OK);
  memcpy(&got, f->mem + slot + 1077, 4);
  assert_int_equal(got, x);
  a[2] = I32((int32_t)at2);
  assert_int_equal(call(f, "push_reg_top", a, 4, &res, 1), LULL_OK);
  memcpy(&got, f->mem + slot + 1079, 4);
  assert_int_equal(got, y);
  /* each access out of bounds in turn */
  a[0] = I32((int32_t)b);
  a[1] = I32((int32_t)sp);
  a[2] = I32(65536 - 1044 - 1078 - 3);
  assert_oob_at(f, call(f, "push_word", a, 3, &res, 1),
                offset_of(f, wload, 4));
  a[2] = I32(65536 - 1044 - 1081 - 3);
  assert_oob_at(f, call(f, "push_reg_top", a, 4, &res, 1),
                offset_of(f, rindex, 4));
  a[2] = I32((int32_t)at2);
  a[3] = I32(65536 - 1080 - 12 - 3);
  assert_oob_at(f, call(f, "push_reg_top", a, 4, &res, 1),
                offset_of(f, relem, 4));
  a[3] = I32((int32_t)r);
  a[0] = I32((int32_t)(65536 - 96 - sp * 4 - 1079 - 3));
  assert_oob_at(f, call(f, "push_reg_top", a, 4, &res, 1),
                offset_of(f, rstore, 4));
  a[2] = I32((int32_t)at);
  a[0] = I32((int32_t)(65536 - 96 - sp * 4 - 1077 - 3));
  assert_oob_at(f, call(f, "push_word", a, 3, &res, 1),
                offset_of(f, wstore, 4));
}

/* A pop stored to a register at an index loaded first: the index and
 * the register's address wrap as the i32.shl and i32.add did, sp steps
 * before the pop reads, and each access traps at its own offset, nothing
 * stored unless both loads succeed. */
static void registers_set_from_pops(void **state) {
  fixture *f = *state;
  assert_int_equal(
      test_count_op(f->g.e, f->g.m, LULLI_OP_LOAD32_AK_SH_ASHB_ST), 1);
  /* i32.load offset=1082 and 1084, i32.store offset=1083 */
  static const uint8_t index[] = {0x28, 0x02, 0xba, 0x08};
  static const uint8_t pop[] = {0x28, 0x02, 0xbc, 0x08};
  static const uint8_t store[] = {0x36, 0x02, 0xbb, 0x08};
  uint32_t b = 2000, sp = 6, at = 40, r = 600, i = 3, v = 0x0dec0de5, got;
  uint32_t slot = b + 96 + (sp - 1) * 4 + 1084, reg = r + 12 + 1083;
  memcpy(f->mem + at + 1044 + 1082, &i, 4);
  memcpy(f->mem + slot, &v, 4);
  lull_val a[4] = {I32((int32_t)b), I32((int32_t)sp), I32((int32_t)at),
                   I32((int32_t)r)},
           res;
  assert_int_equal(call(f, "pop_to_reg", a, 4, &res, 1), LULL_OK);
  assert_int_equal((uint32_t)res.of.i32, sp - 1);
  memcpy(&got, f->mem + reg, 4);
  assert_int_equal(got, v);
  /* index << 2 drops its top bits, and so does (sp - 1) << 2 */
  memset(f->mem + reg, 0, 4);
  i = 3u + (1u << 30) + (1u << 31);
  memcpy(f->mem + at + 1044 + 1082, &i, 4);
  a[1] = I32((int32_t)(sp + (1u << 30)));
  assert_int_equal(call(f, "pop_to_reg", a, 4, &res, 1), LULL_OK);
  assert_int_equal((uint32_t)res.of.i32, sp - 1 + (1u << 30));
  memcpy(&got, f->mem + reg, 4);
  assert_int_equal(got, v);
  i = 3;
  memcpy(f->mem + at + 1044 + 1082, &i, 4);
  a[1] = I32((int32_t)sp);
  /* each access out of bounds in turn, nothing stored */
  memset(f->mem + reg, 0, 4);
  a[2] = I32(65536 - 1044 - 1082 - 3);
  assert_oob_at(f, call(f, "pop_to_reg", a, 4, &res, 1),
                offset_of(f, index, 4));
  a[2] = I32((int32_t)at);
  a[0] = I32((int32_t)(65536 - 96 - (sp - 1) * 4 - 1084 - 3));
  assert_oob_at(f, call(f, "pop_to_reg", a, 4, &res, 1), offset_of(f, pop, 4));
  memcpy(&got, f->mem + reg, 4);
  assert_int_equal(got, 0);
  a[0] = I32((int32_t)b);
  a[3] = I32((int32_t)(65536 - 12 - 1083 - 3));
  assert_oob_at(f, call(f, "pop_to_reg", a, 4, &res, 1),
                offset_of(f, store, 4));
}

static uint32_t two_steps(uint32_t p, uint32_t q, uint32_t n) {
  uint32_t s = 0, i = 0;
  do {
    s = s * 3 + (p ^ q);
    p += 8;
    q -= 3;
  } while (++i != n);
  return s ^ p * q;
}

static void loop_joining_on_a_subtraction(void **state) {
  fixture *f = *state;
  static const uint32_t ns[] = {0, 1, 2, 1000, 0xffffffffu};
  for (size_t k = 0; k < 4; k++) {
    uint32_t i = 0, s = 0, neg = 0;
    do {
      s = i & 1 ? s + neg : s ^ i;
      neg = 7 - s;
    } while (++i < ns[k]);
    lull_val a = I32((int32_t)ns[k]), r;
    assert_int_equal(call(f, "rsub_loop", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, s + neg);
  }
  uint32_t i = 0, n;
  do {
    if (i & 1)
      i += 2;
    n = 40 - i;
  } while (++i < n);
  lull_val a = I32(ns[4]), r;
  assert_int_equal(call(f, "rsub_bound", &a, 1, &r, 1), LULL_OK);
  assert_int_equal((uint32_t)r.of.i32, i * 1000 + n);
}

static void loop_with_two_steps(void **state) {
  fixture *f = *state;
  /* p wraps past 2^32 on the way */
  static const uint32_t cases[][3] = {
      {100, 7000, 1}, {100, 7000, 37}, {0xfffffff0u, 5, 9}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const uint32_t *c = cases[k];
    lull_val a[3] = {I32((int32_t)c[0]), I32((int32_t)c[1]),
                     I32((int32_t)c[2])},
             r;
    uint32_t want = two_steps(c[0], c[1], c[2]);
    assert_int_equal(call(f, "two_steps", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, want);
    assert_int_equal(call(f, "two_steps_lt", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, want);
  }
}

static void byte_classes(void **state) {
  fixture *f = *state;
  /* i32.load8_u offset=1030 (the class), offset=1031 (the byte) */
  static const uint8_t cls[] = {0x2d, 0x00, 0x86, 0x08};
  static const uint8_t byte[] = {0x2d, 0x00, 0x87, 0x08};
  f->mem[300 + 5 + 1031] = 10;
  f->mem[10 - 3 + 1030] = 0x5a;
  lull_val a = I32(300), r;
  assert_int_equal(call(f, "class_of", &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x5a + 10 * 256);
  /* p + 5 wraps to 0 */
  f->mem[1031] = 11;
  f->mem[11 - 3 + 1030] = 0x33;
  a = I32(-5);
  assert_int_equal(call(f, "class_of", &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x33 + 11 * 256);
  /* the byte 1: 1 - 3 wraps to 2^32 - 2, out of bounds at the class */
  f->mem[300 + 5 + 1031] = 1;
  a = I32(300);
  assert_oob_at(f, call(f, "class_of", &a, 1, &r, 1), offset_of(f, cls, 4));
  a = I32(65536 - 5 - 1031);
  assert_oob_at(f, call(f, "class_of", &a, 1, &r, 1), offset_of(f, byte, 4));

  f->mem[400 + 1034] = 200;
  f->mem[200 + 1033] = 0x77;
  a = I32(400);
  assert_int_equal(call(f, "class_plain", &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x77);

  /* the lookalike: both bytes at p */
  f->mem[500 + 1035] = 90;
  f->mem[500 + 1036] = 30;
  a = I32(500);
  assert_int_equal(call(f, "two_bytes", &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 60);

  /* Two pairs of loads, each load trapping at its own offset. */
  static const uint8_t l1[] = {0x2d, 0x00, 0x9b, 0x08},
                       l2[] = {0x2d, 0x00, 0x9c, 0x08},
                       l4[] = {0x2d, 0x00, 0x9e, 0x08};
  f->mem[600 + 3 + 1051] = 1;
  f->mem[700 + 3 + 1052] = 2;
  f->mem[600 + 4 + 1053] = 3;
  f->mem[700 + 4 + 1054] = 4;
  lull_val p[3] = {I32(600), I32(700), I32(3)};
  assert_int_equal(call(f, "byte_pairs", p, 3, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 0x04030201);
  p[0] = I32(65536 - 1051 - 3);
  assert_oob_at(f, call(f, "byte_pairs", p, 3, &r, 1), offset_of(f, l1, 4));
  p[0] = I32(600);
  p[1] = I32(65536 - 1052 - 3);
  assert_oob_at(f, call(f, "byte_pairs", p, 3, &r, 1), offset_of(f, l2, 4));
  p[1] = I32(65536 - 1054 - 4);
  assert_oob_at(f, call(f, "byte_pairs", p, 3, &r, 1), offset_of(f, l4, 4));
}

/* The module offset of the byte access `opcode` (i32.load8_u 0x2d,
 * i32.store8 0x3a) with offset `off` (two LEB128 bytes: 128 <= off <
 * 16384): the opcode, align 0, the offset. */
static uint32_t byte_access_at(const fixture *f, uint8_t opcode,
                               unsigned off) {
  const uint8_t pat[] = {opcode, 0x00, (uint8_t)(0x80 | (off & 0x7f)),
                         (uint8_t)(off >> 7)};
  return offset_of(f, pat, sizeof pat);
}
#define load8_at(f, off) byte_access_at((f), 0x2d, (off))
#define store8_at(f, off) byte_access_at((f), 0x3a, (off))

static void bytes_added_to_sums(void **state) {
  fixture *f = *state;
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_I32_ADD_SHL_M8_RR) >= 1);
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_I32_ADD_SHL_M8) >= 3);
  for (uint32_t i = 0; i < 4096; i++)
    f->mem[i] = (uint8_t)(i * 37 + 11);
  uint32_t x = 3;
  lull_val r;
  for (int i = 0; i < 600; i++, x = x * 1664525u + 1013904223u) {
    /* the first ones wrap: a + b, and a + 7 */
    uint32_t a = i < 8 ? 0xfffffff9u + (uint32_t)i : x % 1500;
    uint32_t b = i < 8 ? 20u + (uint32_t)i : (x >> 16) % 1000;
    uint32_t w = a + b, s = x ^ 0x5a5a5a5au;
    uint32_t want = f->mem[b + 1183] + s +
                    ((uint32_t)f->mem[w + 1180] << 1) +
                    f->mem[(uint32_t)(a + 7) + 1181] +
                    ((uint32_t)f->mem[w + 1182] << 3);
    lull_val args[3] = {I32((int32_t)a), I32((int32_t)b), I32((int32_t)s)};
    assert_int_equal(call(f, "byte_sums", args, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, want ^ w << 16);
  }
  /* Each load traps at its own offset. */
  lull_val args[3] = {I32(0), I32(65536 - 1183), I32(0)};
  assert_oob_at(f, call(f, "byte_sums", args, 3, &r, 1), load8_at(f, 1183));
  args[0] = I32(65536 - 1180 - 6);
  args[1] = I32(6);
  assert_oob_at(f, call(f, "byte_sums", args, 3, &r, 1), load8_at(f, 1180));
  args[0] = I32(65536 - 1181 - 7);
  args[1] = I32(0);
  assert_oob_at(f, call(f, "byte_sums", args, 3, &r, 1), load8_at(f, 1181));
  args[0] = I32(2);
  args[1] = I32(65536 - 1182 - 2);
  assert_oob_at(f, call(f, "byte_sums", args, 3, &r, 1), load8_at(f, 1182));
  /* a + b wraps to 2^32 - 1: the offset takes it past the memory */
  args[0] = I32(-1);
  args[1] = I32(0);
  assert_oob_at(f, call(f, "byte_sums", args, 3, &r, 1), load8_at(f, 1180));
}

/* blend(d, a, b, c) (fuse_mem.wat) in C: 64 bytes, two per iteration,
 * each read at its own offset. */
static void blend_c(uint8_t *mem, uint32_t d, uint32_t a, uint32_t b,
                    uint32_t c) {
  for (uint32_t x = 0; x < 64; x += 2) {
    mem[d + x + 1430] = (uint8_t)((mem[c + x + 1400] + mem[a + x + 1410] +
                                   2u * mem[b + x + 1420] + 2) >> 2);
    mem[d + x + 1 + 1470] =
        (uint8_t)((mem[c + x + 1 + 1440] + mem[a + x + 1 + 1450] +
                   2u * mem[b + x + 1 + 1460] + 2) >> 2);
  }
}

/* A blur's loop: each point's loads, sum and store are one handler, the
 * second's with the loop's closing branch; every access traps at its own
 * offset, after the stores before it and before those after it, and fuel
 * runs out at the closing branch inside the second handler. */
static void points_blended(void **state) {
  fixture *f = *state;
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_SUM3_STORE8_RR), 1);
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_SUM3_STORE8_LOOP),
                   1);
  static uint8_t want[65536];
  for (uint32_t i = 0; i < 8192; i++)
    f->mem[i] = (uint8_t)(i * 29 + 5);
  const uint32_t d = 3000, a = 100, b = 700, c = 1500;
  memcpy(f->mem + d + 1430, f->mem + 6000, 128); /* not yet blended */
  memcpy(want, f->mem, 65536);
  blend_c(want, d, a, b, c);
  for (int64_t fuel = 0; fuel < 6; fuel++) {
    lull_val args[4] = {I32(d), I32(a), I32(b), I32(c)}, r;
    memcpy(f->mem + d + 1430, f->mem + 6000, 128);
    lull_thread_set_fuel(f->g.t, fuel ? (uint64_t)fuel : LULL_FUEL_UNLIMITED);
    lull_status st = call(f, "blend", args, 4, &r, 0);
    uint64_t parks = 0;
    while (st == LULL_SUSPENDED) {
      parks++;
      lull_thread_set_fuel(f->g.t, (uint64_t)fuel);
      st = lull_resume(f->g.t, NULL, 0, &r, 0);
    }
    assert_int_equal(st, LULL_OK);
    assert_true(fuel == 0 || parks >= 32 / (uint64_t)(fuel + 1));
    assert_memory_equal(f->mem + d + 1430, want + d + 1430, 128);
  }
  lull_thread_set_fuel(f->g.t, LULL_FUEL_UNLIMITED);

  /* Each access out of bounds in turn: c, a, b and d for a first point
   * (offsets 1400 to 1430), then for a second one (1440 to 1470). */
  static const struct {
    int which, second;   /* 0 c, 1 a, 2 b, 3 d */
    unsigned at, store;  /* the trapping access's offset */
  } cases[] = {{0, 0, 1400, 0}, {1, 0, 1410, 0}, {2, 0, 1420, 0},
               {3, 0, 1430, 1}, {0, 1, 1440, 0}, {1, 1, 1450, 0},
               {2, 1, 1460, 0}, {3, 1, 1470, 1}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    /* The trap at point x0 + second (a second point's offsets are 40
     * more than a first's, so only the first point at 0 can be the first
     * access past the memory): x0 + second + at reaches just past it. */
    uint32_t p[4] = {c, a, b, d}, r0 = cases[k].second ? 6 : 0;
    p[cases[k].which] = 65536 - cases[k].at - r0 - (uint32_t)cases[k].second;
    memset(f->mem + p[3] + 1430, 0, cases[k].which == 3 ? 50 : 128);
    lull_val args[4] = {I32((int32_t)p[3]), I32((int32_t)p[1]),
                        I32((int32_t)p[2]), I32((int32_t)p[0])},
             r;
    uint32_t at = cases[k].store ? store8_at(f, cases[k].at)
                                 : load8_at(f, cases[k].at);
    assert_oob_at(f, call(f, "blend", args, 4, &r, 0), at);
    /* the points before the trap were stored, none after it */
    uint32_t done = r0 + (uint32_t)cases[k].second;
    for (uint32_t x = 0; x < (cases[k].which == 3 ? done : 64); x++) {
      uint32_t o = x % 2 ? 40 : 0;
      uint8_t v = x < done ? (uint8_t)((f->mem[p[0] + x + 1400 + o] +
                                        f->mem[p[1] + x + 1410 + o] +
                                        2u * f->mem[p[2] + x + 1420 + o] + 2) >>
                                       2)
                           : 0;
      assert_int_equal(f->mem[p[3] + x + 1430 + o], v);
    }
  }
}

static void bytes_stored_from_arithmetic(void **state) {
  fixture *f = *state;
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_STORE8_ADD_SHR) >= 1);
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_STORE8_ADDK_SHR) >= 1);
  assert_true(
      test_count_op(f->g.e, f->g.m, LULLI_OP_STORE8_ADD_SHR_ADD_I) >= 2);
  assert_true(
      test_count_op(f->g.e, f->g.m, LULLI_OP_STORE8_ADDK_SHR_ADD_I) >= 4);
  const uint32_t p = 2000, q = 3000;
  uint32_t x = 11;
  lull_val r;
  for (int i = 0; i < 600; i++, x = x * 1664525u + 1013904223u) {
    /* the first ones: sums that wrap, a + 5 that wraps */
    uint32_t a = i < 16 ? 0xfffffff0u + (uint32_t)i : x;
    uint32_t b = i < 16 ? 0x10u + (uint32_t)i * 3 : x * 7 + 3;
    memset(f->mem + p + 1160, 0xee, 12);
    memset(f->mem + q + 1170, 0xee, 4);
    lull_val args[4] = {I32((int32_t)p), I32((int32_t)q), I32((int32_t)a),
                        I32((int32_t)b)};
    assert_int_equal(call(f, "byte_values", args, 4, &r, 1), LULL_OK);
    assert_int_equal(r.of.i32, p + 6);
    const uint8_t want[12] = {
        (uint8_t)((a + b + 2) >> 2), 0xee, (uint8_t)(a + b), 0xee,
        (uint8_t)((a + 5) >> 28),    0xee, (uint8_t)(a - 3), 0xee,
        (uint8_t)(b >> 4),           0xee, (uint8_t)(b + 7), 0xee};
    assert_memory_equal(f->mem + p + 1160, want, sizeof want);
    const uint8_t wantq[3] = {(uint8_t)((a + b + 9) >> 28),
                              (uint8_t)(a >> 3), 0xee};
    assert_memory_equal(f->mem + q + 1170, wantq, sizeof wantq);
  }

  /* Each store traps at its own offset, and what comes after it does
   * not happen: no byte at p when a store at q traps. */
  memset(f->mem + p + 1160, 0, 12);
  /* q = 2^32 - 1: q + 1170 is past the memory, not wrapped to 1169 */
  lull_val args[4] = {I32((int32_t)p), I32(-1), I32(1), I32(2)};
  assert_oob_at(f, call(f, "byte_values", args, 4, &r, 1), store8_at(f, 1170));
  args[1] = I32(65536 - 1171);
  f->mem[65535] = 0xee;
  assert_oob_at(f, call(f, "byte_values", args, 4, &r, 1), store8_at(f, 1171));
  assert_int_equal(f->mem[65535], (1 + 2 + 9) >> 28);
  for (int i = 0; i < 12; i++)
    assert_int_equal(f->mem[p + 1160 + i], 0);
  /* The third store at p is the first one out: the two before it are
   * there. */
  args[1] = I32((int32_t)q);
  args[0] = I32(65536 - 1164);
  f->mem[65532] = f->mem[65534] = 0;
  assert_oob_at(f, call(f, "byte_values", args, 4, &r, 1), store8_at(f, 1162));
  assert_int_equal(f->mem[65532], (1 + 2 + 2) >> 2);
  assert_int_equal(f->mem[65534], 3);
  /* the last one, at p + 5 + 1165 */
  args[0] = I32(65536 - 1170);
  assert_oob_at(f, call(f, "byte_values", args, 4, &r, 1), store8_at(f, 1165));
}

static uint32_t rotl(uint32_t x, unsigned k) {
  k &= 31;
  return k ? x << k | x >> (32 - k) : x;
}

static void rotation_sums(void **state) {
  fixture *f = *state;
  uint32_t x = 1;
  for (int i = 0; i < 3000; i++, x = x * 1664525u + 1013904223u) {
    lull_val a[2] = {I32((int32_t)x), I32((int32_t)(x * 3 + 1))}, r;
    assert_int_equal(call(f, "sigma1", a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     rotl(x, 26) ^ rotl(x, 21) ^ rotl(x, 7));
    assert_int_equal(call(f, "small_sigma0", a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, rotl(x, 25) ^ rotl(x, 14) ^ x >> 3);
    assert_int_equal(call(f, "rot2", a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, rotl(x, 3) ^ rotl(x, 1));
    assert_int_equal(call(f, "rot_two_values", a, 2, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     rotl(x, 3) ^ rotl(x * 3 + 1, 5) ^ rotl(x, 9));
    uint32_t y = rotl(x, 3);
    assert_int_equal(call(f, "rot_chain", a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, rotl(y, 5) ^ rotl(y, 7) ^ y >> 11);
  }
}

static void rotation_sums_added(void **state) {
  fixture *f = *state;
  uint32_t x = 7;
  for (int i = 0; i < 3000; i++, x = x * 1664525u + 1013904223u) {
    uint32_t y = x * 3 + 1, z = x ^ 0x5a5a5a5au;
    lull_val a[3] = {I32((int32_t)x), I32((int32_t)y), I32((int32_t)z)}, r;
    uint32_t s1 = rotl(x, 26) ^ rotl(x, 21) ^ rotl(x, 7);
    uint32_t s0 = rotl(x, 25) ^ rotl(x, 14) ^ x >> 3;
    assert_int_equal(call(f, "sigma1_add", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, y + s1 + z);
    assert_int_equal(call(f, "sigma0_add", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, y + s0);
    assert_int_equal(call(f, "sigma0_add_sum", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, s0 + y + z);
    assert_int_equal(call(f, "sigma1_add_twice", a, 3, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32,
                     y + z + (rotl(y, 26) ^ rotl(y, 21) ^ rotl(y, 7)) + x);
  }
}

static void big_endian_loads(void **state) {
  fixture *f = *state;
  uint32_t x = 7;
  lull_val r;
  for (int i = 0; i < 3000; i++, x = x * 1664525u + 1013904223u) {
    lull_val a = I32((int32_t)x), p = I32(64);
    memcpy(f->mem + 64, &x, 4);
    assert_int_equal(call(f, "load_be32", &p, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, x << 24 | (x << 8 & 0xff0000u) |
                                             (x >> 8 & 0xff00u) | x >> 24);
    assert_int_equal(call(f, "be32_lookalike", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, x << 24 | (x << 8 & 0xff00ffu) |
                                             (x >> 8 & 0xff00u) | x >> 24);
  }
  lull_val p = I32(65534);
  assert_int_equal(call(f, "load_be32", &p, 1, &r, 1), LULL_TRAP);
}

static uint32_t rotate8(int32_t n) {
  uint32_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  do {
    uint32_t t = v[7] * 3 + v[0];
    memmove(v + 1, v, 7 * sizeof v[0]);
    v[0] = t;
  } while (--n);
  uint32_t h = 0;
  for (int i = 0; i < 8; i++)
    h ^= v[i] << (4 * i);
  return h;
}

static void moves_in_sequence(void **state) {
  fixture *f = *state;
  /* One round up to several, so every variable has moved into every
   * other place. */
  for (int32_t n = 1; n < 40; n += n / 4 + 1) {
    lull_val a = I32(n), r;
    assert_int_equal(call(f, "rotate8", &a, 1, &r, 1), LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, rotate8(n));
  }
}

static void products_rounded_in_order(void **state) {
  fixture *f = *state;
  /* Chosen so the two groupings round differently. */
  volatile double x = 0.1, y = 0.7, z = 3.3;
  double left = (x * y) * z, right = x * (y * z);
  assert_true(left != right);
  lull_val a[3] = {F64(x), F64(y), F64(z)}, r;
  assert_int_equal(call(f, "mul3", a, 3, &r, 1), LULL_OK);
  assert_true(r.of.f64 == left);
  assert_int_equal(call(f, "mul3_right", a, 3, &r, 1), LULL_OK);
  assert_true(r.of.f64 == left);
  assert_int_equal(call(f, "mul3_inner", a, 3, &r, 1), LULL_OK);
  assert_true(r.of.f64 == right);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(update_in_place_each_type),
      cmocka_unit_test(lookalikes_store_where_they_said),
      cmocka_unit_test(update_out_of_bounds_traps_at_the_load),
      cmocka_unit_test(constants_in_addresses_wrap_at_32_bits),
      cmocka_unit_test(matrix_inner_loop),
      cmocka_unit_test(products_accumulated),
      cmocka_unit_test(two_accesses_trap_at_their_own),
      cmocka_unit_test(unrolled_updates),
      cmocka_unit_test(stores_then_steps),
      cmocka_unit_test(loads_from_sums),
      cmocka_unit_test(constants_stored_at_a_sum),
      cmocka_unit_test(table_lookups),
      cmocka_unit_test(bit_selections),
      cmocka_unit_test(f64_constant_operands),
      cmocka_unit_test(velocity_updates),
      cmocka_unit_test(pointers_stepped_then_read),
      cmocka_unit_test(array_elements),
      cmocka_unit_test(stack_slots),
      cmocka_unit_test(bytecode_fetch),
      cmocka_unit_test(byte_classes),
      cmocka_unit_test(bytes_stored_from_arithmetic),
      cmocka_unit_test(bytes_added_to_sums),
      cmocka_unit_test(points_blended),
      cmocka_unit_test(slot_copies),
      cmocka_unit_test(kept_slot_addresses),
      cmocka_unit_test(stack_pops),
      cmocka_unit_test(stack_binary_ops),
      cmocka_unit_test(word_copies),
      cmocka_unit_test(registers_pushed),
      cmocka_unit_test(pushes_onto_a_stack),
      cmocka_unit_test(registers_set_from_pops),
      cmocka_unit_test(loop_with_two_steps),
      cmocka_unit_test(loop_joining_on_a_subtraction),
      cmocka_unit_test(rotation_sums),
      cmocka_unit_test(rotation_sums_added),
      cmocka_unit_test(big_endian_loads),
      cmocka_unit_test(moves_in_sequence),
      cmocka_unit_test(products_rounded_in_order),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
