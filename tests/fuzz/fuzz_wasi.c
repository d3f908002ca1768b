/*
 * fuzz_wasi.c -- libFuzzer target for the WASI layer: random arguments to
 * every wasi_snapshot_preview1 function, against a scratch directory the
 * guest has as its preopen "/". At start-up a guest is generated with one
 * export per WASI function that forwards its arguments, so the call comes
 * from Wasm and reaches the guest's memory as a real one would. An input
 * is a prefix of memory (bytes 0..n) and then a list of calls: a byte
 * picking the function, and per parameter a byte that picks a small
 * number, an edge value, or raw bytes from the input. A call that parks
 * is resumed from the libuv loop; one still parked after a short wait is
 * dropped with its context, as an embedder tearing down a guest would.
 * Each input then runs again on an engine whose allocator fails at an
 * input-chosen call.
 *
 * The scratch directory is rebuilt for every input with a file, a
 * subdirectory and a file in it. Beside it lies a canary file the guest
 * must never reach: if it changes or disappears the target aborts, as it
 * does for a status or errno the API does not document.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lull.h"
#include "lull_text.h"
#include "lull_wasi.h"
#include "tests/fuzz/fuzz_alloc.h"

static const char *const names[] = {
    "args_get", "args_sizes_get", "environ_get", "environ_sizes_get",
    "clock_res_get", "clock_time_get", "fd_advise", "fd_allocate",
    "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
    "fd_filestat_set_times", "fd_pread", "fd_prestat_get",
    "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir",
    "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
    "path_create_directory", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory",
    "path_rename", "path_symlink", "path_unlink_file", "poll_oneoff",
    "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
    "sock_recv", "sock_send", "sock_shutdown"};
#define NNAMES (sizeof names / sizeof names[0])
#define MAX_PARAMS 10
#define MAX_CALLS 24
#define MEM_PREFIX 4096
#define WAIT_MS 20

typedef struct wfunc {
  const char *name;
  uint32_t nparams, nresults;
  lull_valtype params[MAX_PARAMS];
} wfunc;

static wfunc funcs[NNAMES];
static size_t nfuncs;
static uint8_t *wasm;
static size_t wasm_len;
static char base[64], scratch[256], canary[300];
static const char canary_text[] = "the guest must never reach this file\n";

/* Appends to a growing string; aborts when out of room. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= cap - *len)
    abort();
  *len += (size_t)n;
}

static const char *vt_name(lull_valtype t) {
  return t == LULL_I64 ? "i64" : "i32";
}

/* The guest: every function lull defines, imported and re-exported as
 * "fK" through a Wasm function that forwards its parameters. */
static void make_guest(lull_engine *e, lull_wasi *w) {
  static char text[65536];
  size_t len = 0;
  put(text, sizeof text, &len, "(module\n");
  for (size_t i = 0; i < NNAMES; i++) {
    lull_func *f = lull_wasi_func(w, names[i]);
    if (!f)
      continue; /* not a function lull defines */
    lull_functype ty = lull_func_type(f);
    if (ty.nparams > MAX_PARAMS || ty.nresults > 1)
      abort();
    wfunc *wf = &funcs[nfuncs];
    wf->name = names[i];
    wf->nparams = ty.nparams;
    wf->nresults = ty.nresults;
    memcpy(wf->params, ty.params, ty.nparams * sizeof *ty.params);
    put(text, sizeof text, &len,
        "(import \"wasi_snapshot_preview1\" \"%s\" (func $w%zu", names[i],
        nfuncs);
    for (uint32_t k = 0; k < ty.nparams; k++)
      put(text, sizeof text, &len, " (param %s)", vt_name(ty.params[k]));
    if (ty.nresults)
      put(text, sizeof text, &len, " (result i32)");
    put(text, sizeof text, &len, "))\n");
    nfuncs++;
  }
  put(text, sizeof text, &len, "(memory (export \"memory\") 1)\n");
  for (size_t i = 0; i < nfuncs; i++) {
    put(text, sizeof text, &len, "(func (export \"f%zu\")", i);
    for (uint32_t k = 0; k < funcs[i].nparams; k++)
      put(text, sizeof text, &len, " (param %s)", vt_name(funcs[i].params[k]));
    if (funcs[i].nresults)
      put(text, sizeof text, &len, " (result i32)");
    for (uint32_t k = 0; k < funcs[i].nparams; k++)
      put(text, sizeof text, &len, " (local.get %u)", k);
    put(text, sizeof text, &len, " (call $w%zu))\n", i);
  }
  put(text, sizeof text, &len, ")\n");
  lull_error err;
  if (lull_wat_to_wasm(e, text, len, &wasm, &wasm_len, &err) != LULL_OK) {
    fprintf(stderr, "fuzz-wasi: the guest: %s\n", err.message);
    abort();
  }
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw) {
  (void)st;
  (void)flag;
  if (ftw->level > 0)
    remove(path);
  return 0;
}

