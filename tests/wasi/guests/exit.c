/* exit -- proc_exit with a large code, from deep inside calls, after
 * output that must not be lost. */
#include "wasi_test.h"

static void deep(int n, int code) {
  if (n == 0) {
    printf("exiting with %d\n", code);
    fflush(stdout);
    raw_proc_exit(code);
  }
  deep(n - 1, code);
}

int main(int argc, char **argv) {
  deep(100, 42);
  return 1;
}
