/*
 * bench_concurrency.c -- many sleeping guests on one loop.
 *
 *   bench-concurrency [--guest FILE.wasm] [N]...
 *
 * For each N (default 1000 10000 50000), a fresh child process loads
 * sleep.wasm (a wasi-libc program that sleeps one second), spawns N tasks
 * of it on one scheduler at once and runs the loop until every task has
 * exited. It reports:
 *
 *   spawn     seconds to make the N tasks (instances, WASI contexts,
 *             threads), before the loop runs;
 *   parked    seconds from the first spawn until every task waits in its
 *             sleep (checked on each loop turn by a uv_prepare handle,
 *             which runs after the scheduler's idle turn and before the
 *             loop sleeps);
 *   done      seconds from the first spawn until the last exit callback:
 *             the time until all have finished (at least 1 s);
 *   RSS       VmRSS growth over the process before spawning, once all are
 *             parked, in MiB, and per parked guest in KiB;
 *   HWM       VmHWM (the peak resident size) of the whole process at the
 *             end, in MiB;
 *   maps      the process's memory mappings once all are parked: each
 *             linear memory is an mmap of its own, and the kernel refuses
 *             more than vm.max_map_count (printed below the table).
 *
 * A child per N keeps the rows independent: freed memory that the
 * allocator keeps would otherwise count in the next row. When a row
 * fails (a spawn refused, a guest that does not exit 0), the child says
 * which guest and why, and the row reads FAILED.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_child.h"
#include "lull.h"
#include "lull_uv.h"

#ifndef LULL_BENCH_CONCURRENCY_DIR
#define LULL_BENCH_CONCURRENCY_DIR "."
#endif

/* What a child measured, sent to the parent through a pipe. */
typedef struct row {
  double spawn_s, parked_s, done_s;
  long base_kib, parked_kib, hwm_kib;
  long maps; /* lines of /proc/self/maps once all are parked */
  int ok;
} row;

typedef struct run {
  lull_uv_task **tasks;
  size_t n, exited, wrong, checked;
  uint64_t t0;
  double parked_s, done_s;
  long parked_kib, maps;
  uv_prepare_t check; /* the parked check */
} run;

/* A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1. */
static long status_kib(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  size_t n = strlen(field);
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, field, n) && line[n] == ':') {
      kib = strtol(line + n + 1, NULL, 10);
      break;
    }
  fclose(f);
  return kib;
}

/* How many memory mappings the process has (each linear memory is one
 * mmap, and the kernel caps them at vm.max_map_count). */
