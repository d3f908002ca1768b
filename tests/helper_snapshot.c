/*
 * helper_snapshot.c -- the other process of the snapshot tests: reads a
 * snapshot of tests/wat/snap.wat written by test_snapshot, resumes it to
 * the end and prints the result, so the parent can compare it with an
 * uninterrupted run.
 *
 *   helper_snapshot MODULE.wasm SNAPSHOT
 */
#include <stdio.h>
#include <stdlib.h>

#include "snap_common.h"
#include "test_util.h"

int main(int argc, char **argv) {
  size_t mlen, slen;
  unsigned char *mbytes, *sbytes;
  if (test_helper_inputs(argc, argv, &mbytes, &mlen, &sbytes, &slen) != 0)
    return 2;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_error err;
  int rc = 1;
  if (lull_module_new(e, mbytes, mlen, &m, &err) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", err.message);
    goto done;
  }
  lull_extern im = {LULL_EXTERN_FUNC, {.func = snap_host(e, NULL)}};
  lull_instance *inst;
  lull_thread *t;
  if (lull_snapshot_read(e, m, &im, 1, sbytes, slen, &inst, &t, NULL, NULL,
                         &err) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", err.message);
    goto done;
  }
  lull_val r;
  if (snap_finish(t, &r) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", lull_thread_trap_message(t));
    goto done;
  }
  printf("%016llx\n", (unsigned long long)r.of.i64);
  rc = 0;
done:
  lull_engine_free(e);
  free(mbytes);
  free(sbytes);
  return rc;
}
