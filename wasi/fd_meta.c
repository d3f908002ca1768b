/*
 * fd_meta.c -- calls on an open descriptor that touch the file system but
 * move no data: fd_filestat_get, fd_filestat_set_size, fd_sync and
 * fd_datasync through uv_fs_*, and fd_filestat_set_times, fd_allocate
 * and fd_advise as thread-pool jobs (libuv's futime takes seconds as a
 * double, which loses nanoseconds and cannot say "leave this one", and it
 * has no fallocate or fadvise).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>

typedef struct meta_req {
  lullw_req r;
  int op;                 /* LULLW_FN_* */
  uint32_t out_ptr;       /* fd_filestat_get */
  int64_t off, len;       /* fd_allocate, fd_advise */
  int advice;
  struct timespec ts[2];  /* fd_filestat_set_times */
} meta_req;

static void stat_finish(lullw_req *r) {
  meta_req *q = (meta_req *)r;
  if (r->err)
    return;
  lullw_stat st;
  lullw_stat_from_uv(&st, &r->u.fs.statbuf);
  /* fstat cannot tell stream sockets from datagram ones. */
  if (r->file->kind == LULLW_KIND_SOCKET)
    st.filetype = r->file->filetype;
  r->err = lullw_stat_put(r->mem, q->out_ptr, &st);
}

static const lullw_reqtype stat_type = {stat_finish, NULL, NULL};
static const lullw_reqtype plain_type = {NULL, NULL, NULL};

/* A new request on the descriptor of argument 0, which needs `rights`. */
static meta_req *start(lullw_call *c, uint64_t rights,
                       const lullw_reqtype *type, int32_t *err) {
  lullw_file *f = lullw_fd_get(c->w, LULLW_U32(c, 0), rights, err);
  if (!f)
    return NULL;
  meta_req *q = (meta_req *)lullw_req_new(c, type, sizeof *q);
  if (!q) {
    *err = LULLW_ENOMEM;
    return NULL;
  }
  q->op = (int)c->fn;
  lullw_file_ref(f);
  q->r.file = f;
  q->r.u.fs.data = q;
  return q;
}

/* After a uv_fs_* call: in flight, or aborted with its error. */
static int32_t submitted(meta_req *q, int e) {
  if (e < 0) {
    lullw_req_abort(&q->r);
    return lullw_uverr(e);
  }
  q->r.in_flight = 1;
  q->r.uses_fs = 1;
  return LULLW_PENDING;
}

int32_t lullw_fd_filestat_get(lullw_call *c) {
  int32_t err;
  if (!lullw_fd_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_FILESTAT_GET, &err))
    return err;
  if (!lullw_mem(c->mem, LULLW_U32(c, 1), LULLW_FILESTAT_SIZE))
    return LULLW_EFAULT;
  meta_req *q = start(c, LULLW_R_FD_FILESTAT_GET, &stat_type, &err);
  if (!q)
    return err;
  q->out_ptr = LULLW_U32(c, 1);
  return submitted(q, uv_fs_fstat(c->w->loop, &q->r.u.fs, q->r.file->fd,
                                  lullw_req_fs_cb));
}

int32_t lullw_fd_filestat_set_size(lullw_call *c) {
  int32_t err;
  uint64_t size = LULLW_U64(c, 1);
  meta_req *q = start(c, LULLW_R_FD_FILESTAT_SET_SIZE, &plain_type, &err);
  if (!q)
    return err;
  if (size > (uint64_t)INT64_MAX) {
    lullw_req_abort(&q->r);
    return LULLW_EINVAL;
  }
  return submitted(q, uv_fs_ftruncate(c->w->loop, &q->r.u.fs, q->r.file->fd,
                                      (int64_t)size, lullw_req_fs_cb));
}

int32_t lullw_fd_sync(lullw_call *c) {
  int32_t err;
  meta_req *q = start(c, LULLW_R_FD_SYNC, &plain_type, &err);
  if (!q)
    return err;
  return submitted(q, uv_fs_fsync(c->w->loop, &q->r.u.fs, q->r.file->fd,
                                  lullw_req_fs_cb));
}

int32_t lullw_fd_datasync(lullw_call *c) {
  int32_t err;
  meta_req *q = start(c, LULLW_R_FD_DATASYNC, &plain_type, &err);
  if (!q)
    return err;
  return submitted(q, uv_fs_fdatasync(c->w->loop, &q->r.u.fs, q->r.file->fd,
                                      lullw_req_fs_cb));
}

/* The thread-pool side of the three jobs: touches only the request. */
static void meta_work(uv_work_t *work) {
  meta_req *q = work->data;
  int fd = q->r.file->fd, e = 0;
  switch (q->op) {
  case LULLW_FN_fd_filestat_set_times:
    e = futimens(fd, q->ts) == 0 ? 0 : errno;
    break;
  case LULLW_FN_fd_allocate:
    e = posix_fallocate(fd, (off_t)q->off, (off_t)q->len);
    break;
  case LULLW_FN_fd_advise:
    e = posix_fadvise(fd, (off_t)q->off, (off_t)q->len, q->advice);
    break;
  }
  q->r.err = lullw_errno(e);
}

int32_t lullw_fd_filestat_set_times(lullw_call *c) {
  int32_t err;
  struct timespec ts[2];
  if (!lullw_fd_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_FILESTAT_SET_TIMES,
                    &err))
    return err;
  err = lullw_times(LULLW_U64(c, 1), LULLW_U64(c, 2), LULLW_U32(c, 3), ts);
  if (err)
    return err;
  meta_req *q = start(c, LULLW_R_FD_FILESTAT_SET_TIMES, &plain_type, &err);
  if (!q)
    return err;
  q->ts[0] = ts[0];
  q->ts[1] = ts[1];
  q->r.u.work.data = q;
  return lullw_req_queue(&q->r, meta_work);
}

int32_t lullw_fd_allocate(lullw_call *c) {
  int32_t err;
  uint64_t off = LULLW_U64(c, 1), len = LULLW_U64(c, 2);
  if (!lullw_fd_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_ALLOCATE, &err))
    return err;
  if (off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - off)
    return LULLW_EINVAL;
  meta_req *q = start(c, LULLW_R_FD_ALLOCATE, &plain_type, &err);
  if (!q)
    return err;
  q->off = (int64_t)off;
  q->len = (int64_t)len;
  q->r.u.work.data = q;
  return lullw_req_queue(&q->r, meta_work);
}

int32_t lullw_fd_advise(lullw_call *c) {
  static const int host_advice[] = {
      POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
      POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  int32_t err;
  uint64_t off = LULLW_U64(c, 1), len = LULLW_U64(c, 2);
  uint32_t advice = LULLW_U32(c, 3);
  if (!lullw_fd_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_ADVISE, &err))
    return err;
  if (advice >= sizeof host_advice / sizeof host_advice[0] ||
      off > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX)
    return LULLW_EINVAL;
  meta_req *q = start(c, LULLW_R_FD_ADVISE, &plain_type, &err);
  if (!q)
    return err;
  q->off = (int64_t)off;
  q->len = (int64_t)len;
  q->advice = host_advice[advice];
  q->r.u.work.data = q;
  return lullw_req_queue(&q->r, meta_work);
}
