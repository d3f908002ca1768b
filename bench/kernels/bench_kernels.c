/*
 * bench_kernels.c -- runs the compute kernels on lull and natively, and
 * prints a table: per kernel the median time of run(n) on lull, the median
 * time of the same source compiled natively by gcc -O2, their ratio, and
 * what translating the module (lull_module_new) costs per Wasm byte; then
 * the geometric mean of the ratios.
 *
 *   bench-kernels [--kernel NAME]... [--runs N] [--small] [--no-native]
 *                 [--no-safepoints] [--translate-reps N]
 *                 [--variant all|plain|simd] [--dir DIR] [--native-dir DIR]
 *
 * Each kernel's module is loaded from DIR/<name>.wasm, instantiated with
 * no imports, and its export `run` is called on one lull_thread RUNS times
 * with n (or small_n) from kernels.def; every call must return the
 * checksum kernels.def records for that n, which the native build also
 * returns. The native side is timed by its own driver (native_main.c),
 * started here as NATIVE_DIR/<name> --n N --runs RUNS; it prints its
 * median, so both columns are medians over the same number of runs taken
 * by the same clock (process CPU time). Native binaries are built by `make -C bench natives`.
 *
 * A kernel marked SIMD in kernels.def also has DIR/<name>.simd.wasm, the
 * same source built with -msimd128: it runs on a row of its own,
 * <name>+simd, and a last line per such kernel compares lull with and
 * without SIMD. --variant picks the builds to run: the plain .wasm (plain,
 * the default, so that scripts counting one kernel's instructions count
 * one run), the SIMD ones, or both (all, which `make bench` asks for). A
 * missing .simd.wasm (as in a folder of transformed plain guests) is a
 * warning.
 *
 * gcc -O2 vectorizes such a kernel's native build, so each build is
 * compared like for like: <name>+simd against that vectorized NATIVE_DIR/
 * <name>, the plain <name> against NATIVE_DIR/<name>.scalar, the same
 * source built with -fno-tree-vectorize. A line under the table says which
 * native each row used and gives the plain build's ratio to the vectorized
 * native too. The geometric mean is over every plain build compared with
 * scalar native code, so it takes in those kernels' plain rows as well;
 * only when <name>.scalar is missing (a warning) is the plain row timed
 * against the vectorized native and left out of the mean, as its ratio
 * would then measure vectorization rather than the interpreter.
 *
 * The exit status is 0 when every selected kernel ran and returned the
 * expected checksum on lull (and natively, unless --no-native), 1 if not,
 * 2 for bad options. A missing native binary is a warning, not a failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lull.h"
#include "kernel_table.h"

#ifndef LULL_BENCH_KERNEL_DIR
#define LULL_BENCH_KERNEL_DIR "bench/kernels"
#endif
#ifndef LULL_BENCH_NATIVE_DIR
#define LULL_BENCH_NATIVE_DIR "build/bench-native"
#endif

/* Automatic translation timing repeats lull_module_new until it has spent
 * this long, within these bounds: enough repetitions for a stable median
 * of modules that translate in microseconds. */
#define TRANSLATE_BUDGET_NS 100e6
#define TRANSLATE_MIN_REPS 5
#define TRANSLATE_MAX_REPS 1000

struct options {
  const char *dir;
  const char *native_dir;
  const char *only[KERNEL_COUNT]; /* --kernel names; none: all */
  size_t nonly;
  uint32_t runs;
  uint32_t translate_reps; /* 0: automatic */
  int small;
  int native;
  int safepoints;
  int plain;      /* run the plain builds */
  int simd;       /* run the SIMD builds */
};

/* What one kernel measured. Times are medians in milliseconds; a column
 * that could not be measured is negative. */
struct result {
  double lull_ms;
  double native_ms;
  double vector_native_ms; /* a SIMD kernel's vectorized native, plain row */
  double translate_ns; /* one lull_module_new */
  size_t wasm_bytes;
  size_t code_bytes; /* the code section's payload */
  int failed;
  int missing; /* an optional build (.simd.wasm) is not there */
  int scalar_native; /* native_ms is NATIVE_DIR/<name>.scalar's */
};

