/*
 * fuzz_decode.c -- libFuzzer target for decode + validate. Every input goes
 * through the public lull_validate with one engine made at start-up, then
 * through lulld_decode and lulld_validate again with an allocator that
 * fails at an allocation chosen from the input's bytes, so out-of-memory
 * paths are fuzzed too (LeakSanitizer reports anything they leave behind).
 * Any status other than the documented ones, an empty error message, or a
 * result that changes between two runs that did not run out of memory,
 * aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decoder/module.h"
#include "lull.h"
#include "tests/fuzz/fuzz_alloc.h"

/* The engine outlives every input; made once because creating it per input
 * would dominate the run time. Test code, not the library. */
static lull_engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  engine = lull_engine_new(NULL);
  if (!engine)
    abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lull_error err;
  lull_status s = lull_validate(engine, data, size, &err);
  if (s != LULL_OK && s != LULL_MALFORMED && s != LULL_INVALID &&
      s != LULL_LIMIT)
    abort();
  if (s != LULL_OK && err.message[0] == '\0')
    abort();

  failing f = {fuzz_hash(data, size) % 64, 0};
  lulld_alloc a = {failing_alloc, &f};
  lulld_module *m = NULL;
  /* The engine's features (lull_config_init's), or a module the first
   * run accepts, two memories say, would be refused here. */
  lull_status t =
      lulld_decode(&a, lull_features_supported(), data, size, &m, &err);
  if (t == LULL_OK)
    t = lulld_validate(m, &err);
  lulld_module_free(m);
  if (f.failed ? (t != LULL_NOMEM && t != s) : t != s)
    abort();
  return 0;
}
