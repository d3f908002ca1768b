/*
 * bench_suspend.c -- how much it costs to hand control from a running Wasm
 * guest to the embedder and back, four ways (see bench_suspend.h), and how
 * much memory guests parked that way hold. Prints two tables:
 *
 *   round trips  per way and call depth, the median over RUNS runs of the
 *                process CPU time of one round trip (a call of `yield`
 *                that gives the embedder control and gets it back), in ns;
 *   memory       per way, the resident memory (VmRSS) that GUESTS guests
 *                add when made and when parked at depth 50, per guest, in
 *                KiB; each way measured in a process of its own.
 *
 *   bench-suspend [--way NAME]... [--depth D]... [--runs N] [--trips N]
 *                 [--guests N] [--no-time] [--no-memory] [--dir DIR]
 *   bench-suspend --once NAME D N
 *
 * --once runs n round trips of one way once and prints nothing: what
 * callgrind.sh counts instructions of. The exit status is 0 when every
 * measurement ran and every guest returned what it should, 1 if not, 2 for
 * bad options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_child.h"
#include "bench_suspend.h"

#ifndef LULL_BENCH_SUSPEND_DIR
#define LULL_BENCH_SUSPEND_DIR "bench/suspend"
#endif

/* Each timed run lasts about this long (CPU time), and at least
 * MIN_TRIPS round trips. */
#define RUN_BUDGET_NS 40e6
#define MIN_TRIPS 1000
#define MAX_TRIPS 20000000
#define MAX_RUNS 101
#define MAX_DEPTHS 8
#define PARK_DEPTH 50

static const way *const all_ways[] = {
    &bench_way_suspend, &bench_way_return, &bench_way_fiber,
    &bench_way_fiber_asm, &bench_way_asyncify, &bench_way_asyncify_globals,
};
#define NWAYS (sizeof all_ways / sizeof all_ways[0])

struct options {
  const char *dir;
  const way *ways[NWAYS];
  size_t nways;
  uint32_t depths[MAX_DEPTHS];
  size_t ndepths;
  uint32_t runs;
  uint32_t trips;  /* 0: from RUN_BUDGET_NS */
  uint32_t guests;
  int time;
  int memory;
};

