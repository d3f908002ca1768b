/*
 * path.c -- the path_* calls. Each is one thread-pool job that resolves
 * its path(s) inside the sandbox (resolve.c) and makes the final *at
 * system call there, so lookups and the operation never block the loop,
 * and no other thread sees a half-resolved path. libuv's uv_fs_* calls
 * take whole paths, which would let the kernel follow symlinks and "..",
 * so they are not used for these.
 *
 * Rights are checked on the loop before the job starts; the strings are
 * copied out of guest memory then too. Results (a stat, a link's target,
 * a new descriptor) are written back when the job completes.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct path_req {
  lullw_req r;
  int op;                   /* LULLW_FN_* */
  lullw_file *file2;        /* second directory (rename, link), ref held */
  char *path, *path2;       /* copied guest strings */
  int follow;               /* lookupflags of the (first) path */
  /* path_open */
  int host_flags;
  uint16_t fdflags;
  uint8_t access;
  uint64_t rights_base, rights_inh;
  int newfd;                /* opened by the job, until the table owns it */
  char *canon;              /* its path below the base directory */
  /* path_filestat_get */
  lullw_stat st;
  /* path_filestat_set_times */
  struct timespec ts[2];
  /* path_readlink */
  char *buf;
  size_t buflen;
  /* where results go */
  uint32_t out_ptr, out_ptr2;
  uint32_t out_len;
} path_req;

static void path_dispose(lullw_req *r) {
  path_req *q = (path_req *)r;
  lullw_file_unref(q->file2);
  free(q->path);
  free(q->path2);
  free(q->canon);
  free(q->buf);
  if (q->newfd >= 0)
    close(q->newfd); /* orphaned or failed after the open */
}

/* Path below the preopen of a file opened at `sub` below directory `d`. */
static char *join_path(const lullw_file *d, const char *sub) {
  const char *pre = d->relpath ? d->relpath : "";
  size_t a = strlen(pre), b = strlen(sub);
  char *s = malloc(a + b + 2);
  if (!s)
    return NULL;
  memcpy(s, pre, a);
  size_t at = a;
  if (a && b)
    s[at++] = '/';
  memcpy(s + at, sub, b + 1);
  return s;
}

static void open_finish(lullw_req *r) {
  path_req *q = (path_req *)r;
  if (r->err)
    return;
  lullw_file *dir = r->file;
  lullw_file *f = lullw_file_new(q->newfd, 1);
  if (!f) {
    r->err = LULLW_ENOMEM;
    return;
  }
  q->newfd = -1;
  if ((r->err = lullw_file_classify(f)) != 0) {
    lullw_file_unref(f);
    return;
  }
  f->access = q->access;
  f->fdflags = q->fdflags;
  /* What was asked, what the directory passes on, and what the file's
   * type allows (a directory opened with FD_SEEK asked does not get it). */
  f->rights_base = q->rights_base & dir->rights_inh & lullw_rights_of_type(f);
  f->rights_inh = q->rights_inh & dir->rights_inh;
  if (dir->origin == LULLW_FROM_PREOPEN || dir->origin == LULLW_FROM_PATH) {
    f->origin = LULLW_FROM_PATH;
    f->root = dir->root;
    f->relpath = join_path(dir, q->canon);
    if (!f->relpath)
      f->origin = LULLW_FROM_HOST; /* still usable; cannot move */
  } else {
    f->origin = LULLW_FROM_HOST;
  }
  int64_t fd = lullw_fd_insert(r->w, f);
  if (fd < 0) {
    lullw_file_unref(f);
    r->err = LULLW_EMFILE;
    return;
  }
  if (lullw_put_u32(r->mem, q->out_ptr, (uint32_t)fd) != 0) {
    lullw_fd_remove(r->w, (uint32_t)fd);
    r->err = LULLW_EFAULT;
  }
}

static void stat_finish(lullw_req *r) {
  path_req *q = (path_req *)r;
  if (!r->err)
    r->err = lullw_stat_put(r->mem, q->out_ptr, &q->st);
}

static void readlink_finish(lullw_req *r) {
  path_req *q = (path_req *)r;
  if (r->err)
    return;
  size_t n = q->buflen < q->out_len ? q->buflen : q->out_len;
  uint8_t *p = lullw_mem(r->mem, q->out_ptr, n);
  if (!p) {
    r->err = LULLW_EFAULT;
    return;
  }
  memcpy(p, q->buf, n);
  r->err = lullw_put_u32(r->mem, q->out_ptr2, (uint32_t)n);
}

