/* copy SRC DST -- copies a file with 64 KiB reads and writes: the guest of
 * bench-io, and the same source built natively to compare with. Plain
 * POSIX read/write (wasi-libc turns them into fd_read/fd_write, one call
 * each), no stdio buffering. Exits 1 with a message on any error,
 * including one that close reports.
 *
 * Rebuild (the .wasm is committed; `make -C bench wasi-guests`):
 *   clang --target=wasm32-wasi -O2 copy.c -o copy.wasm
 * Native (built by `make -C bench natives`, not committed):
 *   gcc -O2 copy.c -o copy
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char buf[64 * 1024];

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: copy SRC DST\n");
    return 2;
  }
  int in = open(argv[1], O_RDONLY);
  if (in < 0) {
    perror(argv[1]);
    return 1;
  }
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    perror(argv[2]);
    return 1;
  }
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n == 0)
      break;
    if (n < 0) {
      perror("read");
      return 1;
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w < 0) {
        perror("write");
        return 1;
      }
      done += w;
    }
  }
  if (close(out) != 0) {
    perror("close");
    return 1;
  }
  close(in);
  return 0;
}
