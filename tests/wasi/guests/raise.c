/* raise -- proc_raise(SIGTERM) ends the guest with a trap. */
#include "wasi_test.h"

int main(void) {
  printf("before\n");
  fflush(stdout);
  raw_proc_raise(15);
  printf("after\n");
  return 0;
}
