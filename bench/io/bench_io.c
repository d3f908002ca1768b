/*
 * bench_io.c -- copying a big file through a guest against the same C
 * program built natively.
 *
 *   bench-io --lull PATH --native PATH [--guest copy.wasm] [--dir DIR]
 *            [--mib N] [--runs N]
 *
 * Makes a scratch folder in DIR (default /tmp), writes an N MiB source
 * file (default 1024) of pseudo-random bytes there, then times, as child
 * processes,
 *
 *   native  NATIVE DIR/src DIR/dst
 *   lull    LULL run --dir DIR::/data GUEST /data/src /data/dst
 *
 * (copy.c: 64 KiB reads and writes), alternating the two, RUNS times each
 * (default 5), and prints every time, the medians and lull's median over
 * native's. The destination is deleted before each run, so each run
 * creates and fills a new file.
 *
 * The page cache: the source was just written, so it is cached, and one
 * untimed warm-up run of each program reads it once more before any
 * timing; every timed run therefore reads from memory and writes into the
 * page cache (1 GiB of dirty pages stays below the kernel's background
 * writeback threshold on the machines this ran on; the numbers say what
 * copying costs in CPU, not what the disk can do). The copies made by the
 * warm-up runs are compared with the source byte for byte. The scratch
 * folder is removed at the end, also after a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef LULL_BENCH_IO_DIR
#define LULL_BENCH_IO_DIR "."
#endif

extern char **environ;

enum { MAX_RUNS = 64, CHUNK = 1 << 20 };

typedef struct opts {
  const char *lull, *native, *guest, *dir;
  size_t mib;
  int runs;
} opts;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fills DIR/src with `mib` MiB from a xorshift generator: incompressible
 * enough that no layer can cheat, and fast to make. */
static int make_source(const char *path, size_t mib) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  uint64_t *buf = malloc(CHUNK), x = 0x9E3779B97F4A7C15ull;
  int rc = buf ? 0 : -1;
  for (size_t i = 0; i < mib && rc == 0; i++) {
    for (size_t k = 0; k < CHUNK / 8; k++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buf[k] = x;
    }
    for (size_t done = 0; done < CHUNK && rc == 0;) {
      ssize_t n = write(fd, (char *)buf + done, CHUNK - done);
      if (n <= 0)
        rc = -1;
      else
        done += (size_t)n;
    }
  }
  free(buf);
  if (close(fd) != 0)
    rc = -1;
  return rc;
}

/* 0 when the two files hold the same bytes. */
static int same_file(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  char *ba = malloc(CHUNK), *bb = malloc(CHUNK);
  int rc = -1;
  if (!fa || !fb || !ba || !bb)
    goto done;
  for (;;) {
    size_t na = fread(ba, 1, CHUNK, fa), nb = fread(bb, 1, CHUNK, fb);
    if (na != nb || memcmp(ba, bb, na) != 0)
      goto done;
    if (na == 0)
      break;
  }
  rc = 0;
done:
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  free(ba);
  free(bb);
  return rc;
}

/* Runs argv to its end; the wall time in seconds, or -1 when it could not
 * start or did not exit 0. */
static double timed(char *const argv[]) {
  pid_t pid;
  int status;
  double t0 = now_s();
  if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
    return -1;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  double t = now_s() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench-io: %s failed (status %d)\n", argv[0], status);
    return -1;
  }
  return t;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(const double *v, int n) {
  double s[MAX_RUNS];
  memcpy(s, v, (size_t)n * sizeof *v);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static int usage(void) {
  fprintf(stderr,
          "usage: bench-io --lull PATH --native PATH [--guest copy.wasm]\n"
          "                [--dir DIR] [--mib N] [--runs N]\n");
  return 2;
}

static int parse(int argc, char **argv, opts *o) {
  o->guest = LULL_BENCH_IO_DIR "/copy.wasm";
  o->dir = "/tmp";
  o->mib = 1024;
  o->runs = 5;
  for (int i = 1; i < argc; i += 2) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
      return -1;
    if (!strcmp(a, "--lull"))
      o->lull = v;
    else if (!strcmp(a, "--native"))
      o->native = v;
    else if (!strcmp(a, "--guest"))
      o->guest = v;
    else if (!strcmp(a, "--dir"))
      o->dir = v;
    else if (!strcmp(a, "--mib"))
      o->mib = (size_t)strtoul(v, NULL, 10);
    else if (!strcmp(a, "--runs"))
      o->runs = atoi(v);
    else
      return -1;
  }
  if (!o->lull || !o->native || !o->mib || o->runs < 1 || o->runs > MAX_RUNS)
    return -1;
  return 0;
}

