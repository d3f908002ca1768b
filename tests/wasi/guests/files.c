/* files -- fd_* on regular files under the preopen /sandbox (fd 3):
 * path_open's oflags and fdflags, reads and writes (partial ones too),
 * seek and tell, stat and its setters, allocate, advise, sync, fdstat
 * and rights, renumber, close, prestat, and the errors of each. */
#include <stdlib.h>

#include "wasi_test.h"

#define DIR 3
#define RW ((i64)(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | \
                  __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL))

#define ALL (RW | (i64)(__WASI_RIGHTS_FD_FILESTAT_GET | \
    __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | \
    __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_SYNC | \
    __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS))

/* The preopen opened again as "." (checked as `what`), and its fdstat. */
static int reopen_dir(const char *what, __wasi_fdstat_t *st) {
  int sub = -1;
  EXPECT(what, open_at(DIR, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, &sub), 0);
  memset(st, 0, sizeof *st);
  raw_fd_fdstat_get(sub, P(st));
  return sub;
}

static int open_rights(const char *path, int oflags, i64 rights, int fdflags,
                       int *fd) {
  return raw_path_open(DIR, 0, P(path), L(path), oflags, rights, 0, fdflags,
                       P(fd));
}

static uint64_t size_of(int fd) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  raw_fd_filestat_get(fd, P(&st));
  return st.size;
}

static unsigned char big[3 << 20], back[3 << 20];

