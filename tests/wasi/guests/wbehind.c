/* wbehind -- write-behind: fd_write and fd_pwrite on regular files return
 * before the data is written, and nothing the guest can do may tell.
 *
 * Without arguments (run_guest.sh, preopen /sandbox at fd 3): many small
 * writes in order; each kind of call made right after a write (read,
 * pread, seek, tell, stat, set size, sync, set flags, renumber, a second
 * descriptor of the same file, a path call, close and open again) sees
 * the new data; appends through two descriptors stay in order; writes
 * over the queue's bounds.
 *
 * With a mode, for test_wasi_wbehind.c, which hands the file to write in
 * as fd 3 (no preopen) and checks it from outside:
 *   pending KIB   writes KIB KiB of pattern(), then sleeps 100 s
 *   exit KIB      writes KIB KiB of pattern(), then proc_exit(7) at once
 *   stream KIB    writes KIB KiB of pattern(), then returns 0
 *   flood MIB     writes MIB MiB of zeros, 1 MiB a call (faster than the
 *                 pool can write them), then returns 0
 *   efbig         writes 2 MiB while the host lets files grow to 1 MiB
 *                 only: the error is reported exactly once, by a write
 *                 or by the next call, and the file holds the first MiB */
#include <stdlib.h>

#include "wasi_test.h"

#define DIR 3
#define CHUNK (64 * 1024)

/* The byte at offset `i` of what the modes write (test_wasi_wbehind.c
 * has the same function). */
static unsigned char pattern(uint64_t i) {
  return (unsigned char)(i * 31u + (i >> 16));
}

static unsigned char buf[CHUNK], big[3 << 20], back[3 << 20];

static int wr(int fd, const void *p, uint32_t len, uint32_t *n) {
  __wasi_ciovec_t iov = {p, len};
  return raw_fd_write(fd, P(&iov), 1, P(n));
}

static int pwr(int fd, const void *p, uint32_t len, uint64_t off,
               uint32_t *n) {
  __wasi_ciovec_t iov = {p, len};
  return raw_fd_pwrite(fd, P(&iov), 1, (i64)off, P(n));
}

static int prd(int fd, void *p, uint32_t len, uint64_t off, uint32_t *n) {
  __wasi_iovec_t iov = {p, len};
  return raw_fd_pread(fd, P(&iov), 1, (i64)off, P(n));
}

static uint64_t size_of(int fd) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  if (raw_fd_filestat_get(fd, P(&st)) != 0)
    return (uint64_t)-1;
  return st.size;
}

static int open_file(const char *path, int oflags, int fdflags, int *fd) {
  return open_at(DIR, path, oflags, fdflags, 0, fd);
}

/* Writes `kib` KiB of pattern() to fd 3 in CHUNK pieces: the first
 * failure's errno, or 0. */
static int write_pattern(uint32_t kib) {
  uint64_t total = (uint64_t)kib * 1024, at = 0;
  while (at < total) {
    uint32_t len = total - at < CHUNK ? (uint32_t)(total - at) : CHUNK, n;
    for (uint32_t k = 0; k < len; k++)
      buf[k] = pattern(at + k);
    int e = wr(3, buf, len, &n);
    if (e)
      return e;
    at += n;
  }
  return 0;
}

static void sleep_long(void) {
  __wasi_subscription_t s;
  __wasi_event_t ev;
  uint32_t n;
  memset(&s, 0, sizeof s);
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = 100ull * 1000000000u;
  raw_poll_oneoff(P(&s), P(&ev), 1, P(&n));
}

/* The host limits file sizes to 1 MiB (RLIMIT_FSIZE): the 17th chunk
 * fails with EFBIG in the thread pool. */
static int efbig(void) {
  int err = 0, reported = 0;
  uint32_t n;
  for (uint32_t i = 0; i < 32 && !err; i++) {
    for (uint32_t k = 0; k < CHUNK; k++)
      buf[k] = pattern((uint64_t)i * CHUNK + k);
    err = wr(3, buf, CHUNK, &n);
    reported += err != 0;
  }
  /* All 32 writes queued: the next call that waits reports it. */
  if (!err) {
    __wasi_filestat_t st;
    err = raw_fd_filestat_get(3, P(&st));
    reported += err != 0;
  }
  EXPECT("the deferred error", err, __WASI_ERRNO_FBIG);
  CHECK("reported once", reported == 1);
  EXPECT("fd_sync after it", raw_fd_sync(3), 0);
  CHECK("the file holds the first MiB", size_of(3) == 1u << 20);
  int same = 1;
  for (uint32_t i = 0; i < 16; i++) {
    if (prd(3, back, CHUNK, (uint64_t)i * CHUNK, &n) != 0 || n != CHUNK)
      same = 0;
    for (uint32_t k = 0; k < CHUNK && same; k++)
      same = back[k] == pattern((uint64_t)i * CHUNK + k);
  }
  CHECK("with the bytes written before the failure", same);
  EXPECT("fd_close", raw_fd_close(3), 0);
  return finish();
}