static const lullw_reqtype open_type = {open_finish, path_dispose, NULL};
static const lullw_reqtype stat_type = {stat_finish, path_dispose, NULL};
static const lullw_reqtype readlink_type = {readlink_finish, path_dispose,
                                            NULL};
static const lullw_reqtype plain_type = {NULL, path_dispose, NULL};

/* A path that ended with '/' names a directory, as in POSIX (the walk
 * has taken the slash off `name` and followed a symlink there): 0 when
 * `r` is one, ENOTDIR for anything else, ENOENT when nothing is there. */
static int32_t need_dir(const lullw_resolved *r) {
  struct stat st;
  if (strcmp(r->name, ".") == 0)
    return 0;
  if (fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return lullw_errno(errno);
  return S_ISDIR(st.st_mode) ? 0 : LULLW_ENOTDIR;
}

/* A name to create (a link, a symlink) given with a trailing slash: the
 * kernel refuses with EEXIST when something is there and ENOENT when
 * not (only a directory may be asked for that way). */
static int32_t slash_create(const lullw_resolved *r) {
  struct stat st;
  if (fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return LULLW_EEXIST;
  return lullw_errno(errno);
}

/* Takes the trailing slashes off a name to create, so that what is there
 * is looked at as itself (slash_create): 1 when there were some. */
static int strip_slash(char *p) {
  size_t n = strlen(p);
  int had = 0;
  while (n > 1 && p[n - 1] == '/') {
    p[--n] = '\0';
    had = 1;
  }
  return had;
}

/* The thread-pool side. Touches only the request. */
static int32_t run(path_req *q, lullw_resolved *a, lullw_resolved *b) {
  int32_t e;
  int slash;
  int base = q->r.file->fd;
  switch (q->op) {
  case LULLW_FN_path_open: {
    if ((e = lullw_resolve(base, q->path, q->follow, a)))
      return e;
    int fl = q->host_flags;
    if (a->must_dir)
      fl |= O_DIRECTORY;
    q->newfd = openat(a->dirfd, a->name, fl, 0666);
    if (q->newfd < 0)
      return lullw_errno(errno);
    q->canon = strdup(a->canon);
    return q->canon ? 0 : LULLW_ENOMEM;
  }
  case LULLW_FN_path_create_directory:
    if ((e = lullw_resolve(base, q->path, 0, a)))
      return e;
    if (strcmp(a->name, ".") == 0)
      return LULLW_EEXIST;
    return mkdirat(a->dirfd, a->name, 0777) == 0 ? 0 : lullw_errno(errno);
  case LULLW_FN_path_remove_directory:
    if ((e = lullw_resolve(base, q->path, 0, a)))
      return e;
    if (strcmp(a->name, ".") == 0)
      return LULLW_EINVAL;
    return unlinkat(a->dirfd, a->name, AT_REMOVEDIR) == 0 ? 0
                                                          : lullw_errno(errno);
  case LULLW_FN_path_unlink_file:
    if ((e = lullw_resolve(base, q->path, 0, a)))
      return e;
    if (a->must_dir && (e = need_dir(a)))
      return e;
    if (strcmp(a->name, ".") == 0 || a->must_dir)
      return LULLW_EISDIR;
    return unlinkat(a->dirfd, a->name, 0) == 0 ? 0 : lullw_errno(errno);
  case LULLW_FN_path_filestat_get: {
    if ((e = lullw_resolve(base, q->path, q->follow, a)) ||
        (a->must_dir && (e = need_dir(a))))
      return e;
    struct stat st;
    if (fstatat(a->dirfd, a->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return lullw_errno(errno);
    lullw_stat_from_host(&q->st, &st);
    return 0;
  }
  case LULLW_FN_path_filestat_set_times: {
    if ((e = lullw_resolve(base, q->path, q->follow, a)) ||
        (a->must_dir && (e = need_dir(a))))
      return e;
    /* Changing nothing still needs the file to exist; the kernel would
     * not look. */
    struct stat st;
    if (q->ts[0].tv_nsec == UTIME_OMIT && q->ts[1].tv_nsec == UTIME_OMIT &&
        fstatat(a->dirfd, a->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      return lullw_errno(errno);
    return utimensat(a->dirfd, a->name, q->ts, AT_SYMLINK_NOFOLLOW) == 0
               ? 0
               : lullw_errno(errno);
  }
  case LULLW_FN_path_readlink: {
    if ((e = lullw_resolve(base, q->path, 0, a)))
      return e;
    ssize_t n = readlinkat(a->dirfd, a->name, q->buf, LULLW_PATH_MAX);
    if (n < 0)
      return lullw_errno(errno);
    q->buflen = (size_t)n;
    return 0;
  }
  case LULLW_FN_path_symlink:
    /* The target is stored, not followed; an absolute one could only
     * ever point outside. */
    if (q->path[0] == '/')
      return LULLW_ENOTCAPABLE;
    slash = strip_slash(q->path2);
    if ((e = lullw_resolve(base, q->path2, 0, a)))
      return e;
    if (strcmp(a->name, ".") == 0)
      return LULLW_EEXIST;
    if (slash)
      return slash_create(a);
    return symlinkat(q->path, a->dirfd, a->name) == 0 ? 0 : lullw_errno(errno);
  case LULLW_FN_path_rename:
    if ((e = lullw_resolve(base, q->path, 0, a)) ||
        (e = lullw_resolve(q->file2->fd, q->path2, 0, b)))
      return e;
    if (strcmp(a->name, ".") == 0 || strcmp(b->name, ".") == 0)
      return LULLW_EBUSY;
    /* A trailing slash on either name: only a directory moves. */
    if ((a->must_dir || b->must_dir) && (e = need_dir(a)))
      return e;
    return renameat(a->dirfd, a->name, b->dirfd, b->name) == 0
               ? 0
               : lullw_errno(errno);
  case LULLW_FN_path_link:
    slash = strip_slash(q->path2);
    if ((e = lullw_resolve(base, q->path, q->follow, a)) ||
        (e = lullw_resolve(q->file2->fd, q->path2, 0, b)))
      return e;
    if (a->must_dir && (e = need_dir(a)))
      return e;
    if (strcmp(a->name, ".") == 0)
      return LULLW_EPERM; /* no hard links to directories */
    if (strcmp(b->name, ".") == 0)
      return LULLW_EEXIST;
    if (slash)
      return slash_create(b);
    return linkat(a->dirfd, a->name, b->dirfd, b->name, 0) == 0
               ? 0
               : lullw_errno(errno);
  }
  return LULLW_ENOSYS;
}

static void path_work(uv_work_t *work) {
  path_req *q = work->data;
  lullw_resolved *ab = malloc(2 * sizeof *ab);
  if (!ab) {
    q->r.err = LULLW_ENOMEM;
    return;
  }
  ab[0].dirfd = ab[1].dirfd = -1;
  ab[0].owned = ab[1].owned = 0;
  q->r.err = run(q, &ab[0], &ab[1]);
  lullw_resolve_done(&ab[0]);
  lullw_resolve_done(&ab[1]);
  free(ab);
}

/* A request for a path call on the directory at argument `fd_arg`, with
 * the path at arguments `p_arg` (pointer) and `p_arg + 1` (length). */
static path_req *start(lullw_call *c, const lullw_reqtype *type,
                       uint32_t fd_arg, uint64_t rights, uint32_t p_arg,
                       int32_t *err) {
  lullw_file *f = lullw_dir_get(c->w, LULLW_U32(c, fd_arg), rights, err);
  if (!f)
    return NULL;
  char *path;
  if ((*err = lullw_path_read(c->mem, LULLW_U32(c, p_arg),
                              LULLW_U32(c, p_arg + 1), &path)))
    return NULL;
  path_req *q = (path_req *)lullw_req_new(c, type, sizeof *q);
  if (!q) {
    free(path);
    *err = LULLW_ENOMEM;
    return NULL;
  }
  q->op = (int)c->fn;
  q->newfd = -1;
  q->path = path;
  lullw_file_ref(f);
  q->r.file = f;
  return q;
}

/* Adds the second directory and path of rename and link. */
static int32_t second(lullw_call *c, path_req *q, uint32_t fd_arg,
                      uint64_t rights, uint32_t p_arg) {
  int32_t err;
  lullw_file *f = lullw_dir_get(c->w, LULLW_U32(c, fd_arg), rights, &err);
  if (!f)
    return err;
  if ((err = lullw_path_read(c->mem, LULLW_U32(c, p_arg),
                             LULLW_U32(c, p_arg + 1), &q->path2)))
    return err;
  lullw_file_ref(f);
  q->file2 = f;
  return 0;
}

static int32_t queue(path_req *q) { return lullw_req_queue(&q->r, path_work); }

static int32_t fail(path_req *q, int32_t err) {
  lullw_req_abort(&q->r);
  return err;
}

int32_t lullw_path_create_directory(lullw_call *c) {
  int32_t err;
  path_req *q =
      start(c, &plain_type, 0, LULLW_R_PATH_CREATE_DIRECTORY, 1, &err);
  return q ? queue(q) : err;
}

int32_t lullw_path_remove_directory(lullw_call *c) {
  int32_t err;
  path_req *q =
      start(c, &plain_type, 0, LULLW_R_PATH_REMOVE_DIRECTORY, 1, &err);
  return q ? queue(q) : err;
}

int32_t lullw_path_unlink_file(lullw_call *c) {
  int32_t err;
  path_req *q = start(c, &plain_type, 0, LULLW_R_PATH_UNLINK_FILE, 1, &err);
  return q ? queue(q) : err;
}

int32_t lullw_path_filestat_get(lullw_call *c) {
  int32_t err;
  if (LULLW_U32(c, 1) & ~LULLW_LOOKUP_FOLLOW)
    return LULLW_EINVAL;
  path_req *q = start(c, &stat_type, 0, LULLW_R_PATH_FILESTAT_GET, 2, &err);
  if (!q)
    return err;
  q->follow = (LULLW_U32(c, 1) & LULLW_LOOKUP_FOLLOW) ? LULLW_RESOLVE_FOLLOW : 0;
  q->out_ptr = LULLW_U32(c, 4);
  if (!lullw_mem(c->mem, q->out_ptr, LULLW_FILESTAT_SIZE))
    return fail(q, LULLW_EFAULT);
  return queue(q);
}

int32_t lullw_path_filestat_set_times(lullw_call *c) {
  int32_t err;
  struct timespec ts[2];
  if (LULLW_U32(c, 1) & ~LULLW_LOOKUP_FOLLOW)
    return LULLW_EINVAL;
  path_req *q =
      start(c, &plain_type, 0, LULLW_R_PATH_FILESTAT_SET_TIMES, 2, &err);
  if (!q)
    return err;
  q->follow = (LULLW_U32(c, 1) & LULLW_LOOKUP_FOLLOW) ? LULLW_RESOLVE_FOLLOW : 0;
  err = lullw_times(LULLW_U64(c, 4), LULLW_U64(c, 5), LULLW_U32(c, 6), ts);
  if (err)
    return fail(q, err);
  q->ts[0] = ts[0];
  q->ts[1] = ts[1];
  return queue(q);
}

int32_t lullw_path_readlink(lullw_call *c) {
  int32_t err;
  path_req *q = start(c, &readlink_type, 0, LULLW_R_PATH_READLINK, 1, &err);
  if (!q)
    return err;
  q->out_ptr = LULLW_U32(c, 3);
  q->out_len = LULLW_U32(c, 4);
  q->out_ptr2 = LULLW_U32(c, 5);
  if (!lullw_mem(c->mem, q->out_ptr, q->out_len) ||
      !lullw_mem(c->mem, q->out_ptr2, 4))
    return fail(q, LULLW_EFAULT);
  q->buf = malloc(LULLW_PATH_MAX);
  if (!q->buf)
    return fail(q, LULLW_ENOMEM);
  return queue(q);
}

int32_t lullw_path_symlink(lullw_call *c) {
  /* (old_path, old_len, fd, new_path, new_len): the directory is the
   * third argument, and the target string needs no right of its own. */
  int32_t err;
  path_req *q = start(c, &plain_type, 2, LULLW_R_PATH_SYMLINK, 3, &err);
  if (!q)
    return err;
  q->path2 = q->path;
  q->path = NULL;
  err = lullw_path_read(c->mem, LULLW_U32(c, 0), LULLW_U32(c, 1), &q->path);
  if (err)
    return fail(q, err);
  return queue(q);
}

int32_t lullw_path_rename(lullw_call *c) {
  int32_t err;
  path_req *q = start(c, &plain_type, 0, LULLW_R_PATH_RENAME_SOURCE, 1, &err);
  if (!q)
    return err;
  if ((err = second(c, q, 3, LULLW_R_PATH_RENAME_TARGET, 4)))
    return fail(q, err);
  return queue(q);
}

int32_t lullw_path_link(lullw_call *c) {
  int32_t err;
  if (LULLW_U32(c, 1) & ~LULLW_LOOKUP_FOLLOW)
    return LULLW_EINVAL;
  path_req *q = start(c, &plain_type, 0, LULLW_R_PATH_LINK_SOURCE, 2, &err);
  if (!q)
    return err;
  q->follow = (LULLW_U32(c, 1) & LULLW_LOOKUP_FOLLOW) ? LULLW_RESOLVE_FOLLOW : 0;
  if ((err = second(c, q, 4, LULLW_R_PATH_LINK_TARGET, 5)))
    return fail(q, err);
  return queue(q);
}

int32_t lullw_path_open(lullw_call *c) {
  uint32_t dirflags = LULLW_U32(c, 1), oflags = LULLW_U32(c, 4);
  uint64_t rb = LULLW_U64(c, 5), ri = LULLW_U64(c, 6);
  uint32_t fdflags = LULLW_U32(c, 7), out = LULLW_U32(c, 8);
  const uint32_t known_o =
      LULLW_O_CREAT | LULLW_O_DIRECTORY | LULLW_O_EXCL | LULLW_O_TRUNC;
  const uint32_t known_f = LULLW_FDF_APPEND | LULLW_FDF_DSYNC |
                           LULLW_FDF_NONBLOCK | LULLW_FDF_RSYNC |
                           LULLW_FDF_SYNC;
  if ((dirflags & ~LULLW_LOOKUP_FOLLOW) || (oflags & ~known_o) ||
      (fdflags & ~known_f))
    return LULLW_EINVAL;
  uint64_t need = LULLW_R_PATH_OPEN;
  if (oflags & LULLW_O_CREAT)
    need |= LULLW_R_PATH_CREATE_FILE;
  if (oflags & LULLW_O_TRUNC)
    need |= LULLW_R_PATH_FILESTAT_SET_SIZE;
  int32_t err;
  path_req *q = start(c, &open_type, 0, need, 2, &err);
  if (!q)
    return err;
  lullw_file *dir = q->r.file;
  /* What the new descriptor may do is what was asked and what the
   * directory passes on. The synchronous-I/O flags are rights the
   * directory must pass on (its inheriting rights), whatever rights were
   * asked for the new descriptor, as preview 1 has it. */
  uint64_t base = rb & dir->rights_inh;
  if (((fdflags & LULLW_FDF_DSYNC) &&
       !(dir->rights_inh & LULLW_R_FD_DATASYNC)) ||
      ((fdflags & (LULLW_FDF_RSYNC | LULLW_FDF_SYNC)) &&
       !(dir->rights_inh & LULLW_R_FD_SYNC)))
    return fail(q, LULLW_ENOTCAPABLE);
  if (!lullw_mem(c->mem, out, 4))
    return fail(q, LULLW_EFAULT);
  int access = 0;
  if (base & (LULLW_R_FD_READ | LULLW_R_FD_READDIR))
    access |= 1;
  if ((base & (LULLW_R_FD_WRITE | LULLW_R_FD_ALLOCATE |
               LULLW_R_FD_FILESTAT_SET_SIZE)) ||
      (fdflags & LULLW_FDF_APPEND))
    access |= 2;
  /* O_DIRECTORY with write access goes to the kernel as it is: EISDIR
   * for a directory, ENOTDIR for anything else, as natively. */
  int fl = lullw_open_flags(access ? access : 1, (uint16_t)fdflags);
  fl |= O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK;
  if (oflags & LULLW_O_CREAT)
    fl |= O_CREAT;
  if (oflags & LULLW_O_DIRECTORY)
    fl |= O_DIRECTORY;
  if (oflags & LULLW_O_EXCL)
    fl |= O_EXCL;
  if (oflags & LULLW_O_TRUNC)
    fl |= O_TRUNC;
  q->host_flags = fl;
  q->access = (uint8_t)(access ? access : 1);
  q->fdflags = (uint16_t)fdflags;
  q->rights_base = rb;
  q->rights_inh = ri;
  q->out_ptr = out;
  q->follow = (dirflags & LULLW_LOOKUP_FOLLOW) ? LULLW_RESOLVE_FOLLOW : 0;
  return queue(q);
}
