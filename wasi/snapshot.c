/*
 * snapshot.c -- a WASI context as bytes, and back (lull_wasi_save,
 * lull_wasi_load, lull_wasi_rearm).
 *
 * Format, little-endian:
 *
 *   header  "LULLWASI", u32 version (1), u32 body length, u32 CRC-32 of
 *           the body
 *   body    u32 argc, argc strings; u32 envc, envc strings
 *           u32 npreopens, each: host path string, guest name string
 *           i32 x3 the host descriptors of stdio as configured
 *           u8 exited, u32 exit code
 *           u32 n descriptors, each: u32 guest number, u8 origin,
 *             u8 filetype, u8 access, u16 fdflags, u64 rights base,
 *             u64 rights inheriting, i32 root, string relpath,
 *             u64 offset
 *           u8 request: 0 none; 1 a call to make again: u32 function,
 *             u32 nargs, u64 x nargs, u32 ndeadlines, u64 x ndeadlines
 *             (realtime ns per poll_oneoff subscription, all-ones for
 *             none); 2 a finished call: u32 function, i32 errno
 *   a string is u32 length and that many bytes (no NUL inside)
 *
 * Loading checks the header, the checksum and every count and index
 * against what is left before anything is allocated for it, so a
 * truncated or corrupted blob is refused with a message and an offset.
 * Files are opened again through the sandboxed walk below their preopen
 * and put back at their offset; what cannot move (sockets, pipes, files
 * that are gone) is left closed, so the guest gets EBADF.
 *
 * The call the guest was parked in is made again by lull_wasi_rearm with
 * the same arguments; poll_oneoff gets its clock deadlines back (as wall
 * clock times), so a sleep ends when it would have ended. A file read or
 * write that was on the thread pool when the snapshot was taken may have
 * happened already; it is made again (take snapshots of guests parked in
 * a sleep, a poll or sched_yield, or on fuel, to be exact).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "LULLWASI"
#define VERSION 1u
#define HEADER 20u

static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static void set_error(lull_error *err, lull_status s, uint64_t off,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static void set_error(lull_error *err, lull_status s, uint64_t off,
                      const char *fmt, ...) {
  if (!err)
    return;
  err->status = s;
  err->offset = off;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

typedef struct wbuf {
  uint8_t *p;
  size_t len, cap;
  int oom;
} wbuf;

static void put(wbuf *b, const void *v, size_t n) {
  if (b->oom)
    return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n)
      cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  if (n)
    memcpy(b->p + b->len, v, n);
  b->len += n;
}

static void put_u8(wbuf *b, uint8_t v) { put(b, &v, 1); }

static void put_u16(wbuf *b, uint16_t v) {
  uint8_t x[2];
  lullw_st16(x, v);
  put(b, x, 2);
}

static void put_u32(wbuf *b, uint32_t v) {
  uint8_t x[4];
  lullw_st32(x, v);
  put(b, x, 4);
}

static void put_u64(wbuf *b, uint64_t v) {
  uint8_t x[8];
  lullw_st64(x, v);
  put(b, x, 8);
}

static void put_str(wbuf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  put_u32(b, (uint32_t)n);
  put(b, s, n);
}

/* `count` NUL-terminated strings from `buf`. */
static void put_strings(wbuf *b, uint32_t count, const char *buf) {
  put_u32(b, count);
  for (uint32_t i = 0; i < count; i++) {
    put_str(b, buf);
    buf += strlen(buf) + 1;
  }
}

/* The request to carry: the one in flight, or one loaded and not yet
 * rearmed. */
