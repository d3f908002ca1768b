/* race -- opens paths below /box (fd 3) argv[1] times while
 * test_wasi_race.c swaps directories with symlinks that point outside
 * and renames them about. A file outside holds "SECRET"; reading it even
 * once is an escape. Prints how many opens found the file inside, and
 * how many found the secret. */
#include <stdlib.h>

#include "wasi_test.h"

static const char *const paths[] = {
    "a/b/c/inner.txt",   "a/b/c/secret.txt",      "a/b/c/../c/inner.txt",
    "a/b/c/../../../secret.txt", "a/./b/c/inner.txt", "x/c/inner.txt",
    "a/b/c/../../b/c/secret.txt"};

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1000;
  int inner = 0, secret = 0, failed = 0;
  for (int i = 0; i < rounds; i++) {
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
      int fd = -1;
      if (open_at(3, paths[k], 0, 0, 1, &fd) != 0) {
        failed++;
        continue;
      }
      char buf[16];
      uint32_t n = 0;
      memset(buf, 0, sizeof buf);
      read_buf(fd, buf, sizeof buf - 1, &n);
      raw_fd_close(fd);
      if (strncmp(buf, "SECRET", 6) == 0)
        secret++;
      else if (strncmp(buf, "inner", 5) == 0)
        inner++;
    }
  }
  printf("inner %s, failed %s, secret %d\n", inner > 0 ? "some" : "none",
         failed > 0 ? "some" : "none", secret);
  return secret ? 1 : 0;
}
