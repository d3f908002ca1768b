/*
 * bench_grow.c -- what growing a linear memory costs against its size.
 *
 *   bench-grow [--sizes MIB,...] [--grows N]
 *
 * For each size S (default 1, 64, 1024 and 2048 MiB): a memory of S bytes
 * with one byte written in every 64 KiB page (its pages in use, as a
 * guest's heap), then one grow by one page, timed: inside the memory's
 * reservation (lull_config.memory_reserve set to 2 S: only the size
 * moves) and past it (set to S, so the grow remaps the pages), and,
 * for comparison, what a copying grow costs (map S + 64 KiB, copy S,
 * unmap S: how lull grew memories before). Then N grows of one page from
 * one page (default 2,000: a malloc loop), with the time of the slowest.
 * Times are wall-clock microseconds of one run: on a busy machine read
 * them for their order of magnitude.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lull.h"

#define PAGE 65536ull

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Grows a memory of `mib` MiB with every page in use by one page, with
 * memory_reserve `reserve`; the microseconds, or -1. Sets
 * *moved when the base address changed. */
static double grow_once(uint64_t mib, uint64_t reserve, int *moved) {
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.memory_reserve = reserve;
  lull_engine *e = lull_engine_new(&cfg);
  uint64_t pages = mib * (1024 * 1024) / PAGE;
  lull_limits l = {pages, 0, 0, 0};
  lull_memory *m = e ? lull_memory_new(e, l) : NULL;
  if (!m) {
    lull_engine_free(e);
    return -1;
  }
  uint8_t *d = lull_memory_data(m);
  for (uint64_t p = 0; p < pages; p++)
    d[p * PAGE] = 1;
  double t0 = now_us();
  int64_t r = lull_memory_grow(m, 1);
  double t1 = now_us();
  *moved = lull_memory_data(m) != d;
  lull_engine_free(e);
  return r < 0 ? -1 : t1 - t0;
}

/* The copying grow lull used to do, on the same memory. */
static double copy_once(uint64_t mib) {
  size_t n = (size_t)(mib * 1024 * 1024);
  uint8_t *old = mmap(NULL, n, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (old == MAP_FAILED)
    return -1;
  for (size_t p = 0; p < n; p += PAGE)
    old[p] = 1;
  double t0 = now_us();
  uint8_t *p = mmap(NULL, n + PAGE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    munmap(old, n);
    return -1;
  }
  memcpy(p, old, n);
  munmap(old, n);
  double t1 = now_us();
  munmap(p, n + PAGE);
  return t1 - t0;
}

static void many_grows(unsigned n) {
  lull_engine *e = lull_engine_new(NULL);
  lull_limits l = {1, 0, 0, 0};
  lull_memory *m = e ? lull_memory_new(e, l) : NULL;
  if (!m) {
    fprintf(stderr, "bench-grow: no memory\n");
    lull_engine_free(e);
    return;
  }
  uint8_t *base = lull_memory_data(m);
  double worst = 0, t0 = now_us();
  unsigned moves = 0;
  for (unsigned i = 0; i < n; i++) {
    double a = now_us();
    int64_t r = lull_memory_grow(m, 1);
    double b = now_us();
    if (r < 0) {
      printf("grow %u failed\n", i);
      break;
    }
    uint8_t *d = lull_memory_data(m);
    moves += d != base;
    base = d;
    d[(uint64_t)(r)*PAGE] = 1; /* use the page, as malloc would */
    if (b - a > worst)
      worst = b - a;
  }
  double total = now_us() - t0;
  printf("\n%u grows of one page from one page: %.0f us in all, slowest "
         "%.1f us, base moved %u times\n",
         n, total, worst, moves);
  lull_engine_free(e);
}

int main(int argc, char **argv) {
  const char *sizes = "1,64,1024,2048";
  unsigned grows = 2000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--sizes") && i + 1 < argc)
      sizes = argv[++i];
    else if (!strcmp(argv[i], "--grows") && i + 1 < argc)
      grows = (unsigned)strtoul(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: bench-grow [--sizes MIB,...] [--grows N]\n");
      return 64;
    }
  }
  printf("one grow by one page of a memory of S MiB, every page in use "
         "(microseconds)\n");
  printf("%8s %18s %22s %18s\n", "S (MiB)", "in reservation",
         "past it (remap)", "copy (before)");
  for (const char *s = sizes; *s;) {
    char *end;
    uint64_t mib = strtoull(s, &end, 10);
    if (end == s || mib == 0)
      break;
    int moved_in = 0, moved_past = 0;
    double in = grow_once(mib, 2 * mib * 1024 * 1024, &moved_in);
    double past = grow_once(mib, mib * 1024 * 1024, &moved_past);
    double copy = copy_once(mib);
    printf("%8llu %12.1f%-6s %16.1f%-6s %18.1f\n", (unsigned long long)mib,
           in, moved_in ? " moved" : "", past, moved_past ? " moved" : "",
           copy);
    s = *end == ',' ? end + 1 : end;
  }
  many_grows(grows);
  return 0;
}