/* CPU time of this process: on a shared machine it leaves out the time
 * other processes hold the CPU, which wall-clock time would add to
 * whichever side happened to run then. The native driver uses the same
 * clock. Everything measured is single-threaded. */
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v[0, n) and returns its median (the upper one for even n). */
static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

/* Reads a whole file into a malloc'd buffer; NULL (with errno) on error. */
static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf = NULL;
  long size;
  if (f == NULL)
    return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0)
    goto done;
  buf = malloc(size > 0 ? (size_t)size : 1);
  if (buf == NULL)
    goto done;
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    buf = NULL;
    errno = EIO;
    goto done;
  }
  *len = (size_t)size;
done:
  fclose(f);
  return buf;
}

/* The payload size of the code section (id 10), found by walking the
 * section headers; 0 if the module has none or is malformed. Translation
 * cost per code byte does not flatter modules with big data segments. */
static size_t code_section_size(const uint8_t *p, size_t len) {
  size_t i = 8; /* magic and version */
  while (i < len) {
    uint8_t id = p[i++];
    uint32_t size = 0;
    for (unsigned shift = 0; i < len && shift < 35; shift += 7) {
      uint8_t b = p[i++];
      size |= (uint32_t)(b & 0x7f) << shift;
      if (!(b & 0x80))
        break;
    }
    if (size > len - i)
      return 0;
    if (id == 10)
      return size;
    i += size;
  }
  return 0;
}

/* Times lull_module_new on the module's bytes and leaves the last module
 * compiled in *out (NULL on failure, reported on stderr). */
static lull_module *translate(lull_engine *e, const struct kernel_info *k,
                              const uint8_t *bytes, size_t len,
                              uint32_t reps, struct result *res) {
  double times[TRANSLATE_MAX_REPS], spent = 0.0;
  uint32_t max = reps ? reps : TRANSLATE_MAX_REPS;
  uint32_t done = 0;
  lull_module *m = NULL;
  lull_error err;

  if (max > TRANSLATE_MAX_REPS)
    max = TRANSLATE_MAX_REPS;
  while (done < max) {
    lull_status s;
    double t0;
    if (m != NULL)
      lull_module_free(m);
    m = NULL;
    t0 = now_ns();
    s = lull_module_new(e, bytes, len, &m, &err);
    times[done] = now_ns() - t0;
    if (s != LULL_OK) {
      fprintf(stderr, "%s: lull_module_new: %s: %s\n", k->name,
              lull_status_str(s), err.message);
      return NULL;
    }
    spent += times[done++];
    if (reps == 0 && done >= TRANSLATE_MIN_REPS && spent >= TRANSLATE_BUDGET_NS)
      break;
  }
  res->translate_ns = median(times, done);
  return m;
}

/* Reports the last trap or misuse error of `t` with its backtrace. */
static void report_trap(const struct kernel_info *k, lull_thread *t,
                        lull_status s) {
  lull_frame_info frames[8];
  size_t n = lull_thread_backtrace(t, frames, 8);
  fprintf(stderr, "%s: lull_call: %s: %s\n", k->name, lull_status_str(s),
          lull_thread_trap_message(t));
  for (size_t i = 0; i < n && i < 8; i++) {
    fprintf(stderr, "  #%zu func %u %s at 0x%x\n", i, frames[i].func_index,
            frames[i].func_name ? frames[i].func_name : "?",
            frames[i].wasm_offset);
  }
}

/* Instantiates `m`, calls run(n) `runs` times and sets res->lull_ms to
 * the median; checks every result against `expected`. */
