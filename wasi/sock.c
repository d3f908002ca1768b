/*
 * sock.c -- sock_accept, sock_recv, sock_send and sock_shutdown on
 * sockets the embedder handed to the guest (lull_wasi_insert_fd) or that
 * the guest accepted. Each attempt is non-blocking; a socket that is not
 * ready parks the thread on a uv_poll handle until it is, unless the
 * guest set NONBLOCK (then EAGAIN). RECV_WAITALL keeps waiting until the
 * buffers are full, the peer closes or an error comes.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct sock_req {
  lullw_req r;
  int op;          /* LULLW_FN_* */
  int flags;       /* host MSG_* for recv */
  int waitall;
  uint16_t fdflags;/* accept: the new descriptor's */
  lullw_iovs iovs;
  uint8_t *buf;
  size_t len, got;
  uint16_t roflags;
  int newfd;
  uint32_t out_ptr, out_ptr2;
  lullw_waiter wait;
} sock_req;

static void sock_finish(lullw_req *r) {
  sock_req *q = (sock_req *)r;
  if (r->err)
    return;
  switch (q->op) {
  case LULLW_FN_sock_accept: {
    lullw_file *f = lullw_file_new(q->newfd, 1);
    if (!f) {
      r->err = LULLW_ENOMEM;
      return;
    }
    q->newfd = -1;
    f->kind = LULLW_KIND_SOCKET;
    f->filetype = r->file->filetype;
    f->origin = LULLW_FROM_HOST;
    f->access = 3;
    f->rights_base = LULLW_RIGHTS_SOCKET & ~LULLW_R_SOCK_ACCEPT;
    f->fdflags = q->fdflags;
    int64_t fd = lullw_fd_insert(r->w, f);
    if (fd < 0) {
      lullw_file_unref(f);
      r->err = LULLW_EMFILE;
      return;
    }
    if ((r->err = lullw_put_u32(r->mem, q->out_ptr, (uint32_t)fd)))
      lullw_fd_remove(r->w, (uint32_t)fd);
    return;
  }
  case LULLW_FN_sock_recv:
    if (lullw_iovs_scatter(r->mem, &q->iovs, q->buf, q->got) != 0 ||
        lullw_put_u32(r->mem, q->out_ptr, (uint32_t)q->got) != 0 ||
        lullw_put_u16(r->mem, q->out_ptr2, q->roflags) != 0)
      r->err = LULLW_EFAULT;
    return;
  case LULLW_FN_sock_send:
    r->err = lullw_put_u32(r->mem, q->out_ptr, (uint32_t)q->got);
    return;
  }
}

static void sock_dispose(lullw_req *r) {
  sock_req *q = (sock_req *)r;
  lullw_iovs_free(&q->iovs);
  free(q->buf);
  q->buf = NULL;
  if (q->newfd >= 0)
    close(q->newfd);
}

static int sock_close(lullw_req *r) {
  return lullw_waiter_close(&((sock_req *)r)->wait);
}

static const lullw_reqtype sock_type = {sock_finish, sock_dispose, sock_close};

/* One attempt: 0 when done, -EAGAIN to wait, or a negative errno. */
static int attempt(sock_req *q) {
  int fd = q->r.file->fd;
  switch (q->op) {
  case LULLW_FN_sock_accept: {
    /* accept4 has no MSG_DONTWAIT: ask first, so a blocking listening
     * socket never blocks the loop. */
    if (!(lullw_stream_ready(fd, UV_READABLE) & UV_READABLE))
      return -EAGAIN;
    int s;
    do
      s = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    while (s < 0 && errno == EINTR);
    if (s < 0)
      return -errno;
    q->newfd = s;
    return 0;
  }
  case LULLW_FN_sock_recv:
    for (;;) {
      struct iovec iov = {q->buf + q->got, q->len - q->got};
      struct msghdr m = {0};
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      ssize_t n;
      do
        n = recvmsg(fd, &m, q->flags | MSG_DONTWAIT);
      while (n < 0 && errno == EINTR);
      if (n < 0) {
        /* With WAITALL a guest that asked not to block still gets what
         * came so far. */
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && q->got &&
            (q->r.file->fdflags & LULLW_FDF_NONBLOCK))
          return 0;
        return -errno;
      }
      if (m.msg_flags & MSG_TRUNC)
        q->roflags |= 1; /* recv_data_truncated */
      q->got += (size_t)n;
      if (n == 0 || !q->waitall || q->got == q->len)
        return 0;
    }
  case LULLW_FN_sock_send: {
    ssize_t n;
    do
      n = send(fd, q->buf, q->len, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
      return -errno;
    q->got = (size_t)n;
    return 0;
  }
  }
  return -ENOSYS;
}

static void sock_cb(uv_poll_t *h, int status, int events) {
  sock_req *q = h->data;
  if (status < 0) {
    lullw_req_complete(&q->r, lullw_uverr(status));
    return;
  }
  int e = attempt(q);
  if (e == -EAGAIN || e == -EWOULDBLOCK)
    return;
  lullw_req_complete(&q->r, e < 0 ? lullw_errno(-e) : 0);
}

/* The socket at guest number `fd` with `rights`, or NULL with *err set.
 * The type comes before the rights: a file has no socket rights, and
 * what is wrong with it is that it is not a socket (ENOTSOCK, as POSIX
 * says), not that it lacks a capability. */
