/* conform -- preview 1's rules where POSIX and the preview-1 text decide
 * the error, under /sandbox (fd 3). With an argument, one group:
 *
 *   types    the descriptor's type comes before its rights: sock_* on a
 *            file is NOTSOCK, path_* and fd_readdir on a file NOTDIR;
 *            rights granted by path_open are narrowed to what the file's
 *            type can do (a directory opened with FD_SEEK asked does not
 *            report it)
 *   dirs     path_open with O_DIRECTORY and write access: ISDIR on a
 *            directory, NOTDIR on a file (write access was dropped)
 *   slashes  a trailing slash names a directory: link and symlink to a
 *            missing "name/" are NOENT (they were made), an existing one
 *            EXIST; a file named "file/" is NOTDIR to stat, link, rename
 *            and unlink
 *   calls    the rest: bad whence, clocks, advice and flags are INVAL,
 *            poll_oneoff of nothing is INVAL, fd_renumber onto a closed
 *            number BADF, fd_prestat_dir_name into a short buffer
 *            NAMETOOLONG, fd_allocate of nothing INVAL */
#include <stdlib.h>

#include "wasi_test.h"

#define D 3

static int touch(const char *p) {
  int fd;
  int e = open_at(D, p, __WASI_OFLAGS_CREAT, 0, 0, &fd);
  if (e == 0)
    raw_fd_close(fd);
  return e;
}

static int open_dir_rights(const char *p, int oflags, i64 rights, int *fd) {
  return raw_path_open(D, 0, P(p), L(p), oflags, rights, 0, 0, P(fd));
}

static void types(void) {
  int f = -1, d = -1;
  uint32_t n;
  EXPECT("create f.txt", open_at(D, "f.txt", __WASI_OFLAGS_CREAT, 0, 0, &f),
         0);
  EXPECT("sock_shutdown on a file", raw_sock_shutdown(f, 1),
         __WASI_ERRNO_NOTSOCK);
  EXPECT("sock_accept on a file", raw_sock_accept(f, 0, P(&n)),
         __WASI_ERRNO_NOTSOCK);
  EXPECT("sock_shutdown on a directory", raw_sock_shutdown(D, 1),
         __WASI_ERRNO_NOTSOCK);
  EXPECT("path_create_directory on a file",
         raw_path_create_directory(f, P("x"), 1), __WASI_ERRNO_NOTDIR);
  EXPECT("path_open on a file",
         raw_path_open(f, 0, P("x"), 1, 0, 0, 0, 0, P(&n)),
         __WASI_ERRNO_NOTDIR);
  char buf[64];
  EXPECT("fd_readdir on a file", raw_fd_readdir(f, P(buf), 64, 0, P(&n)),
         __WASI_ERRNO_NOTDIR);
  raw_fd_close(f);

  const i64 asked = (i64)(__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
                          __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR |
                          __WASI_RIGHTS_PATH_OPEN);
  EXPECT("open a directory asking FD_SEEK",
         open_dir_rights(".", __WASI_OFLAGS_DIRECTORY, asked, &d), 0);
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  EXPECT("fdstat of it", raw_fd_fdstat_get(d, P(&st)), 0);
  CHECK("no FD_SEEK, FD_TELL or FD_READ on a directory",
        !(st.fs_rights_base & (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
                               __WASI_RIGHTS_FD_READ)));
  CHECK("FD_READDIR and PATH_OPEN kept",
        (st.fs_rights_base & (__WASI_RIGHTS_FD_READDIR |
                              __WASI_RIGHTS_PATH_OPEN)) ==
            (__WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN));
  raw_fd_close(d);
}

static void dirs(void) {
  int fd = -1;
  EXPECT("mkdir d", raw_path_create_directory(D, P("d"), 1), 0);
  EXPECT("touch f", touch("f"), 0);
  EXPECT("O_DIRECTORY with FD_WRITE on a directory",
         open_dir_rights("d", __WASI_OFLAGS_DIRECTORY,
                         (i64)__WASI_RIGHTS_FD_WRITE, &fd),
         __WASI_ERRNO_ISDIR);
  EXPECT("O_DIRECTORY with FD_WRITE on a file",
         open_dir_rights("f", __WASI_OFLAGS_DIRECTORY,
                         (i64)__WASI_RIGHTS_FD_WRITE, &fd),
         __WASI_ERRNO_NOTDIR);
  EXPECT("O_DIRECTORY reading a directory",
         open_dir_rights("d", __WASI_OFLAGS_DIRECTORY,
                         (i64)__WASI_RIGHTS_FD_READDIR, &fd), 0);
  raw_fd_close(fd);
  EXPECT("FD_WRITE on a directory without O_DIRECTORY",
         open_dir_rights("d", 0, (i64)__WASI_RIGHTS_FD_WRITE, &fd),
         __WASI_ERRNO_ISDIR);
}

