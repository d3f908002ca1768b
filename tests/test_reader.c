/*
 * test_reader.c -- the byte reader of decoder/reader.h: LEB128 with the
 * binary format's exact rules (length limits, unused bits of the last
 * byte, signed 32/33/64-bit ranges, truncation), fixed-width values, raw
 * bytes, and sticky errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decoder/reader.h"

/* A reader over a byte list written inline. */
#define READER(r, ...)                                                        \
  static const uint8_t r##_bytes[] = {__VA_ARGS__};                           \
  lulld_reader r;                                                             \
  lulld_reader_init(&r, r##_bytes, 0, sizeof r##_bytes)

/* Asserts that the reader failed with `msg` at `pos`. */
static void expect_err(const lulld_reader *r, const char *msg, size_t pos) {
  if (!r->err)
    fail_msg("expected \"%s\", the read succeeded", msg);
  assert_string_equal(r->err, msg);
  assert_int_equal(r->err_pos, pos);
}

/* Asserts success and that every byte was consumed. */
static void expect_done(const lulld_reader *r) {
  if (r->err)
    fail_msg("unexpected error \"%s\" at %zu", r->err, r->err_pos);
  assert_int_equal(r->pos, r->end);
}

/* ------------------------------------------------------------------ */
/* Unsigned 32 */

static void u32_small_values(void **state) {
  (void)state;
  READER(r, 0x00, 0x7F, 0x80, 0x01, 0xE5, 0x8E, 0x26);
  assert_int_equal(lulld_read_u32(&r), 0);
  assert_int_equal(lulld_read_u32(&r), 127);
  assert_int_equal(lulld_read_u32(&r), 128);
  assert_int_equal(lulld_read_u32(&r), 624485);
  expect_done(&r);
}

static void u32_max_and_padding(void **state) {
  (void)state;
  /* The maximum; then 0 and 3 padded to the full five bytes, which the
   * format allows. */
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x80, 0x80, 0x80, 0x80, 0x00,
         0x83, 0x80, 0x80, 0x80, 0x00);
  assert_int_equal(lulld_read_u32(&r), UINT32_MAX);
  assert_int_equal(lulld_read_u32(&r), 0);
  assert_int_equal(lulld_read_u32(&r), 3);
  expect_done(&r);
}

static void u32_unused_bits_set(void **state) {
  (void)state;
  /* Bits 32..34 live in the fifth byte's bits 4..6: any of them set. */
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
  assert_int_equal(lulld_read_u32(&r), 0);
  expect_err(&r, "integer too large", 0);
  READER(q, 0x80, 0x80, 0x80, 0x80, 0x40);
  (void)lulld_read_u32(&q);
  expect_err(&q, "integer too large", 0);
}

