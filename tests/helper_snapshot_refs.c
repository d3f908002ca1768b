/*
 * helper_snapshot_refs.c -- the other process of the typed-reference
 * snapshot test: reads the snapshot of snap_refs.h's guest that
 * test_typed_refs_run wrote, resumes it to the end and prints "ok" when
 * the references came back (else what went wrong).
 *
 *   helper_snapshot_refs SNAPSHOT
 */
#include <stdio.h>
#include <stdlib.h>

#include "snap_refs.h"
#include "test_util.h"

int main(int argc, char **argv) {
  size_t len;
  unsigned char *snap = argc == 2 ? test_read_file(argv[1], &len) : NULL;
  if (!snap) {
    fprintf(stderr, "usage: helper_snapshot_refs SNAPSHOT (readable)\n");
    return 2;
  }
  char why[256];
  printf("%s\n", snap_refs_resume(snap, len, why));
  free(snap);
  return 0;
}
