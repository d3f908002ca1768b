/*
 * resolve.c -- sandboxed path resolution, run on the thread pool.
 *
 * A guest path is walked one component at a time from the directory the
 * guest named (a preopen or a directory opened below one). The kernel is
 * never asked to follow a symlink or "..":
 *
 *   - each intermediate directory is opened with openat(O_NOFOLLOW |
 *     O_DIRECTORY) relative to the one before, so a symlink fails the open
 *     and is then read with readlinkat and spliced into the rest of the
 *     path by this code, at most LULLW_SYMLINK_MAX times;
 *   - ".." drops the last name of the walked path and re-walks it from the
 *     base, so it can never climb above the base, however directories are
 *     renamed meanwhile;
 *   - an absolute path or absolute symlink target, or ".." at the base,
 *     is refused with NOTCAPABLE.
 *
 * What the walk returns is a directory descriptor and a last component
 * without slashes, for a final *at call that does not follow symlinks
 * either (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, or calls that never follow).
 * A concurrent rename can make a lookup fail or find another file inside
 * the sandbox; it cannot make it leave.
 */
#include "wasi_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int open_dir(int at, const char *name) {
  return openat(at, name, LULLW_O_SEARCH | O_DIRECTORY | O_NOFOLLOW |
                              O_CLOEXEC);
}

/* The directory `canon` names below `base` (NUL-separated walk of the
 * names, nothing else); base itself for "". */
static int32_t walk_canon(int base, const char *canon, int *fd, int *owned) {
  int cur = base, cur_owned = 0;
  char name[256];
  const char *p = canon;
  while (*p) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    memcpy(name, p, n);
    name[n] = '\0';
    int next = open_dir(cur, name);
    int saved = errno;
    if (cur_owned)
      close(cur);
    if (next < 0)
      return lullw_errno(saved);
    cur = next;
    cur_owned = 1;
    p += n;
    if (*p == '/')
      p++;
  }
  *fd = cur;
  *owned = cur_owned;
  return 0;
}

/* Replaces the text before `pos` in `rest` with `target`: the rest of the
 * walk continues inside the symlink's target. */
static int32_t splice_link(char *rest, size_t pos, const char *target, size_t tlen,
                      int must_dir) {
  if (tlen == 0)
    return LULLW_ENOENT;
  if (target[0] == '/')
    return LULLW_ENOTCAPABLE;
  size_t tail = strlen(rest + pos);
  size_t sep = tail ? 1 : (must_dir ? 1 : 0);
  if (tlen + sep + tail >= LULLW_PATH_MAX)
    return LULLW_ENAMETOOLONG;
  memmove(rest + tlen + sep, rest + pos, tail + 1);
  memcpy(rest, target, tlen);
  if (sep)
    rest[tlen] = '/';
  return 0;
}

void lullw_resolve_done(lullw_resolved *r) {
  if (r->owned && r->dirfd >= 0)
    close(r->dirfd);
  r->owned = 0;
  r->dirfd = -1;
}

