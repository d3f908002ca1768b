/* blocker -- waits forever in one kind of WASI request, chosen by
 * argv[1]; test_wasi_free.c frees the context while it waits. Modes:
 * sleep, stdin, poll, yield, read (stdin is /dev/zero), write, paths,
 * readdir, accept, stat. */
#include <stdlib.h>

#include "wasi_test.h"

static char big[1 << 20];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "sleep";
  __wasi_subscription_t s[2];
  __wasi_event_t ev[2];
  uint32_t n;
  memset(s, 0, sizeof s);
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[0].u.u.clock.timeout = 100ull * 1000000000u;
  s[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[1].u.u.fd_read.file_descriptor = 0;
  int fd = -1;
  for (;;) {
    if (!strcmp(mode, "sleep")) {
      raw_poll_oneoff(P(s), P(ev), 1, P(&n));
    } else if (!strcmp(mode, "poll")) {
      raw_poll_oneoff(P(s), P(ev), 2, P(&n));
    } else if (!strcmp(mode, "stdin")) {
      read_buf(0, big, 10, &n);
    } else if (!strcmp(mode, "yield")) {
      raw_sched_yield();
    } else if (!strcmp(mode, "read")) {
      /* stdin is /dev/zero: a device read goes to the thread pool (a
       * cached file would be read during the call). */
      read_buf(0, big, sizeof big, &n);
    } else if (!strcmp(mode, "write")) {
      if (fd < 0 &&
          open_at(3, "big.bin", __WASI_OFLAGS_CREAT, 0, 0, &fd) != 0)
        return 1;
      __wasi_iovec_t iov = {(uint8_t *)big, sizeof big};
      raw_fd_pwrite(fd, P(&iov), 1, 0, P(&n));
    } else if (!strcmp(mode, "paths")) {
      raw_path_create_directory(3, P("d"), 1);
      open_at(3, "d", __WASI_OFLAGS_DIRECTORY, 0, 0, &fd);
      raw_fd_close(fd);
      raw_path_remove_directory(3, P("d"), 1);
    } else if (!strcmp(mode, "readdir")) {
      raw_fd_readdir(3, P(big), sizeof big, 0, P(&n));
    } else if (!strcmp(mode, "stat")) {
      __wasi_filestat_t st;
      raw_fd_filestat_get(3, P(&st));
      raw_fd_sync(3);
    } else if (!strcmp(mode, "accept")) {
      raw_sock_accept(3, 0, P(&fd));
    } else {
      return 2;
    }
  }
}