static lullw_file *sock_get(lull_wasi *w, uint32_t fd, uint64_t rights,
                            int32_t *err) {
  lullw_file *f = lullw_fd_get(w, fd, 0, err);
  if (f && f->kind != LULLW_KIND_SOCKET) {
    *err = LULLW_ENOTSOCK;
    return NULL;
  }
  return f ? lullw_fd_get(w, fd, rights, err) : NULL;
}

/* The socket at argument 0 with `rights`, and a request for it. */
static sock_req *start(lullw_call *c, uint64_t rights, int32_t *err) {
  lullw_file *f = sock_get(c->w, LULLW_U32(c, 0), rights, err);
  if (!f)
    return NULL;
  sock_req *q = (sock_req *)lullw_req_new(c, &sock_type, sizeof *q);
  if (!q) {
    *err = LULLW_ENOMEM;
    return NULL;
  }
  q->op = (int)c->fn;
  q->newfd = -1;
  lullw_file_ref(f);
  q->r.file = f;
  return q;
}

/* Tries once, then parks or answers. */
static int32_t go(sock_req *q, int events) {
  int e = attempt(q);
  int32_t err;
  if (e != -EAGAIN && e != -EWOULDBLOCK) {
    err = e < 0 ? lullw_errno(-e) : 0;
    if (!err) {
      q->r.err = 0;
      sock_finish(&q->r);
      err = q->r.err;
    }
  } else if (q->r.file->fdflags & LULLW_FDF_NONBLOCK) {
    err = LULLW_EAGAIN;
  } else {
    err = lullw_waiter_start(&q->r, &q->wait, q->r.file->fd, events, sock_cb);
    if (!err)
      return LULLW_PENDING;
  }
  lullw_req_abort(&q->r);
  return err;
}

int32_t lullw_sock_accept(lullw_call *c) {
  uint32_t flags = LULLW_U32(c, 1);
  int32_t err;
  if (flags & ~(uint32_t)LULLW_FDF_NONBLOCK)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 2), 4))
    return LULLW_EFAULT;
  sock_req *q = start(c, LULLW_R_SOCK_ACCEPT, &err);
  if (!q)
    return err;
  q->fdflags = (uint16_t)flags;
  q->out_ptr = LULLW_U32(c, 2);
  return go(q, UV_READABLE);
}

/* Reads the iovecs and sets up the buffer of recv and send. */
static int32_t buffers(lullw_call *c, sock_req *q, int gather) {
  int32_t err = lullw_iovs_read(c->mem, LULLW_U32(c, 1), LULLW_U32(c, 2),
                                &q->iovs);
  if (err)
    return err;
  q->len = q->iovs.total < LULLW_IO_MAX ? (size_t)q->iovs.total : LULLW_IO_MAX;
  q->buf = malloc(q->len ? q->len : 1);
  if (!q->buf)
    return LULLW_ENOMEM;
  if (gather)
    lullw_iovs_gather(c->mem, &q->iovs, q->buf, q->len);
  return 0;
}

int32_t lullw_sock_recv(lullw_call *c) {
  uint32_t riflags = LULLW_U32(c, 3);
  int32_t err;
  if (riflags & ~3u)
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 4), 4) ||
      !lullw_mem(c->mem, LULLW_U32(c, 5), 2))
    return LULLW_EFAULT;
  sock_req *q = start(c, LULLW_R_FD_READ, &err);
  if (!q)
    return err;
  if ((err = buffers(c, q, 0))) {
    lullw_req_abort(&q->r);
    return err;
  }
  q->flags = (riflags & 1) ? MSG_PEEK : 0;
  /* Peeking again and again would count the same bytes twice. */
  q->waitall = (riflags & 2) && !(riflags & 1);
  q->out_ptr = LULLW_U32(c, 4);
  q->out_ptr2 = LULLW_U32(c, 5);
  if (q->len == 0) {
    q->r.err = 0;
    sock_finish(&q->r);
    err = q->r.err;
    lullw_req_abort(&q->r);
    return err;
  }
  return go(q, UV_READABLE);
}

int32_t lullw_sock_send(lullw_call *c) {
  int32_t err;
  if (LULLW_U32(c, 3) != 0) /* siflags: none are defined */
    return LULLW_EINVAL;
  if (!lullw_mem(c->mem, LULLW_U32(c, 4), 4))
    return LULLW_EFAULT;
  sock_req *q = start(c, LULLW_R_FD_WRITE, &err);
  if (!q)
    return err;
  if ((err = buffers(c, q, 1))) {
    lullw_req_abort(&q->r);
    return err;
  }
  q->out_ptr = LULLW_U32(c, 4);
  return go(q, UV_WRITABLE);
}

int32_t lullw_sock_shutdown(lullw_call *c) {
  uint32_t how = LULLW_U32(c, 1);
  int32_t err;
  lullw_file *f = sock_get(c->w, LULLW_U32(c, 0), LULLW_R_SOCK_SHUTDOWN, &err);
  if (!f)
    return err;
  if (how == 0 || how > 3)
    return LULLW_EINVAL;
  static const int host_how[4] = {0, SHUT_RD, SHUT_WR, SHUT_RDWR};
  return shutdown(f->fd, host_how[how]) == 0 ? 0 : lullw_errno(errno);
}
