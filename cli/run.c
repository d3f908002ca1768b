/*
 * run.c -- `lull run` and `lull resume`: one task on a scheduler on a
 * private loop, an optional signal that saves it, and the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_internal.h"

typedef struct run_ctx {
  const lullc_opts *o;
  const char *file;     /* the module, for messages */
  uv_loop_t loop;
  uv_signal_t sig;
  int sig_open;
  lull_uv_sched *sched;
  lull_uv_task *task;   /* NULL once it has ended */
  int print_results;    /* the entry is not _start: print its results */
  int status;           /* the exit status */
  int saved;            /* a snapshot was written */
  int saving;           /* a snapshot is pending */
} run_ctx;

/* ---------------------------------------------------------------------
 * The task's end
 * ------------------------------------------------------------------- */

/* The message and the names come from the module (its name section, a
 * host function's words): lullc_put_escaped keeps them from driving
 * the terminal. */
/* The message (a trap's after "trap: ") and the backtrace. */
static void print_trap(const run_ctx *c, const lull_uv_exit *ex) {
  if (ex->kind == LULL_UV_EXCEPTION)
    lullc_error("%s: %s", c->file, ex->message);
  else
    lullc_error("%s: trap: %s", c->file, ex->message);
  for (size_t i = 0; i < ex->nframes; i++) {
    const lull_frame_info *f = &ex->frames[i];
    fprintf(stderr, "  #%zu ", i);
    if (f->func_name) {
      lullc_put_escaped(stderr, f->func_name);
      fprintf(stderr, " (func %u) at 0x%x\n", f->func_index, f->wasm_offset);
    } else {
      fprintf(stderr, "func %u at 0x%x\n", f->func_index, f->wasm_offset);
    }
  }
}

/* Write-behind told the guest its writes succeeded; one that failed
 * after its last call on that file reached nobody. Its data is not in the
 * file, so the run has failed even if the guest exited with 0: say which
 * descriptor and why, and exit as a native program whose final write
 * failed would want to (EX_IOERR). */
static void report_lost_writes(run_ctx *c, const lull_uv_task *task) {
  uint32_t fd = 0;
  lull_wasi *w = lull_uv_task_wasi(task);
  int err = w ? lull_wasi_write_error(w, &fd) : 0;
  if (!err)
    return;
  if (fd == UINT32_MAX)
    lullc_error("%s: a write to a file the guest has closed failed after "
                "the guest was told it succeeded: %s", c->file, strerror(err));
  else
    lullc_error("%s: a write to fd %u failed after the guest was told it "
                "succeeded: %s", c->file, fd, strerror(err));
  if (c->status == LULLC_EXIT_OK)
    c->status = LULLC_EXIT_IOERR;
}

static void on_task_exit(lull_uv_task *task, const lull_uv_exit *ex, void *ud) {
  run_ctx *c = ud;
  c->task = NULL;
  switch (ex->kind) {
  case LULL_UV_EXITED:
    if (c->print_results)
      for (size_t i = 0; i < ex->nresults; i++)
        lullc_print_val(stdout, &ex->results[i]);
    c->status = ex->code > 255 ? 255 : (int)ex->code;
    break;
  case LULL_UV_TRAPPED:
    print_trap(c, ex);
    c->status = LULLC_EXIT_TRAP;
    break;
  case LULL_UV_EXCEPTION:
    print_trap(c, ex);
    c->status = LULLC_EXIT_EXCEPTION;
    break;
  case LULL_UV_KILLED:
    c->status = c->saved ? LULLC_EXIT_OK : LULLC_EXIT_SOFTWARE;
    break;
  }
  /* A killed task's writes are still queued (they finish while the loop
   * runs), so only an ended guest's are known to be settled. */
  if (ex->kind != LULL_UV_KILLED)
    report_lost_writes(c, task);
  fflush(stdout);
  if (c->sig_open) {
    uv_close((uv_handle_t *)&c->sig, NULL);
    c->sig_open = 0;
  }
}

/* ---------------------------------------------------------------------
 * Saving on a signal
 * ------------------------------------------------------------------- */

/* Why `path` cannot be the snapshot file, or NULL: it may be missing or
 * a regular file, nothing else (renaming over a device, a FIFO or a
 * directory would replace it; a symbolic link is refused as well rather
 * than replaced). */