static long count_maps(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  long n = 0;
  int c;
  if (!f)
    return -1;
  while ((c = getc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

static double since(uint64_t t0) { return (double)(uv_hrtime() - t0) / 1e9; }

static void on_exit_cb(lull_uv_task *task, const lull_uv_exit *ex, void *ud) {
  run *r = ud;
  size_t i = (size_t)(uintptr_t)lull_uv_task_data(task);
  if (ex->kind != LULL_UV_EXITED || ex->code != 0) {
    if (!r->wrong)
      fprintf(stderr, "guest %zu: %s (code %u)\n", i,
              ex->kind == LULL_UV_EXITED ? "exited" : ex->message, ex->code);
    r->wrong++;
  }
  r->tasks[i] = NULL;
  if (++r->exited == r->n)
    r->done_s = since(r->t0);
}

/* After each scheduler turn: have all the tasks parked in their sleep yet?
 * Tasks are checked in order and `checked` remembers how far all were
 * waiting, so the whole walk costs O(N) over the run. */
static void on_check(uv_prepare_t *h) {
  run *r = h->data;
  while (r->checked < r->n &&
         (!r->tasks[r->checked] ||
          lull_uv_task_state_of(r->tasks[r->checked]) == LULL_UV_WAITING))
    r->checked++;
  if (r->checked < r->n)
    return;
  r->parked_s = since(r->t0);
  r->parked_kib = status_kib("VmRSS");
  r->maps = count_maps();
  uv_prepare_stop(h);
}

static lull_module *load(lull_engine *e, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0, got;
  do {
    if (len == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(buf, cap);
      if (!p)
        break;
      buf = p;
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
  } while (got > 0);
  fclose(f);
  lull_module *m = NULL;
  lull_error err;
  if (!buf || lull_module_new(e, buf, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", path, buf ? err.message : "out of memory");
    m = NULL;
  }
  free(buf);
  return m;
}

/* In a child: one row. Exits; never returns. */
static void child(const char *guest, size_t n, int fd) {
  row out;
  memset(&out, 0, sizeof out);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = e ? load(e, guest) : NULL;
  uv_loop_t loop;
  if (!m || uv_loop_init(&loop) != 0)
    _exit(1);
  lull_uv_sched *s = lull_uv_sched_new(&loop, e, NULL);
  run r;
  memset(&r, 0, sizeof r);
  r.n = n;
  r.tasks = calloc(n, sizeof *r.tasks);
  if (!s || !r.tasks)
    _exit(1);
  uv_prepare_init(&loop, &r.check);
  r.check.data = &r;
  uv_prepare_start(&r.check, on_check);
  lull_uv_task_config cfg;
  lull_uv_task_config_init(&cfg);
  const char *argv[] = {"sleep"};
  cfg.wasi.argc = 1;
  cfg.wasi.argv = argv;
  out.base_kib = status_kib("VmRSS");
  r.t0 = uv_hrtime();
  for (size_t i = 0; i < n; i++) {
    lull_error err;
    if (lull_uv_task_spawn(s, m, &cfg, on_exit_cb, &r, &r.tasks[i], &err) !=
        LULL_OK) {
      fprintf(stderr, "spawning guest %zu of %zu: %s\n", i, n, err.message);
      _exit(1);
    }
    lull_uv_task_set_data(r.tasks[i], (void *)(uintptr_t)i);
  }
  out.spawn_s = since(r.t0);
  uv_run(&loop, UV_RUN_DEFAULT);
  out.parked_s = r.parked_s;
  out.done_s = r.done_s;
  out.parked_kib = r.parked_kib;
  out.maps = r.maps;
  out.hwm_kib = status_kib("VmHWM");
  out.ok = r.exited == n && r.wrong == 0 && r.parked_kib > 0;
  if (r.exited != n)
    fprintf(stderr, "%zu of %zu guests never finished\n", n - r.exited, n);
  ssize_t k = write(fd, &out, sizeof out);
  /* No clean-up: the process ends here. */
  _exit(k == (ssize_t)sizeof out ? 0 : 1);
}

typedef struct job {
  const char *guest;
  size_t n;
} job;

static void run_job(void *arg, int fd) {
  const job *jb = arg;
  child(jb->guest, jb->n, fd);
}

static int measure(const char *guest, size_t n, row *out) {
  job jb = {guest, n};
  if (bench_in_child(run_job, &jb, out, sizeof *out) != 0 || !out->ok)
    return -1;
  return 0;
}

/* The system limits a row could hit: descriptors and memory mappings. */
static void print_limits(void) {
  struct rlimit nofile;
  long maps = -1;
  FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
  if (f) {
    if (fscanf(f, "%ld", &maps) != 1)
      maps = -1;
    fclose(f);
  }
  if (getrlimit(RLIMIT_NOFILE, &nofile) != 0)
    nofile.rlim_cur = 0;
  printf("(limits: %llu open files, vm.max_map_count %ld)\n",
         (unsigned long long)nofile.rlim_cur, maps);
}

int main(int argc, char **argv) {
  const char *guest = LULL_BENCH_CONCURRENCY_DIR "/sleep.wasm";
  size_t counts[16], ncounts = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--guest") && i + 1 < argc) {
      guest = argv[++i];
    } else if (argv[i][0] >= '1' && argv[i][0] <= '9' && ncounts < 16) {
      counts[ncounts++] = (size_t)strtoul(argv[i], NULL, 10);
    } else {
      fprintf(stderr, "usage: bench-concurrency [--guest FILE.wasm] [N]...\n");
      return 2;
    }
  }
  if (!ncounts) {
    counts[0] = 1000;
    counts[1] = 10000;
    counts[2] = 50000;
    ncounts = 3;
  }
  printf("concurrency: N guests sleeping 1 s at once on one loop (%s)\n",
         guest);
  printf("%7s %8s %8s %8s %9s %10s %9s %7s\n", "guests", "spawn s",
         "parked s", "done s", "RSS MiB", "KiB/guest", "HWM MiB", "maps");
  int failed = 0;
  for (size_t i = 0; i < ncounts; i++) {
    row r;
    printf("%7zu", counts[i]);
    fflush(stdout);
    if (measure(guest, counts[i], &r) != 0) {
      printf(" %8s\n", "FAILED");
      failed = 1;
      continue;
    }
    long grown = r.parked_kib - r.base_kib;
    printf(" %8.2f %8.2f %8.2f %9.1f %10.1f %9.1f %7ld\n", r.spawn_s,
           r.parked_s, r.done_s, (double)grown / 1024.0,
           (double)grown / (double)counts[i], (double)r.hwm_kib / 1024.0,
           r.maps);
  }
  printf("(RSS: VmRSS growth once all are parked; KiB/guest: that / N; "
         "HWM: VmHWM of the process;\n maps: memory mappings once all are "
         "parked)\n");
  print_limits();
  return failed;
}
