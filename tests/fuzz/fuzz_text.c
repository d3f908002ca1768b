/*
 * fuzz_text.c -- libFuzzer target for the text format. Every input is
 * converted by lull_wat_to_wasm twice: with the default allocator, and
 * through an engine whose allocator fails at an allocation chosen from the
 * input's bytes, so out-of-memory paths are fuzzed too (LeakSanitizer
 * reports anything they leave behind). A conversion that succeeds must give
 * the same bytes both times and decode + validate without crashing. Any
 * status other than the documented ones, or an error without a message,
 * aborts. Seeded with the testsuites' .wast scripts (scripts/fuzz.sh text).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lull.h"
#include "lull_text.h"
#include "tests/fuzz/fuzz_alloc.h"

/* The engines outlive every input (test code, not the library). */
static lull_engine *plain, *starved;
static failing budget = {UINT32_MAX, 0};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  plain = lull_engine_new(NULL);
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = &budget;
  starved = lull_engine_new(&cfg);
  if (!plain || !starved)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  uint8_t *out = NULL;
  size_t len = 0;
  lull_error err;
  err.message[0] = '\0';
  lull_status s = lull_wat_to_wasm(NULL, text, size, &out, &len, &err);
  if (s != LULL_OK && s != LULL_MALFORMED)
    abort();
  if (s != LULL_OK && err.message[0] == '\0')
    abort();
  if (s == LULL_OK) {
    lull_status v = lull_validate(plain, out, len, &err);
    if (v != LULL_OK && v != LULL_MALFORMED && v != LULL_INVALID &&
        v != LULL_LIMIT)
      abort();
  }

  budget.left = fuzz_hash(data, size) % 256;
  budget.failed = 0;
  uint8_t *out2 = NULL;
  size_t len2 = 0;
  lull_status t = lull_wat_to_wasm(starved, text, size, &out2, &len2, &err);
  if (budget.failed ? (t != LULL_NOMEM && t != s) : t != s)
    abort();
  if (t == LULL_OK && s == LULL_OK &&
      (len != len2 || (len && memcmp(out, out2, len))))
    abort();
  lull_wasm_free(starved, out2, len2);
  budget.left = UINT32_MAX;
  lull_wasm_free(NULL, out, len);
  return 0;
}