static const char *snap_file_problem(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? NULL : strerror(errno);
  if (S_ISDIR(st.st_mode))
    return "is a directory";
  if (S_ISLNK(st.st_mode))
    return "is a symbolic link";
  if (!S_ISREG(st.st_mode))
    return "exists and is not a regular file";
  return NULL;
}

/* Writes `bytes` to a new temporary file beside F (mkstemp: created
 * exclusively, never through an existing name or link), syncs it, then
 * renames it over F and syncs the folder, so F is always either the old
 * snapshot or the whole new one. */
static int write_snapshot(const char *path, const uint8_t *bytes, size_t len,
                          const char **why) {
  *why = snap_file_problem(path);
  if (*why)
    return EEXIST;
  size_t n = strlen(path);
  char *tmp = malloc(n + 8);
  char *dir = malloc(n + 1);
  if (!tmp || !dir) {
    free(tmp);
    free(dir);
    return ENOMEM;
  }
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".XXXXXX", 8);
  memcpy(dir, path, n + 1);
  int rc = 0;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    rc = errno;
    goto done;
  }
  for (size_t at = 0; at < len && !rc;) {
    ssize_t w = write(fd, bytes + at, len - at);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      rc = w < 0 ? errno : EIO;
    else
      at += (size_t)w;
  }
  if (!rc && fsync(fd) != 0)
    rc = errno;
  if (close(fd) != 0 && !rc)
    rc = errno;
  if (!rc && rename(tmp, path) != 0)
    rc = errno;
  if (rc) {
    unlink(tmp);
  } else {
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      (void)fsync(dfd); /* the rename is done; this makes it durable */
      close(dfd);
    }
  }
done:
  free(tmp);
  free(dir);
  return rc;
}

static void on_snapshot(lull_uv_task *task, lull_status st,
                        const uint8_t *bytes, size_t len,
                        const lull_error *err, void *ud) {
  run_ctx *c = ud;
  c->saving = 0;
  if (st != LULL_OK) {
    lullc_error("cannot take a snapshot: %s; the guest keeps running",
                    err ? err->message : lull_status_str(st));
    return;
  }
  const char *why = NULL;
  int rc = write_snapshot(c->o->snap_file, bytes, len, &why);
  if (rc != 0) {
    lullc_error("cannot write %s: %s; the guest keeps running",
                    c->o->snap_file, why ? why : strerror(rc));
    return;
  }
  c->saved = 1;
  fprintf(stderr, "lull: snapshot written to %s\n", c->o->snap_file);
  lull_uv_task_kill(task);
}

static void on_signal(uv_signal_t *h, int signum) {
  (void)signum;
  run_ctx *c = h->data;
  if (!c->task || c->saving)
    return;
  if (lull_uv_task_snapshot(c->task, on_snapshot, c) == LULL_OK)
    c->saving = 1;
}

/* Checks early that the snapshot file's folder takes new files, so a typo
 * fails before the guest runs rather than when the signal comes. */
static int check_snap_file(const char *path) {
  size_t n = strlen(path);
  char *copy = malloc(n + 1);
  if (!copy)
    return LULLC_EXIT_SOFTWARE;
  memcpy(copy, path, n + 1);
  const char *dir = dirname(copy);
  int ok = access(dir, W_OK | X_OK) == 0;
  int e = errno;
  free(copy);
  const char *why = ok ? snap_file_problem(path) : strerror(e);
  if (why) {
    lullc_error("cannot write the snapshot file %s: %s", path, why);
    return LULLC_EXIT_CANTCREAT;
  }
  return 0;
}

/* ---------------------------------------------------------------------
 * Running the loop
 * ------------------------------------------------------------------- */

/* Sets up the loop and the scheduler. */
static int start(run_ctx *c, lull_engine *e) {
  if (uv_loop_init(&c->loop) != 0) {
    lullc_error("cannot start the event loop");
    return LULLC_EXIT_SOFTWARE;
  }
  lull_uv_config cfg;
  lull_uv_config_init(&cfg);
  if (c->o->fuel_slice)
    cfg.fuel_slice = c->o->fuel_slice;
  c->sched = lull_uv_sched_new(&c->loop, e, &cfg);
  if (!c->sched) {
    lullc_error("out of memory");
    uv_loop_close(&c->loop);
    return LULLC_EXIT_SOFTWARE;
  }
  return 0;
}

