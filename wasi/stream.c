/*
 * stream.c -- I/O on descriptors that may block: pipes, terminals and
 * sockets. Every attempt is non-blocking: sockets take MSG_DONTWAIT; a
 * pipe or terminal is first asked with a zero-timeout poll() (its file
 * description may be shared with other processes, so lull does not make
 * it non-blocking). When an attempt says EAGAIN the request waits with a
 * uv_poll handle on a duplicate of the descriptor, then tries again.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

int lullw_stream_ready(int fd, int events) {
  struct pollfd p = {fd, 0, 0};
  if (events & UV_READABLE)
    p.events |= POLLIN;
  if (events & UV_WRITABLE)
    p.events |= POLLOUT;
  int n;
  do
    n = poll(&p, 1, 0);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return 0;
  int r = 0;
  /* Errors and hangups count as ready: the next attempt reports them. */
  if (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
    r |= events & UV_READABLE;
  if (p.revents & (POLLOUT | POLLERR | POLLNVAL))
    r |= events & UV_WRITABLE;
  if (p.revents & POLLHUP)
    r |= UV_DISCONNECT;
  return r;
}

static int host_nonblocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && (fl & O_NONBLOCK);
}

int64_t lullw_stream_read(lullw_file *f, uint8_t *buf, size_t len,
                          int flags) {
  ssize_t n;
  if (f->kind == LULLW_KIND_SOCKET) {
    do
      n = recv(f->fd, buf, len, flags | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
  } else {
    if (!host_nonblocking(f->fd) &&
        !(lullw_stream_ready(f->fd, UV_READABLE) & UV_READABLE))
      return -EAGAIN;
    do
      n = read(f->fd, buf, len);
    while (n < 0 && errno == EINTR);
  }
  return n < 0 ? -(int64_t)errno : (int64_t)n;
}

int64_t lullw_stream_write(lullw_file *f, const uint8_t *buf, size_t len) {
  ssize_t n;
  if (f->kind == LULLW_KIND_SOCKET) {
    do
      n = send(f->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
  } else {
    if (!host_nonblocking(f->fd)) {
      if (!(lullw_stream_ready(f->fd, UV_WRITABLE) & UV_WRITABLE))
        return -EAGAIN;
      /* A writable blocking pipe takes PIPE_BUF bytes without waiting;
       * more might wait for the reader. */
      if (f->filetype != LULLW_FT_CHAR && len > PIPE_BUF)
        len = PIPE_BUF;
    }
    do
      n = write(f->fd, buf, len);
    while (n < 0 && errno == EINTR);
  }
  return n < 0 ? -(int64_t)errno : (int64_t)n;
}

int lullw_poll_init(uv_loop_t *loop, uv_poll_t *h, int fd) {
  int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (d < 0)
    return -errno;
  int fl = fcntl(d, F_GETFL);
  int e = uv_poll_init(loop, h, d);
  if (e < 0) {
    close(d);
    return e;
  }
  /* uv_poll_init made the shared description non-blocking; put it back
   * for the other processes (and lull's own checks) that use it. */
  if (fl >= 0 && !(fl & O_NONBLOCK))
    fcntl(d, F_SETFL, fl);
  return d;
}

int32_t lullw_waiter_start(lullw_req *r, lullw_waiter *wt, int fd, int events,
                           uv_poll_cb cb) {
  int d = lullw_poll_init(r->w->loop, &wt->h, fd);
  if (d < 0)
    return lullw_uverr(d);
  wt->dup = d;
  wt->active = 1;
  wt->h.data = r;
  int e = uv_poll_start(&wt->h, events, cb);
  if (e < 0)
    return lullw_uverr(e); /* closed with the request */
  return 0;
}

int lullw_waiter_close(lullw_waiter *wt) {
  if (!wt->active)
    return 0;
  wt->active = 0;
  uv_close((uv_handle_t *)&wt->h, lullw_req_closed);
  /* uv_close stops the poll at once, so the duplicate may go now. */
  close(wt->dup);
  return 1;
}