static void run_lull(lull_engine *e, lull_module *m,
                     const struct kernel_info *k, uint32_t n,
                     uint32_t expected, uint32_t runs, struct result *res) {
  lull_instance *inst = NULL;
  lull_thread *t = NULL;
  lull_func *f;
  lull_error err;
  lull_status s;
  double *ms = calloc(runs, sizeof *ms);

  if (ms == NULL) {
    fprintf(stderr, "%s: out of memory\n", k->name);
    goto fail;
  }
  s = lull_instantiate(e, m, NULL, 0, &inst, &err);
  if (s != LULL_OK) {
    fprintf(stderr, "%s: lull_instantiate: %s: %s\n", k->name,
            lull_status_str(s), err.message);
    goto fail;
  }
  f = lull_instance_func(inst, "run");
  if (f == NULL) {
    fprintf(stderr, "%s: the instance exports no function \"run\"\n", k->name);
    goto fail;
  }
  t = lull_thread_new(e);
  if (t == NULL) {
    fprintf(stderr, "%s: lull_thread_new failed\n", k->name);
    goto fail;
  }
  for (uint32_t r = 0; r < runs; r++) {
    lull_val arg, result;
    double t0;
    arg.type = LULL_I32;
    arg.of.i32 = (int32_t)n;
    memset(&result, 0, sizeof result);
    t0 = now_ns();
    s = lull_call(t, f, &arg, 1, &result, 1);
    ms[r] = (now_ns() - t0) / 1e6;
    if (s != LULL_OK) {
      report_trap(k, t, s);
      goto fail;
    }
    if (result.type != LULL_I32 || (uint32_t)result.of.i32 != expected) {
      fprintf(stderr, "%s: lull: run(%u) returned %s 0x%08x, expected i32 "
              "0x%08x (stale .wasm? rebuild with `make bench-guests`)\n",
              k->name, n, lull_valtype_str(result.type),
              (uint32_t)result.of.i32, expected);
      goto fail;
    }
  }
  res->lull_ms = median(ms, runs);
  goto done;
fail:
  res->failed = 1;
done:
  lull_thread_free(t);
  lull_instance_free(inst);
  free(ms);
}

/* Runs the native driver NATIVE_DIR/<name><suffix> and returns the median
 * it prints; -1 when it is missing (a warning) or failed (res->failed). */