/* Runs the task to its end (or its snapshot), then frees everything. */
static void run_and_stop(run_ctx *c) {
  if (c->task && c->o->snap_signal) {
    if (uv_signal_init(&c->loop, &c->sig) == 0) {
      c->sig.data = c;
      c->sig_open = 1;
      if (uv_signal_start(&c->sig, on_signal, c->o->snap_signal) != 0)
        lullc_error("cannot watch signal %d", c->o->snap_signal);
      /* The guest keeps the loop alive, not the signal. */
      uv_unref((uv_handle_t *)&c->sig);
    }
  }
  if (c->task)
    uv_run(&c->loop, UV_RUN_DEFAULT);
  if (c->task) {
    /* The loop ran dry with the guest still waiting: nothing can wake it
     * (a request the WASI layer could not make). */
    lullc_error("%s: the guest waits for something that never comes",
                    c->file);
    c->status = LULLC_EXIT_SOFTWARE;
  }
  if (c->sig_open) {
    uv_close((uv_handle_t *)&c->sig, NULL);
    c->sig_open = 0;
  }
  lull_uv_sched_free(c->sched);
  uv_run(&c->loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&c->loop) != 0)
    lullc_error("internal error: handles left open on the loop");
}

/* The exit status for a failed spawn or restore. */
static int spawn_status(lull_status st) {
  switch (st) {
  case LULL_NOMEM:
    return LULLC_EXIT_SOFTWARE;
  case LULL_TRAP:
    return LULLC_EXIT_TRAP;
  case LULL_EXCEPTION:
    return LULLC_EXIT_EXCEPTION;
  case LULL_IO:
  case LULL_NOTFOUND:
    return LULLC_EXIT_NOINPUT;
  case LULL_DENIED:
    return LULLC_EXIT_NOPERM;
  default:
    return LULLC_EXIT_DATAERR;
  }
}

/* ---------------------------------------------------------------------
 * lull run
 * ------------------------------------------------------------------- */

/* Frees what make_preopens put in `owned` (which may be NULL), and it. */
static void free_preopens(const lullc_opts *o, char **owned) {
  for (size_t i = 0; owned && i < o->ndirs; i++)
    free(owned[i]);
  free(owned);
}

/* Resolves --dir arguments to absolute host paths (snapshots then work
 * from any folder). */