static int link_(const char *a, const char *b) {
  return raw_path_link(D, 0, P(a), L(a), D, P(b), L(b));
}
static int symlink_(const char *t, const char *at) {
  return raw_path_symlink(P(t), L(t), D, P(at), L(at));
}

static void slashes(void) {
  __wasi_filestat_t st;
  EXPECT("touch file", touch("file"), 0);
  EXPECT("mkdir dir", raw_path_create_directory(D, P("dir"), 3), 0);
  EXPECT("path_link to missing/", link_("file", "missing/"),
         __WASI_ERRNO_NOENT);
  EXPECT("path_symlink to missing/", symlink_("file", "missing/"),
         __WASI_ERRNO_NOENT);
  EXPECT("stat of what they would have made",
         raw_path_filestat_get(D, 0, P("missing"), 7, P(&st)),
         __WASI_ERRNO_NOENT);
  EXPECT("path_link to dir/", link_("file", "dir/"), __WASI_ERRNO_EXIST);
  EXPECT("path_symlink to file/", symlink_("x", "file/"), __WASI_ERRNO_EXIST);
  EXPECT("path_link from file/", link_("file/", "other"),
         __WASI_ERRNO_NOTDIR);
  EXPECT("path_filestat_get file/",
         raw_path_filestat_get(D, 0, P("file/"), 5, P(&st)),
         __WASI_ERRNO_NOTDIR);
  EXPECT("path_filestat_get dir/",
         raw_path_filestat_get(D, 0, P("dir/"), 4, P(&st)), 0);
  EXPECT("path_rename file/ to moved",
         raw_path_rename(D, P("file/"), 5, D, P("moved"), 5),
         __WASI_ERRNO_NOTDIR);
  EXPECT("path_rename file to moved/",
         raw_path_rename(D, P("file"), 4, D, P("moved/"), 6),
         __WASI_ERRNO_NOTDIR);
  EXPECT("path_rename dir to moved/",
         raw_path_rename(D, P("dir"), 3, D, P("moved/"), 6), 0);
  EXPECT("path_unlink_file file/",
         raw_path_unlink_file(D, P("file/"), 5), __WASI_ERRNO_NOTDIR);
  EXPECT("path_unlink_file moved/",
         raw_path_unlink_file(D, P("moved/"), 6), __WASI_ERRNO_ISDIR);
  EXPECT("path_unlink_file gone/",
         raw_path_unlink_file(D, P("gone/"), 5), __WASI_ERRNO_NOENT);
}

static void calls(void) {
  int fd = -1;
  uint64_t pos = 0;
  EXPECT("open f", open_at(D, "f", __WASI_OFLAGS_CREAT, 0, 0, &fd), 0);
  EXPECT("fd_seek with whence 3", raw_fd_seek(fd, 0, 3, P(&pos)),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_seek before the start", raw_fd_seek(fd, -1, 0, P(&pos)),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_advise with advice 6", raw_fd_advise(fd, 0, 10, 6),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_allocate of nothing", raw_fd_allocate(fd, 0, 0),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_fdstat_set_flags with an unknown flag",
         raw_fd_fdstat_set_flags(fd, 0x100), __WASI_ERRNO_INVAL);
  uint64_t t;
  EXPECT("clock_time_get of clock 9", raw_clock_time_get(9, 1, P(&t)),
         __WASI_ERRNO_INVAL);
  EXPECT("clock_res_get of clock 9", raw_clock_res_get(9, P(&t)),
         __WASI_ERRNO_INVAL);
  uint32_t nev = 0;
  char subs[48], evs[32];
  EXPECT("poll_oneoff of nothing", raw_poll_oneoff(P(subs), P(evs), 0, P(&nev)),
         __WASI_ERRNO_INVAL);
  EXPECT("fd_renumber onto a closed number", raw_fd_renumber(fd, 77),
         __WASI_ERRNO_BADF);
  EXPECT("fd_renumber of a closed number", raw_fd_renumber(77, fd),
         __WASI_ERRNO_BADF);
  EXPECT("fd_renumber onto itself", raw_fd_renumber(fd, fd), 0);
  char name[2];
  EXPECT("fd_prestat_dir_name into 2 bytes",
         raw_fd_prestat_dir_name(D, P(name), 2), __WASI_ERRNO_NAMETOOLONG);
  EXPECT("fd_prestat_get of a file", raw_fd_prestat_get(fd, P(subs)),
         __WASI_ERRNO_BADF);
  raw_fd_close(fd);
}

int main(int argc, char **argv) {
  const char *g = argc > 1 ? argv[1] : "";
  if (!strcmp(g, "types"))
    types();
  else if (!strcmp(g, "dirs"))
    dirs();
  else if (!strcmp(g, "slashes"))
    slashes();
  else if (!strcmp(g, "calls"))
    calls();
  else
    printf("unknown group '%s'\n", g);
  return finish();
}