static void put_request(wbuf *b, const lull_wasi *w) {
  const lullw_req *r = w->reqs;
  if (r && r->type == &lullw_defer_type) {
    put_u8(b, 2);
    put_u32(b, r->fn);
    put_u32(b, (uint32_t)r->err);
  } else if (r) {
    uint32_t nargs = (uint32_t)strlen(lullw_fn_params(r->fn));
    put_u8(b, 1);
    put_u32(b, r->fn);
    put_u32(b, nargs);
    for (uint32_t i = 0; i < nargs; i++)
      put_u64(b, r->a[i]);
    put_u32(b, r->deadlines ? r->ndeadlines : 0);
    for (uint32_t i = 0; r->deadlines && i < r->ndeadlines; i++)
      put_u64(b, r->deadlines[i]);
  } else if (w->saved && w->saved->deliver) {
    put_u8(b, 2);
    put_u32(b, w->saved->fn);
    put_u32(b, (uint32_t)w->saved->err);
  } else if (w->saved) {
    put_u8(b, 1);
    put_u32(b, w->saved->fn);
    put_u32(b, w->saved->nargs);
    for (uint32_t i = 0; i < w->saved->nargs; i++)
      put_u64(b, w->saved->a[i]);
    put_u32(b, w->saved->ndeadlines);
    for (uint32_t i = 0; i < w->saved->ndeadlines; i++)
      put_u64(b, w->saved->deadlines[i]);
  } else {
    put_u8(b, 0);
  }
}

