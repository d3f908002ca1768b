/* sock -- sock_accept, sock_recv, sock_send, sock_shutdown and fd I/O on
 * sockets. test_wasi_sock.c hands the guest a listening Unix socket as fd
 * 3 and plays the peer: it connects 100 ms late, sends "hel", then "lo"
 * 50 ms later, then "peek!", expects "HELLOworld" back, answers "bye" and
 * closes its side; stdin (fd 0) is a pipe. */
#include "wasi_test.h"

#define RIGHTS_SOCK (__WASI_RIGHTS_SOCK_SHUTDOWN | __WASI_RIGHTS_FD_READ | \
                     __WASI_RIGHTS_FD_WRITE)

static int recv_(int fd, char *buf, uint32_t len, int flags, uint32_t *n,
                 uint16_t *ro) {
  __wasi_iovec_t iov = {(uint8_t *)buf, len};
  return raw_sock_recv(fd, P(&iov), 1, flags, P(n), P(ro));
}

static int send_(int fd, const char *s, uint32_t *n) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  return raw_sock_send(fd, P(&iov), 1, 0, P(n));
}

int main(void) {
  const int lfd = 3;
  int c = -1;
  uint32_t n = 0;
  uint16_t ro = 0;
  char buf[32];
  __wasi_fdstat_t fs;

  EXPECT("fd_fdstat_get of the listening socket",
         raw_fd_fdstat_get(lfd, P(&fs)), 0);
  CHECK("a stream socket that may accept",
        fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
            (fs.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  EXPECT("sock_accept with unknown flags", raw_sock_accept(lfd, 2, P(&c)),
         __WASI_ERRNO_INVAL);
  EXPECT("NONBLOCK on the listening socket",
         raw_fd_fdstat_set_flags(lfd, __WASI_FDFLAGS_NONBLOCK), 0);
  EXPECT("sock_accept with nobody there", raw_sock_accept(lfd, 0, P(&c)),
         __WASI_ERRNO_AGAIN);
  EXPECT("blocking again", raw_fd_fdstat_set_flags(lfd, 0), 0);
  /* Nobody was there a moment ago: this accept has to wait. */
  EXPECT("sock_accept waits for the peer", raw_sock_accept(lfd, 0, P(&c)), 0);
  EXPECT("fd_fdstat_get of the connection", raw_fd_fdstat_get(c, P(&fs)), 0);
  CHECK("a stream socket with I/O rights, without sock_accept",
        fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
            (fs.fs_rights_base & RIGHTS_SOCK) == RIGHTS_SOCK &&
            !(fs.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
  __wasi_filestat_t st;
  EXPECT("fd_filestat_get of the connection", raw_fd_filestat_get(c, P(&st)),
         0);
  CHECK("a stream socket", st.filetype == __WASI_FILETYPE_SOCKET_STREAM);

  memset(buf, 0, sizeof buf);
  EXPECT("sock_recv WAITALL 5 bytes sent in two pieces",
         recv_(c, buf, 5, __WASI_RIFLAGS_RECV_WAITALL, &n, &ro), 0);
  CHECK("'hello' whole", n == 5 && strcmp(buf, "hello") == 0 && ro == 0);
  /* Readiness of a socket through poll_oneoff. */
  __wasi_subscription_t sub[2];
  __wasi_event_t ev[2];
  memset(sub, 0, sizeof sub);
  memset(ev, 0, sizeof ev);
  sub[0].userdata = 1;
  sub[0].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  sub[0].u.u.fd_write.file_descriptor = (uint32_t)c;
  EXPECT("poll the connection for writing",
         raw_poll_oneoff(P(sub), P(ev), 1, P(&n)), 0);
  CHECK("writable at once", n == 1 && ev[0].userdata == 1 &&
                                ev[0].type == __WASI_EVENTTYPE_FD_WRITE &&
                                ev[0].error == 0);
  sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  sub[1].userdata = 2;
  sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub[1].u.u.clock.timeout = 5000000000ull;
  EXPECT("poll the connection for reading, or 5 s",
         raw_poll_oneoff(P(sub), P(ev), 2, P(&n)), 0);
  CHECK("readable when 'peek!' arrives, 5 bytes",
        n == 1 && ev[0].userdata == 1 &&
            ev[0].type == __WASI_EVENTTYPE_FD_READ &&
            ev[0].fd_readwrite.nbytes == 5);

  memset(buf, 0, sizeof buf);
  EXPECT("sock_recv PEEK", recv_(c, buf, 5, __WASI_RIFLAGS_RECV_PEEK, &n, &ro),
         0);
  CHECK("'peek!'", n == 5 && strcmp(buf, "peek!") == 0);
  memset(buf, 0, sizeof buf);
  EXPECT("sock_recv after PEEK", recv_(c, buf, sizeof buf, 0, &n, &ro), 0);
  CHECK("the same 'peek!'", n == 5 && strcmp(buf, "peek!") == 0);
  EXPECT("sock_recv unknown flags", recv_(c, buf, 5, 4, &n, &ro),
         __WASI_ERRNO_INVAL);
  EXPECT("sock_recv 0 bytes", recv_(c, buf, 0, 0, &n, &ro), 0);
  CHECK("0", n == 0);
  EXPECT("NONBLOCK on the connection",
         raw_fd_fdstat_set_flags(c, __WASI_FDFLAGS_NONBLOCK), 0);
  EXPECT("sock_recv with nothing there", recv_(c, buf, 5, 0, &n, &ro),
         __WASI_ERRNO_AGAIN);
  EXPECT("fd_read with nothing there", read_buf(c, buf, 5, &n),
         __WASI_ERRNO_AGAIN);
  raw_fd_fdstat_set_flags(c, 0);

  EXPECT("sock_send 'HELLO'", send_(c, "HELLO", &n), 0);
  CHECK("5 sent", n == 5);
  EXPECT("sock_send unknown flags",
         raw_sock_send(c, P(buf), 0, 1, P(&n)), __WASI_ERRNO_INVAL);
  EXPECT("fd_write 'world' on the socket", write_str(c, "world", &n), 0);
  CHECK("5 written", n == 5);
  memset(buf, 0, sizeof buf);
  EXPECT("fd_read the answer", read_buf(c, buf, 3, &n), 0);
  CHECK("'bye'", n == 3 && strcmp(buf, "bye") == 0);
  EXPECT("sock_shutdown nothing", raw_sock_shutdown(c, 0),
         __WASI_ERRNO_INVAL);
  EXPECT("sock_shutdown unknown", raw_sock_shutdown(c, 4),
         __WASI_ERRNO_INVAL);
  EXPECT("sock_shutdown WR", raw_sock_shutdown(c, __WASI_SDFLAGS_WR), 0);
  EXPECT("sock_send after shutdown", send_(c, "x", &n), __WASI_ERRNO_PIPE);
  EXPECT("sock_recv the end", recv_(c, buf, sizeof buf, 0, &n, &ro), 0);
  CHECK("0 bytes: the peer closed", n == 0);
  EXPECT("fd_close the connection", raw_fd_close(c), 0);
  EXPECT("sock_recv on a closed fd", recv_(c, buf, 5, 0, &n, &ro),
         __WASI_ERRNO_BADF);

  /* Not sockets. */
  EXPECT("sock_recv on a pipe", recv_(0, buf, 5, 0, &n, &ro),
         __WASI_ERRNO_NOTSOCK);
  /* The type before the rights (a pipe has no socket rights): what is
   * wrong is that it is no socket. */
  EXPECT("sock_accept on a pipe", raw_sock_accept(0, 0, P(&c)),
         __WASI_ERRNO_NOTSOCK);
  EXPECT("sock_shutdown on a pipe", raw_sock_shutdown(0, 1),
         __WASI_ERRNO_NOTSOCK);
  EXPECT("sock_shutdown a closed fd", raw_sock_shutdown(c, 1),
         __WASI_ERRNO_BADF);
  return finish();
}
