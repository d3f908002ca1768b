/*
 * bench_decode.c -- decode + validate throughput and the decoded module's
 * memory, on large generated modules. Prints one table row per module:
 * its size, the median time of several runs of decode and of validate,
 * throughput, and memory relative to the binary (counted through the
 * allocator: the module as decoded, and the peak during decode +
 * validate, which includes the validator's scratch stacks).
 *
 *   bench-decode [--runs N] [--write DIR]
 *
 * --write DIR also saves each generated module as DIR/<name>.wasm, so it
 * can be checked with other tools (wasm-validate).
 *
 * The modules are built here, deterministically, from snippets of valid
 * code that each leave the operand stack as they found it: integer and
 * float arithmetic, blocks, loops, if/else, br_table, direct and indirect
 * calls, loads and stores, locals, globals, select and SIMD.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decoder/module.h"

/* ------------------------------------------------------------------ */
/* Byte buffers */

typedef struct buf {
  uint8_t *b;
  size_t n, cap;
} buf;

static void put(buf *o, const void *p, size_t n) {
  if (o->n + n > o->cap) {
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->n + n)
      cap *= 2;
    o->b = realloc(o->b, cap);
    if (!o->b) {
      fprintf(stderr, "bench-decode: out of memory\n");
      exit(1);
    }
    o->cap = cap;
  }
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

static void u8(buf *o, uint8_t v) { put(o, &v, 1); }

/* Byte lists written inline: B(o, 0x20, 0x00, ...). */
#define B(o, ...)                                                             \
  do {                                                                        \
    const uint8_t b_[] = {__VA_ARGS__};                                       \
    put((o), b_, sizeof b_);                                                  \
  } while (0)

static void uleb(buf *o, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    u8(o, v ? b | 0x80 : b);
  } while (v);
}

static void sleb(buf *o, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
      u8(o, b);
      return;
    }
    u8(o, b | 0x80);
  }
}

/* Appends `body` as a size-prefixed block (section or function body). */
static void sized(buf *o, const buf *body) {
  uleb(o, body->n);
  put(o, body->b, body->n);
}

static void section(buf *o, uint8_t id, buf *body) {
  u8(o, id);
  sized(o, body);
  body->n = 0;
}

/* xorshift64*: the same modules on every run and machine. */
static uint64_t rnd(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 2685821657736338717ull;
}

/* ------------------------------------------------------------------ */
/* Code snippets. Every function has type (i32 i32) -> i32 and locals
 * 2..5 i32, 6..7 i64, 8..9 f64, 10 v128. */

#define NSNIPPETS 14

static uint8_t li32(uint64_t *s) { return (uint8_t)(rnd(s) % 6); }

static void v128_bytes(buf *o, uint64_t *s, uint8_t mask) {
  for (int i = 0; i < 16; i++)
    u8(o, (uint8_t)(rnd(s) & mask));
}

