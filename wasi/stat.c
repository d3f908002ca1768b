/*
 * stat.c -- the guest's filestat record, filled from a host struct stat
 * (path calls, on the thread pool) or a libuv uv_stat_t (fd_filestat_get
 * through uv_fs_fstat).
 */
#include "wasi_internal.h"

#include <string.h>
#include <sys/stat.h>

static uint64_t ns(int64_t sec, int64_t nsec) {
  if (sec < 0)
    return 0; /* before 1970: WASI timestamps are unsigned */
  return (uint64_t)sec * 1000000000u + (uint64_t)nsec;
}

void lullw_stat_from_host(lullw_stat *out, const struct stat *st) {
  out->dev = (uint64_t)st->st_dev;
  out->ino = (uint64_t)st->st_ino;
  out->filetype = lullw_filetype_of_mode(st->st_mode);
  out->nlink = (uint64_t)st->st_nlink;
  out->size = (uint64_t)st->st_size;
  out->atim = ns(st->st_atim.tv_sec, st->st_atim.tv_nsec);
  out->mtim = ns(st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
  out->ctim = ns(st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

void lullw_stat_from_uv(lullw_stat *out, const uv_stat_t *st) {
  out->dev = st->st_dev;
  out->ino = st->st_ino;
  out->filetype = lullw_filetype_of_mode((unsigned)st->st_mode);
  out->nlink = st->st_nlink;
  out->size = st->st_size;
  out->atim = ns(st->st_atim.tv_sec, st->st_atim.tv_nsec);
  out->mtim = ns(st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
  out->ctim = ns(st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

int32_t lullw_stat_put(lull_memory *m, uint32_t ptr, const lullw_stat *st) {
  uint8_t *p = lullw_mem(m, ptr, LULLW_FILESTAT_SIZE);
  if (!p)
    return LULLW_EFAULT;
  memset(p, 0, LULLW_FILESTAT_SIZE);
  lullw_st64(p + 0, st->dev);
  lullw_st64(p + 8, st->ino);
  p[16] = st->filetype;
  lullw_st64(p + 24, st->nlink);
  lullw_st64(p + 32, st->size);
  lullw_st64(p + 40, st->atim);
  lullw_st64(p + 48, st->mtim);
  lullw_st64(p + 56, st->ctim);
  return 0;
}

int32_t lullw_times(uint64_t atim, uint64_t mtim, uint32_t fst,
                    struct timespec ts[2]) {
  const uint32_t known = LULLW_FST_ATIM | LULLW_FST_ATIM_NOW | LULLW_FST_MTIM |
                         LULLW_FST_MTIM_NOW;
  if ((fst & ~known) ||
      ((fst & LULLW_FST_ATIM) && (fst & LULLW_FST_ATIM_NOW)) ||
      ((fst & LULLW_FST_MTIM) && (fst & LULLW_FST_MTIM_NOW)))
    return LULLW_EINVAL;
  uint64_t v[2] = {atim, mtim};
  uint32_t set[2] = {LULLW_FST_ATIM, LULLW_FST_MTIM};
  uint32_t now[2] = {LULLW_FST_ATIM_NOW, LULLW_FST_MTIM_NOW};
  for (int i = 0; i < 2; i++) {
    ts[i].tv_sec = 0;
    if (fst & set[i]) {
      ts[i].tv_sec = (time_t)(v[i] / 1000000000u);
      ts[i].tv_nsec = (long)(v[i] % 1000000000u);
    } else if (fst & now[i]) {
      ts[i].tv_nsec = UTIME_NOW;
    } else {
      ts[i].tv_nsec = UTIME_OMIT;
    }
  }
  return 0;
}