int main(void) {
  int fd = -1, fd2 = -1;
  uint32_t n = 0;
  uint64_t pos = 0;
  char buf[64];

  /* prestat */
  __wasi_prestat_t pre;
  EXPECT("fd_prestat_get 3", raw_fd_prestat_get(DIR, P(&pre)), 0);
  CHECK("preopen is a directory named with 8 bytes",
        pre.tag == 0 && pre.u.dir.pr_name_len == 8);
  memset(buf, 0, sizeof buf);
  EXPECT("fd_prestat_dir_name", raw_fd_prestat_dir_name(DIR, P(buf), 8), 0);
  CHECK("preopen name", strcmp(buf, "/sandbox") == 0);
  EXPECT("fd_prestat_dir_name short buffer",
         raw_fd_prestat_dir_name(DIR, P(buf), 3), __WASI_ERRNO_NAMETOOLONG);
  EXPECT("fd_prestat_get of stdout", raw_fd_prestat_get(1, P(&pre)),
         __WASI_ERRNO_BADF);
  EXPECT("fd_prestat_get of a closed fd", raw_fd_prestat_get(40, P(&pre)),
         __WASI_ERRNO_BADF);

  /* Creating, and what O_EXCL, O_TRUNC, O_DIRECTORY say. */
  EXPECT("open missing file", open_rights("a.txt", 0, RW, 0, &fd),
         __WASI_ERRNO_NOENT);
  EXPECT("create a.txt",
         open_rights("a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, ALL, 0,
                     &fd), 0);
  EXPECT("create a.txt again with EXCL",
         open_rights("a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW, 0,
                     &fd2), __WASI_ERRNO_EXIST);
  EXPECT("open a file with O_DIRECTORY",
         open_rights("a.txt", __WASI_OFLAGS_DIRECTORY, RW, 0, &fd2),
         __WASI_ERRNO_NOTDIR);
  EXPECT("open with unknown oflags", open_rights("a.txt", 16, RW, 0, &fd2),
         __WASI_ERRNO_INVAL);
  EXPECT("open with unknown fdflags", open_rights("a.txt", 0, RW, 32, &fd2),
         __WASI_ERRNO_INVAL);

  /* Writing from two buffers, reading back in pieces. */
  __wasi_ciovec_t two[2] = {{(const uint8_t *)"hello ", 6},
                            {(const uint8_t *)"world", 5}};
  EXPECT("fd_write two iovecs", raw_fd_write(fd, P(two), 2, P(&n)), 0);
  CHECK("wrote 11", n == 11);
  EXPECT("fd_tell after write", raw_fd_tell(fd, P(&pos)), 0);
  CHECK("at 11", pos == 11);
  EXPECT("fd_seek to 0", raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos)), 0);
  memset(buf, 0, sizeof buf);
  EXPECT("fd_read 5", read_buf(fd, buf, 5, &n), 0);
  CHECK("read 'hello'", n == 5 && memcmp(buf, "hello", 5) == 0);
  EXPECT("fd_read the rest", read_buf(fd, buf, sizeof buf, &n), 0);
  CHECK("a short read: ' world'", n == 6 && memcmp(buf, " world", 6) == 0);
  EXPECT("fd_read at the end", read_buf(fd, buf, sizeof buf, &n), 0);
  CHECK("0 bytes at the end", n == 0);

  /* Scattering into many small buffers, some empty. */
  {
    char parts[11];
    __wasi_iovec_t iov[22];
    for (int i = 0; i < 11; i++) {
      iov[2 * i].buf = (uint8_t *)&parts[i];
      iov[2 * i].buf_len = 1;
      iov[2 * i + 1].buf = (uint8_t *)buf;
      iov[2 * i + 1].buf_len = 0;
    }
    EXPECT("fd_seek to 0", raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos)), 0);
    EXPECT("fd_read into 22 iovecs", raw_fd_read(fd, P(iov), 22, P(&n)), 0);
    CHECK("every byte in its place",
          n == 11 && memcmp(parts, "hello world", 11) == 0);
    EXPECT("fd_read with 2000 iovecs", raw_fd_read(fd, P(big), 2000, P(&n)),
           __WASI_ERRNO_INVAL);
  }

  /* pread and pwrite leave the offset alone. */
  EXPECT("fd_seek to 3", raw_fd_seek(fd, 3, __WASI_WHENCE_SET, P(&pos)), 0);
  __wasi_iovec_t rv = {(uint8_t *)buf, 5};
  EXPECT("fd_pread at 6", raw_fd_pread(fd, P(&rv), 1, 6, P(&n)), 0);
  CHECK("pread 'world'", n == 5 && memcmp(buf, "world", 5) == 0);
  __wasi_ciovec_t wv = {(const uint8_t *)"HELLO", 5};
  EXPECT("fd_pwrite at 0", raw_fd_pwrite(fd, P(&wv), 1, 0, P(&n)), 0);
  EXPECT("fd_pread at 0", raw_fd_pread(fd, P(&rv), 1, 0, P(&n)), 0);
  CHECK("pread 'HELLO'", n == 5 && memcmp(buf, "HELLO", 5) == 0);
  EXPECT("fd_tell", raw_fd_tell(fd, P(&pos)), 0);
  CHECK("offset still 3", pos == 3);
  EXPECT("fd_pread past the end", raw_fd_pread(fd, P(&rv), 1, 1000, P(&n)),
         0);
  CHECK("0 bytes past the end", n == 0);
  EXPECT("fd_pread at a negative offset",
         raw_fd_pread(fd, P(&rv), 1, -1, P(&n)), __WASI_ERRNO_INVAL);

  /* Seeking. */
  EXPECT("fd_seek end -5", raw_fd_seek(fd, -5, __WASI_WHENCE_END, P(&pos)), 0);
  CHECK("at 6", pos == 6);
  EXPECT("fd_seek cur -2", raw_fd_seek(fd, -2, __WASI_WHENCE_CUR, P(&pos)), 0);
  CHECK("at 4", pos == 4);
  EXPECT("fd_seek before the start",
         raw_fd_seek(fd, -100, __WASI_WHENCE_CUR, P(&pos)), __WASI_ERRNO_INVAL);
  EXPECT("fd_seek bad whence", raw_fd_seek(fd, 0, 3, P(&pos)),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_seek past the end", raw_fd_seek(fd, 100, __WASI_WHENCE_SET,
                                             P(&pos)), 0);

  /* Stat, size, times. */
  __wasi_filestat_t st;
  EXPECT("fd_filestat_get", raw_fd_filestat_get(fd, P(&st)), 0);
  CHECK("a regular file of 11 bytes, one link",
        st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 11 &&
            st.nlink == 1);
  EXPECT("fd_filestat_set_size 4", raw_fd_filestat_set_size(fd, 4), 0);
  CHECK("size 4", size_of(fd) == 4);
  EXPECT("fd_filestat_set_size 100", raw_fd_filestat_set_size(fd, 100), 0);
  CHECK("size 100", size_of(fd) == 100);
  EXPECT("fd_pread the grown part", raw_fd_pread(fd, P(&rv), 1, 50, P(&n)), 0);
  CHECK("zeros", n == 5 && memcmp(buf, "\0\0\0\0\0", 5) == 0);
  EXPECT("fd_filestat_set_times",
         raw_fd_filestat_set_times(fd, 1000000000123ll, 2000000000456ll,
                                   __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
         0);
  raw_fd_filestat_get(fd, P(&st));
  CHECK("times set to the nanosecond",
        st.atim == 1000000000123ull && st.mtim == 2000000000456ull);
  EXPECT("fd_filestat_set_times mtim only",
         raw_fd_filestat_set_times(fd, 0, 3000000000000ll,
                                   __WASI_FSTFLAGS_MTIM), 0);
  raw_fd_filestat_get(fd, P(&st));
  CHECK("atim left alone", st.atim == 1000000000123ull &&
                               st.mtim == 3000000000000ull);
  EXPECT("fd_filestat_set_times now",
         raw_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
  raw_fd_filestat_get(fd, P(&st));
  CHECK("mtim is now", st.mtim > 3000000000000ull);
  EXPECT("fd_filestat_set_times ATIM and ATIM_NOW",
         raw_fd_filestat_set_times(fd, 0, 0,
                                   __WASI_FSTFLAGS_ATIM |
                                       __WASI_FSTFLAGS_ATIM_NOW),
         __WASI_ERRNO_INVAL);

  /* allocate, advise, sync. */
  EXPECT("fd_allocate 0..8192", raw_fd_allocate(fd, 0, 8192), 0);
  CHECK("size at least 8192", size_of(fd) >= 8192);
  EXPECT("fd_advise sequential", raw_fd_advise(fd, 0, 0, 1), 0);
  EXPECT("fd_advise dontneed", raw_fd_advise(fd, 0, 100, 4), 0);
  EXPECT("fd_advise bad advice", raw_fd_advise(fd, 0, 0, 9),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_sync", raw_fd_sync(fd), 0);
  EXPECT("fd_datasync", raw_fd_datasync(fd), 0);

  /* fdstat and flags. */
  __wasi_fdstat_t fs;
  EXPECT("fd_fdstat_get", raw_fd_fdstat_get(fd, P(&fs)), 0);
  CHECK("regular file, no flags, rights as asked",
        fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE && fs.fs_flags == 0 &&
            fs.fs_rights_base == (uint64_t)ALL);
  EXPECT("fd_fdstat_set_flags APPEND",
         raw_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
  raw_fd_filestat_set_size(fd, 11);
  raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos));
  write_str(fd, "!", &n);
  CHECK("APPEND writes at the end", size_of(fd) == 12);
  raw_fd_fdstat_get(fd, P(&fs));
  CHECK("fdstat shows APPEND", fs.fs_flags == __WASI_FDFLAGS_APPEND);
  EXPECT("fd_fdstat_set_flags NONBLOCK",
         raw_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK), 0);
  raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos));
  write_str(fd, "J", &n);
  CHECK("without APPEND writes where the offset is", size_of(fd) == 12);
  EXPECT("fd_fdstat_set_flags SYNC",
         raw_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC),
         __WASI_ERRNO_NOTSUP);
  EXPECT("fd_fdstat_set_flags unknown", raw_fd_fdstat_set_flags(fd, 64),
         __WASI_ERRNO_INVAL);

  /* Rights only go down, and each call needs its own. */
  EXPECT("fd_fdstat_set_rights adding a right",
         raw_fd_fdstat_set_rights(fd, ALL | __WASI_RIGHTS_FD_READDIR, 0),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_fdstat_set_rights without write",
         raw_fd_fdstat_set_rights(fd, ALL & ~(i64)__WASI_RIGHTS_FD_WRITE, 0), 0);
  EXPECT("fd_write without the right", write_str(fd, "x", &n),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_pwrite without the right",
         raw_fd_pwrite(fd, P(&wv), 1, 0, P(&n)), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_fdstat_set_rights write again",
         raw_fd_fdstat_set_rights(fd, ALL, 0), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_fdstat_set_rights only read, seek, tell",
         raw_fd_fdstat_set_rights(fd, RW & ~(i64)__WASI_RIGHTS_FD_WRITE, 0), 0);
  EXPECT("fd_fdstat_set_flags without the right",
         raw_fd_fdstat_set_flags(fd, 0), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_filestat_set_times without the right",
         raw_fd_filestat_set_times(fd, 0, 0, 0), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_advise without the right", raw_fd_advise(fd, 0, 0, 0),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_datasync without the right", raw_fd_datasync(fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_allocate without the right", raw_fd_allocate(fd, 0, 10),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_filestat_get without the right",
         raw_fd_filestat_get(fd, P(&st)), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_filestat_set_size without the right",
         raw_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_sync without the right", raw_fd_sync(fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_fdstat_set_rights without seek",
         raw_fd_fdstat_set_rights(fd, (i64)(__WASI_RIGHTS_FD_READ |
                                            __WASI_RIGHTS_FD_TELL), 0), 0);
  EXPECT("fd_seek without the right",
         raw_fd_seek(fd, 1, __WASI_WHENCE_SET, P(&pos)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_seek(0, CUR) needs only fd_tell",
         raw_fd_seek(fd, 0, __WASI_WHENCE_CUR, P(&pos)), 0);
  EXPECT("fd_tell", raw_fd_tell(fd, P(&pos)), 0);
  EXPECT("fd_pread without seek", raw_fd_pread(fd, P(&rv), 1, 0, P(&n)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_read", read_buf(fd, buf, 1, &n), 0);
  EXPECT("fd_fdstat_set_rights nothing", raw_fd_fdstat_set_rights(fd, 0, 0),
         0);
  EXPECT("fd_read without the right", read_buf(fd, buf, 1, &n),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_tell without the right", raw_fd_tell(fd, P(&pos)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_close", raw_fd_close(fd), 0);
  EXPECT("fd_close again", raw_fd_close(fd), __WASI_ERRNO_BADF);
  EXPECT("fd_read on a closed fd", read_buf(fd, buf, 1, &n),
         __WASI_ERRNO_BADF);

  /* Opened with fewer rights: read-only. */
  EXPECT("open read-only",
         open_rights("a.txt", 0, (i64)__WASI_RIGHTS_FD_READ, 0, &fd), 0);
  EXPECT("fd_write on a read-only fd", write_str(fd, "x", &n),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_read on a read-only fd", read_buf(fd, buf, 5, &n), 0);
  CHECK("reads 'JELL'", n == 5 && memcmp(buf, "JELL", 5) == 0);
  raw_fd_close(fd);

  /* O_TRUNC and fdflags at open. */
  EXPECT("open with TRUNC", open_rights("a.txt", __WASI_OFLAGS_TRUNC, RW, 0,
                                        &fd), 0);
  raw_fd_close(fd);
  EXPECT("open with APPEND",
         open_rights("a.txt", 0, ALL, __WASI_FDFLAGS_APPEND, &fd), 0);
  CHECK("TRUNC emptied it", size_of(fd) == 0);
  write_str(fd, "abc", &n);
  raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos));
  write_str(fd, "def", &n);
  CHECK("APPEND at open appends", size_of(fd) == 6);
  raw_fd_fdstat_get(fd, P(&fs));
  CHECK("fdstat shows APPEND", fs.fs_flags == __WASI_FDFLAGS_APPEND);
  raw_fd_close(fd);
  EXPECT("open with DSYNC and the right",
         open_rights("a.txt", 0, RW | (i64)__WASI_RIGHTS_FD_DATASYNC,
                     __WASI_FDFLAGS_DSYNC, &fd), 0);
  raw_fd_close(fd);
  EXPECT("open with SYNC and RSYNC and the right",
         open_rights("a.txt", 0, RW | (i64)__WASI_RIGHTS_FD_SYNC,
                     __WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_RSYNC, &fd), 0);
  raw_fd_fdstat_get(fd, P(&fs));
  CHECK("fdstat shows SYNC and RSYNC",
        fs.fs_flags == (__WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_RSYNC));
  raw_fd_close(fd);
  /* The synchronous-I/O flags are authorized by what the directory
   * passes on (its inheriting rights), not by the rights asked. */
  EXPECT("open with SYNC without asking the right",
         open_rights("a.txt", 0, RW, __WASI_FDFLAGS_SYNC, &fd), 0);
  raw_fd_close(fd);
  {
    __wasi_fdstat_t ds;
    int sub = reopen_dir("open the directory again", &ds);
    const i64 no_sync = (i64)ds.fs_rights_inheriting &
                        ~(i64)(__WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC);
    EXPECT("drop FD_SYNC and FD_DATASYNC from what it passes on",
           raw_fd_fdstat_set_rights(sub, (i64)ds.fs_rights_base, no_sync), 0);
    EXPECT("open with SYNC below it",
           raw_path_open(sub, 0, P("a.txt"), 5, 0, RW | (i64)__WASI_RIGHTS_FD_SYNC,
                         0, __WASI_FDFLAGS_SYNC, P(&fd)),
           __WASI_ERRNO_NOTCAPABLE);
    EXPECT("open with DSYNC below it",
           raw_path_open(sub, 0, P("a.txt"), 5, 0, RW, 0, __WASI_FDFLAGS_DSYNC,
                         P(&fd)),
           __WASI_ERRNO_NOTCAPABLE);
    raw_fd_close(sub);
  }
  EXPECT("open with NONBLOCK",
         open_rights("a.txt", 0, RW, __WASI_FDFLAGS_NONBLOCK, &fd), 0);
  EXPECT("fd_read with NONBLOCK on a file", read_buf(fd, buf, 3, &n), 0);
  CHECK("reads 'abc'", n == 3 && memcmp(buf, "abc", 3) == 0);
  raw_fd_close(fd);

  /* Partial reads and writes: one call moves at most 1 MiB. */
  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (unsigned char)(i * 7 + (i >> 12));
  EXPECT("create big.bin",
         open_rights("big.bin", __WASI_OFLAGS_CREAT, RW, 0, &fd), 0);
  __wasi_ciovec_t bv = {big, sizeof big};
  EXPECT("fd_write 3 MiB", raw_fd_write(fd, P(&bv), 1, P(&n)), 0);
  CHECK("a partial write of 1 MiB", n == (1u << 20));
  size_t done = n;
  while (done < sizeof big) {
    __wasi_ciovec_t rest = {big + done, sizeof big - done};
    if (raw_fd_write(fd, P(&rest), 1, P(&n)) != 0 || n == 0)
      break;
    done += n;
  }
  CHECK("the rest follows", done == sizeof big);
  raw_fd_seek(fd, 0, __WASI_WHENCE_SET, P(&pos));
  __wasi_iovec_t bk = {back, sizeof back};
  EXPECT("fd_read 3 MiB", raw_fd_read(fd, P(&bk), 1, P(&n)), 0);
  CHECK("a partial read of 1 MiB", n == (1u << 20));
  done = n;
  while (done < sizeof back) {
    __wasi_iovec_t rest = {back + done, sizeof back - done};
    if (raw_fd_read(fd, P(&rest), 1, P(&n)) != 0 || n == 0)
      break;
    done += n;
  }
  CHECK("the same bytes come back",
        done == sizeof back && memcmp(big, back, sizeof big) == 0);
  raw_fd_close(fd);

  /* renumber */
  EXPECT("open a.txt", open_rights("a.txt", 0, RW, 0, &fd), 0);
  EXPECT("open big.bin", open_rights("big.bin", 0, RW, 0, &fd2), 0);
  EXPECT("fd_renumber a.txt over big.bin", raw_fd_renumber(fd, fd2), 0);
  EXPECT("the old number is closed", read_buf(fd, buf, 3, &n),
         __WASI_ERRNO_BADF);
  EXPECT("the new number reads a.txt", read_buf(fd2, buf, 3, &n), 0);
  CHECK("'abc'", n == 3 && memcmp(buf, "abc", 3) == 0);
  EXPECT("fd_renumber to itself", raw_fd_renumber(fd2, fd2), 0);
  EXPECT("fd_renumber to a closed number", raw_fd_renumber(fd2, 77),
         __WASI_ERRNO_BADF);
  EXPECT("fd_renumber from a closed number", raw_fd_renumber(77, fd2),
         __WASI_ERRNO_BADF);
  raw_fd_close(fd2);

  /* The preopen is a directory: no data calls. */
  EXPECT("fd_read on the preopen", read_buf(DIR, buf, 1, &n),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_seek on the preopen", raw_fd_seek(DIR, 0, 0, P(&pos)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("fd_fdstat_get on the preopen", raw_fd_fdstat_get(DIR, P(&fs)), 0);
  CHECK("a directory", fs.fs_filetype == __WASI_FILETYPE_DIRECTORY);
  EXPECT("fd_filestat_get on the preopen", raw_fd_filestat_get(DIR, P(&st)),
         0);
  CHECK("a directory", st.filetype == __WASI_FILETYPE_DIRECTORY);
  EXPECT("fd_readdir on a file",
         (open_rights("a.txt", 0, (i64)__WASI_RIGHTS_FD_READDIR, 0, &fd),
          raw_fd_readdir(fd, P(buf), sizeof buf, 0, P(&n))),
         __WASI_ERRNO_NOTDIR);
  raw_fd_close(fd);

  /* Directory rights decide what can be opened through it. */
  int sub = reopen_dir("open the preopen's own directory", &fs);
  __wasi_fdstat_t dfs;
  raw_fd_fdstat_get(DIR, P(&dfs));
  CHECK("its rights are at most the preopen's inheriting ones",
        (fs.fs_rights_base & ~dfs.fs_rights_inheriting) == 0);
  EXPECT("drop path_create_file",
         raw_fd_fdstat_set_rights(
             sub, (i64)(fs.fs_rights_base & ~__WASI_RIGHTS_PATH_CREATE_FILE),
             (i64)fs.fs_rights_inheriting), 0);
  EXPECT("create without path_create_file",
         open_at(sub, "new.txt", __WASI_OFLAGS_CREAT, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open existing without path_create_file",
         open_at(sub, "a.txt", 0, 0, 0, &fd), 0);
  raw_fd_close(fd);
  EXPECT("drop inheriting write",
         raw_fd_fdstat_set_rights(
             sub, (i64)(fs.fs_rights_base & ~__WASI_RIGHTS_PATH_CREATE_FILE),
             (i64)(fs.fs_rights_inheriting & ~__WASI_RIGHTS_FD_WRITE)), 0);
  EXPECT("open asking for write", open_at(sub, "a.txt", 0, 0, 0, &fd), 0);
  EXPECT("fd_write: the directory did not pass the right on",
         write_str(fd, "x", &n), __WASI_ERRNO_NOTCAPABLE);
  raw_fd_close(fd);
  EXPECT("drop path_open",
         raw_fd_fdstat_set_rights(sub, 0, 0), 0);
  EXPECT("open without path_open", open_at(sub, "a.txt", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  raw_fd_close(sub);

  /* stdout works through the raw calls too. */
  fflush(stdout);
  EXPECT("fd_write to stdout", write_str(1, "to stdout\n", &n), 0);
  return finish();
}