static void snippet(buf *o, uint64_t *s, uint32_t nfuncs) {
  uint8_t a = li32(s), b = li32(s), c = (uint8_t)(2 + rnd(s) % 4);
  switch (rnd(s) % NSNIPPETS) {
  case 0: /* i32 arithmetic */
    B(o, 0x20, a, 0x20, b, 0x6A);
    u8(o, 0x41);
    sleb(o, (int32_t)rnd(s));
    B(o, 0x6C, 0x20, a, 0x73, 0x21, c);
    break;
  case 1: /* i64 arithmetic */
    B(o, 0x20, 0x06, 0x42);
    sleb(o, (int64_t)rnd(s));
    B(o, 0x85, 0x42, 0x03, 0x89, 0x20, 0x07, 0x7C, 0x21, 0x07);
    break;
  case 2: { /* f64 arithmetic */
    B(o, 0x20, 0x08, 0x44);
    double d = (double)(rnd(s) % 1000) / 7.0;
    put(o, &d, 8);
    B(o, 0xA2, 0x20, 0x09, 0xA0, 0x9F, 0x21, 0x09);
    break;
  }
  case 3: /* a loop in a block: count down, leave at zero */
    B(o, 0x02, 0x40, 0x03, 0x40, 0x20, c, 0x41, 0x01, 0x6B, 0x22, c, 0x45,
      0x0D, 0x01, 0x20, c, 0x41, 0xE4, 0x00, 0x4A, 0x0D, 0x00, 0x0B, 0x0B);
    break;
  case 4: /* if/else with a result */
    B(o, 0x20, a, 0x04, 0x7F, 0x20, b, 0x41, 0x01, 0x6A, 0x05, 0x20, b,
      0x41, 0x01, 0x6B, 0x0B, 0x21, c);
    break;
  case 5: /* br_table over three blocks */
    B(o, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, a, 0x41, 0x03, 0x71,
      0x0E, 0x03, 0x00, 0x01, 0x02, 0x02, 0x0B, 0x0B, 0x0B);
    break;
  case 6: /* direct call */
    B(o, 0x20, a, 0x20, b, 0x10);
    uleb(o, rnd(s) % nfuncs);
    B(o, 0x21, c);
    break;
  case 7: /* load, add, store */
    B(o, 0x20, a, 0x41, 0xFF, 0xFF, 0x03, 0x71, 0x28, 0x02, 0x04, 0x20, b,
      0x6A, 0x21, c, 0x20, a, 0x41, 0xF0, 0xFF, 0x03, 0x71, 0x20, c, 0x36,
      0x02, 0x08);
    break;
  case 8: /* i64 load */
    B(o, 0x20, a, 0x41, 0xFF, 0xFF, 0x03, 0x71, 0x29, 0x03, 0x00, 0x20,
      0x06, 0x7C, 0x21, 0x06);
    break;
  case 9: /* SIMD: constants, add, shuffle, multiply */
    B(o, 0x20, 0x0A, 0xFD, 0x0C);
    v128_bytes(o, s, 0xFF);
    B(o, 0xFD, 0xAE, 0x01, 0x20, 0x0A, 0xFD, 0x0D);
    v128_bytes(o, s, 0x1F);
    B(o, 0x20, 0x0A, 0xFD, 0xE6, 0x01, 0x21, 0x0A);
    break;
  case 10: /* SIMD: splat, multiply, lane, load, xor */
    B(o, 0x20, a, 0xFD, 0x11, 0x20, 0x0A, 0xFD, 0xB5, 0x01, 0xFD, 0x1B,
      0x01, 0x21, c, 0x20, a, 0x41, 0xF0, 0xFF, 0x03, 0x71, 0xFD, 0x00, 0x04,
      0x00, 0x20, 0x0A, 0xFD, 0x51, 0x21, 0x0A);
    break;
  case 11: /* indirect call through the table */
    B(o, 0x20, a, 0x20, b, 0x41);
    sleb(o, (int32_t)(rnd(s) % nfuncs));
    B(o, 0x11, 0x00, 0x00, 0x21, c);
    break;
  case 12: /* select and a global */
    B(o, 0x20, a, 0x20, b, 0x20, c, 0x1B, 0x21, c, 0x23, 0x00, 0x41, 0x01,
      0x6A, 0x24, 0x00);
    break;
  default: /* comparisons */
    B(o, 0x20, a, 0x20, b, 0x48, 0x20, c, 0x20, a, 0x4B, 0x71, 0x21, c);
    break;
  }
}

/* ------------------------------------------------------------------ */
/* Modules */

typedef struct shape {
  const char *name;
  uint32_t nfuncs;
  uint32_t min_snippets, max_snippets;
} shape;