/* Empties the scratch directory and puts back what the guest starts with. */
static void reset_scratch(void) {
  nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  char p[512];
  snprintf(p, sizeof p, "%s/a.txt", scratch);
  FILE *f = fopen(p, "w");
  if (f) {
    fputs("0123456789abcdef\n", f);
    fclose(f);
  }
  snprintf(p, sizeof p, "%s/d", scratch);
  mkdir(p, 0700);
  snprintf(p, sizeof p, "%s/d/b", scratch);
  f = fopen(p, "w");
  if (f)
    fclose(f);
}

static void check_canary(void) {
  char buf[sizeof canary_text];
  FILE *f = fopen(canary, "r");
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f)
    fclose(f);
  if (n != sizeof canary_text - 1 || memcmp(buf, canary_text, n) != 0) {
    fprintf(stderr, "fuzz-wasi: the file beside the preopen changed\n");
    abort();
  }
}

static void on_timer(uv_timer_t *h) { *(int *)h->data = 1; }

typedef struct run_state {
  lull_thread *t;
  lull_status s;
  lull_val res;
  int resumed;
} run_state;

static void on_wake(void *ud, lull_thread *t, const lull_val *results,
                    size_t n) {
  run_state *rs = ud;
  rs->s = lull_resume(t, results, n, &rs->res, 1);
  rs->resumed = 1;
}

/* Reads an argument of type `t` from the input. */
static uint64_t arg(const uint8_t **p, const uint8_t *end, lull_valtype t) {
  static const uint64_t edges[] = {0,          1,          8,
                                   16,         65535,      65536,
                                   0x7fffffff, 0x80000000, 0xffffffff,
                                   UINT64_MAX};
  if (*p >= end)
    return 0;
  uint8_t sel = *(*p)++;
  if ((sel & 3) == 0)
    return sel >> 2; /* 0..63: descriptors, small lengths, flags */
  if ((sel & 3) == 1)
    return edges[(sel >> 2) % (sizeof edges / sizeof edges[0])];
  if ((sel & 3) == 2)
    return (uint64_t)(sel >> 2) * 64; /* an address in the prefix */
  size_t n = t == LULL_I64 ? 8 : 4;
  uint64_t v = 0;
  for (size_t i = 0; i < n && *p < end; i++)
    v |= (uint64_t)*(*p)++ << (8 * i);
  return v;
}

static int status_ok(lull_status s) {
  return s == LULL_OK || s == LULL_TRAP || s == LULL_SUSPENDED ||
         s == LULL_NOMEM;
}

/* One run of the input on engine e; 0, or -1 for an undocumented
 * outcome. */