static const way *find_way(const char *name) {
  for (size_t i = 0; i < NWAYS; i++)
    if (strcmp(all_ways[i]->name, name) == 0)
      return all_ways[i];
  return NULL;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Times n round trips; negative on failure. */
static double time_trips(const way *w, guest *g, uint32_t depth, uint32_t n) {
  double t0 = bench_cpu_ns();
  if (w->trips(g, depth, n) != 0)
    return -1.0;
  return bench_cpu_ns() - t0;
}

/* The median ns per round trip of `w` at `depth`, or negative. */
static double measure(const struct options *o, bench_env *env, const way *w,
                      uint32_t depth) {
  double per[MAX_RUNS];
  guest *g = w->open(env);
  double r = -1.0;
  if (g == NULL)
    return -1.0;
  uint32_t n = o->trips;
  if (n == 0) {
    /* A warm-up run sizes the timed ones. */
    double t = time_trips(w, g, depth, MIN_TRIPS);
    if (t < 0)
      goto done;
    double want = RUN_BUDGET_NS / (t / MIN_TRIPS);
    n = want < MIN_TRIPS ? MIN_TRIPS
        : want > MAX_TRIPS ? MAX_TRIPS : (uint32_t)want;
  }
  for (uint32_t i = 0; i < o->runs; i++) {
    double t = time_trips(w, g, depth, n);
    if (t < 0)
      goto done;
    per[i] = t / n;
  }
  qsort(per, o->runs, sizeof per[0], cmp_double);
  r = per[o->runs / 2];
done:
  w->close(g);
  return r;
}

static int time_table(const struct options *o, bench_env *env) {
  double ns[NWAYS][MAX_DEPTHS];
  int failed = 0;
  printf("round trips: median of %u runs, CPU time per round trip in ns\n",
         o->runs);
  printf("%-17s", "way");
  for (size_t d = 0; d < o->ndepths; d++)
    printf("  depth %-4u", o->depths[d]);
  printf("  what\n");
  for (size_t i = 0; i < o->nways; i++) {
    const way *w = o->ways[i];
    printf("%-17s", w->name);
    fflush(stdout);
    for (size_t d = 0; d < o->ndepths; d++) {
      ns[i][d] = measure(o, env, w, o->depths[d]);
      if (ns[i][d] < 0) {
        failed = 1;
        printf("  %10s", "FAILED");
      } else {
        printf("  %10.1f", ns[i][d]);
      }
      fflush(stdout);
    }
    printf("  %s\n", w->about);
  }
  /* How lull's park-and-resume compares, depth by depth. */
  ptrdiff_t susp = -1;
  for (size_t i = 0; i < o->nways; i++)
    if (o->ways[i] == &bench_way_suspend)
      susp = (ptrdiff_t)i;
  if (susp >= 0) {
    for (size_t i = 0; i < o->nways; i++) {
      if ((ptrdiff_t)i == susp)
        continue;
      printf("%-17s /suspend:", o->ways[i]->name);
      for (size_t d = 0; d < o->ndepths; d++)
        if (ns[i][d] > 0 && ns[susp][d] > 0)
          printf("  depth %u: %.2fx", o->depths[d], ns[i][d] / ns[susp][d]);
      printf("\n");
    }
  }
  return failed;
}

/* What one child process measured, in KiB for all guests together. */
struct rss {
  long made;   /* after making the guests */
  long parked; /* after parking them too */
};

/* In a child: makes o->guests guests of `w`, parks each at PARK_DEPTH and
 * reports the growth of VmRSS through `fd`. Exits; never returns. */
static void rss_child(const struct options *o, const way *w, int fd) {
  bench_env env;
  struct rss r = {-1, -1};
  guest **gs = calloc(o->guests, sizeof *gs);
  if (gs == NULL || bench_env_open(&env, o->dir) != 0)
    _exit(1);
  /* One guest made, parked and dropped first, so the engine's and the
   * allocator's one-time costs are paid before the first reading. */
  guest *warm = w->open(&env);
  if (warm == NULL || w->park(warm, PARK_DEPTH) != 0)
    _exit(1);
  w->close(warm);
  long base = bench_rss_kib();
  for (uint32_t i = 0; i < o->guests; i++)
    if ((gs[i] = w->open(&env)) == NULL)
      _exit(1);
  r.made = bench_rss_kib() - base;
  for (uint32_t i = 0; i < o->guests; i++)
    if (w->park(gs[i], PARK_DEPTH) != 0)
      _exit(1);
  r.parked = bench_rss_kib() - base;
  ssize_t n = write(fd, &r, sizeof r);
  /* No clean-up: the process ends here, and with it every guest. */
  _exit(n == (ssize_t)sizeof r ? 0 : 1);
}

typedef struct rss_job {
  const struct options *o;
  const way *w;
} rss_job;

static void run_rss_job(void *arg, int fd) {
  const rss_job *jb = arg;
  rss_child(jb->o, jb->w, fd);
}

static int measure_rss(const struct options *o, const way *w, struct rss *r) {
  rss_job jb = {o, w};
  return bench_in_child(run_rss_job, &jb, r, sizeof *r);
}

static int memory_table(const struct options *o) {
  int failed = 0;
  printf("\nmemory: %u guests parked at depth %u, resident KiB per guest "
         "(VmRSS growth / %u)\n", o->guests, PARK_DEPTH, o->guests);
  printf("%-17s %10s %10s %10s\n", "way", "made", "parked", "parking");
  for (size_t i = 0; i < o->nways; i++) {
    const way *w = o->ways[i];
    struct rss r;
    if (w == &bench_way_return)
      continue; /* cannot park */
    printf("%-17s", w->name);
    fflush(stdout);
    if (measure_rss(o, w, &r) != 0) {
      printf(" %10s\n", "FAILED");
      failed = 1;
      continue;
    }
    double g = (double)o->guests;
    printf(" %10.2f %10.2f %10.2f\n", (double)r.made / g, (double)r.parked / g,
           (double)(r.parked - r.made) / g);
  }
  printf("(made: an instance of the guest and what the way keeps per guest; "
         "parked: all of it\nafter parking; parking: the difference)\n");
  return failed;
}

static int usage(void) {
  fprintf(stderr,
          "usage: bench-suspend [--way NAME]... [--depth D]... [--runs N]\n"
          "                     [--trips N] [--guests N] [--no-time]\n"
          "                     [--no-memory] [--dir DIR]\n"
          "       bench-suspend --once NAME D N\n"
          "ways:");
  for (size_t i = 0; i < NWAYS; i++)
    fprintf(stderr, " %s", all_ways[i]->name);
  fprintf(stderr, "\n");
  return 2;
}

static int count(const char *s, uint32_t max, uint32_t *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v == 0 || v > max)
    return -1;
  *out = (uint32_t)v;
  return 0;
}