static int make_preopens(const lullc_opts *o, lull_wasi_preopen *pre,
                         char **owned) {
  for (size_t i = 0; i < o->ndirs; i++) {
    const char *spec = o->dirs[i].host;
    const char *sep = strstr(spec, "::");
    size_t hlen = sep ? (size_t)(sep - spec) : strlen(spec);
    char host[PATH_MAX];
    if (hlen >= sizeof host) {
      lullc_error("--dir '%s': path too long", spec);
      return LULLC_EXIT_USAGE;
    }
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    owned[i] = realpath(host, NULL);
    struct stat st;
    if (!owned[i] || stat(owned[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
      lullc_error("--dir '%s': %s", host,
                      owned[i] ? "not a directory" : strerror(errno));
      return LULLC_EXIT_NOINPUT;
    }
    pre[i].host_path = owned[i];
    /* Without "::GUEST" the whole argument is HOST (and lives in argv). */
    pre[i].guest_path = o->dirs[i].guest ? o->dirs[i].guest : spec;
  }
  return 0;
}

/* The exported function `name`'s type: 0, -1 when there is no such
 * export, -2 when it is not a function. */
static int export_type(lull_module *m, const char *name, lull_functype *out) {
  size_t n = lull_module_export_count(m);
  for (size_t i = 0; i < n; i++) {
    const char *en;
    lull_externtype ty;
    if (lull_module_export(m, i, &en, &ty) != LULL_OK || strcmp(en, name))
      continue;
    if (ty.kind != LULL_EXTERN_FUNC)
      return -2;
    *out = ty.of.func;
    return 0;
  }
  return -1;
}

/* Parses --invoke's values into *args (malloc'd). */
static int invoke_args(const lullc_opts *o, lull_module *m,
                       lull_val **args) {
  lull_functype ty;
  int rc = export_type(m, o->invoke, &ty);
  if (rc < 0) {
    lullc_error(rc == -1 ? "%s: no export named '%s'"
                             : "%s: export '%s' is not a function",
                    o->file, o->invoke);
    return LULLC_EXIT_USAGE;
  }
  if ((size_t)o->nargs != ty.nparams) {
    char types[256] = "";
    size_t used = 0;
    for (uint32_t i = 0; i < ty.nparams && used < sizeof types - 16; i++)
      used += (size_t)snprintf(types + used, sizeof types - used, "%s%s",
                               i ? " " : "", lull_valtype_str(ty.params[i]));
    lullc_error("%s: '%s' takes %u argument%s (%s), %d given", o->file,
                    o->invoke, ty.nparams, ty.nparams == 1 ? "" : "s",
                    ty.nparams ? types : "none", o->nargs);
    return LULLC_EXIT_USAGE;
  }
  *args = calloc(ty.nparams + 1, sizeof **args);
  if (!*args) {
    lullc_error("out of memory");
    return LULLC_EXIT_SOFTWARE;
  }
  for (uint32_t i = 0; i < ty.nparams; i++) {
    lull_error err;
    if (lull_val_parse(ty.params[i], o->args[i], &(*args)[i], &err) !=
        LULL_OK) {
      lullc_error("%s: argument %u of '%s': %s", o->file, i + 1, o->invoke,
                  err.message);
      return LULLC_EXIT_USAGE;
    }
  }
  return 0;
}

int lullc_run(const lullc_opts *o) {
  run_ctx c;
  memset(&c, 0, sizeof c);
  c.o = o;
  c.file = o->file;
  int rc = 0;
  lull_module *m = NULL;
  lull_val *args = NULL;
  const char **argv = NULL;
  lull_wasi_preopen *pre = NULL;
  char **owned = NULL;
  char *abs = NULL;
  lull_engine *e = lull_engine_new(NULL);
  if (!e) {
    lullc_error("out of memory");
    return LULLC_EXIT_SOFTWARE;
  }
  if ((rc = lullc_load_module(e, o->file, NULL,
                                  o->max_file ? o->max_file
                                              : LULLC_MAX_MODULE_FILE,
                                  o->cache, &m)) != 0)
    goto done;
  if (o->invoke) {
    if ((rc = invoke_args(o, m, &args)) != 0)
      goto done;
  } else {
    lull_functype ty;
    int t = export_type(m, "_start", &ty);
    if (t != 0) {
      lullc_error("%s: %s; a reactor? call one of its exports with "
                      "--invoke NAME",
                      o->file,
                      t == -1 ? "no _start export"
                              : "_start is not a function");
      rc = LULLC_EXIT_DATAERR;
      goto done;
    }
  }
  if (o->snap_file && (rc = check_snap_file(o->snap_file)) != 0)
    goto done;
  argv = calloc((size_t)o->nargs + 2, sizeof *argv);
  pre = calloc(o->ndirs + 1, sizeof *pre);
  owned = calloc(o->ndirs + 1, sizeof *owned);
  abs = realpath(o->file, NULL);
  if (!argv || !pre || !owned || !abs) {
    lullc_error("out of memory");
    rc = LULLC_EXIT_SOFTWARE;
    goto done;
  }
  if ((rc = make_preopens(o, pre, owned)) != 0)
    goto done;
  /* argv[0] is the module's file name, as a shell would give a program. */
  const char *slash = strrchr(o->file, '/');
  argv[0] = slash ? slash + 1 : o->file;
  int argc = 1;
  if (!o->invoke)
    for (int i = 0; i < o->nargs; i++)
      argv[argc++] = o->args[i];

  lull_uv_task_config tc;
  lull_uv_task_config_init(&tc);
  tc.wasi.argc = argc;
  tc.wasi.argv = argv;
  tc.wasi.envc = (int)o->nenv;
  tc.wasi.env = o->env;
  tc.wasi.npreopens = o->ndirs;
  tc.wasi.preopens = pre;
  tc.entry = o->invoke;
  tc.args = args;
  tc.nargs = o->invoke ? (size_t)o->nargs : 0;
  tc.fuel_slice = o->fuel_slice;
  tc.max_memory_pages = o->max_pages;
  tc.name = abs;
  c.print_results = o->invoke != NULL;
  if ((rc = start(&c, e)) != 0)
    goto done;
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_status st = lull_uv_task_spawn(c.sched, m, &tc, on_task_exit, &c, &c.task,
                                      &err);
  if (st != LULL_OK) {
    lullc_error("%s: %s%s", o->file, st == LULL_TRAP ? "trap: " : "",
                    err.message[0] ? err.message : lull_status_str(st));
    rc = spawn_status(st);
    c.task = NULL;
  }
  run_and_stop(&c);
  if (!rc)
    rc = c.status;
done:
  free_preopens(o, owned);
  free(pre);
  free(argv);
  free(args);
  free(abs);
  lull_module_free(m);
  lull_engine_free(e);
  return rc;
}

/* ---------------------------------------------------------------------
 * lull resume
 * ------------------------------------------------------------------- */

int lullc_resume(const lullc_opts *o) {
  run_ctx c;
  memset(&c, 0, sizeof c);
  c.o = o;
  c.file = o->file;
  uint8_t *bytes = NULL;
  size_t len = 0;
  char *modpath = NULL;
  lull_module *m = NULL;
  lull_wasi_preopen *pre = NULL;
  char **owned = NULL;
  int rc = lullc_read_input(
      o->file, "the snapshot", LULLC_INPUT_SNAPSHOT,
      o->max_file ? o->max_file : LULLC_MAX_SNAPSHOT_FILE, &bytes, &len);
  if (rc != 0)
    return rc;
  lull_engine *e = lull_engine_new(NULL);
  if (!e) {
    free(bytes);
    lullc_error("out of memory");
    return LULLC_EXIT_SOFTWARE;
  }
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_uv_snapshot_info info;
  lull_status st = lull_uv_snapshot_info_of(bytes, len, &info, &err);
  if (st != LULL_OK) {
    lullc_error("%s: %s", o->file, err.message);
    rc = st == LULL_NOMEM ? LULLC_EXIT_SOFTWARE : LULLC_EXIT_DATAERR;
    goto done;
  }
  modpath = malloc(info.name_len + 1);
  if (!modpath) {
    lullc_error("out of memory");
    rc = LULLC_EXIT_SOFTWARE;
    goto done;
  }
  memcpy(modpath, info.name, info.name_len);
  modpath[info.name_len] = '\0';
  c.file = modpath;
  c.print_results = info.entry_len != 6 ||
                    memcmp(info.entry, "_start", 6) != 0;
  if ((rc = lullc_load_module(e, modpath, "the module the snapshot names",
                                  o->max_file ? o->max_file
                                              : LULLC_MAX_MODULE_FILE,
                                  o->cache, &m)) != 0)
    goto done;
  /* The directories the snapshot may have are the --dir ones. */
  pre = calloc(o->ndirs + 1, sizeof *pre);
  owned = calloc(o->ndirs + 1, sizeof *owned);
  if (!pre || !owned) {
    lullc_error("out of memory");
    rc = LULLC_EXIT_SOFTWARE;
    goto done;
  }
  if ((rc = make_preopens(o, pre, owned)) != 0)
    goto done;
  if (o->snap_file && (rc = check_snap_file(o->snap_file)) != 0)
    goto done;
  if ((rc = start(&c, e)) != 0)
    goto done;
  lull_uv_task_config tc;
  lull_uv_task_config_init(&tc);
  tc.fuel_slice = o->fuel_slice;
  tc.max_memory_pages = o->max_pages;
  tc.wasi.npreopens = o->ndirs;
  tc.wasi.preopens = pre;
  tc.grant_dirs = 1;
  st = lull_uv_task_restore(c.sched, m, bytes, len, &tc, on_task_exit, &c,
                            &c.task, &err);
  free(bytes);
  bytes = NULL;
  if (st != LULL_OK) {
    lullc_error("%s: %s%s", o->file,
                    err.message[0] ? err.message : lull_status_str(st),
                    st == LULL_DENIED ? " (grant it with --dir)" : "");
    rc = spawn_status(st);
    c.task = NULL;
  }
  run_and_stop(&c);
  if (!rc)
    rc = c.status;
done:
  free_preopens(o, owned);
  free(pre);
  free(bytes);
  free(modpath);
  lull_module_free(m);
  lull_engine_free(e);
  return rc;
}