lull_status lull_wasi_save(const lull_wasi *w, uint8_t **out, size_t *len,
                           lull_error *err) {
  if (!w || !out || !len) {
    set_error(err, LULL_BADARG, LULL_NO_OFFSET, "lull_wasi_save: bad arguments");
    return LULL_BADARG;
  }
  *out = NULL;
  *len = 0;
  /* Queued writes are neither in the file yet nor in the snapshot: the
   * caller tries again once they are written (the drain callback). */
  if (lull_wasi_pending_writes(w)) {
    set_error(err, LULL_BADSTATE, LULL_NO_OFFSET,
              "lull_wasi_save: writes still queued for the thread pool; "
              "save once they are written (lull_wasi_set_drain_cb)");
    return LULL_BADSTATE;
  }
  if (w->reqs && w->reqs->next) {
    set_error(err, LULL_BADSTATE, LULL_NO_OFFSET,
              "lull_wasi_save: several requests in flight (more than one "
              "thread parked in this context)");
    return LULL_BADSTATE;
  }
  wbuf b = {0};
  put(&b, MAGIC, 8);
  put_u32(&b, VERSION);
  put_u32(&b, 0); /* body length, filled below */
  put_u32(&b, 0); /* checksum, filled below */
  put_strings(&b, w->argc, w->argbuf);
  put_strings(&b, w->envc, w->envbuf);
  put_u32(&b, (uint32_t)w->npreopens);
  for (size_t i = 0; i < w->npreopens; i++) {
    put_str(&b, w->preopens[i].host);
    put_str(&b, w->preopens[i].guest);
  }
  for (int i = 0; i < 3; i++)
    put_u32(&b, (uint32_t)w->stdio_host[i]);
  put_u8(&b, (uint8_t)(w->exited != 0));
  put_u32(&b, w->exit_code);
  uint32_t n = 0;
  for (uint32_t i = 0; i < w->nfds; i++)
    n += w->fds[i] != NULL;
  put_u32(&b, n);
  for (uint32_t i = 0; i < w->nfds; i++) {
    const lullw_file *f = w->fds[i];
    if (!f)
      continue;
    uint64_t off = 0;
    if (f->origin == LULLW_FROM_PATH && f->filetype == LULLW_FT_REGULAR) {
      off_t at = lseek(f->fd, 0, SEEK_CUR);
      off = at < 0 ? 0 : (uint64_t)at;
    }
    put_u32(&b, i);
    put_u8(&b, f->origin);
    put_u8(&b, f->filetype);
    put_u8(&b, f->access);
    put_u16(&b, f->fdflags);
    put_u64(&b, f->rights_base);
    put_u64(&b, f->rights_inh);
    put_u32(&b, (uint32_t)f->root);
    put_str(&b, f->relpath);
    put_u64(&b, off);
  }
  put_request(&b, w);
  if (b.oom || b.len - HEADER > UINT32_MAX) {
    free(b.p);
    set_error(err, LULL_NOMEM, LULL_NO_OFFSET, "lull_wasi_save: out of memory");
    return LULL_NOMEM;
  }
  lullw_st32(b.p + 12, (uint32_t)(b.len - HEADER));
  lullw_st32(b.p + 16, crc32(b.p + HEADER, b.len - HEADER));
  *out = b.p;
  *len = b.len;
  return LULL_OK;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

typedef struct rbuf {
  const uint8_t *p;
  size_t len, at;
  const char *bad; /* what was being read when the bytes ran out */
  size_t bad_at;
} rbuf;

static const uint8_t *take(rbuf *r, size_t n, const char *what) {
  if (r->bad)
    return NULL;
  if (n > r->len - r->at) {
    r->bad = what;
    r->bad_at = r->at;
    return NULL;
  }
  const uint8_t *p = r->p + r->at;
  r->at += n;
  return p;
}

static uint8_t get_u8(rbuf *r, const char *what) {
  const uint8_t *p = take(r, 1, what);
  return p ? p[0] : 0;
}

static uint16_t get_u16(rbuf *r, const char *what) {
  const uint8_t *p = take(r, 2, what);
  return p ? lullw_ld16(p) : 0;
}

static uint32_t get_u32(rbuf *r, const char *what) {
  const uint8_t *p = take(r, 4, what);
  return p ? lullw_ld32(p) : 0;
}

static uint64_t get_u64(rbuf *r, const char *what) {
  const uint8_t *p = take(r, 8, what);
  return p ? lullw_ld64(p) : 0;
}

/* A string as a new NUL-terminated copy, or NULL (r->bad set, or out of
 * memory with *oom set). A NUL inside is refused. */
static char *get_str(rbuf *r, const char *what, int *oom) {
  size_t at = r->at;
  uint32_t n = get_u32(r, what);
  const uint8_t *p = take(r, n, what);
  if (!p)
    return NULL;
  if (memchr(p, 0, n)) {
    r->bad = what;
    r->bad_at = at;
    return NULL;
  }
  char *s = malloc((size_t)n + 1);
  if (!s) {
    *oom = 1;
    return NULL;
  }
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

/* Marks the value just read as impossible. */
static void refuse(rbuf *r, size_t at, const char *what) {
  if (!r->bad) {
    r->bad = what;
    r->bad_at = at;
  }
}

/* `count` strings into a buffer of NUL-terminated strings. */
static int get_strings(lull_engine *e, rbuf *r, const char *what, char **buf,
                       size_t *blen, uint32_t *count, int *oom) {
  size_t at = r->at;
  uint32_t n = get_u32(r, what);
  if (r->bad)
    return -1;
  if (n > (r->len - r->at) / 4) { /* each string takes 4 bytes at least */
    refuse(r, at, what);
    return -1;
  }
  /* Sizes first, then copies: one pass over the bytes to size them. */
  size_t save = r->at, total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t k = get_u32(r, what);
    if (!take(r, k, what))
      return -1;
    total += (size_t)k + 1;
  }
  r->at = save;
  char *b = lull_malloc(e, total ? total : 1);
  if (!b) {
    *oom = 1;
    return -1;
  }
  size_t pos = 0;
  for (uint32_t i = 0; i < n; i++) {
    size_t sat = r->at;
    uint32_t k = get_u32(r, what);
    const uint8_t *p = take(r, k, what);
    if (memchr(p, 0, k)) {
      refuse(r, sat, what);
      lull_free(e, b);
      return -1;
    }
    memcpy(b + pos, p, k);
    b[pos + k] = '\0';
    pos += (size_t)k + 1;
  }
  lull_free(e, *buf);
  *buf = b;
  *blen = total;
  *count = n;
  return 0;
}

typedef struct entry {
  uint32_t fd;
  uint8_t origin, filetype, access;
  uint16_t fdflags;
  uint64_t rb, ri, offset;
  int32_t root;
  char *relpath;
} entry;

static void free_entries(entry *v, uint32_t n) {
  for (uint32_t i = 0; v && i < n; i++)
    free(v[i].relpath);
  free(v);
}

void lullw_saved_free(lullw_saved *s) {
  if (!s)
    return;
  free(s->deadlines);
  free(s);
}

/* Reads the request section into a new lullw_saved (or NULL for none). */
static int get_request(rbuf *r, lullw_saved **out, int *oom) {
  *out = NULL;
  size_t at = r->at;
  uint8_t kind = get_u8(r, "request kind");
  if (r->bad)
    return -1;
  if (kind == 0)
    return 0;
  if (kind > 2) {
    refuse(r, at, "request kind");
    return -1;
  }
  lullw_saved *s = calloc(1, sizeof *s);
  if (!s) {
    *oom = 1;
    return -1;
  }
  at = r->at;
  s->fn = get_u32(r, "request function");
  if (!r->bad && s->fn >= LULLW_NFUNCS)
    refuse(r, at, "request function");
  if (kind == 2) {
    s->deliver = 1;
    s->err = (int32_t)get_u32(r, "request errno");
    if (!r->bad && (s->err < 0 || s->err > LULLW_ENOTCAPABLE))
      refuse(r, r->at - 4, "request errno");
  } else {
    at = r->at;
    s->nargs = get_u32(r, "request arguments");
    if (!r->bad && s->nargs != strlen(lullw_fn_params(s->fn)))
      refuse(r, at, "request arguments");
    for (uint32_t i = 0; !r->bad && i < s->nargs; i++)
      s->a[i] = get_u64(r, "request arguments");
    at = r->at;
    s->ndeadlines = get_u32(r, "request deadlines");
    uint32_t want = s->fn == LULLW_FN_poll_oneoff ? (uint32_t)s->a[2] : 0;
    if (!r->bad && s->ndeadlines != want)
      refuse(r, at, "request deadlines");
    if (!r->bad && s->ndeadlines > (r->len - r->at) / 8)
      refuse(r, at, "request deadlines");
    if (!r->bad && s->ndeadlines) {
      s->deadlines = malloc((size_t)s->ndeadlines * sizeof(uint64_t));
      if (!s->deadlines) {
        *oom = 1;
        lullw_saved_free(s);
        return -1;
      }
      for (uint32_t i = 0; i < s->ndeadlines; i++)
        s->deadlines[i] = get_u64(r, "request deadlines");
    }
  }
  if (r->bad) {
    lullw_saved_free(s);
    return -1;
  }
  *out = s;
  return 0;
}

/* Reads the descriptor entries, checking each against the rest. */
static int get_entries(rbuf *r, size_t npreopens, entry **out, uint32_t *nout,
                       int *oom) {
  size_t at = r->at;
  uint32_t n = get_u32(r, "descriptor count");
  *out = NULL;
  *nout = 0;
  if (r->bad)
    return -1;
  if (n > LULLW_FD_MAX || n > (r->len - r->at) / 40) {
    refuse(r, at, "descriptor count");
    return -1;
  }
  entry *v = calloc(n ? n : 1, sizeof *v);
  if (!v) {
    *oom = 1;
    return -1;
  }
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    entry *e = &v[i];
    at = r->at;
    e->fd = get_u32(r, "descriptor number");
    if (!r->bad && e->fd >= LULLW_FD_MAX)
      refuse(r, at, "descriptor number");
    for (uint32_t k = 0; k < i && !r->bad; k++)
      if (v[k].fd == e->fd)
        refuse(r, at, "descriptor number (twice)");
    at = r->at;
    e->origin = get_u8(r, "descriptor origin");
    e->filetype = get_u8(r, "descriptor filetype");
    e->access = get_u8(r, "descriptor access");
    e->fdflags = get_u16(r, "descriptor flags");
    e->rb = get_u64(r, "descriptor rights");
    e->ri = get_u64(r, "descriptor rights");
    e->root = (int32_t)get_u32(r, "descriptor root");
    if (!r->bad &&
        (e->origin > LULLW_FROM_HOST || e->filetype > LULLW_FT_SYMLINK ||
         e->access < 1 || e->access > 3 || e->fdflags > 31 ||
         (e->rb & ~LULLW_R_ALL) || (e->ri & ~LULLW_R_ALL)))
      refuse(r, at, "descriptor fields");
    if (!r->bad &&
        (((e->origin == LULLW_FROM_PREOPEN || e->origin == LULLW_FROM_PATH) &&
          (e->root < 0 || (size_t)e->root >= npreopens)) ||
         (e->origin == LULLW_FROM_STDIO && (e->root < 0 || e->root > 2))))
      refuse(r, at, "descriptor root");
    at = r->at;
    e->relpath = get_str(r, "descriptor path", oom);
    if (!r->bad && !*oom && e->relpath &&
        (e->relpath[0] == '/' || strlen(e->relpath) >= LULLW_PATH_MAX))
      refuse(r, at, "descriptor path");
    e->offset = get_u64(r, "descriptor offset");
    if (!r->bad && e->offset > (uint64_t)INT64_MAX)
      refuse(r, r->at - 8, "descriptor offset");
    if (*oom)
      break;
  }
  *out = v;
  *nout = n;
  return r->bad || *oom ? -1 : 0;
}