static double run_native(const struct options *o, const struct kernel_info *k,
                         const char *suffix, uint32_t n, struct result *res) {
  char path[4096], nbuf[16], rbuf[16], out[256];
  char *argv[] = {path, "--n", nbuf, "--runs", rbuf, NULL};
  int fds[2], status;
  size_t got = 0;
  ssize_t r;
  unsigned sum;
  double ms;
  pid_t pid;

  snprintf(path, sizeof path, "%s/%s%s", o->native_dir, k->name, suffix);
  snprintf(nbuf, sizeof nbuf, "%u", n);
  snprintf(rbuf, sizeof rbuf, "%u", o->runs);
  if (access(path, X_OK) != 0) {
    fprintf(stderr, "%s: no native build at %s (make -C bench natives)\n",
            k->name, path);
    return -1.0;
  }
  if (pipe(fds) != 0) {
    perror("pipe");
    res->failed = 1;
    return -1.0;
  }
  fflush(NULL); /* the child must not inherit unwritten output */
  pid = fork();
  if (pid < 0) {
    perror("fork");
    close(fds[0]);
    close(fds[1]);
    res->failed = 1;
    return -1.0;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(path, argv);
    fprintf(stderr, "%s: exec %s: %s\n", k->name, path, strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  while (got < sizeof out - 1 &&
         ((r = read(fds[0], out + got, sizeof out - 1 - got)) > 0 ||
          (r < 0 && errno == EINTR)))
    got += r > 0 ? (size_t)r : 0;
  out[got] = '\0';
  close(fds[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  /* The driver itself checks its checksum against kernels.def and says
   * so on stderr; a non-zero status is that or a crash. */
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      sscanf(out, "checksum %x median_ms %lf", &sum, &ms) != 2) {
    fprintf(stderr, "%s: native run failed (%s)\n", k->name,
            WIFEXITED(status) ? "bad exit status or output" : "killed");
    res->failed = 1;
    return -1.0;
  }
  return ms;
}

/* The native side of a plain build whose kernel gcc vectorizes: the
 * vectorized time is kept for the note under the table, and the row's
 * native is <name>.scalar, or the vectorized one when that is missing. */
static void run_native_scalar(const struct options *o,
                              const struct kernel_info *k, uint32_t n,
                              struct result *res) {
  char path[4096];
  res->vector_native_ms = run_native(o, k, "", n, res);
  snprintf(path, sizeof path, "%s/%s.scalar", o->native_dir, k->name);
  if (access(path, X_OK) != 0) {
    fprintf(stderr, "%s: no scalar native build at %s (make -C bench "
            "natives); comparing with the vectorized one\n", k->name, path);
    res->native_ms = res->vector_native_ms;
    return;
  }
  res->native_ms = run_native(o, k, ".scalar", n, res);
  res->scalar_native = 1;
}

static void print_header(void) {
  printf("%-9s %8s %10s %10s %7s %7s %7s %9s %9s\n", "kernel", "n",
         "lull ms", "native ms", "ratio", "wasm B", "code B", "ns/B",
         "ns/codeB");
}

static void print_cell(double v, int width, int prec) {
  if (v < 0)
    printf(" %*s", width, "-");
  else
    printf(" %*.*f", width, prec, v);
}

static void print_row(const char *label, uint32_t n, const struct result *r) {
  double ratio = r->lull_ms > 0 && r->native_ms > 0 ? r->lull_ms / r->native_ms
                                                    : -1.0;
  printf("%-9s %8u", label, n);
  print_cell(r->lull_ms, 10, 2);
  print_cell(r->native_ms, 10, 2);
  print_cell(ratio, 7, 2);
  printf(" %7zu %7zu", r->wasm_bytes, r->code_bytes);
  print_cell(r->translate_ns >= 0 ? r->translate_ns / (double)r->wasm_bytes
                                  : -1.0, 9, 1);
  print_cell(r->translate_ns >= 0 && r->code_bytes
                 ? r->translate_ns / (double)r->code_bytes : -1.0, 9, 1);
  printf("%s\n", r->failed ? "  FAILED" : "");
  fflush(stdout);
}

/* Loads, translates, runs and (natively, when `native`) runs one build of
 * a kernel: DIR/<name><suffix>.wasm. A missing file is a failure, or only
 * a warning (res->missing) when `optional`. */
static void bench_one(lull_engine *e, const struct options *o,
                      const struct kernel_info *k, const char *suffix,
                      int native, int optional, struct result *res) {
  uint32_t n = o->small ? k->small_n : k->n;
  uint32_t expected = o->small ? k->small_checksum : k->checksum;
  char path[4096];
  uint8_t *bytes;
  lull_module *m;

  res->lull_ms = res->native_ms = res->vector_native_ms = -1.0;
  res->translate_ns = -1.0;
  snprintf(path, sizeof path, "%s/%s%s.wasm", o->dir, k->name, suffix);
  bytes = read_file(path, &res->wasm_bytes);
  if (bytes == NULL) {
    fprintf(stderr, "%s: cannot read %s: %s\n", k->name, path, strerror(errno));
    if (optional && errno == ENOENT)
      res->missing = 1;
    else
      res->failed = 1;
    return;
  }
  res->code_bytes = code_section_size(bytes, res->wasm_bytes);
  m = translate(e, k, bytes, res->wasm_bytes, o->translate_reps, res);
  free(bytes);
  if (m == NULL) {
    res->failed = 1;
  } else {
    run_lull(e, m, k, n, expected, o->runs, res);
    lull_module_free(m);
  }
  if (native && *suffix == '\0' && kernel_has_simd(k->name))
    run_native_scalar(o, k, n, res);
  else if (native)
    res->native_ms = run_native(o, k, "", n, res);
}

static int selected(const struct options *o, const char *name) {
  if (o->nonly == 0)
    return 1;
  for (size_t i = 0; i < o->nonly; i++) {
    if (strcmp(o->only[i], name) == 0)
      return 1;
  }
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: bench-kernels [--kernel NAME]... [--runs N] [--small]\n"
          "                     [--no-native] [--no-safepoints]\n"
          "                     [--translate-reps N]\n"
          "                     [--variant all|plain|simd] [--dir DIR]\n"
          "                     [--native-dir DIR]\n"
          "kernels:");
  for (size_t i = 0; i < KERNEL_COUNT; i++)
    fprintf(stderr, " %s", kernel_table[i].name);
  fprintf(stderr, "\n");
  return 2;
}

/* Parses the positive decimal count `s` given to `opt`; 0 on failure. */
static uint32_t parse_count(const char *opt, const char *s) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v == 0 || v > 1000000) {
    fprintf(stderr, "bench-kernels: bad value for %s: '%s'\n", opt, s);
    return 0;
  }
  return (uint32_t)v;
}