static void gen_module(buf *out, const shape *sh, uint64_t seed) {
  uint64_t s = seed;
  uint32_t n = sh->nfuncs;
  buf sec = {0}, body = {0}, item = {0};
  B(out, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
  /* type 0: (i32 i32) -> i32 */
  B(&sec, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F);
  section(out, 1, &sec);
  uleb(&sec, n);
  for (uint32_t i = 0; i < n; i++)
    u8(&sec, 0x00);
  section(out, 3, &sec);
  B(&sec, 0x01, 0x70, 0x00);
  uleb(&sec, n);
  section(out, 4, &sec);
  B(&sec, 0x01, 0x00, 0x01);
  section(out, 5, &sec);
  B(&sec, 0x01, 0x7F, 0x01, 0x41, 0x00, 0x0B);
  section(out, 6, &sec);
  B(&sec, 0x01, 0x04, 'm', 'a', 'i', 'n', 0x00, 0x00);
  section(out, 7, &sec);
  /* every function in the table, for call_indirect */
  B(&sec, 0x01, 0x00, 0x41, 0x00, 0x0B);
  uleb(&sec, n);
  for (uint32_t i = 0; i < n; i++)
    uleb(&sec, i);
  section(out, 9, &sec);
  uleb(&sec, n);
  for (uint32_t i = 0; i < n; i++) {
    B(&body, 0x04, 0x04, 0x7F, 0x02, 0x7E, 0x02, 0x7C, 0x01, 0x7B);
    uint32_t span = sh->max_snippets - sh->min_snippets + 1;
    uint32_t k = sh->min_snippets + (uint32_t)(rnd(&s) % span);
    for (uint32_t j = 0; j < k; j++)
      snippet(&body, &s, n);
    B(&body, 0x20, 0x00, 0x0B);
    sized(&sec, &body);
    body.n = 0;
  }
  section(out, 10, &sec);
  /* a name section with every function's name */
  B(&sec, 0x04, 'n', 'a', 'm', 'e');
  uleb(&item, n);
  for (uint32_t i = 0; i < n; i++) {
    char name[16];
    int len = snprintf(name, sizeof name, "f%u", i);
    uleb(&item, i);
    uleb(&item, (uint64_t)len);
    put(&item, name, (size_t)len);
  }
  u8(&sec, 0x01);
  sized(&sec, &item);
  section(out, 0, &sec);
  free(sec.b);
  free(body.b);
  free(item.b);
}

/* ------------------------------------------------------------------ */
/* Measuring */

/* Counts live bytes and their peak (sizes come back exactly on free). */
typedef struct counter {
  size_t live, peak;
} counter;

static void *counting_alloc(void *ud, void *ptr, size_t old_size,
                            size_t new_size) {
  counter *c = ud;
  if (new_size == 0) {
    if (ptr)
      c->live -= old_size;
    free(ptr);
    return NULL;
  }
  void *p = realloc(ptr, new_size);
  if (!p)
    return NULL;
  c->live += new_size - (ptr ? old_size : 0);
  if (c->live > c->peak)
    c->peak = c->live;
  return p;
}

/* CPU time of the process: decoding and validation run on one thread, so
 * on an idle machine this is the wall time, and on a busy one (as while
 * other builds run) it leaves out the time other processes took. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Medians over the runs, in seconds, and memory in bytes. */
typedef struct result {
  double dec, val, wall;
  size_t module_bytes, peak_bytes;
} result;

/* Decodes and validates `runs` times. Returns 0, or -1 with the error
 * printed. */
static int measure(const buf *mod, int runs, result *res) {
  double *td = calloc((size_t)runs, sizeof *td);
  double *tv = calloc((size_t)runs, sizeof *tv);
  double *tw = calloc((size_t)runs, sizeof *tw);
  int rc = 0;
  for (int i = 0; i < runs && rc == 0; i++) {
    counter cnt = {0, 0};
    lulld_alloc a = {counting_alloc, &cnt};
    lulld_module *m = NULL;
    lull_error err;
    double w0 = wall_now(), t0 = cpu_now();
    lull_status s = lulld_decode(&a, 0, mod->b, mod->n, &m, &err);
    double t1 = cpu_now();
    if (s == LULL_OK) {
      res->module_bytes = cnt.live;
      s = lulld_validate(m, &err);
    }
    double t2 = cpu_now(), w1 = wall_now();
    if (s != LULL_OK) {
      fprintf(stderr, "bench-decode: %s\n", err.message);
      rc = -1;
    }
    res->peak_bytes = cnt.peak;
    lulld_module_free(m);
    td[i] = t1 - t0;
    tv[i] = t2 - t1;
    tw[i] = w1 - w0;
  }
  res->dec = median(td, runs);
  res->val = median(tv, runs);
  res->wall = median(tw, runs);
  free(td);
  free(tv);
  free(tw);
  return rc;
}

int main(int argc, char **argv) {
  int runs = 7;
  const char *write_dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--write") == 0 && i + 1 < argc)
      write_dir = argv[++i];
    else {
      fprintf(stderr, "usage: bench-decode [--runs N] [--write DIR]\n");
      return 2;
    }
  }
  if (runs < 1)
    runs = 1;
  static const shape shapes[] = {
      {"small-funcs", 60000, 4, 16},
      {"medium-funcs", 12000, 20, 100},
      {"large-funcs", 2500, 300, 900},
      {"huge-module", 30000, 20, 140},
  };
  printf("decode + validate, median of %d runs\n\n", runs);
  printf("%-13s %8s %6s %8s %8s %8s %7s %7s %8s %8s\n", "module", "size MB",
         "funcs", "dec ms", "val ms", "wall ms", "MB/s", "wall", "mod/bin",
         "peak/bin");
  int status = 0;
  for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
    const shape *sh = &shapes[k];
    buf mod = {0};
    gen_module(&mod, sh, 0x9E3779B97F4A7C15ull + k);
    if (write_dir) {
      char path[1024];
      snprintf(path, sizeof path, "%s/%s.wasm", write_dir, sh->name);
      FILE *f = fopen(path, "wb");
      if (!f || fwrite(mod.b, 1, mod.n, f) != mod.n) {
        perror(path);
        status = 1;
      }
      if (f)
        fclose(f);
    }
    result res = {0, 0, 0, 0, 0};
    if (measure(&mod, runs, &res) != 0) {
      status = 1;
      free(mod.b);
      continue;
    }
    double mb = (double)mod.n / 1e6;
    printf("%-13s %8.2f %6u %8.2f %8.2f %8.2f %7.0f %7.0f %8.2f %8.2f\n",
           sh->name, mb, sh->nfuncs, res.dec * 1e3, res.val * 1e3,
           res.wall * 1e3, mb / (res.dec + res.val), mb / res.wall,
           (double)res.module_bytes / (double)mod.n,
           (double)res.peak_bytes / (double)mod.n);
    free(mod.b);
  }
  printf("\ndec, val: CPU time of decode and of validate; wall: wall time of\n"
         "both. MB/s: module bytes (10^6) per CPU second of decode +\n"
         "validate; wall: the same per wall-clock second.\n"
         "mod/bin: the decoded module's memory over the binary's size (it\n"
         "includes the module's copy of the binary); peak/bin: the highest\n"
         "memory during decode + validate over the binary's size.\n");
  return status;
}