/* Puts saved entry `e` back in the table of `w`, if it can be. */
static int restore_entry(lull_wasi *w, const entry *e, const int *roots) {
  lullw_file *f = NULL;
  switch (e->origin) {
  case LULLW_FROM_PREOPEN:
    f = lullw_open_preopen(w, (size_t)e->root);
    break;
  case LULLW_FROM_STDIO:
    /* The loading process's own descriptor of the same number, when that
     * is what the guest had. */
    if (w->stdio_host[e->root] != e->root ||
        lullw_stdio_foreign((uint32_t)e->root, e->root))
      return 0;
    f = lullw_file_new(e->root, 0);
    if (!f)
      return -1;
    if (lullw_file_classify(f) != 0) {
      lullw_file_unref(f);
      return 0;
    }
    lullw_host_rights(f);
    break;
  case LULLW_FROM_PATH: {
    /* Only files and directories: a named pipe or a device opened by
     * path cannot carry what was in flight, so it comes back closed like
     * any pipe. */
    if (roots[e->root] < 0 ||
        (e->filetype != LULLW_FT_REGULAR && e->filetype != LULLW_FT_DIR))
      return 0;
    int fl = lullw_open_flags(e->access, e->fdflags);
    if (e->filetype == LULLW_FT_DIR)
      fl = O_RDONLY | O_DIRECTORY;
    int fd = lullw_reopen(roots[e->root], e->relpath, fl);
    if (fd < 0)
      return 0; /* gone: the guest finds the number closed */
    f = lullw_file_new(fd, 1);
    if (!f) {
      close(fd);
      return -1;
    }
    if (lullw_file_classify(f) != 0 || f->filetype != e->filetype) {
      lullw_file_unref(f);
      return 0; /* something else lives there now */
    }
    if (e->filetype == LULLW_FT_REGULAR &&
        lseek(fd, (off_t)e->offset, SEEK_SET) < 0) {
      lullw_file_unref(f);
      return 0;
    }
    f->relpath = strdup(e->relpath);
    if (!f->relpath) {
      lullw_file_unref(f);
      return -1;
    }
    f->access = e->access;
    break;
  }
  default:
    return 0; /* sockets, pipes, descriptors of the host: closed */
  }
  if (!f)
    return errno == ENOMEM ? -1 : 0;
  f->origin = e->origin;
  f->root = e->root;
  f->fdflags = e->fdflags;
  /* Never more than the host descriptor allows now. */
  if (e->origin == LULLW_FROM_STDIO) {
    f->rights_base &= e->rb;
    f->rights_inh &= e->ri;
  } else {
    f->rights_base = e->rb;
    f->rights_inh = e->ri;
  }
  if (lullw_fd_put(w, e->fd, f) != 0) {
    lullw_file_unref(f);
    return -1;
  }
  return 0;
}