static void u32_too_long(void **state) {
  (void)state;
  /* A sixth byte is never allowed, even for zero. */
  READER(r, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
  assert_int_equal(lulld_read_u32(&r), 0);
  expect_err(&r, "integer representation too long", 0);
}

static void u32_truncated(void **state) {
  (void)state;
  READER(r, 0x01, 0x80, 0x80);
  assert_int_equal(lulld_read_u32(&r), 1);
  (void)lulld_read_u32(&r);
  expect_err(&r, "unexpected end", 3);
  READER(e, 0x00);
  e.pos = 1;
  (void)lulld_read_u32(&e);
  expect_err(&e, "unexpected end", 1);
}

/* ------------------------------------------------------------------ */
/* Unsigned 64 */

static void u64_max_and_limits(void **state) {
  (void)state;
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
  assert_true(lulld_read_uleb(&r, 64) == UINT64_MAX);
  expect_done(&r);
  /* Only one payload bit is left in the tenth byte. */
  READER(q, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
  (void)lulld_read_uleb(&q, 64);
  expect_err(&q, "integer too large", 0);
  READER(t, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
         0x00);
  (void)lulld_read_uleb(&t, 64);
  expect_err(&t, "integer representation too long", 0);
}

/* ------------------------------------------------------------------ */
/* Signed 32 */

static void s32_values(void **state) {
  (void)state;
  READER(r, 0x00, 0x7F, 0x3F, 0x40, 0xC0, 0x00, 0xBF, 0x7F, 0x80, 0x7F);
  assert_int_equal(lulld_read_s32(&r), 0);
  assert_int_equal(lulld_read_s32(&r), -1);
  assert_int_equal(lulld_read_s32(&r), 63);
  assert_int_equal(lulld_read_s32(&r), -64);
  assert_int_equal(lulld_read_s32(&r), 64);
  assert_int_equal(lulld_read_s32(&r), -65);
  assert_int_equal(lulld_read_s32(&r), -128);
  expect_done(&r);
}

static void s32_extremes(void **state) {
  (void)state;
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x80, 0x80, 0x80, 0x80, 0x78,
         0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x00);
  assert_int_equal(lulld_read_s32(&r), INT32_MAX);
  assert_int_equal(lulld_read_s32(&r), INT32_MIN);
  /* -1 and 0 padded to five bytes: the unused bits repeat the sign. */
  assert_int_equal(lulld_read_s32(&r), -1);
  assert_int_equal(lulld_read_s32(&r), 0);
  expect_done(&r);
}

static void s32_unused_bits_disagree(void **state) {
  (void)state;
  /* A positive value whose unused bits are set, and a negative one whose
   * unused bits are clear. */
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
  (void)lulld_read_s32(&r);
  expect_err(&r, "integer too large", 0);
  READER(q, 0x80, 0x80, 0x80, 0x80, 0x70);
  (void)lulld_read_s32(&q);
  expect_err(&q, "integer too large", 0);
  READER(t, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
  (void)lulld_read_s32(&t);
  expect_err(&t, "integer representation too long", 0);
}

/* ------------------------------------------------------------------ */
/* Signed 33 (block types) */

static void s33_values(void **state) {
  (void)state;
  /* 0x40 is the empty block type (-64); the largest type index is
   * 2^32 - 1, which needs the 33rd bit clear. */
  READER(r, 0x40, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x80, 0x80, 0x80,
         0x80, 0x70);
  assert_true(lulld_read_sleb(&r, 33) == -64);
  assert_true(lulld_read_sleb(&r, 33) == -1);
  assert_true(lulld_read_sleb(&r, 33) == (int64_t)UINT32_MAX);
  assert_true(lulld_read_sleb(&r, 33) == -((int64_t)1 << 32));
  expect_done(&r);
  READER(q, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
  (void)lulld_read_sleb(&q, 33);
  expect_err(&q, "integer too large", 0);
}

/* ------------------------------------------------------------------ */
/* Signed 64 */

static void s64_extremes(void **state) {
  (void)state;
  READER(r, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
         0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F);
  assert_true(lulld_read_s64(&r) == INT64_MAX);
  assert_true(lulld_read_s64(&r) == INT64_MIN);
  expect_done(&r);
  READER(q, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
  (void)lulld_read_s64(&q);
  expect_err(&q, "integer too large", 0);
  READER(t, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
  (void)lulld_read_s64(&t);
  expect_err(&t, "integer too large", 0);
  READER(u, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
         0x7F);
  (void)lulld_read_s64(&u);
  expect_err(&u, "integer representation too long", 0);
}

static void s64_small_negative(void **state) {
  (void)state;
  READER(r, 0x7F, 0x80, 0x7F, 0xC0, 0xBB, 0x78);
  assert_true(lulld_read_s64(&r) == -1);
  assert_true(lulld_read_s64(&r) == -128);
  assert_true(lulld_read_s64(&r) == -123456);
  expect_done(&r);
}

/* ------------------------------------------------------------------ */
/* Fixed-width values, bytes, sticky errors */

static void fixed_and_bytes(void **state) {
  (void)state;
  READER(r, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
         0xF0, 0x3F, 0xAA, 0xBB);
  assert_int_equal(lulld_read_fixed32(&r), 0x3F800000u);
  assert_true(lulld_read_fixed64(&r) == 0x3FF0000000000000ull);
  const uint8_t *p = lulld_read_bytes(&r, 2);
  assert_non_null(p);
  assert_int_equal(p[0], 0xAA);
  assert_int_equal(p[1], 0xBB);
  expect_done(&r);
  assert_null(lulld_read_bytes(&r, 1));
  expect_err(&r, "unexpected end", 14);
}

static void fixed_truncated(void **state) {
  (void)state;
  READER(r, 0x01, 0x02, 0x03);
  assert_int_equal(lulld_read_fixed32(&r), 0);
  expect_err(&r, "unexpected end", 0);
  READER(q, 0, 0, 0, 0, 0, 0, 0);
  (void)lulld_read_fixed64(&q);
  expect_err(&q, "unexpected end", 4);
}

static void errors_are_sticky(void **state) {
  (void)state;
  READER(r, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x05, 0x06);
  (void)lulld_read_u32(&r);
  expect_err(&r, "integer representation too long", 0);
  size_t pos = r.pos;
  /* Every later read returns 0 and leaves the position and the first
   * error alone. */
  assert_int_equal(lulld_read_u8(&r), 0);
  assert_int_equal(lulld_read_u32(&r), 0);
  assert_null(lulld_read_bytes(&r, 1));
  assert_int_equal(r.pos, pos);
  lulld_reader_fail(&r, "another", 7);
  expect_err(&r, "integer representation too long", 0);
}

static void reads_respect_end(void **state) {
  (void)state;
  /* A reader whose end is before the buffer's end never reads past it. */
  static const uint8_t bytes[] = {0x05, 0x81, 0x01};
  lulld_reader r;
  lulld_reader_init(&r, bytes, 0, 2);
  assert_int_equal(lulld_read_u8(&r), 5);
  (void)lulld_read_u32(&r);
  expect_err(&r, "unexpected end", 2);
  assert_true(lulld_reader_eof(&r));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(u32_small_values),
      cmocka_unit_test(u32_max_and_padding),
      cmocka_unit_test(u32_unused_bits_set),
      cmocka_unit_test(u32_too_long),
      cmocka_unit_test(u32_truncated),
      cmocka_unit_test(u64_max_and_limits),
      cmocka_unit_test(s32_values),
      cmocka_unit_test(s32_extremes),
      cmocka_unit_test(s32_unused_bits_disagree),
      cmocka_unit_test(s33_values),
      cmocka_unit_test(s64_extremes),
      cmocka_unit_test(s64_small_negative),
      cmocka_unit_test(fixed_and_bytes),
      cmocka_unit_test(fixed_truncated),
      cmocka_unit_test(errors_are_sticky),
      cmocka_unit_test(reads_respect_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
