/*
 * ctx.c -- making and freeing WASI contexts: copying the configuration,
 * opening the preopened directories, setting up the guest's standard
 * descriptors, and the embedder's calls that change the table afterwards
 * (lull_wasi_insert_fd, lull_wasi_set_stdio).
 */
#include "wasi_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void set_error(lull_error *err, lull_status s, const char *fmt,
                      const char *a, const char *b) {
  if (!err)
    return;
  err->status = s;
  err->offset = LULL_NO_OFFSET;
  snprintf(err->message, sizeof err->message, fmt, a ? a : "", b ? b : "");
}

void lull_wasi_config_init(lull_wasi_config *cfg) {
  if (!cfg)
    return;
  memset(cfg, 0, sizeof *cfg);
  cfg->stdin_fd = 0;
  cfg->stdout_fd = 1;
  cfg->stderr_fd = 2;
}

lull_wasi *lullw_alloc(lull_engine *e, uv_loop_t *loop,
                       lull_wasi_wake_fn wake, void *wake_ud) {
  lull_wasi *w = lull_calloc(e, 1, sizeof *w);
  if (!w)
    return NULL;
  w->engine = e;
  w->loop = loop;
  w->wake = wake;
  w->wake_ud = wake_ud;
  w->stdio_host[0] = w->stdio_host[1] = w->stdio_host[2] = -1;
  return w;
}

int lullw_set_strings(lull_engine *e, char **buf, size_t *len,
                      uint32_t *count, size_t n, const char *const *v) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += strlen(v[i]) + 1;
  char *b = lull_malloc(e, total ? total : 1);
  if (!b)
    return -1;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = strlen(v[i]) + 1;
    memcpy(b + at, v[i], k);
    at += k;
  }
  lull_free(e, *buf);
  *buf = b;
  *len = total;
  *count = (uint32_t)n;
  return 0;
}

int lullw_add_preopen(lull_wasi *w, const char *host_abs, const char *guest) {
  lullw_preopen *p = lull_realloc(w->engine, w->preopens,
                                   (w->npreopens + 1) * sizeof *w->preopens);
  if (!p)
    return -1;
  w->preopens = p;
  p[w->npreopens].host = lull_strdup(w->engine, host_abs);
  p[w->npreopens].guest = lull_strdup(w->engine, guest);
  if (!p[w->npreopens].host || !p[w->npreopens].guest) {
    lull_free(w->engine, p[w->npreopens].host);
    lull_free(w->engine, p[w->npreopens].guest);
    return -1;
  }
  w->npreopens++;
  return 0;
}

uint64_t lullw_rights_of_type(const lullw_file *f) {
  uint64_t base = f->kind == LULLW_KIND_SOCKET ? LULLW_RIGHTS_SOCKET
                  : f->filetype == LULLW_FT_DIR ? LULLW_RIGHTS_DIR
                                                 : LULLW_RIGHTS_FILE;
  /* Pipes, terminals and sockets cannot seek. Without these rights a
   * terminal is what wasi-libc's isatty recognises (a character device
   * that cannot seek), so stdout on a terminal is line-buffered. */
  if (f->kind != LULLW_KIND_FS)
    base &= ~(LULLW_R_FD_SEEK | LULLW_R_FD_TELL | LULLW_R_FD_ALLOCATE |
              LULLW_R_FD_FILESTAT_SET_SIZE | LULLW_R_FD_ADVISE);
  return base;
}

void lullw_host_rights(lullw_file *f) {
  int fl = fcntl(f->fd, F_GETFL);
  uint64_t base = lullw_rights_of_type(f);
  int acc = fl < 0 ? 0 : fl & O_ACCMODE;
  f->access = acc == O_RDONLY ? 1 : acc == O_WRONLY ? 2 : 3;
  if (!(f->access & 1))
    base &= ~(LULLW_R_FD_READ | LULLW_R_FD_READDIR);
  if (!(f->access & 2))
    base &= ~(LULLW_R_FD_WRITE | LULLW_R_FD_ALLOCATE |
              LULLW_R_FD_FILESTAT_SET_SIZE);
  f->rights_base = base;
  f->rights_inh = f->filetype == LULLW_FT_DIR
                      ? (LULLW_RIGHTS_DIR | LULLW_RIGHTS_FILE)
                      : 0;
  f->fdflags = (fl >= 0 && (fl & O_APPEND)) ? LULLW_FDF_APPEND : 0;
}

int lullw_stdio_foreign(uint32_t slot, int host_fd) {
  if (host_fd != (int)slot)
    return 0;
  int fl = fcntl(host_fd, F_GETFD);
  return fl >= 0 && (fl & FD_CLOEXEC);
}