static lull_wasi *load(lull_engine *e, uv_loop_t *loop, const uint8_t *bytes,
                       size_t len, const char *const *granted,
                       size_t ngranted, int check, lull_wasi_wake_fn wake,
                       void *wake_ud, lull_error *err);

lull_wasi *lull_wasi_load(lull_engine *e, uv_loop_t *loop,
                          const uint8_t *bytes, size_t len,
                          lull_wasi_wake_fn wake, void *wake_ud,
                          lull_error *err) {
  return load(e, loop, bytes, len, NULL, 0, 0, wake, wake_ud, err);
}

lull_wasi *lull_wasi_load_granted(lull_engine *e, uv_loop_t *loop,
                                  const uint8_t *bytes, size_t len,
                                  const char *const *granted, size_t ngranted,
                                  lull_wasi_wake_fn wake, void *wake_ud,
                                  lull_error *err) {
  if (ngranted && !granted) {
    set_error(err, LULL_BADARG, LULL_NO_OFFSET,
              "lull_wasi_load_granted: bad arguments");
    return NULL;
  }
  return load(e, loop, bytes, len, granted, ngranted, 1, wake, wake_ud, err);
}

/* Whether `host` is one of the granted directories. */
static int is_granted(const char *host, const char *const *granted,
                      size_t ngranted) {
  for (size_t i = 0; i < ngranted; i++)
    if (granted[i] && strcmp(granted[i], host) == 0)
      return 1;
  return 0;
}