/* --once: one call of trips, for instruction counts. */
static int once(const char *dir, char **argv) {
  const way *w = find_way(argv[0]);
  uint32_t depth, n;
  bench_env env;
  if (w == NULL || count(argv[1], 10000, &depth) != 0 ||
      count(argv[2], MAX_TRIPS, &n) != 0)
    return usage();
  if (bench_env_open(&env, dir) != 0)
    return 1;
  guest *g = w->open(&env);
  int rc = g == NULL || w->trips(g, depth, n) != 0;
  if (g)
    w->close(g);
  bench_env_close(&env);
  return rc;
}

int main(int argc, char **argv) {
  struct options o = {.dir = LULL_BENCH_SUSPEND_DIR, .runs = 7,
                      .guests = 10000, .time = 1, .memory = 1};
  char **once_args = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--no-time") == 0) {
      o.time = 0;
    } else if (strcmp(a, "--no-memory") == 0) {
      o.memory = 0;
    } else if (strcmp(a, "--once") == 0) {
      if (argc - i - 1 < 3)
        return usage();
      once_args = argv + i + 1;
      i += 3;
    } else if (v == NULL) {
      return usage();
    } else if (strcmp(a, "--way") == 0) {
      const way *w = find_way(v);
      if (w == NULL || o.nways == NWAYS)
        return usage();
      o.ways[o.nways++] = w;
      i++;
    } else if (strcmp(a, "--depth") == 0) {
      if (o.ndepths == MAX_DEPTHS ||
          count(v, 10000, &o.depths[o.ndepths++]) != 0)
        return usage();
      i++;
    } else if (strcmp(a, "--runs") == 0) {
      if (count(v, MAX_RUNS, &o.runs) != 0)
        return usage();
      i++;
    } else if (strcmp(a, "--trips") == 0) {
      if (count(v, MAX_TRIPS, &o.trips) != 0)
        return usage();
      i++;
    } else if (strcmp(a, "--guests") == 0) {
      if (count(v, 1000000, &o.guests) != 0)
        return usage();
      i++;
    } else if (strcmp(a, "--dir") == 0) {
      o.dir = v;
      i++;
    } else {
      return usage();
    }
  }
  if (once_args)
    return once(o.dir, once_args);
  if (o.nways == 0)
    for (size_t i = 0; i < NWAYS; i++)
      o.ways[o.nways++] = all_ways[i];
  if (o.ndepths == 0) {
    o.depths[o.ndepths++] = 1;
    o.depths[o.ndepths++] = 50;
  }

  int failed = 0;
  printf("bench-suspend: lull %s; the guest calls `yield` in a loop d Wasm "
         "frames deep\n", LULL_VERSION_STRING);
  if (o.time) {
    bench_env env;
    if (bench_env_open(&env, o.dir) != 0)
      return 1;
    failed |= time_table(&o, &env);
    bench_env_close(&env);
  }
  if (o.memory)
    failed |= memory_table(&o);
  return failed;
}