int main(int argc, char **argv) {
  opts o;
  memset(&o, 0, sizeof o);
  if (parse(argc, argv, &o) != 0)
    return usage();
  /* The source, two copies and some slack. */
  struct statvfs vfs;
  uint64_t need = (uint64_t)o.mib * (5u << 20) / 2;
  if (statvfs(o.dir, &vfs) == 0 &&
      (uint64_t)vfs.f_bavail * vfs.f_frsize < need) {
    fprintf(stderr, "bench-io: %s has less than %llu MiB free\n", o.dir,
            (unsigned long long)(need >> 20));
    return 1;
  }
  char scratch[4096], src[4200], dst[4200];
  snprintf(scratch, sizeof scratch, "%s/lull-bench-io-XXXXXX", o.dir);
  if (!mkdtemp(scratch)) {
    perror("bench-io: mkdtemp");
    return 1;
  }
  snprintf(src, sizeof src, "%s/src", scratch);
  snprintf(dst, sizeof dst, "%s/dst", scratch);
  char dirarg[4200];
  snprintf(dirarg, sizeof dirarg, "%s::/data", scratch);
  char *native_argv[] = {(char *)o.native, src, dst, NULL};
  char *lull_argv[] = {(char *)o.lull, "run",       "--dir",     dirarg,
                       (char *)o.guest,  "/data/src", "/data/dst", NULL};
  char *const *cmds[2] = {native_argv, lull_argv};
  static const char *names[2] = {"native", "lull"};
  double t[2][MAX_RUNS];
  int rc = 1;

  printf("io: copying a %zu MiB file with 64 KiB reads and writes "
         "(%s, %d runs each)\n", o.mib, scratch, o.runs);
  fflush(stdout);
  if (make_source(src, o.mib) != 0) {
    perror("bench-io: writing the source");
    goto done;
  }
  /* Warm-up: untimed, and checked. */
  for (int w = 0; w < 2; w++) {
    unlink(dst);
    if (timed(cmds[w]) < 0)
      goto done;
    if (same_file(src, dst) != 0) {
      fprintf(stderr, "bench-io: %s's copy differs from the source\n",
              names[w]);
      goto done;
    }
  }
  for (int r = 0; r < o.runs; r++)
    for (int w = 0; w < 2; w++) {
      unlink(dst);
      if ((t[w][r] = timed(cmds[w])) < 0)
        goto done;
    }
  printf("%-8s", "run");
  for (int r = 0; r < o.runs; r++)
    printf(" %7d", r + 1);
  printf(" %8s %9s\n", "median", "MiB/s");
  double med[2];
  for (int w = 0; w < 2; w++) {
    med[w] = median(t[w], o.runs);
    printf("%-8s", names[w]);
    for (int r = 0; r < o.runs; r++)
      printf(" %7.3f", t[w][r]);
    printf(" %8.3f %9.0f\n", med[w], (double)o.mib / med[w]);
  }
  printf("lull / native (medians): %.2fx  (target: at most 1.50x)\n",
         med[1] / med[0]);
  rc = 0;
done:
  unlink(dst);
  unlink(src);
  rmdir(scratch);
  return rc;
}