/* Many small writes, and every kind of call right after a write. */
static int basic(void) {
  int fd = -1, fd2 = -1;
  uint32_t n = 0;
  uint64_t pos = 0;
  char line[16];

  /* 20,000 writes of 7 bytes, then read back through the same fd. */
  EXPECT("create lines.txt",
         open_file("lines.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, 0,
                   &fd), 0);
  int ok = 1;
  for (int i = 0; i < 20000 && ok; i++) {
    snprintf(line, sizeof line, "%06d\n", i);
    ok = wr(fd, line, 7, &n) == 0 && n == 7;
  }
  CHECK("20000 small writes", ok);
  EXPECT("fd_seek to 0 at once", raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos)),
         0);
  uint32_t got = 0;
  while (got < 140000 && read_buf(fd, big + got, 140000 - got, &n) == 0 && n)
    got += n;
  ok = got == 140000;
  for (int i = 0; i < 20000 && ok; i++) {
    snprintf(line, sizeof line, "%06d\n", i);
    ok = memcmp(big + 7 * i, line, 7) == 0;
  }
  CHECK("read back in order", ok);

  /* Each call right after a write sees it. */
  EXPECT("fd_filestat_set_size 0", raw_fd_filestat_set_size(fd, 0), 0);
  EXPECT("fd_seek to 0", raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos)), 0);
  EXPECT("write hello", write_str(fd, "hello", &n), 0);
  EXPECT("fd_tell at once", raw_fd_tell(fd, P(&pos)), 0);
  CHECK("at 5", pos == 5);
  CHECK("fd_filestat_get at once: size 5", size_of(fd) == 5);
  memset(line, 0, sizeof line);
  EXPECT("write world", write_str(fd, " world", &n), 0);
  EXPECT("fd_pread at once", prd(fd, line, 11, 0, &n), 0);
  CHECK("'hello world'", n == 11 && !memcmp(line, "hello world", 11));
  EXPECT("pwrite W at 6", pwr(fd, "W", 1, 6, &n), 0);
  EXPECT("write !", write_str(fd, "!", &n), 0);
  EXPECT("fd_seek to the end at once",
         raw_fd_seek(fd, 0, __WASI_WHENCE_END, P(&pos)), 0);
  CHECK("at 12", pos == 12);
  EXPECT("fd_seek to 0", raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos)), 0);
  memset(line, 0, sizeof line);
  EXPECT("fd_read", read_buf(fd, line, 12, &n), 0);
  CHECK("'hello World!'", n == 12 && !memcmp(line, "hello World!", 12));
  EXPECT("write tail", write_str(fd, "tail", &n), 0);
  EXPECT("fd_filestat_set_size 3 at once", raw_fd_filestat_set_size(fd, 3),
         0);
  CHECK("size 3", size_of(fd) == 3);
  EXPECT("write x at 3", pwr(fd, "x", 1, 3, &n), 0);
  EXPECT("fd_sync at once", raw_fd_sync(fd), 0);
  EXPECT("fd_datasync", raw_fd_datasync(fd), 0);
  EXPECT("fd_advise", raw_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL), 0);
  EXPECT("fd_allocate", raw_fd_allocate(fd, 0, 4), 0);
  EXPECT("fd_filestat_set_times",
         raw_fd_filestat_set_times(fd, 0, 0,
                                   __WASI_FSTFLAGS_ATIM_NOW |
                                       __WASI_FSTFLAGS_MTIM_NOW), 0);
  CHECK("size 4", size_of(fd) == 4);

  /* A second descriptor of the same file, opened before the writes. */
  EXPECT("open lines.txt again", open_file("lines.txt", 0, 0, &fd2), 0);
  EXPECT("write 5678 at 4", pwr(fd, "5678", 4, 4, &n), 0);
  memset(line, 0, sizeof line);
  EXPECT("read through the other descriptor at once",
         read_buf(fd2, line, 8, &n), 0);
  CHECK("'helx5678'", n == 8 && !memcmp(line, "helx5678", 8));
  EXPECT("write 9 at 8", pwr(fd, "9", 1, 8, &n), 0);
  CHECK("its fd_filestat_get at once: size 9", size_of(fd2) == 9);

  /* fd_fdstat_set_flags and fd_renumber wait too. */
  EXPECT("write A at 9", pwr(fd, "A", 1, 9, &n), 0);
  EXPECT("fd_fdstat_set_flags APPEND at once",
         raw_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
  EXPECT("write B (appended)", write_str(fd, "B", &n), 0);
  EXPECT("fd_renumber at once", raw_fd_renumber(fd, fd2), 0);
  CHECK("size 11", size_of(fd2) == 11);

  /* A path call right after a write. */
  EXPECT("write C (appended)", write_str(fd2, "C", &n), 0);
  __wasi_filestat_t st;
  EXPECT("path_filestat_get at once",
         raw_path_filestat_get(DIR, 0, P("lines.txt"), L("lines.txt"),
                               P(&st)), 0);
  CHECK("size 12", st.size == 12);
  EXPECT("write D (appended)", write_str(fd2, "D", &n), 0);
  EXPECT("fd_close at once", raw_fd_close(fd2), 0);
  EXPECT("open it again", open_file("lines.txt", 0, 0, &fd), 0);
  memset(line, 0, sizeof line);
  EXPECT("fd_read", read_buf(fd, line, 16, &n), 0);
  CHECK("'helx56789ABCD'", n == 13 && !memcmp(line, "helx56789ABCD", 13));
  EXPECT("fd_close", raw_fd_close(fd), 0);

  /* Appends through two descriptors, interleaved, stay in order. */
  EXPECT("create log.txt",
         open_file("log.txt", __WASI_OFLAGS_CREAT, __WASI_FDFLAGS_APPEND, &fd),
         0);
  EXPECT("open log.txt to append",
         open_file("log.txt", 0, __WASI_FDFLAGS_APPEND, &fd2), 0);
  ok = 1;
  for (int i = 0; i < 1000 && ok; i++) {
    snprintf(line, sizeof line, "%c%03d\n", i % 2 ? 'b' : 'a', i);
    ok = write_str(i % 2 ? fd2 : fd, line, &n) == 0 && n == 5;
  }
  CHECK("1000 appends through two descriptors", ok);
  got = 0;
  while (got < 5000 && prd(fd, big + got, 5000 - got, got, &n) == 0 && n)
    got += n;
  ok = got == 5000;
  for (int i = 0; i < 1000 && ok; i++) {
    snprintf(line, sizeof line, "%c%03d\n", i % 2 ? 'b' : 'a', i);
    ok = memcmp(big + 5 * i, line, 5) == 0;
  }
  CHECK("in order", ok);
  EXPECT("fd_close", raw_fd_close(fd), 0);
  EXPECT("fd_close", raw_fd_close(fd2), 0);

  /* Over the bounds of the queue (4 MiB per file): 12 MiB in 1 MiB
   * writes (the most one call moves), read back. */
  EXPECT("create big.bin",
         open_file("big.bin", __WASI_OFLAGS_CREAT, 0, &fd), 0);
  ok = 1;
  for (uint32_t i = 0; i < 12 && ok; i++) {
    for (uint32_t k = 0; k < (1u << 20); k++)
      big[k] = pattern((uint64_t)i * (1u << 20) + k);
    ok = wr(fd, big, 1u << 20, &n) == 0 && n == 1u << 20;
  }
  CHECK("12 writes of 1 MiB", ok);
  CHECK("size 12 MiB", size_of(fd) == 12u << 20);
  for (uint32_t i = 0; i < 12 && ok; i++) {
    ok = prd(fd, back, 1u << 20, (uint64_t)i << 20, &n) == 0 &&
         n == 1u << 20;
    for (uint32_t k = 0; k < (1u << 20) && ok; k++)
      ok = back[k] == pattern((uint64_t)i * (1u << 20) + k);
  }
  CHECK("read back", ok);
  EXPECT("fd_close", raw_fd_close(fd), 0);
  EXPECT("path_unlink_file big.bin",
         raw_path_unlink_file(DIR, P("big.bin"), L("big.bin")), 0);
  /* stdout is a file under run_guest.sh: these lines are written behind
   * too, in order. */
  return finish();
}

static uint32_t number(const char *s) {
  uint32_t v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (uint32_t)(*s++ - '0');
  return v;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return basic();
  const char *mode = argv[1];
  uint32_t kib = argc > 2 ? number(argv[2]) : 0;
  if (!strcmp(mode, "efbig"))
    return efbig();
  if (!strcmp(mode, "flood")) {
    memset(big, 0, 1u << 20);
    for (uint32_t i = 0; i < kib; i++) {
      uint32_t n;
      if (wr(3, big, 1u << 20, &n) != 0 || n != 1u << 20)
        return 1;
    }
    return 0;
  }
  if (write_pattern(kib) != 0)
    return 1;
  if (!strcmp(mode, "pending"))
    sleep_long();
  else if (!strcmp(mode, "exit"))
    raw_proc_exit(7);
  return 0;
}
