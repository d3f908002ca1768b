/*
 * fd_rw.c -- fd_read, fd_write, fd_pread and fd_pwrite.
 *
 * Data moves through a host buffer of at most LULLW_IO_MAX bytes: the
 * guest's memory may move (memory.grow by another thread in the same
 * instance) while a request is on libuv's thread pool, so the pool never
 * sees a guest address. A write copies the guest's buffers first; a read
 * copies into them when it completes. A call that asks for more than the
 * buffer moves less, which POSIX allows and every libc handles.
 *
 * Files and other descriptors that never block go through uv_fs_read /
 * uv_fs_write, except a read of a regular file that the page cache can
 * answer at once (nowait.c): that one is done during the call, straight
 * into the guest's buffers, without a trip to the thread pool; and a
 * write to a regular file, which is copied and queued for the pool
 * without parking the thread (write-behind, wb.c). Pipes, terminals and
 * sockets are tried at once without blocking; if they are not ready the
 * thread waits on a uv_poll handle (or gets EAGAIN when the guest set
 * NONBLOCK).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>

typedef struct rw_req {
  lullw_req r;
  int write;
  lullw_iovs iovs;
  uint8_t *buf;
  size_t len;
  uint32_t out_ptr; /* nread / nwritten */
  lullw_waiter wait;
} rw_req;

static void rw_finish(lullw_req *r) {
  rw_req *q = (rw_req *)r;
  if (r->err)
    return;
  size_t n = r->result < 0 ? 0 : (size_t)r->result;
  if (n > q->len)
    n = q->len;
  if (!q->write && lullw_iovs_scatter(r->mem, &q->iovs, q->buf, n) != 0) {
    r->err = LULLW_EFAULT;
    return;
  }
  r->err = lullw_put_u32(r->mem, q->out_ptr, (uint32_t)n);
}

static void rw_dispose(lullw_req *r) {
  rw_req *q = (rw_req *)r;
  lullw_iovs_free(&q->iovs);
  free(q->buf);
  q->buf = NULL;
}

static int rw_close(lullw_req *r) { return lullw_waiter_close(&((rw_req *)r)->wait); }

static const lullw_reqtype rw_type = {rw_finish, rw_dispose, rw_close};

/* One non-blocking attempt on a stream. */
static int64_t attempt(rw_req *q) {
  return q->write ? lullw_stream_write(q->r.file, q->buf, q->len)
                  : lullw_stream_read(q->r.file, q->buf, q->len, 0);
}

static void stream_cb(uv_poll_t *h, int status, int events) {
  rw_req *q = h->data;
  if (status < 0) {
    lullw_req_complete(&q->r, lullw_uverr(status));
    return;
  }
  int64_t n = attempt(q);
  if (n == -EAGAIN || n == -EWOULDBLOCK)
    return; /* someone else was faster: keep waiting */
  q->r.result = n;
  lullw_req_complete(&q->r, n < 0 ? lullw_errno((int)-n) : 0);
}

/* The fast path of a file read: preadv2 into the guest's own buffers,
 * which cannot move during the call. */
static int64_t read_now(lull_memory *m, int fd, const lullw_iovs *v,
                        int64_t off) {
  struct iovec stack[16], *iov = stack;
  if (v->n > 16 && !(iov = malloc(v->n * sizeof *iov)))
    return -EAGAIN;
  /* At most LULLW_IO_MAX bytes, as on the slow path. */
  size_t room = LULLW_IO_MAX;
  uint32_t k = 0;
  for (; k < v->n && room; k++) {
    size_t len = v->v[k][1] < room ? v->v[k][1] : room;
    iov[k].iov_base = lullw_mem(m, v->v[k][0], len);
    iov[k].iov_len = len;
    room -= len;
  }
  int64_t n = lullw_read_nowait(fd, iov, (int)k, off);
  if (iov != stack)
    free(iov);
  return n;
}

