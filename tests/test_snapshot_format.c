/*
 * test_snapshot_format.c -- the promises of the snapshot format
 * (docs/snapshot-format.md): its checksum is the standard CRC-32; a
 * snapshot taken under any engine setting the compiled code depends on
 * (safepoints on or off, eager or lazy compilation, code loaded with
 * lull_module_deserialize) resumes under every other one to the result
 * of an uninterrupted run; and the snapshots an earlier lull stored in
 * tests/data/snapshots still resume to the results recorded beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interp/snapshot_internal.h"
#include "lull.h"
#include "snap_values.h"
#include "test_util.h"

static void checksum_is_the_standard_crc32(void **state) {
  (void)state;
  assert_int_equal(lulli_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
  assert_int_equal(lulli_crc32(NULL, 0), 0);
  /* Every length and alignment against the bitwise definition. */
  uint8_t buf[1031];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (uint8_t)(i * 131 + (i >> 3));
  for (size_t at = 0; at < 9; at++)
    for (size_t n = 0; n + at <= sizeof buf; n += 1 + n / 3)
      assert_int_equal(lulli_crc32(buf + at, n), test_crc32(buf + at, n));
}

/* Engine settings the compiled code depends on. */
typedef struct setting {
  int safepoints, lazy, cached;
  const char *name;
} setting;

static const setting settings[] = {
    {1, 0, 0, "safepoints, eager"},
    {1, 1, 0, "safepoints, lazy"},
    {0, 0, 0, "no safepoints, eager"},
    {0, 1, 0, "no safepoints, lazy"},
    {1, 0, 1, "safepoints, deserialized"},
    {0, 0, 1, "no safepoints, deserialized"},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

typedef struct side {
  lull_engine *e;
  lull_module *m;
} side;

static unsigned char *guest(size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/snap_values.wasm", LULL_TEST_WASM_DIR);
  unsigned char *b = test_read_file(path, len);
  assert_non_null(b);
  return b;
}

static side open_side(const setting *s, const unsigned char *wasm,
                      size_t len) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.safepoints = s->safepoints;
  cfg.lazy_compile = s->lazy;
  side d;
  d.e = lull_engine_new(&cfg);
  assert_non_null(d.e);
  lull_error err;
  assert_int_equal(lull_module_new(d.e, wasm, len, &d.m, &err), LULL_OK);
  if (s->cached) {
    uint8_t *code;
    size_t clen;
    assert_int_equal(lull_module_serialize(d.m, &code, &clen, &err), LULL_OK);
    lull_module *m2;
    lull_engine *e2 = lull_engine_new(&cfg);
    assert_int_equal(
        lull_module_deserialize(e2, code, clen, wasm, len, &m2, &err),
        LULL_OK);
    lull_module_serialized_free(d.e, code, clen);
    lull_engine_free(d.e);
    d.e = e2;
    d.m = m2;
  }
  return d;
}

/* Snapshots at a checkpoint 21 frames deep and, where the writer has
 * safepoints, at fuel parks in loops, each resumed under every setting. */
static void snapshots_move_between_engine_settings(void **state) {
  (void)state;
  size_t len;
  unsigned char *wasm = guest(&len);
  side readers[NSETTINGS];
  for (size_t k = 0; k < NSETTINGS; k++)
    readers[k] = open_side(&settings[k], wasm, len);
  uint64_t expect = 0;
  for (size_t w = 0; w < NSETTINGS; w++) {
    side wr = open_side(&settings[w], wasm, len);
    lull_instance *inst;
    lull_thread *t;
    lull_val r;
    assert_int_equal(snap_values_start(wr.e, wr.m, NULL, 0, &inst, &t, &r),
                     LULL_OK);
    lull_thread_free(t);
    lull_instance_free(inst);
    if (w == 0)
      expect = (uint64_t)r.of.i64;
    assert_true((uint64_t)r.of.i64 == expect);
    static const int32_t stop[] = {157, -1};
    static const uint64_t fuels[] = {0, 900, 4321, 20000};
    for (size_t f = 0; f < 4; f++) {
      if (fuels[f] && !settings[w].safepoints)
        continue;
      int s = snap_values_start(wr.e, wr.m, fuels[f] ? NULL : stop, fuels[f],
                                &inst, &t, &r);
      assert_int_equal(s, LULL_SUSPENDED);
      uint8_t *snap;
      size_t slen;
      lull_error err;
      assert_int_equal(
          lull_snapshot_write(t, inst, NULL, 0, &snap, &slen, &err), LULL_OK);
      for (size_t k = 0; k < NSETTINGS; k++) {
        uint64_t got;
        if (snap_values_resume(readers[k].e, readers[k].m, snap, slen,
                               &got) != 0 ||
            got != expect)
          fail_msg("written with %s (fuel %llu), read with %s: %016llx",
                   settings[w].name, (unsigned long long)fuels[f],
                   settings[k].name, (unsigned long long)got);
      }
      lull_snapshot_free(wr.e, snap, slen);
      lull_thread_free(t);
      lull_instance_free(inst);
    }
    lull_engine_free(wr.e);
  }
  for (size_t k = 0; k < NSETTINGS; k++)
    lull_engine_free(readers[k].e);
  free(wasm);
}

/* tests/data/snapshots/results lists "FILE MODULE RESULT" lines: each
 * snapshot, written by an earlier lull, must still resume to RESULT. */
static void stored_snapshots_still_resume(void **state) {
  (void)state;
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/data/snapshots/results",
           LULL_SOURCE_DIR);
  FILE *list = fopen(path, "r");
  assert_non_null(list);
  char file[256], module[256], line[600];
  unsigned long long want;
  int n = 0;
  while (fgets(line, sizeof line, list)) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    assert_int_equal(sscanf(line, "%255s %255s %llx", file, module, &want),
                     3);
    size_t mlen, slen;
    snprintf(path, sizeof path, "%s/tests/data/snapshots/%s", LULL_SOURCE_DIR,
             module);
    unsigned char *m = test_read_file(path, &mlen);
    snprintf(path, sizeof path, "%s/tests/data/snapshots/%s", LULL_SOURCE_DIR,
             file);
    unsigned char *s = test_read_file(path, &slen);
    assert_non_null(m);
    assert_non_null(s);
    lull_engine *e = lull_engine_new(NULL);
    lull_module *mod;
    lull_error err;
    assert_int_equal(lull_module_new(e, m, mlen, &mod, &err), LULL_OK);
    uint64_t got;
    if (snap_values_resume(e, mod, s, slen, &got) != 0 || got != want)
      fail_msg("%s: resumed to %016llx, not %016llx", file,
               (unsigned long long)got, want);
    lull_engine_free(e);
    free(m);
    free(s);
    n++;
  }
  fclose(list);
  assert_true(n >= 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(checksum_is_the_standard_crc32),
      cmocka_unit_test(snapshots_move_between_engine_settings),
      cmocka_unit_test(stored_snapshots_still_resume),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