static lull_wasi *load(lull_engine *e, uv_loop_t *loop, const uint8_t *bytes,
                       size_t len, const char *const *granted,
                       size_t ngranted, int check, lull_wasi_wake_fn wake,
                       void *wake_ud, lull_error *err) {
  if (!e || !loop || !wake || (!bytes && len)) {
    set_error(err, LULL_BADARG, LULL_NO_OFFSET, "lull_wasi_load: bad arguments");
    return NULL;
  }
  if (len < HEADER) {
    set_error(err, LULL_BADSNAPSHOT, len,
              "WASI snapshot truncated: %zu bytes, the header alone takes %u",
              len, HEADER);
    return NULL;
  }
  if (memcmp(bytes, MAGIC, 8) != 0) {
    set_error(err, LULL_BADSNAPSHOT, 0,
              "not a WASI snapshot (bad magic bytes)");
    return NULL;
  }
  uint32_t version = lullw_ld32(bytes + 8);
  if (version != VERSION) {
    set_error(err, LULL_BADSNAPSHOT, 8,
              "WASI snapshot version %u, this lull reads version %u", version,
              VERSION);
    return NULL;
  }
  uint32_t body = lullw_ld32(bytes + 12);
  if (body != len - HEADER) {
    set_error(err, LULL_BADSNAPSHOT, 12,
              "WASI snapshot %s: the header says %u bytes follow, %zu do",
              body > len - HEADER ? "truncated" : "has trailing bytes", body,
              len - HEADER);
    return NULL;
  }
  if (crc32(bytes + HEADER, body) != lullw_ld32(bytes + 16)) {
    set_error(err, LULL_BADSNAPSHOT, 16,
              "WASI snapshot corrupted (checksum mismatch)");
    return NULL;
  }

  lull_wasi *w = lullw_alloc(e, loop, wake, wake_ud);
  rbuf r = {bytes, len, HEADER, NULL, 0};
  entry *ents = NULL;
  uint32_t nents = 0;
  int oom = !w;
  int roots_on_stack[16], *roots = roots_on_stack;
  size_t nroots = 0;
  if (oom)
    goto fail;
  if (get_strings(e, &r, "arguments", &w->argbuf, &w->argbuf_len, &w->argc,
                  &oom) != 0 ||
      get_strings(e, &r, "environment", &w->envbuf, &w->envbuf_len, &w->envc,
                  &oom) != 0)
    goto fail;
  size_t at = r.at;
  uint32_t npre = get_u32(&r, "preopen count");
  if (!r.bad && npre > (r.len - r.at) / 8)
    refuse(&r, at, "preopen count");
  for (uint32_t i = 0; i < npre && !r.bad; i++) {
    at = r.at;
    char *host = get_str(&r, "preopen host path", &oom);
    char *guest = get_str(&r, "preopen name", &oom);
    if (host && guest && host[0] != '/')
      refuse(&r, at, "preopen host path (not absolute)");
    if (!r.bad && host && guest && check &&
        !is_granted(host, granted, ngranted)) {
      /* Refused before anything is opened. */
      set_error(err, LULL_DENIED, at,
                "the snapshot gives the guest host directory '%s', which "
                "was not granted",
                host);
      free(host);
      free(guest);
      goto fail_quiet;
    }
    if (!r.bad && !oom && host && guest && lullw_add_preopen(w, host, guest))
      oom = 1;
    free(host);
    free(guest);
    if (oom)
      goto fail;
  }
  for (int i = 0; i < 3; i++) {
    at = r.at;
    int32_t fd = (int32_t)get_u32(&r, "stdio descriptors");
    if (!r.bad && fd < -1)
      refuse(&r, at, "stdio descriptors");
    w->stdio_host[i] = fd;
  }
  at = r.at;
  uint8_t exited = get_u8(&r, "exit status");
  w->exit_code = get_u32(&r, "exit status");
  if (!r.bad && exited > 1)
    refuse(&r, at, "exit status");
  w->exited = exited;
  if (r.bad || get_entries(&r, w->npreopens, &ents, &nents, &oom) != 0 ||
      get_request(&r, &w->saved, &oom) != 0)
    goto fail;
  if (r.at != r.len) {
    refuse(&r, r.at, "the end (bytes left over)");
    goto fail;
  }

  /* Every byte is known good: open what the guest had open. */
  nroots = w->npreopens;
  if (nroots > sizeof roots_on_stack / sizeof roots_on_stack[0]) {
    roots = malloc(nroots * sizeof *roots);
    if (!roots) {
      roots = roots_on_stack;
      nroots = 0;
      oom = 1;
      goto fail;
    }
  }
  for (size_t i = 0; i < nroots; i++) {
    roots[i] = open(w->preopens[i].host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (roots[i] < 0) {
      int saved = errno;
      set_error(err, LULL_NOTFOUND, LULL_NO_OFFSET,
                "WASI snapshot: preopen '%s': %s", w->preopens[i].host,
                strerror(saved));
      nroots = i;
      goto fail_quiet;
    }
  }
  for (uint32_t i = 0; i < nents; i++)
    if (restore_entry(w, &ents[i], roots) != 0) {
      oom = 1;
      goto fail;
    }
  for (size_t i = 0; i < nroots; i++)
    close(roots[i]);
  if (roots != roots_on_stack)
    free(roots);
  free_entries(ents, nents);
  return w;

fail:
  if (oom)
    set_error(err, LULL_NOMEM, LULL_NO_OFFSET, "lull_wasi_load: out of memory");
  else
    set_error(err, LULL_BADSNAPSHOT, r.bad_at,
              "WASI snapshot corrupted or truncated: bad %s at byte %zu",
              r.bad ? r.bad : "data", r.bad_at);
fail_quiet:
  for (size_t i = 0; i < nroots; i++)
    close(roots[i]);
  if (roots != roots_on_stack)
    free(roots);
  free_entries(ents, nents);
  lull_wasi_free(w);
  return NULL;
}

lull_status lull_wasi_rearm(lull_wasi *w, lull_thread *t, lull_instance *inst,
                            lull_error *err) {
  if (!w || !t) {
    set_error(err, LULL_BADARG, LULL_NO_OFFSET, "lull_wasi_rearm: bad arguments");
    return LULL_BADARG;
  }
  lullw_saved *s = w->saved;
  if (!s)
    return LULL_OK; /* the guest was not parked in a WASI call */
  if (lull_thread_state_of(t) != LULL_THREAD_SUSPENDED) {
    set_error(err, LULL_BADSTATE, LULL_NO_OFFSET,
              "lull_wasi_rearm: the thread is not suspended");
    return LULL_BADSTATE;
  }
  lullw_call c;
  memset(&c, 0, sizeof c);
  c.w = w;
  c.t = t;
  c.mem = inst ? lull_instance_memory(inst) : NULL;
  c.fn = s->fn;
  memcpy(c.a, s->a, sizeof c.a);
  c.rearm = 1;
  c.deadlines = s->deadlines;
  int32_t r;
  if (s->deliver) {
    r = lullw_defer(&c, s->err);
  } else {
    r = lullw_fn_impl(s->fn)(&c);
    if (r >= 0) /* done at once: still wake through the loop */
      r = lullw_defer(&c, r);
  }
  if (r != LULLW_PENDING) {
    set_error(err, r == LULLW_ENOMEM ? LULL_NOMEM : LULL_BADSNAPSHOT,
              LULL_NO_OFFSET, "lull_wasi_rearm: %s cannot be made again (%s)",
              lullw_fn_name(s->fn), r == LULLW_TRAP ? c.msg : "out of memory");
    return r == LULLW_ENOMEM ? LULL_NOMEM : LULL_BADSNAPSHOT;
  }
  w->saved = NULL;
  lullw_saved_free(s);
  return LULL_OK;
}
