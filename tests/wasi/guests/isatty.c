/* isatty -- what libc makes of the standard descriptors: a terminal must
 * look like one (line-buffered stdout), a pipe must not. Prints before
 * sleeping, so a line-buffered stdout shows the line at once. */
#include <unistd.h>

#include "wasi_test.h"

int main(void) {
  printf("isatty 0=%d 1=%d 2=%d\n", isatty(0), isatty(1), isatty(2));
  usleep(300000);
  printf("done\n");
  return 0;
}
