/* snap -- parked in a WASI call, moved to another process by
 * test_wasi_snapshot.c, and continued there. argv[1] is the mode:
 *   sleep  read 5 bytes of /box/data.txt, log "before", sleep 1.5 s (the
 *          snapshot is taken meanwhile), then read on from offset 5, log
 *          "after", and find the socket at argv[2] closed; exits 5
 *   yield  parked in sched_yield when the snapshot is taken; exits 6
 *   pread  parked in fd_pread of stdin (/dev/zero) on the thread pool;
 *          exits 0 */
#include <stdlib.h>

#include "wasi_test.h"

static int open_(const char *p, int oflags, int fdflags) {
  int fd = -1;
  open_at(3, p, oflags, fdflags, 0, &fd);
  return fd;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "sleep";
  char buf[16];
  uint32_t n = 0;
  if (!strcmp(mode, "yield")) {
    for (int i = 0; i < 3; i++)
      EXPECT("sched_yield", raw_sched_yield(), 0);
    printf("SNAP=%s\n", getenv("SNAP"));
    finish();
    return 6;
  }
  if (!strcmp(mode, "pread")) {
    /* stdin is /dev/zero in both processes: a device read always goes to
     * the thread pool. */
    __wasi_iovec_t iov = {(uint8_t *)buf, 5};
    memset(buf, 'x', sizeof buf);
    EXPECT("fd_pread at 2", raw_fd_pread(0, P(&iov), 1, 2, P(&n)), 0);
    printf("pread: %u bytes, zeros: %s\n", n,
           memcmp(buf, "\0\0\0\0\0", 5) == 0 ? "yes" : "no");
    return finish();
  }

  int sock = argc > 2 ? atoi(argv[2]) : -1;
  int data = open_("data.txt", 0, 0);
  memset(buf, 0, sizeof buf);
  EXPECT("read 5", read_buf(data, buf, 5, &n), 0);
  printf("first: %s\n", buf);
  int log = open_("log.txt", __WASI_OFLAGS_CREAT, __WASI_FDFLAGS_APPEND);
  EXPECT("log before", write_str(log, "before\n", &n), 0);
  __wasi_fdstat_t fs;
  EXPECT("the socket before", raw_fd_fdstat_get(sock, P(&fs)), 0);
  printf("sleeping\n");
  fflush(stdout);

  __wasi_subscription_t s;
  __wasi_event_t ev;
  memset(&s, 0, sizeof s);
  s.userdata = 77;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = 1500000000ull;
  uint64_t t0 = now_ns(0);
  EXPECT("sleep 1.5 s", raw_poll_oneoff(P(&s), P(&ev), 1, P(&n)), 0);
  uint64_t dt = now_ns(0) - t0;
  CHECK("the clock event", n == 1 && ev.userdata == 77);
  CHECK("1.5 s of wall-clock time, the move included",
        dt >= 1490000000ull && dt < 3000000000ull);

  memset(buf, 0, sizeof buf);
  EXPECT("read 5 more", read_buf(data, buf, 5, &n), 0);
  printf("second: %s\n", buf);
  EXPECT("log after", write_str(log, "after\n", &n), 0);
  EXPECT("the socket after the move", raw_fd_fdstat_get(sock, P(&fs)),
         __WASI_ERRNO_BADF);
  printf("argv[1]=%s SNAP=%s\n", argv[1], getenv("SNAP"));
  memset(buf, 0, sizeof buf);
  EXPECT("prestat name", raw_fd_prestat_dir_name(3, P(buf), 4), 0);
  printf("preopen: %s\n", buf);
  finish();
  return 5;
}
