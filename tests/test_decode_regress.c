/*
 * test_decode_regress.c -- inputs the fuzzer (tests/fuzz/fuzz_decode.c)
 * found to break the decoder or validator, kept as they were found. Each
 * test is named after what it caught.
 */
#include "decode_util.h"

/* Decodes raw bytes that must be malformed with `msg`. */
static void bytes_malformed(const uint8_t *b, size_t n, const char *msg) {
  counting cnt = {0, -1, 0, 0, 0};
  lulld_alloc a = {counting_alloc, &cnt};
  lulld_module *m = NULL;
  lull_error err;
  lull_status s = lulld_decode(&a, 0, b, n, &m, &err);
  if (s != LULL_MALFORMED)
    fail_msg("expected \"%s\", got status %d", msg, s);
  if (strncmp(err.message, msg, strlen(msg)) != 0)
    fail_msg("expected \"%s\", got \"%s\"", msg, err.message);
  assert_int_equal(cnt.live, 0);
}

/*
 * A `name` section whose declared size reaches past the module (sizes are
 * checked against the bytes left from where the size field starts, so it
 * can claim a byte or two more than exist). The name section reader was
 * given the declared end and read past the buffer; the truncated custom
 * section was also accepted.
 */
static void name_section_past_module_end(void **state) {
  (void)state;
  static const uint8_t crash[] = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0a,
      0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x01, 0x00, 0x95};
  bytes_malformed(crash, sizeof crash, "unexpected end");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(name_section_past_module_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
