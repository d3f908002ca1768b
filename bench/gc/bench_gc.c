/*
 * bench_gc.c -- Wasm GC on lull: binary-trees, a linked-list churn and an
 * array kernel (the .wat files of bench/gc), each run --runs times in a
 * fresh engine, then a big live heap churned to find the collector's
 * worst pause.
 *
 *   bench-gc [--runs N] [--node PATH | --no-node] [--live N]
 *
 * Per kernel it prints the median CPU time, the allocation rate, the
 * worst pause (the longest collector step, in CPU time), the peak heap
 * against the most data a collection found live, and, when `node` runs
 * the same module (bench/gc/run_node.mjs), node's median time and the
 * ratio.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lull.h"
#include "lull_text.h"

typedef struct kernel {
  const char *name;     /* bench/gc/<name>.wat */
  const char *export_;
  int32_t args[2];
  size_t nargs;
} kernel;

static const kernel kernels[] = {
    {"binary_trees", "run", {16, 0}, 1},
    {"list_churn", "run", {300000, 0}, 1},
    {"array_kernel", "run", {300, 100000}, 2},
};

/* Process CPU time, so other work on a shared machine does not count. */
static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The module bytes of bench/gc/<name>.wat, also written to `wasm_path`
 * for node. */
static uint8_t *load(const char *name, size_t *len, char *wasm_path,
                     size_t n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.wat", LULL_BENCH_GC_DIR, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  static char text[1 << 16];
  size_t tlen = fread(text, 1, sizeof text, f);
  fclose(f);
  uint8_t *bytes;
  lull_error err;
  if (lull_wat_to_wasm(NULL, text, tlen, &bytes, len, &err) != LULL_OK) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    exit(2);
  }
  snprintf(wasm_path, n, "/tmp/bench-gc-%d-%s.wasm", (int)getpid(), name);
  f = fopen(wasm_path, "wb");
  if (f) {
    fwrite(bytes, 1, *len, f);
    fclose(f);
  }
  return bytes;
}

typedef struct outcome {
  double ms;
  int32_t result;
  lull_gc_stats st;
} outcome;

/* One run in a fresh engine: instantiate, time the call, read stats. */
static outcome run_once(const uint8_t *bytes, size_t len, const kernel *k) {
  outcome o;
  memset(&o, 0, sizeof o);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_instance *inst;
  lull_error err;
  if (!e || lull_module_new(e, bytes, len, &m, &err) != LULL_OK ||
      lull_instantiate(e, m, NULL, 0, &inst, &err) != LULL_OK) {
    fprintf(stderr, "%s: cannot load\n", k->name);
    exit(2);
  }
  lull_thread *t = lull_thread_new(e);
  lull_val args[2], r;
  for (size_t i = 0; i < k->nargs; i++) {
    memset(&args[i], 0, sizeof args[i]);
    args[i].type = LULL_I32;
    args[i].of.i32 = k->args[i];
  }
  double t0 = now_ms();
  lull_status s =
      lull_call(t, lull_instance_func(inst, k->export_), args, k->nargs, &r, 1);
  o.ms = now_ms() - t0;
  if (s != LULL_OK) {
    fprintf(stderr, "%s: %s\n", k->name, lull_thread_trap_message(t));
    exit(1);
  }
  o.result = r.of.i32;
  lull_gc_stats_get(e, &o.st);
  lull_engine_free(e);
  return o;
}

/* node's median ms for the same call, or a negative number. */
static double run_node(const char *node, const char *wasm, const kernel *k,
                       int runs, int32_t want) {
  char cmd[2048];
  int n = snprintf(cmd, sizeof cmd,
                   "%s %s/run_node.mjs %s %s %d", node,
                   LULL_BENCH_GC_DIR, wasm, k->export_, runs);
  for (size_t i = 0; i < k->nargs; i++)
    n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %d", k->args[i]);
  snprintf(cmd + n, sizeof cmd - (size_t)n, " 2>&1");
  FILE *p = popen(cmd, "r");
  if (!p)
    return -1;
  char line[512] = "";
  double ms = -1;
  long got = 0;
  while (fgets(line, sizeof line, p))
    if (sscanf(line, "%lf %ld", &ms, &got) == 2)
      break;
  pclose(p);
  return ms >= 0 && got == want ? ms : -1;
}