static int parse_options(int argc, char **argv, struct options *o) {
  o->dir = LULL_BENCH_KERNEL_DIR;
  o->native_dir = LULL_BENCH_NATIVE_DIR;
  o->nonly = 0;
  o->runs = 5;
  o->translate_reps = 0;
  o->small = 0;
  o->native = 1;
  o->safepoints = 1;
  o->plain = 1;
  o->simd = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    /* The value of an option that takes one, or NULL at the end. */
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--small") == 0) {
      o->small = 1;
    } else if (strcmp(a, "--no-native") == 0) {
      o->native = 0;
    } else if (strcmp(a, "--no-safepoints") == 0) {
      o->safepoints = 0;
    } else if (v == NULL) {
      return usage();
    } else if (strcmp(a, "--kernel") == 0) {
      if (kernel_find(v) == NULL) {
        fprintf(stderr, "bench-kernels: unknown kernel '%s'\n", v);
        return usage();
      }
      if (o->nonly < KERNEL_COUNT)
        o->only[o->nonly++] = v;
      i++;
    } else if (strcmp(a, "--runs") == 0) {
      if ((o->runs = parse_count(a, v)) == 0)
        return 2;
      i++;
    } else if (strcmp(a, "--translate-reps") == 0) {
      if ((o->translate_reps = parse_count(a, v)) == 0)
        return 2;
      i++;
    } else if (strcmp(a, "--variant") == 0) {
      o->plain = strcmp(v, "all") == 0 || strcmp(v, "plain") == 0;
      o->simd = strcmp(v, "all") == 0 || strcmp(v, "simd") == 0;
      if (!o->plain && !o->simd) {
        fprintf(stderr, "bench-kernels: bad value for --variant: '%s'\n", v);
        return 2;
      }
      i++;
    } else if (strcmp(a, "--dir") == 0) {
      o->dir = v;
      i++;
    } else if (strcmp(a, "--native-dir") == 0) {
      o->native_dir = v;
      i++;
    } else {
      return usage();
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  struct options o;
  struct result res[KERNEL_COUNT], simd[KERNEL_COUNT];
  lull_config cfg;
  lull_engine *e;
  double log_sum = 0.0, translate_ns = 0.0;
  size_t nratios = 0, nfailed = 0, nrun = 0, bytes = 0, code_bytes = 0;
  int rc = parse_options(argc, argv, &o);

  if (rc != 0)
    return rc;
  lull_config_init(&cfg);
  cfg.safepoints = o.safepoints;
  e = lull_engine_new(&cfg);
  if (e == NULL) {
    fprintf(stderr, "bench-kernels: lull_engine_new failed\n");
    return 1;
  }
  printf("lull %s, median CPU time of %u run%s; %s inputs%s\n",
         LULL_VERSION_STRING, o.runs, o.runs == 1 ? "" : "s",
         o.small ? "small" : "default", o.safepoints ? "" : "; safepoints off");
  print_header();
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    const struct kernel_info *k = &kernel_table[i];
    struct result *r = &res[i], *sr = &simd[i];
    uint32_t n = o.small ? k->small_n : k->n;
    memset(r, 0, sizeof *r);
    memset(sr, 0, sizeof *sr);
    r->lull_ms = r->native_ms = sr->lull_ms = sr->native_ms = -1.0;
    sr->missing = 1;
    if (!selected(&o, k->name))
      continue;
    if (o.plain) {
      bench_one(e, &o, k, "", o.native, 0, r);
      print_row(k->name, n, r);
      nrun++;
      nfailed += r->failed != 0;
      /* Against vectorized native code (no <name>.scalar) the ratio says
       * more about vectorization than about lull. */
      if (r->lull_ms > 0 && r->native_ms > 0 &&
          (r->scalar_native || !kernel_has_simd(k->name))) {
        log_sum += log(r->lull_ms / r->native_ms);
        nratios++;
      }
      if (r->translate_ns >= 0) {
        translate_ns += r->translate_ns;
        bytes += r->wasm_bytes;
        code_bytes += r->code_bytes;
      }
    }
    if (o.simd && kernel_has_simd(k->name)) {
      char label[64];
      snprintf(label, sizeof label, "%s+simd", k->name);
      sr->missing = 0;
      /* The plain row has timed the vectorized native already. */
      bench_one(e, &o, k, ".simd", o.native && !o.plain, 1, sr);
      if (o.plain)
        sr->native_ms = r->vector_native_ms;
      if (!sr->missing)
        print_row(label, n, sr);
      nrun++;
      nfailed += sr->failed != 0;
    }
  }
  /* Which native each row of a SIMD kernel was timed against; the plain
   * build's ratio to the vectorized native is printed too, not hidden. */
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    const struct kernel_info *k = &kernel_table[i];
    const struct result *r = &res[i], *sr = &simd[i];
    const char *sep = "native: ";
    if (!kernel_has_simd(k->name) || (r->native_ms <= 0 && sr->native_ms <= 0))
      continue;
    if (r->native_ms > 0 && r->scalar_native)
      printf("%s%s against %s.scalar (gcc -fno-tree-vectorize)", sep,
             k->name, k->name);
    else if (r->native_ms > 0)
      printf("%s%s against the vectorized %s (no %s.scalar: not in the "
             "geometric mean)", sep, k->name, k->name, k->name);
    if (r->native_ms > 0)
      sep = "; ";
    if (sr->native_ms > 0)
      printf("%s%s+simd against the vectorized %s", sep, k->name, k->name);
    if (r->scalar_native && r->lull_ms > 0 && r->vector_native_ms > 0)
      printf("; %s against the vectorized %s (%.2f ms): ratio %.2f", k->name,
             k->name, r->vector_native_ms, r->lull_ms / r->vector_native_ms);
    printf("\n");
  }
  if (nratios > 0)
    printf("geometric mean of lull/native over %zu plain build%s: %.2f\n",
           nratios, nratios == 1 ? "" : "s", exp(log_sum / (double)nratios));
  for (size_t i = 0; i < KERNEL_COUNT; i++) {
    const struct result *r = &res[i], *sr = &simd[i];
    if (sr->missing || sr->lull_ms <= 0)
      continue;
    printf("simd: %s on lull %.2f ms with wasm SIMD", kernel_table[i].name,
           sr->lull_ms);
    if (r->lull_ms > 0)
      printf(", %.2f ms without (%.2fx faster)", r->lull_ms,
             r->lull_ms / sr->lull_ms);
    if (sr->native_ms > 0)
      printf("; vectorized native %.2f ms", sr->native_ms);
    printf("\n");
  }
  if (bytes > 0)
    printf("translation: %zu bytes (%zu of code) in %.1f us: %.1f ns/byte, "
           "%.1f ns/code byte\n", bytes, code_bytes, translate_ns / 1e3,
           translate_ns / (double)bytes,
           code_bytes ? translate_ns / (double)code_bytes : 0.0);
  lull_engine_free(e);
  if (nfailed > 0) {
    fprintf(stderr, "bench-kernels: %zu of %zu kernel%s failed\n", nfailed,
            nrun, nrun == 1 ? "" : "s");
    return 1;
  }
  return 0;
}
