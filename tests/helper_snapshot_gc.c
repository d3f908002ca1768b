/*
 * helper_snapshot_gc.c -- the other process of test_gc_snapshot: reads
 * the snapshot of tests/wat/gc_snap.wat's guest, parked with its object
 * graph, resumes it to the end and prints "ok" when the graph came back
 * whole (else what went wrong).
 *
 *   helper_snapshot_gc MODULE.wasm SNAPSHOT
 */
#include <stdio.h>
#include <stdlib.h>

#include "snap_gc.h"
#include "test_util.h"

int main(int argc, char **argv) {
  size_t mlen, slen;
  unsigned char *mbytes, *sbytes;
  if (test_helper_inputs(argc, argv, &mbytes, &mlen, &sbytes, &slen) != 0)
    return 2;
  lull_engine *e = snap_gc_engine();
  lull_module *m = NULL;
  lull_instance *inst;
  lull_thread *t;
  lull_error err;
  char why[256];
  if (lull_module_new(e, mbytes, mlen, &m, &err) != LULL_OK ||
      lull_snapshot_read(e, m, NULL, 0, sbytes, slen, &inst, &t, NULL, NULL,
                         &err) != LULL_OK)
    snprintf(why, sizeof why, "%s", err.message);
  else
    snap_gc_finish(e, t, why, sizeof why);
  printf("%s\n", why);
  lull_engine_free(e);
  free(mbytes);
  free(sbytes);
  return 0;
}