int32_t lullw_attach_stdio(lull_wasi *w, uint32_t slot, int host_fd) {
  if (lullw_stdio_foreign(slot, host_fd))
    return LULLW_EBADF;
  if (host_fd < 0) {
    lullw_fd_remove(w, slot);
    return 0;
  }
  lullw_file *f = lullw_file_new(host_fd, 0);
  if (!f)
    return LULLW_ENOMEM;
  if (lullw_file_classify(f) != 0) {
    /* Not open in this process: the guest's number stays closed. */
    lullw_file_unref(f);
    lullw_fd_remove(w, slot);
    return 0;
  }
  lullw_host_rights(f);
  f->origin = LULLW_FROM_STDIO;
  f->root = (int32_t)slot;
  int32_t e = lullw_fd_put(w, slot, f);
  if (e != 0)
    lullw_file_unref(f); /* the table could not grow: f is still ours */
  return e;
}

lullw_file *lullw_open_preopen(lull_wasi *w, size_t i) {
  int fd = open(w->preopens[i].host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  lullw_file *f = lullw_file_new(fd, 1);
  if (!f) {
    close(fd);
    errno = ENOMEM;
    return NULL;
  }
  f->kind = LULLW_KIND_FS;
  f->filetype = LULLW_FT_DIR;
  f->origin = LULLW_FROM_PREOPEN;
  f->root = (int32_t)i;
  f->access = 1;
  f->rights_base = LULLW_RIGHTS_DIR;
  f->rights_inh = LULLW_RIGHTS_DIR | LULLW_RIGHTS_FILE;
  return f;
}

lull_wasi *lull_wasi_new(lull_engine *e, uv_loop_t *loop,
                         const lull_wasi_config *cfg_in,
                         lull_wasi_wake_fn wake, void *wake_ud,
                         lull_error *err) {
  lull_wasi_config defaults;
  const lull_wasi_config *cfg = cfg_in;
  if (!cfg) {
    lull_wasi_config_init(&defaults);
    cfg = &defaults;
  }
  if (!e || !loop || !wake || cfg->argc < 0 || cfg->envc < 0 ||
      (cfg->argc && !cfg->argv) || (cfg->envc && !cfg->env) ||
      (cfg->npreopens && !cfg->preopens)) {
    set_error(err, LULL_BADARG, "lull_wasi_new: bad arguments%s%s", NULL,
              NULL);
    return NULL;
  }
  for (int i = 0; i < cfg->argc; i++)
    if (!cfg->argv[i]) {
      set_error(err, LULL_BADARG, "lull_wasi_new: argv holds NULL%s%s", NULL,
                NULL);
      return NULL;
    }
  for (int i = 0; i < cfg->envc; i++)
    if (!cfg->env[i]) {
      set_error(err, LULL_BADARG, "lull_wasi_new: env holds NULL%s%s", NULL,
                NULL);
      return NULL;
    }
  lull_wasi *w = lullw_alloc(e, loop, wake, wake_ud);
  if (!w)
    goto nomem;
  if (lullw_set_strings(e, &w->argbuf, &w->argbuf_len, &w->argc,
                        (size_t)cfg->argc, cfg->argv) != 0 ||
      lullw_set_strings(e, &w->envbuf, &w->envbuf_len, &w->envc,
                        (size_t)cfg->envc, cfg->env) != 0)
    goto nomem;
  int stdio[3] = {cfg->stdin_fd, cfg->stdout_fd, cfg->stderr_fd};
  for (uint32_t i = 0; i < 3; i++) {
    w->stdio_host[i] = stdio[i] < 0 ? -1 : stdio[i];
    int32_t e = lullw_attach_stdio(w, i, stdio[i]);
    if (e == LULLW_EBADF) {
      char num[16];
      snprintf(num, sizeof num, "%u", (unsigned)i);
      set_error(err, LULL_BADARG,
                "standard descriptor %s was closed when the process started "
                "and now holds a descriptor the process opened itself (maybe "
                "libuv's own)%s: call lull_wasi_open_stdio() before the "
                "first loop is made",
                num, NULL);
      goto fail;
    }
    if (e != 0)
      goto nomem;
  }
  /* Preopens take the numbers after the standard ones, in order. */
  for (size_t i = 0; i < cfg->npreopens; i++) {
    const lull_wasi_preopen *p = &cfg->preopens[i];
    char abs[PATH_MAX];
    if (!p->host_path || !p->guest_path) {
      set_error(err, LULL_BADARG, "lull_wasi_new: preopen without a path%s%s",
                NULL, NULL);
      goto fail;
    }
    if (!realpath(p->host_path, abs)) {
      set_error(err, LULL_NOTFOUND, "preopen '%s': %s", p->host_path,
                strerror(errno));
      goto fail;
    }
    if (lullw_add_preopen(w, abs, p->guest_path) != 0)
      goto nomem;
    lullw_file *f = lullw_open_preopen(w, i);
    if (!f) {
      set_error(err, errno == ENOMEM ? LULL_NOMEM : LULL_NOTFOUND,
                "preopen '%s': %s", p->host_path, strerror(errno));
      goto fail;
    }
    if (lullw_fd_put(w, (uint32_t)(3 + i), f) != 0) {
      lullw_file_unref(f);
      goto nomem;
    }
  }
  return w;
nomem:
  set_error(err, LULL_NOMEM, "lull_wasi_new: out of memory%s%s", NULL, NULL);
fail:
  lull_wasi_free(w);
  return NULL;
}

void lull_wasi_free(lull_wasi *w) {
  if (!w)
    return;
  lullw_req_orphan_all(w);
  /* Queued writes are finished, not cancelled: the guest was told they
   * were made. Their jobs keep the files open until then (wb.c). */
  lullw_wb_detach_all(w);
  for (uint32_t i = 0; i < w->nfds; i++)
    lullw_file_unref(w->fds[i]);
  lull_engine *e = w->engine;
  lull_free(e, w->fds);
  lullw_funcs_free(w);
  for (size_t i = 0; i < w->npreopens; i++) {
    lull_free(e, w->preopens[i].host);
    lull_free(e, w->preopens[i].guest);
  }
  lull_free(e, w->preopens);
  lull_free(e, w->argbuf);
  lull_free(e, w->envbuf);
  lullw_saved_free(w->saved);
  lull_free(e, w);
}

int lull_wasi_exited(const lull_wasi *w, uint32_t *code) {
  if (!w || !w->exited)
    return 0;
  if (code)
    *code = w->exit_code;
  return 1;
}

lull_status lull_wasi_insert_fd(lull_wasi *w, int host_fd, uint32_t *guest_fd,
                                lull_error *err) {
  if (!w || host_fd < 0) {
    set_error(err, LULL_BADARG, "lull_wasi_insert_fd: bad arguments%s%s",
              NULL, NULL);
    return LULL_BADARG;
  }
  lullw_file *f = lullw_file_new(host_fd, 1);
  if (!f) {
    set_error(err, LULL_NOMEM, "lull_wasi_insert_fd: out of memory%s%s", NULL,
              NULL);
    return LULL_NOMEM;
  }
  if (lullw_file_classify(f) != 0) {
    f->owned = 0; /* not ours to close: it is not even open */
    lullw_file_unref(f);
    set_error(err, LULL_BADARG,
              "lull_wasi_insert_fd: not an open descriptor%s%s", NULL, NULL);
    return LULL_BADARG;
  }
  lullw_host_rights(f);
  f->origin = LULLW_FROM_HOST;
  int64_t fd = lullw_fd_insert(w, f);
  if (fd < 0) {
    f->owned = 0; /* the caller keeps the descriptor on failure */
    lullw_file_unref(f);
    set_error(err, LULL_LIMIT, "lull_wasi_insert_fd: descriptor table full%s%s",
              NULL, NULL);
    return LULL_LIMIT;
  }
  if (guest_fd)
    *guest_fd = (uint32_t)fd;
  return LULL_OK;
}

lull_status lull_wasi_set_stdio(lull_wasi *w, int stdin_fd, int stdout_fd,
                                int stderr_fd) {
  if (!w)
    return LULL_BADARG;
  int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
  for (uint32_t i = 0; i < 3; i++)
    if (lullw_stdio_foreign(i, fds[i]))
      return LULL_BADARG;
  for (uint32_t i = 0; i < 3; i++) {
    w->stdio_host[i] = fds[i] < 0 ? -1 : fds[i];
    if (lullw_attach_stdio(w, i, fds[i]) != 0)
      return LULL_NOMEM;
  }
  return LULL_OK;
}

int lull_wasi_open_stdio(void) {
  for (int i = 0; i < 3; i++) {
    if (fcntl(i, F_GETFD) >= 0 || errno != EBADF)
      continue;
    /* The lowest free number is `i`: 0, 1 and 2 fill in order. Without
     * O_CLOEXEC, like an inherited descriptor. */
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
      return -errno;
    if (fd != i) {
      close(fd);
      return -EBADF;
    }
  }
  return 0;
}
