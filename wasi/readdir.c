/*
 * readdir.c -- fd_readdir. A thread-pool job opens the directory afresh
 * (openat ".", so the guest's descriptor and its offset stay untouched),
 * seeks to the guest's cookie and serialises entries until the guest's
 * buffer would be full. A cookie is the position after an entry as
 * telldir gives it, which seekdir accepts on any stream of the same
 * directory, so continuing a listing costs nothing however large the
 * directory is; cookie 0 is the start.
 *
 * As WASI asks, the last entry may be cut off at the end of the buffer;
 * a full buffer tells the guest to call again from the last whole
 * entry's cookie.
 */
#include "wasi_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct readdir_req {
  lullw_req r;
  uint64_t cookie;
  uint32_t buf_ptr, buf_len, used_ptr;
  uint8_t *out; /* serialised entries */
  size_t out_len, out_cap;
} readdir_req;

static uint8_t type_of(DIR *d, const struct dirent *e) {
  switch (e->d_type) {
  case DT_REG:
    return LULLW_FT_REGULAR;
  case DT_DIR:
    return LULLW_FT_DIR;
  case DT_LNK:
    return LULLW_FT_SYMLINK;
  case DT_CHR:
    return LULLW_FT_CHAR;
  case DT_BLK:
    return LULLW_FT_BLOCK;
  case DT_SOCK:
    return LULLW_FT_SOCK_STREAM;
  case DT_FIFO:
    return LULLW_FT_UNKNOWN;
  default: {
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return LULLW_FT_UNKNOWN;
    return lullw_filetype_of_mode(st.st_mode);
  }
  }
}

static int append(readdir_req *q, uint64_t next, const struct dirent *e,
                  uint8_t type) {
  size_t nlen = strlen(e->d_name);
  size_t need = q->out_len + LULLW_DIRENT_SIZE + nlen;
  if (need > q->out_cap) {
    size_t cap = q->out_cap ? q->out_cap * 2 : 4096;
    while (cap < need)
      cap *= 2;
    uint8_t *p = realloc(q->out, cap);
    if (!p)
      return -1;
    q->out = p;
    q->out_cap = cap;
  }
  uint8_t *p = q->out + q->out_len;
  memset(p, 0, LULLW_DIRENT_SIZE);
  lullw_st64(p, next);
  lullw_st64(p + 8, (uint64_t)e->d_ino);
  lullw_st32(p + 16, (uint32_t)nlen);
  p[20] = type;
  memcpy(p + LULLW_DIRENT_SIZE, e->d_name, nlen);
  q->out_len = need;
  return 0;
}

static void readdir_work(uv_work_t *work) {
  readdir_req *q = work->data;
  int fd = openat(q->r.file->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    q->r.err = lullw_errno(errno);
    return;
  }
  DIR *d = fdopendir(fd);
  if (!d) {
    q->r.err = lullw_errno(errno);
    close(fd);
    return;
  }
  if (q->cookie)
    seekdir(d, (long)q->cookie);
  q->r.err = 0;
  /* Stop once the buffer is full: what is past it would be cut off. */
  while (q->out_len < q->buf_len) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) {
      if (errno)
        q->r.err = lullw_errno(errno);
      break;
    }
    long next = telldir(d);
    if (append(q, (uint64_t)next, e, type_of(d, e)) != 0) {
      q->r.err = LULLW_ENOMEM;
      break;
    }
  }
  closedir(d);
}

static void readdir_finish(lullw_req *r) {
  readdir_req *q = (readdir_req *)r;
  if (r->err)
    return;
  size_t n = q->out_len < q->buf_len ? q->out_len : q->buf_len;
  uint8_t *p = lullw_mem(r->mem, q->buf_ptr, n);
  if (!p) {
    r->err = LULLW_EFAULT;
    return;
  }
  if (n)
    memcpy(p, q->out, n);
  r->err = lullw_put_u32(r->mem, q->used_ptr, (uint32_t)n);
}

static void readdir_dispose(lullw_req *r) {
  readdir_req *q = (readdir_req *)r;
  free(q->out);
  q->out = NULL;
}

static const lullw_reqtype readdir_type = {readdir_finish, readdir_dispose,
                                           NULL};

int32_t lullw_fd_readdir(lullw_call *c) {
  int32_t err;
  lullw_file *f =
      lullw_dir_get(c->w, LULLW_U32(c, 0), LULLW_R_FD_READDIR, &err);
  if (!f)
    return err;
  uint32_t buf = LULLW_U32(c, 1), len = LULLW_U32(c, 2);
  uint32_t used = LULLW_U32(c, 4);
  if (!lullw_mem(c->mem, buf, len) || !lullw_mem(c->mem, used, 4))
    return LULLW_EFAULT;
  if (LULLW_U64(c, 3) > (uint64_t)LONG_MAX)
    return LULLW_EINVAL;
  readdir_req *q = (readdir_req *)lullw_req_new(c, &readdir_type, sizeof *q);
  if (!q)
    return LULLW_ENOMEM;
  lullw_file_ref(f);
  q->r.file = f;
  q->cookie = LULLW_U64(c, 3);
  q->buf_ptr = buf;
  q->buf_len = len;
  q->used_ptr = used;
  return lullw_req_queue(&q->r, readdir_work);
}
