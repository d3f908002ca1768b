/* hostile -- what a guest did to lull that went wrong once; each mode is
 * run by test_wasi_hostile.c, which checks the outcome from outside too.
 *
 *   random MIB   random_get of MIB MiB in one call (it used to run on the
 *                loop thread, holding every other guest up): the buffer
 *                is filled, to its last byte
 *   fill MIB     writes MIB MiB to "big" in the directory at fd 3, 1 MiB a
 *                call, checking each call, and stops at the first error:
 *                on a small file system the write that does not fit must
 *                say ENOSPC itself (queued writes acknowledged it and lost
 *                it), and the file holds exactly what the writes said */
#include <stdlib.h>

#include "wasi_test.h"

#define MIB (1u << 20)

static int random_mode(uint32_t mib) {
  uint8_t *b = calloc(mib, MIB);
  CHECK("allocated", b != NULL);
  if (!b)
    return finish();
  EXPECT("random_get", raw_random_get(P(b), (i32)(mib * MIB)), 0);
  /* No 4 KiB block left as calloc made it (2^-32768 by chance). */
  uint32_t zero_blocks = 0;
  for (uint64_t at = 0; at < (uint64_t)mib * MIB; at += 4096) {
    uint32_t k = 0;
    while (k < 4096 && !b[at + k])
      k++;
    zero_blocks += k == 4096;
  }
  CHECK("every block filled", zero_blocks == 0);
  free(b);
  return finish();
}

static int fill_mode(uint32_t mib) {
  static uint8_t chunk[MIB];
  memset(chunk, 0xA5, sizeof chunk);
  int fd = -1;
  EXPECT("open big", open_at(3, "big", 1 | 8, 0, 0, &fd), 0);
  uint64_t told = 0;
  int err = 0;
  for (uint32_t i = 0; i < mib && !err; i++) {
    uint32_t n = 0;
    __wasi_ciovec_t iov = {chunk, sizeof chunk};
    err = raw_fd_write(fd, P(&iov), 1, P(&n));
    if (!err)
      told += n;
  }
  EXPECT("a write fails", err, 51 /* NOSPC */);
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  EXPECT("filestat", raw_fd_filestat_get(fd, P(&st)), 0);
  CHECK("the file holds what the writes said", st.size == told);
  EXPECT("close", raw_fd_close(fd), 0);
  return finish();
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "random"))
    return random_mode((uint32_t)atoi(argv[2]));
  if (argc == 3 && !strcmp(argv[1], "fill"))
    return fill_mode((uint32_t)atoi(argv[2]));
  printf("usage: hostile random MIB | fill MIB\n");
  return 2;
}
