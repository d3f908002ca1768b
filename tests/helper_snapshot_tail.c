/*
 * helper_snapshot_tail.c -- the other process of test_tail_call's
 * snapshot tests: reads a snapshot of tests/wat/tailcall.wat (a thread
 * parked inside a tail-call loop, or in a host function a tail call
 * reached), resumes it to the end and prints the result, for the parent
 * to compare with a run that was never interrupted.
 *
 *   helper_snapshot_tail MODULE.wasm SNAPSHOT
 */
#include <stdio.h>
#include <stdlib.h>

#include "tail_util.h"
#include "test_util.h"

int main(int argc, char **argv) {
  size_t mlen, slen;
  unsigned char *mbytes, *sbytes;
  if (test_helper_inputs(argc, argv, &mbytes, &mlen, &sbytes, &slen) != 0)
    return 2;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_instance *inst;
  lull_thread *t;
  lull_extern im[4];
  tail_seen seen = {NULL, 0};
  lull_error err;
  lull_val r;
  int rc = 1;
  snprintf(err.message, sizeof err.message, "cannot make the imports");
  if (lull_module_new(e, mbytes, mlen, &m, &err) != LULL_OK ||
      tail_imports(e, &seen, im) != 0 ||
      lull_snapshot_read(e, m, im, 4, sbytes, slen, &inst, &t, NULL, NULL,
                         &err) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", err.message);
    goto done;
  }
  if (tail_finish(t, &r) != LULL_OK) {
    fprintf(stderr, "helper: %s\n", lull_thread_trap_message(t));
    goto done;
  }
  printf("%lld\n", (long long)r.of.i64);
  rc = 0;
done:
  lull_engine_free(e);
  free(mbytes);
  free(sbytes);
  return rc;
}