int32_t lullw_resolve(int base, const char *path, int flags,
                      lullw_resolved *out) {
  char rest[LULLW_PATH_MAX], target[LULLW_PATH_MAX];
  size_t plen = strlen(path);
  int32_t err = 0;
  out->dirfd = base;
  out->owned = 0;
  out->must_dir = 0;
  out->name[0] = '\0';
  out->canon[0] = '\0';
  if (plen == 0)
    return LULLW_ENOENT;
  if (path[0] == '/')
    return LULLW_ENOTCAPABLE;
  if (plen >= LULLW_PATH_MAX)
    return LULLW_ENAMETOOLONG;
  memcpy(rest, path, plen + 1);
  out->must_dir = path[plen - 1] == '/';

  int cur = base, cur_owned = 0, links = 0;
  size_t canon_len = 0, pos = 0;
  for (;;) {
    while (rest[pos] == '/')
      pos++;
    if (!rest[pos]) {
      /* Only slashes were left: the directory itself. */
      strcpy(out->name, ".");
      break;
    }
    size_t start = pos;
    while (rest[pos] && rest[pos] != '/')
      pos++;
    size_t clen = pos - start;
    size_t q = pos;
    while (rest[q] == '/')
      q++;
    int last = rest[q] == '\0';
    if (clen > 255) {
      err = LULLW_ENAMETOOLONG;
      goto fail;
    }
    char comp[256];
    memcpy(comp, rest + start, clen);
    comp[clen] = '\0';

    if (strcmp(comp, ".") == 0) {
      if (last) {
        strcpy(out->name, ".");
        break;
      }
      continue;
    }
    if (strcmp(comp, "..") == 0) {
      if (canon_len == 0) {
        err = LULLW_ENOTCAPABLE;
        goto fail;
      }
      char *slash = strrchr(out->canon, '/');
      canon_len = slash ? (size_t)(slash - out->canon) : 0;
      out->canon[canon_len] = '\0';
      if (cur_owned)
        close(cur);
      cur_owned = 0;
      cur = base;
      err = walk_canon(base, out->canon, &cur, &cur_owned);
      if (err)
        goto fail;
      if (last) {
        strcpy(out->name, ".");
        break;
      }
      continue;
    }

    if (!last) {
      int next = open_dir(cur, comp);
      if (next >= 0) {
        if (canon_len + clen + 2 >= sizeof out->canon) {
          close(next);
          err = LULLW_ENAMETOOLONG;
          goto fail;
        }
        if (canon_len)
          out->canon[canon_len++] = '/';
        memcpy(out->canon + canon_len, comp, clen + 1);
        canon_len += clen;
        if (cur_owned)
          close(cur);
        cur = next;
        cur_owned = 1;
        continue;
      }
      int e = errno;
      if (e != ENOTDIR && e != ELOOP) {
        err = lullw_errno(e);
        goto fail;
      }
      ssize_t n = readlinkat(cur, comp, target, sizeof target);
      if (n < 0) {
        err = LULLW_ENOTDIR; /* a file where a directory was needed */
        goto fail;
      }
      if ((size_t)n >= sizeof target) {
        err = LULLW_ENAMETOOLONG;
        goto fail;
      }
      if (++links > LULLW_SYMLINK_MAX) {
        err = LULLW_ELOOP;
        goto fail;
      }
      err = splice_link(rest, pos, target, (size_t)n, 0);
      if (err)
        goto fail;
      pos = 0;
      continue;
    }

    /* The last component: follow it only when asked (a trailing slash
     * asks too, as in POSIX). */
    if ((flags & LULLW_RESOLVE_FOLLOW) || out->must_dir) {
      ssize_t n = readlinkat(cur, comp, target, sizeof target);
      if (n >= 0) {
        if ((size_t)n >= sizeof target) {
          err = LULLW_ENAMETOOLONG;
          goto fail;
        }
        if (++links > LULLW_SYMLINK_MAX) {
          err = LULLW_ELOOP;
          goto fail;
        }
        err = splice_link(rest, pos, target, (size_t)n, out->must_dir);
        if (err)
          goto fail;
        pos = 0;
        continue;
      }
    }
    memcpy(out->name, comp, clen + 1);
    break;
  }

  if (out->must_dir && strcmp(out->name, ".") != 0) {
    struct stat st;
    if (fstatat(cur, out->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISDIR(st.st_mode)) {
      err = LULLW_ENOTDIR;
      goto fail;
    }
  }
  if (strcmp(out->name, ".") != 0) {
    size_t nlen = strlen(out->name);
    if (canon_len + nlen + 2 >= sizeof out->canon) {
      err = LULLW_ENAMETOOLONG;
      goto fail;
    }
    if (canon_len)
      out->canon[canon_len++] = '/';
    memcpy(out->canon + canon_len, out->name, nlen + 1);
  }
  out->dirfd = cur;
  out->owned = cur_owned;
  return 0;
fail:
  if (cur_owned)
    close(cur);
  out->dirfd = -1;
  out->owned = 0;
  return err;
}

int lullw_open_flags(int access, uint16_t fdflags) {
  int fl = access == 3 ? O_RDWR : access == 2 ? O_WRONLY : O_RDONLY;
  if (fdflags & LULLW_FDF_APPEND)
    fl |= O_APPEND;
  if (fdflags & LULLW_FDF_DSYNC)
    fl |= O_DSYNC;
  if (fdflags & LULLW_FDF_RSYNC)
    fl |= O_RSYNC;
  if (fdflags & LULLW_FDF_SYNC)
    fl |= O_SYNC;
  return fl;
}

int lullw_reopen(int base, const char *relpath, int host_flags) {
  lullw_resolved *r = malloc(sizeof *r);
  if (!r)
    return -1;
  int fd = -1;
  const char *p = relpath[0] ? relpath : ".";
  if (lullw_resolve(base, p, 0, r) == 0) {
    fd = openat(r->dirfd, r->name,
                host_flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    lullw_resolve_done(r);
  }
  free(r);
  return fd;
}