/* The four calls: `off` is -1 for the current position. */
static int32_t rw_start(lullw_call *c, int write, uint32_t iovs_ptr,
                        uint32_t niovs, int64_t off, uint32_t out_ptr) {
  uint64_t need = write ? LULLW_R_FD_WRITE : LULLW_R_FD_READ;
  if (off >= 0)
    need |= LULLW_R_FD_SEEK;
  int32_t err;
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), need, &err);
  if (!f)
    return err;
  if (!lullw_mem(c->mem, out_ptr, 4))
    return LULLW_EFAULT;
  if (off >= 0 && f->kind != LULLW_KIND_FS)
    return LULLW_ESPIPE;
  if (off < -1)
    return LULLW_EINVAL;
  lullw_iovs iovs;
  err = lullw_iovs_read(c->mem, iovs_ptr, niovs, &iovs);
  if (err)
    return err;
  if (write && lullw_wb_eligible(f)) {
    /* Regular files: queued, written behind the guest's back (wb.c). */
    err = lullw_wb_write(c, f, &iovs, off, out_ptr);
    if (err != LULLW_DIRECT) {
      lullw_iovs_free(&iovs);
      return err;
    }
  }
  if (f->kind == LULLW_KIND_FS && !write &&
      f->filetype == LULLW_FT_REGULAR && iovs.n) {
    int64_t n = read_now(c->mem, f->fd, &iovs, off);
    if (n != -EAGAIN) {
      lullw_iovs_free(&iovs);
      return n < 0 ? lullw_errno((int)-n)
                   : lullw_put_u32(c->mem, out_ptr, (uint32_t)n);
    }
  }
  rw_req *q = (rw_req *)lullw_req_new(c, &rw_type, sizeof *q);
  if (!q) {
    lullw_iovs_free(&iovs);
    return LULLW_ENOMEM;
  }
  q->write = write;
  q->out_ptr = out_ptr;
  lullw_file_ref(f);
  q->r.file = f;
  q->iovs = iovs;
  q->len = q->iovs.total < LULLW_IO_MAX ? (size_t)q->iovs.total : LULLW_IO_MAX;
  q->buf = malloc(q->len ? q->len : 1);
  if (!q->buf) {
    err = LULLW_ENOMEM;
    goto done;
  }
  if (write)
    lullw_iovs_gather(c->mem, &q->iovs, q->buf, q->len);

  if (f->kind == LULLW_KIND_FS) {
    uv_buf_t b = uv_buf_init((char *)q->buf, (unsigned)q->len);
    q->r.u.fs.data = q;
    int e = write ? uv_fs_write(c->w->loop, &q->r.u.fs, f->fd, &b, 1, off,
                                lullw_req_fs_cb)
                  : uv_fs_read(c->w->loop, &q->r.u.fs, f->fd, &b, 1, off,
                               lullw_req_fs_cb);
    if (e < 0) {
      err = lullw_uverr(e);
      goto done;
    }
    q->r.in_flight = 1;
    q->r.uses_fs = 1;
    return LULLW_PENDING;
  }

  /* A stream: try now, wait only if it is not ready. Zero bytes ask
   * nothing of the descriptor. */
  int64_t n = q->len ? attempt(q) : 0;
  if (n != -EAGAIN && n != -EWOULDBLOCK) {
    if (n < 0) {
      err = lullw_errno((int)-n);
      goto done;
    }
    q->r.result = n;
    q->r.err = 0;
    rw_finish(&q->r);
    err = q->r.err;
    goto done;
  }
  if (f->fdflags & LULLW_FDF_NONBLOCK) {
    err = LULLW_EAGAIN;
    goto done;
  }
  err = lullw_waiter_start(&q->r, &q->wait, f->fd,
                           write ? UV_WRITABLE : UV_READABLE, stream_cb);
  if (err)
    goto done;
  return LULLW_PENDING;
done:
  lullw_req_abort(&q->r);
  return err;
}

int32_t lullw_fd_read(lullw_call *c) {
  return rw_start(c, 0, LULLW_U32(c, 1), LULLW_U32(c, 2), -1, LULLW_U32(c, 3));
}

int32_t lullw_fd_write(lullw_call *c) {
  return rw_start(c, 1, LULLW_U32(c, 1), LULLW_U32(c, 2), -1, LULLW_U32(c, 3));
}

static int32_t positioned(lullw_call *c, int write) {
  uint64_t off = LULLW_U64(c, 3);
  if (off > (uint64_t)INT64_MAX)
    return LULLW_EINVAL;
  return rw_start(c, write, LULLW_U32(c, 1), LULLW_U32(c, 2), (int64_t)off,
                  LULLW_U32(c, 4));
}

int32_t lullw_fd_pread(lullw_call *c) { return positioned(c, 0); }

int32_t lullw_fd_pwrite(lullw_call *c) { return positioned(c, 1); }