static int run(lull_engine *e, uv_loop_t *loop, const uint8_t *data,
               size_t size) {
  reset_scratch();
  run_state rs = {0};
  lull_wasi_preopen pre = {scratch, "/"};
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  static const char *const argv[] = {"guest", "--flag", "x"};
  static const char *const env[] = {"HOME=/", "A=b"};
  cfg.argc = 3;
  cfg.argv = argv;
  cfg.envc = 2;
  cfg.env = env;
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  int devnull = open("/dev/null", O_RDWR);
  cfg.stdin_fd = cfg.stdout_fd = cfg.stderr_fd = devnull;
  lull_error err;
  int bad = 0;
  lull_module *m = NULL;
  lull_linker *l = NULL;
  lull_instance *inst = NULL;
  lull_wasi *w = lull_wasi_new(e, loop, &cfg, on_wake, &rs, &err);
  if (!w)
    goto done; /* out of memory */
  if (lull_module_new(e, wasm, wasm_len, &m, &err) != LULL_OK ||
      !(l = lull_linker_new(e)) || lull_wasi_define(w, l) != LULL_OK ||
      lull_linker_instantiate(l, m, &inst, &err) != LULL_OK ||
      !(rs.t = lull_thread_new(e)))
    goto done;
  lull_memory *mem = lull_instance_memory(inst);
  const uint8_t *p = data, *end = data + size;
  size_t prefix = size < 2 ? 0 : ((size_t)p[0] | (size_t)p[1] << 8) % MEM_PREFIX;
  p += size < 2 ? size : 2;
  if (prefix > (size_t)(end - p))
    prefix = (size_t)(end - p);
  memcpy(lull_memory_data(mem), p, prefix);
  p += prefix;
  for (int c = 0; c < MAX_CALLS && p < end && !bad; c++) {
    const wfunc *wf = &funcs[*p++ % nfuncs];
    lull_val args[MAX_PARAMS];
    for (uint32_t k = 0; k < wf->nparams; k++) {
      uint64_t v = arg(&p, end, wf->params[k]);
      args[k].type = wf->params[k];
      if (wf->params[k] == LULL_I64)
        args[k].of.i64 = (int64_t)v;
      else
        args[k].of.i32 = (int32_t)(uint32_t)v;
    }
    char ex[16];
    snprintf(ex, sizeof ex, "f%zu", (size_t)(wf - funcs));
    rs.resumed = 0;
    rs.s = lull_call(rs.t, lull_instance_func(inst, ex), args, wf->nparams,
                     &rs.res, wf->nresults);
    if (rs.s == LULL_SUSPENDED) {
      /* Parked on a request: the loop wakes it, or we give up on it. */
      int timed_out = 0;
      uv_timer_t timer;
      uv_timer_init(loop, &timer);
      timer.data = &timed_out;
      uv_timer_start(&timer, on_timer, WAIT_MS, 0);
      while (rs.s == LULL_SUSPENDED && !timed_out)
        uv_run(loop, UV_RUN_ONCE);
      uv_close((uv_handle_t *)&timer, NULL);
      uv_run(loop, UV_RUN_NOWAIT);
      if (rs.s == LULL_SUSPENDED)
        break; /* dropped while parked, below */
    }
    if (!status_ok(rs.s)) {
      fprintf(stderr, "fuzz-wasi: %s gave status %d\n", wf->name, (int)rs.s);
      bad = 1;
    } else if (rs.s == LULL_OK && wf->nresults &&
               (uint32_t)rs.res.of.i32 > 76) {
      fprintf(stderr, "fuzz-wasi: %s returned errno %d\n", wf->name,
              rs.res.of.i32);
      bad = 1;
    }
    uint32_t code;
    if (rs.s == LULL_TRAP && lull_wasi_exited(w, &code))
      break; /* proc_exit: the guest is gone */
  }
done:
  /* The context first: it cancels what a parked thread waits for. */
  if (w)
    lull_wasi_free(w);
  if (rs.t)
    lull_thread_free(rs.t);
  lull_instance_free(inst);
  lull_linker_free(l);
  lull_module_free(m);
  uv_run(loop, UV_RUN_DEFAULT); /* handles close, queued writes finish */
  close(devnull);
  check_canary();
  return bad ? -1 : 0;
}

/* At exit: the scratch directory, the canary and their folder go. */
static void remove_base(void) {
  nftw(base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  rmdir(base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(base, sizeof base, "/tmp/lull-fuzz-wasi-XXXXXX");
  if (!mkdtemp(base))
    abort();
  atexit(remove_base);
  snprintf(scratch, sizeof scratch, "%s/root", base);
  snprintf(canary, sizeof canary, "%s/canary", base);
  if (mkdir(scratch, 0700) != 0)
    abort();
  FILE *f = fopen(canary, "w");
  if (!f)
    abort();
  fputs(canary_text, f);
  fclose(f);

  uv_loop_t loop;
  uv_loop_init(&loop);
  lull_engine *e = lull_engine_new(NULL);
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  lull_error err;
  run_state none = {0};
  lull_wasi *w = lull_wasi_new(e, &loop, &cfg, on_wake, &none, &err);
  if (!w) {
    fprintf(stderr, "fuzz-wasi: %s\n", err.message);
    abort();
  }
  make_guest(e, w);
  lull_wasi_free(w);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  lull_engine_free(e);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0)
    abort();
  lull_engine *e = lull_engine_new(NULL);
  if (!e || run(e, &loop, data, size) != 0)
    abort();
  lull_engine_free(e);

  failing f = {fuzz_hash(data, size) % 256, 0};
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.alloc = failing_alloc;
  cfg.alloc_ud = &f;
  e = lull_engine_new(&cfg);
  if (e) {
    if (run(e, &loop, data, size) != 0)
      abort();
    lull_engine_free(e);
  }
  if (uv_loop_close(&loop) != 0) {
    fprintf(stderr, "fuzz-wasi: a libuv handle outlived its context\n");
    abort();
  }
  return 0;
}