static double mib(uint64_t b) { return b / 1048576.0; }

int main(int argc, char **argv) {
  int runs = 5, live_n = 100000;
  const char *node = "node";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--node") == 0 && i + 1 < argc)
      node = argv[++i];
    else if (strcmp(argv[i], "--no-node") == 0)
      node = NULL;
    else if (strcmp(argv[i], "--live") == 0 && i + 1 < argc)
      live_n = atoi(argv[++i]);
    else {
      fprintf(stderr,
              "usage: bench-gc [--runs N] [--node PATH | --no-node] "
              "[--live N]\n");
      return 2;
    }
  }
  if (runs < 1 || runs > 100)
    runs = 5;
  printf("| kernel | median CPU ms | alloc MB/s | cycles | worst pause ms | "
         "peak MiB | live MiB | peak/live | node ms | lull/node |\n");
  printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
    const kernel *k = &kernels[i];
    char wasm[256];
    size_t len;
    uint8_t *bytes = load(k->name, &len, wasm, sizeof wasm);
    double ms[100], worst = 0;
    outcome o;
    for (int r = 0; r < runs; r++) {
      o = run_once(bytes, len, k);
      ms[r] = o.ms;
      if (o.st.pause_max_ns / 1e6 > worst)
        worst = o.st.pause_max_ns / 1e6;
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
    double med = ms[runs / 2];
    double nms = node ? run_node(node, wasm, k, runs, o.result) : -1;
    char nodecol[64] = "not run", ratio[32] = "-";
    if (nms > 0) {
      snprintf(nodecol, sizeof nodecol, "%.1f", nms);
      snprintf(ratio, sizeof ratio, "%.2f", med / nms);
    }
    printf("| %s | %.1f | %.0f | %" PRIu64 " | %.3f | %.1f | %.1f | %.2f | "
           "%s | %s |\n",
           k->name, med, mib(o.st.allocated) * 1.048576 / (o.ms / 1e3),
           o.st.cycles, worst, mib(o.st.peak_bytes), mib(o.st.live_max),
           o.st.live_max ? (double)o.st.peak_bytes / o.st.live_max : 0.0,
           nodecol, ratio);
    remove(wasm);
    lull_wasm_free(NULL, bytes, len);
  }

  /* The worst pause over a big live heap. */
  char wasm[256];
  size_t len;
  uint8_t *bytes = load("pause", &len, wasm, sizeof wasm);
  remove(wasm);
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m;
  lull_instance *inst;
  lull_error err;
  if (!e || lull_module_new(e, bytes, len, &m, &err) != LULL_OK ||
      lull_instantiate(e, m, NULL, 0, &inst, &err) != LULL_OK)
    return 2;
  lull_thread *t = lull_thread_new(e);
  lull_val a;
  memset(&a, 0, sizeof a);
  a.type = LULL_I32;
  a.of.i32 = live_n;
  lull_call(t, lull_instance_func(inst, "build"), &a, 1, NULL, 0);
  lull_gc_stats st0, st;
  lull_gc_stats_get(e, &st0);
  a.of.i32 = 2000000;
  double t0 = now_ms();
  lull_call(t, lull_instance_func(inst, "churn"), &a, 1, NULL, 0);
  double churn_ms = now_ms() - t0;
  lull_gc_stats_get(e, &st);
  printf("\nbig live heap: %d arrays of 1 KiB kept, then 2,000,000 garbage "
         "objects of 256 B: %.0f ms, %" PRIu64 " cycles, worst pause %.3f ms "
         "(%" PRIu64 " steps, mean %.3f ms), live %.1f MiB, peak %.1f MiB "
         "(%.2fx)\n",
         live_n, churn_ms, st.cycles - st0.cycles, st.pause_max_ns / 1e6,
         st.steps, st.steps ? st.pause_total_ns / 1e6 / st.steps : 0.0,
         mib(st.live_max), mib(st.peak_bytes),
         st.live_max ? (double)st.peak_bytes / st.live_max : 0.0);
  lull_engine_free(e);
  lull_wasm_free(NULL, bytes, len);
  return 0;
}
