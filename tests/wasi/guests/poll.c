/* poll -- poll_oneoff with relative and absolute clocks on both clocks,
 * several subscriptions at once, errors per subscription, regular files
 * (always ready) and stdin, a pipe that run_guest.sh fills 0.3 s late
 * ("ping\n") and closes 0.3 s later; also fd_read waiting on that pipe,
 * and sleeping through libc. */
#include <time.h>
#include <unistd.h>

#include "wasi_test.h"

#define MS 1000000ull

static __wasi_subscription_t clock_sub(uint64_t ud, int id, uint64_t t,
                                       int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = (uint32_t)id;
  s.u.u.clock.timeout = t;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t ud, int type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = (uint8_t)type;
  s.u.u.fd_read.file_descriptor = (uint32_t)fd;
  return s;
}

static int poll_(__wasi_subscription_t *subs, int n, __wasi_event_t *ev,
                 uint32_t *nev) {
  memset(ev, 0, sizeof(__wasi_event_t) * (size_t)n);
  return raw_poll_oneoff(P(subs), P(ev), n, P(nev));
}

int main(void) {
  __wasi_subscription_t s[4];
  __wasi_event_t ev[4];
  uint32_t n = 0;
  uint64_t t0, dt;
  int fd;

  EXPECT("poll_oneoff with no subscriptions", poll_(s, 0, ev, &n),
         __WASI_ERRNO_INVAL);

  /* stdin: nothing for 0.3 s, then "ping\n". */
  s[0] = fd_sub(51, __WASI_EVENTTYPE_FD_READ, 0);
  s[1] = clock_sub(52, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
  t0 = now_ns(1);
  EXPECT("stdin readable, or 5 s", poll_(s, 2, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("stdin first (not the 5 s clock), 5 bytes",
        n == 1 && ev[0].userdata == 51 && ev[0].error == 0 &&
            ev[0].fd_readwrite.nbytes == 5 && dt < 4000 * MS);
  char buf[16];
  memset(buf, 0, sizeof buf);
  EXPECT("fd_read stdin", read_buf(0, buf, sizeof buf, &n), 0);
  CHECK("'ping'", n == 5 && strcmp(buf, "ping\n") == 0);
  EXPECT("NONBLOCK on stdin",
         raw_fd_fdstat_set_flags(0, __WASI_FDFLAGS_NONBLOCK), 0);
  EXPECT("fd_read with nothing there", read_buf(0, buf, sizeof buf, &n),
         __WASI_ERRNO_AGAIN);
  EXPECT("blocking again", raw_fd_fdstat_set_flags(0, 0), 0);
  t0 = now_ns(1);
  EXPECT("fd_read waits for the end", read_buf(0, buf, sizeof buf, &n), 0);
  CHECK("0 bytes: the writer closed", n == 0 && now_ns(1) - t0 >= 50 * MS);
  s[0] = fd_sub(53, __WASI_EVENTTYPE_FD_READ, 0);
  EXPECT("poll stdin at its end", poll_(s, 1, ev, &n), 0);
  CHECK("ready, with hangup",
        n == 1 && ev[0].userdata == 53 &&
            (ev[0].fd_readwrite.flags &
             __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP));


  s[0] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
  t0 = now_ns(1);
  EXPECT("relative monotonic 50 ms", poll_(s, 1, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("one clock event with its userdata",
        n == 1 && ev[0].userdata == 11 && ev[0].type == 0 &&
            ev[0].error == 0);
  CHECK("at least 50 ms later, not 1 s", dt >= 50 * MS && dt < 1000 * MS);

  s[0] = clock_sub(12, __WASI_CLOCKID_REALTIME, 40 * MS, 0);
  t0 = now_ns(1);
  EXPECT("relative realtime 40 ms", poll_(s, 1, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("40 ms", n == 1 && ev[0].userdata == 12 && dt >= 40 * MS &&
                     dt < 1000 * MS);

  t0 = now_ns(1);
  s[0] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, t0 + 60 * MS, 1);
  EXPECT("absolute monotonic now + 60 ms", poll_(s, 1, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("60 ms", n == 1 && ev[0].userdata == 13 && dt >= 60 * MS &&
                     dt < 1000 * MS);

  t0 = now_ns(1);
  s[0] = clock_sub(14, __WASI_CLOCKID_REALTIME, now_ns(0) + 70 * MS, 1);
  EXPECT("absolute realtime now + 70 ms", poll_(s, 1, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("about 70 ms", n == 1 && ev[0].userdata == 14 && dt >= 69 * MS &&
                           dt < 1000 * MS);

  s[0] = clock_sub(15, __WASI_CLOCKID_MONOTONIC, 1, 1);
  t0 = now_ns(1);
  EXPECT("absolute deadline in the past", poll_(s, 1, ev, &n), 0);
  CHECK("at once", n == 1 && now_ns(1) - t0 < 50 * MS);
  s[0] = clock_sub(16, __WASI_CLOCKID_MONOTONIC, 0, 0);
  EXPECT("relative 0", poll_(s, 1, ev, &n), 0);
  CHECK("one event", n == 1 && ev[0].userdata == 16);

  s[0] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, 300 * MS, 0);
  s[1] = clock_sub(22, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0);
  t0 = now_ns(1);
  EXPECT("two clocks, 300 and 30 ms", poll_(s, 2, ev, &n), 0);
  dt = now_ns(1) - t0;
  CHECK("only the 30 ms one fires", n == 1 && ev[0].userdata == 22 &&
                                        dt >= 30 * MS && dt < 300 * MS);

  /* Errors are events, reported at once with the others that are ready. */
  s[0] = clock_sub(31, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 10 * MS, 0);
  s[1] = clock_sub(32, 9, 10 * MS, 0);
  s[2] = fd_sub(33, __WASI_EVENTTYPE_FD_READ, 99);
  s[3] = clock_sub(34, __WASI_CLOCKID_MONOTONIC, 10000 * MS, 0);
  EXPECT("bad subscriptions", poll_(s, 4, ev, &n), 0);
  CHECK("three error events",
        n == 3 && ev[0].userdata == 31 && ev[0].error == __WASI_ERRNO_NOTSUP &&
            ev[1].userdata == 32 && ev[1].error == __WASI_ERRNO_INVAL &&
            ev[2].userdata == 33 && ev[2].error == __WASI_ERRNO_BADF &&
            ev[2].type == __WASI_EVENTTYPE_FD_READ);
  s[0] = clock_sub(35, __WASI_CLOCKID_MONOTONIC, 0, 0);
  s[0].u.u.clock.flags = 4;
  EXPECT("unknown clock flags", poll_(s, 1, ev, &n), 0);
  CHECK("an INVAL event", n == 1 && ev[0].error == __WASI_ERRNO_INVAL);
  s[0] = clock_sub(36, __WASI_CLOCKID_MONOTONIC, 0, 0);
  s[0].u.tag = 7;
  EXPECT("unknown subscription tag", poll_(s, 1, ev, &n), __WASI_ERRNO_INVAL);

  /* A regular file is always ready; read says how much is left. */
  EXPECT("open inside.txt", open_at(3, "inside.txt", 0, 0, 0, &fd), 0);
  s[0] = fd_sub(41, __WASI_EVENTTYPE_FD_READ, fd);
  s[1] = fd_sub(42, __WASI_EVENTTYPE_FD_WRITE, fd);
  s[2] = clock_sub(43, __WASI_CLOCKID_MONOTONIC, 10000 * MS, 0);
  EXPECT("read and write on a file", poll_(s, 3, ev, &n), 0);
  CHECK("both ready, 7 bytes to read",
        n == 2 && ev[0].userdata == 41 && ev[0].fd_readwrite.nbytes == 7 &&
            ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[1].userdata == 42 &&
            ev[1].type == __WASI_EVENTTYPE_FD_WRITE);
  __wasi_fdstat_t fs;
  raw_fd_fdstat_get(fd, P(&fs));
  raw_fd_fdstat_set_rights(fd, (i64)(fs.fs_rights_base &
                                     ~__WASI_RIGHTS_POLL_FD_READWRITE), 0);
  s[0] = fd_sub(44, __WASI_EVENTTYPE_FD_READ, fd);
  EXPECT("without poll_fd_readwrite", poll_(s, 1, ev, &n), 0);
  CHECK("a NOTCAPABLE event",
        n == 1 && ev[0].error == __WASI_ERRNO_NOTCAPABLE);
  raw_fd_close(fd);

  /* libc's sleep functions are poll_oneoff underneath. */
  t0 = now_ns(1);
  struct timespec ts = {0, 20 * 1000000};
  nanosleep(&ts, NULL);
  usleep(20000);
  CHECK("nanosleep and usleep", now_ns(1) - t0 >= 40 * MS);
  return finish();
}
