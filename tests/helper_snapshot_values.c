/*
 * helper_snapshot_values.c -- one side of a snapshot's move between lull
 * builds or machines (scripts/snapshot-matrix.sh, scripts/cross-snapshot.sh
 * and test_snapshot_format run it), on tests/wat/snap_values.wat:
 *
 *   helper_snapshot_values run MODULE.wasm
 *       runs the guest uninterrupted and prints its result
 *   helper_snapshot_values take MODULE.wasm OUT STOP FUEL
 *       runs it until it parks, at checkpoint STOP (-1: none) or when FUEL
 *       runs out (0: never), and writes the snapshot to OUT
 *   helper_snapshot_values resume MODULE.wasm SNAPSHOT
 *       resumes a snapshot to the end and prints the result
 *
 * Results are printed as 16 hex digits. The exit status is 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snap_values.h"
#include "test_util.h"

static int run(lull_engine *e, lull_module *m) {
  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  if (snap_values_start(e, m, NULL, 0, &inst, &t, &r) != LULL_OK)
    return 1;
  printf("%016llx\n", (unsigned long long)r.of.i64);
  return 0;
}

static int take(lull_engine *e, lull_module *m, const char *out,
                int32_t stop, uint64_t fuel) {
  int32_t stops[2] = {stop, -1};
  lull_instance *inst;
  lull_thread *t;
  lull_val r;
  if (snap_values_start(e, m, stops, fuel, &inst, &t, &r) != LULL_SUSPENDED) {
    fprintf(stderr, "take: the guest did not park\n");
    return 1;
  }
  uint8_t *snap;
  size_t len;
  lull_error err;
  if (lull_snapshot_write(t, inst, NULL, 0, &snap, &len, &err) != LULL_OK) {
    fprintf(stderr, "take: %s\n", err.message);
    return 1;
  }
  int rc = test_write_file(out, snap, len) == 0 ? 0 : 1;
  lull_snapshot_free(e, snap, len);
  return rc;
}

int main(int argc, char **argv) {
  int take_mode = argc == 6 && strcmp(argv[1], "take") == 0;
  int resume_mode = argc == 4 && strcmp(argv[1], "resume") == 0;
  if (!(argc == 3 && strcmp(argv[1], "run") == 0) && !take_mode &&
      !resume_mode) {
    fprintf(stderr, "usage: %s run MODULE | take MODULE OUT STOP FUEL | "
                    "resume MODULE SNAPSHOT\n", argv[0]);
    return 2;
  }
  size_t mlen, slen = 0;
  unsigned char *mbytes = test_read_file(argv[2], &mlen), *sbytes = NULL;
  if (resume_mode)
    sbytes = test_read_file(argv[3], &slen);
  if (!mbytes || (resume_mode && !sbytes)) {
    fprintf(stderr, "%s: cannot read the inputs\n", argv[0]);
    free(mbytes);
    free(sbytes);
    return 2;
  }
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_error err;
  int rc = 1;
  if (lull_module_new(e, mbytes, mlen, &m, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", argv[0], err.message);
  } else if (take_mode) {
    rc = take(e, m, argv[3], (int32_t)strtol(argv[4], NULL, 10),
              strtoull(argv[5], NULL, 10));
  } else if (resume_mode) {
    uint64_t result;
    rc = snap_values_resume(e, m, sbytes, slen, &result) ? 1 : 0;
    if (rc == 0)
      printf("%016llx\n", (unsigned long long)result);
  } else {
    rc = run(e, m);
  }
  lull_engine_free(e);
  free(mbytes);
  free(sbytes);
  return rc;
}
