/* dirs -- the path_* calls and fd_readdir under /sandbox (fd 3):
 * directories, a 1000-entry directory read with libc and with raw
 * cookies, rename, link, symlink, readlink, unlink, path stat and times,
 * trailing slashes, "." and "..", and the errors of each. */
#include <dirent.h>
#include <stdlib.h>

#include "wasi_test.h"

#define DIR_FD 3
#define NFILES 1000

static int mkdir_(const char *p) {
  return raw_path_create_directory(DIR_FD, P(p), L(p));
}
static int rmdir_(const char *p) {
  return raw_path_remove_directory(DIR_FD, P(p), L(p));
}
static int unlink_(const char *p) {
  return raw_path_unlink_file(DIR_FD, P(p), L(p));
}
static int stat_(const char *p, int follow, __wasi_filestat_t *st) {
  return raw_path_filestat_get(DIR_FD, follow, P(p), L(p), P(st));
}
static int rename_(const char *a, const char *b) {
  return raw_path_rename(DIR_FD, P(a), L(a), DIR_FD, P(b), L(b));
}
static int link_(const char *a, const char *b, int follow) {
  return raw_path_link(DIR_FD, follow, P(a), L(a), DIR_FD, P(b), L(b));
}
static int symlink_(const char *target, const char *at) {
  return raw_path_symlink(P(target), L(target), DIR_FD, P(at), L(at));
}
static int touch(const char *p) {
  int fd;
  int e = open_at(DIR_FD, p, __WASI_OFLAGS_CREAT, 0, 0, &fd);
  if (e == 0)
    raw_fd_close(fd);
  return e;
}
static uint8_t type_of(const char *p, int follow) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  return stat_(p, follow, &st) == 0 ? st.filetype : 255;
}

static char seen[NFILES];

/* Reads directory `fd` with buffers of `bufsize` bytes from `cookie`,
 * restarting after the last whole entry when one is cut off; returns the
 * number of entries, marks the f%d names in `seen`, and gives the cookie
 * after the `stop_at`-th entry. */
static int list_raw(int fd, uint32_t bufsize, uint64_t cookie, int stop_at,
                    uint64_t *cookie_at, int *calls) {
  static uint8_t buf[65536];
  int count = 0;
  *calls = 0;
  for (;;) {
    uint32_t used = 0;
    if (raw_fd_readdir(fd, P(buf), (i32)bufsize, (i64)cookie, P(&used)) != 0)
      return -1;
    (*calls)++;
    uint32_t at = 0;
    int whole = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t d;
      memcpy(&d, buf + at, sizeof d);
      if (at + sizeof d + d.d_namlen > used)
        break; /* cut off: read again from `cookie` */
      char name[256];
      memcpy(name, buf + at + sizeof d, d.d_namlen);
      name[d.d_namlen] = '\0';
      int k;
      if (name[0] == 'f' && (k = atoi(name + 1)) >= 0 && k < NFILES)
        seen[k]++;
      count++;
      whole++;
      cookie = d.d_next;
      if (count == stop_at)
        *cookie_at = cookie;
      at += sizeof d + d.d_namlen;
    }
    if (used < bufsize)
      return count; /* the end */
    if (whole == 0)
      return -2; /* the buffer cannot hold one entry */
  }
}

int main(void) {
  __wasi_filestat_t st;
  int fd = -1;
  char buf[64];
  uint32_t n = 0;

  /* Directories. */
  EXPECT("mkdir d1", mkdir_("d1"), 0);
  EXPECT("mkdir d1 again", mkdir_("d1"), __WASI_ERRNO_EXIST);
  EXPECT("mkdir d1/sub", mkdir_("d1/sub"), 0);
  EXPECT("mkdir in a missing directory", mkdir_("nope/sub"),
         __WASI_ERRNO_NOENT);
  EXPECT("mkdir .", mkdir_("."), __WASI_ERRNO_EXIST);
  EXPECT("mkdir with a trailing slash", mkdir_("d2/"), 0);
  EXPECT("mkdir empty path", mkdir_(""), __WASI_ERRNO_NOENT);
  EXPECT("stat d1", stat_("d1", 0, &st), 0);
  CHECK("a directory", st.filetype == __WASI_FILETYPE_DIRECTORY);
  EXPECT("stat missing", stat_("missing", 0, &st), __WASI_ERRNO_NOENT);
  EXPECT("stat d1/sub/../sub/.", stat_("d1/sub/../sub/.", 0, &st), 0);
  CHECK("a directory", st.filetype == __WASI_FILETYPE_DIRECTORY);
  EXPECT("stat ./d1//sub/", stat_("./d1//sub/", 0, &st), 0);
  EXPECT("stat with unknown lookup flags",
         raw_path_filestat_get(DIR_FD, 2, P("d1"), 2, P(&st)),
         __WASI_ERRNO_INVAL);

  /* A large directory: 1000 files, listed every way. */
  EXPECT("mkdir big", mkdir_("big"), 0);
  int made = 0;
  for (int i = 0; i < NFILES; i++) {
    char name[32];
    snprintf(name, sizeof name, "big/f%d", i);
    made += touch(name) == 0;
  }
  CHECK("1000 files made", made == NFILES);
  DIR *d = opendir("/sandbox/big");
  CHECK("opendir", d != NULL);
  int count = 0, dots = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    int k;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      dots++;
    else if (e->d_name[0] == 'f' && (k = atoi(e->d_name + 1)) < NFILES)
      seen[k]++, count++;
  }
  if (d)
    closedir(d);
  int once = 1;
  for (int i = 0; i < NFILES; i++)
    once &= seen[i] == 1;
  CHECK("libc readdir sees 1000 files once each, and . and ..",
        count == NFILES && dots == 2 && once);

  int big = -1, calls = 0;
  uint64_t mid = 0;
  EXPECT("open big", open_at(DIR_FD, "big", __WASI_OFLAGS_DIRECTORY, 0, 0,
                             &big), 0);
  memset(seen, 0, sizeof seen);
  count = list_raw(big, 4096, 0, 500, &mid, &calls);
  once = 1;
  for (int i = 0; i < NFILES; i++)
    once &= seen[i] == 1;
  CHECK("fd_readdir with 4 KiB buffers: 1002 entries, each once",
        count == NFILES + 2 && once && calls > 2);
  memset(seen, 0, sizeof seen);
  uint64_t unused;
  count = list_raw(big, 40, 0, -1, &unused, &calls);
  once = 1;
  for (int i = 0; i < NFILES; i++)
    once &= seen[i] == 1;
  CHECK("fd_readdir with 40-byte buffers (entries cut off): the same",
        count == NFILES + 2 && once && calls >= NFILES);
  count = list_raw(big, 4096, mid, -1, &unused, &calls);
  CHECK("from the cookie after 500 entries: 502 more", count == 502);
  uint32_t used = 0;
  static uint8_t small[10];
  EXPECT("fd_readdir with 10 bytes", raw_fd_readdir(big, P(small), 10, 0,
                                                     P(&used)), 0);
  CHECK("10 bytes of a cut-off entry", used == 10);
  EXPECT("fd_readdir with 0 bytes", raw_fd_readdir(big, P(small), 0, 0,
                                                    P(&used)), 0);
  CHECK("0 bytes", used == 0);
  EXPECT("fd_readdir past the end (cookie of the end)",
         (list_raw(big, 65536, 0, NFILES + 2, &mid, &calls),
          raw_fd_readdir(big, P(small), 10, (i64)mid, P(&used))), 0);
  CHECK("nothing past the end", used == 0);
  __wasi_fdstat_t fs;
  raw_fd_fdstat_get(big, P(&fs));
  raw_fd_fdstat_set_rights(big,
                           (i64)(fs.fs_rights_base & ~__WASI_RIGHTS_FD_READDIR),
                           (i64)fs.fs_rights_inheriting);
  EXPECT("fd_readdir without the right",
         raw_fd_readdir(big, P(small), 10, 0, P(&used)),
         __WASI_ERRNO_NOTCAPABLE);
  raw_fd_close(big);
  for (int i = 0; i < NFILES; i++) {
    char name[32];
    snprintf(name, sizeof name, "big/f%d", i);
    unlink_(name);
  }
  EXPECT("rmdir big once empty", rmdir_("big"), 0);

  /* rename */
  EXPECT("touch a", touch("a"), 0);
  EXPECT("rename a to b", rename_("a", "b"), 0);
  EXPECT("a is gone", stat_("a", 0, &st), __WASI_ERRNO_NOENT);
  EXPECT("b is there", stat_("b", 0, &st), 0);
  EXPECT("rename b into d1", rename_("b", "d1/b"), 0);
  EXPECT("rename d1/b back", rename_("d1/b", "b"), 0);
  EXPECT("rename missing", rename_("missing", "x"), __WASI_ERRNO_NOENT);
  EXPECT("touch d1/sub/f", touch("d1/sub/f"), 0);
  EXPECT("rename d2 over non-empty d1/sub", rename_("d2", "d1/sub"),
         __WASI_ERRNO_NOTEMPTY);
  EXPECT("rename a file over a directory", rename_("b", "d2"),
         __WASI_ERRNO_ISDIR);
  EXPECT("rename a directory over a file", rename_("d2", "b"),
         __WASI_ERRNO_NOTDIR);
  EXPECT("rename a directory into itself", rename_("d1", "d1/sub/x"),
         __WASI_ERRNO_INVAL);
  EXPECT("rename with a trailing slash on a file", rename_("b/", "c"),
         __WASI_ERRNO_NOTDIR);
  EXPECT("rename a directory with a trailing slash", rename_("d2/", "d3/"),
         0);
  EXPECT("rename it back", rename_("d3", "d2"), 0);

  /* link */
  EXPECT("link b to c", link_("b", "c", 0), 0);
  EXPECT("stat b", stat_("b", 0, &st), 0);
  CHECK("two links", st.nlink == 2);
  EXPECT("link onto an existing name", link_("b", "c", 0),
         __WASI_ERRNO_EXIST);
  EXPECT("link a directory", link_("d1", "d1link", 0), __WASI_ERRNO_PERM);
  EXPECT("link missing", link_("missing", "x", 0), __WASI_ERRNO_NOENT);

  /* symlink and readlink */
  EXPECT("symlink b as lnk", symlink_("b", "lnk"), 0);
  EXPECT("symlink onto an existing name", symlink_("b", "c"),
         __WASI_ERRNO_EXIST);
  memset(buf, 0, sizeof buf);
  EXPECT("readlink lnk", raw_path_readlink(DIR_FD, P("lnk"), 3, P(buf),
                                           sizeof buf, P(&n)), 0);
  CHECK("'b', 1 byte", n == 1 && strcmp(buf, "b") == 0);
  EXPECT("symlink d1/sub as dlink", symlink_("d1/sub", "dlink"), 0);
  memset(buf, 0, sizeof buf);
  EXPECT("readlink into 3 bytes", raw_path_readlink(DIR_FD, P("dlink"), 5,
                                                    P(buf), 3, P(&n)), 0);
  CHECK("cut to 'd1/'", n == 3 && strcmp(buf, "d1/") == 0);
  EXPECT("readlink a file", raw_path_readlink(DIR_FD, P("b"), 1, P(buf),
                                              sizeof buf, P(&n)),
         __WASI_ERRNO_INVAL);
  EXPECT("readlink missing", raw_path_readlink(DIR_FD, P("zz"), 2, P(buf),
                                               sizeof buf, P(&n)),
         __WASI_ERRNO_NOENT);
  CHECK("stat lnk without following: a symlink",
        type_of("lnk", 0) == __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK("stat lnk following: a file",
        type_of("lnk", 1) == __WASI_FILETYPE_REGULAR_FILE);
  CHECK("stat dlink/ (trailing slash follows): a directory",
        type_of("dlink/", 0) == __WASI_FILETYPE_DIRECTORY);
  CHECK("stat dlink/f through the link: a file",
        type_of("dlink/f", 0) == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT("open lnk following", open_at(DIR_FD, "lnk", 0, 0, 1, &fd), 0);
  raw_fd_close(fd);
  EXPECT("open lnk without following", open_at(DIR_FD, "lnk", 0, 0, 0, &fd),
         __WASI_ERRNO_LOOP);
  EXPECT("open dlink/f", open_at(DIR_FD, "dlink/f", 0, 0, 0, &fd), 0);
  raw_fd_close(fd);
  EXPECT("symlink to a missing target", symlink_("missing", "dangling"), 0);
  EXPECT("stat dangling following", stat_("dangling", 1, &st),
         __WASI_ERRNO_NOENT);
  EXPECT("create through a dangling symlink",
         open_at(DIR_FD, "dangling", __WASI_OFLAGS_CREAT, 0, 1, &fd), 0);
  raw_fd_close(fd);
  CHECK("the target now exists",
        type_of("missing", 0) == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT("symlink loop1 -> loop2", symlink_("loop2", "loop1"), 0);
  EXPECT("symlink loop2 -> loop1", symlink_("loop1", "loop2"), 0);
  EXPECT("open a symlink loop", open_at(DIR_FD, "loop1", 0, 0, 1, &fd),
         __WASI_ERRNO_LOOP);
  EXPECT("stat through a loop", stat_("loop1/x", 0, &st), __WASI_ERRNO_LOOP);
  EXPECT("link following lnk", link_("lnk", "lnk_hard", 1), 0);
  CHECK("the hard link is to the file",
        type_of("lnk_hard", 0) == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT("link lnk itself", link_("lnk", "lnk_hard2", 0), 0);
  CHECK("the hard link is to the symlink",
        type_of("lnk_hard2", 0) == __WASI_FILETYPE_SYMBOLIC_LINK);

  /* Times through a path. */
  EXPECT("path_filestat_set_times on b",
         raw_path_filestat_set_times(DIR_FD, 0, P("b"), 1, 5000000000ll,
                                     6000000000ll,
                                     __WASI_FSTFLAGS_ATIM |
                                         __WASI_FSTFLAGS_MTIM), 0);
  stat_("b", 0, &st);
  CHECK("times set", st.atim == 5000000000ull && st.mtim == 6000000000ull);
  EXPECT("path_filestat_set_times following lnk",
         raw_path_filestat_set_times(DIR_FD, 1, P("lnk"), 3, 0, 7000000000ll,
                                     __WASI_FSTFLAGS_MTIM), 0);
  stat_("b", 0, &st);
  CHECK("the target's mtim", st.mtim == 7000000000ull);
  EXPECT("path_filestat_set_times bad flags",
         raw_path_filestat_set_times(DIR_FD, 0, P("b"), 1, 0, 0,
                                     __WASI_FSTFLAGS_MTIM |
                                         __WASI_FSTFLAGS_MTIM_NOW),
         __WASI_ERRNO_INVAL);
  EXPECT("path_filestat_set_times missing",
         raw_path_filestat_set_times(DIR_FD, 0, P("zz"), 2, 0, 0, 0),
         __WASI_ERRNO_NOENT);

  /* Opening directories and trailing slashes. */
  EXPECT("open d1/ to read",
         raw_path_open(DIR_FD, 0, P("d1/"), 3, 0, (i64)__WASI_RIGHTS_FD_READDIR,
                       0, 0, P(&fd)), 0);
  raw_fd_close(fd);
  EXPECT("open d1/ to write", open_at(DIR_FD, "d1/", 0, 0, 0, &fd),
         __WASI_ERRNO_ISDIR);
  EXPECT("open b/ (a file)", open_at(DIR_FD, "b/", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTDIR);
  EXPECT("open b/x (through a file)", open_at(DIR_FD, "b/x", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTDIR);
  EXPECT("create a directory's name as a file",
         open_at(DIR_FD, "d1", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, 0,
                 &fd), __WASI_ERRNO_EXIST);
  EXPECT("open d1/sub/../.. (the preopen itself)",
         open_at(DIR_FD, "d1/sub/../..", __WASI_OFLAGS_DIRECTORY, 0, 0, &fd),
         0);
  EXPECT("stat through it", raw_path_filestat_get(fd, 0, P("b"), 1, P(&st)),
         0);
  raw_fd_close(fd);
  int d1 = -1;
  EXPECT("open d1", open_at(DIR_FD, "d1", __WASI_OFLAGS_DIRECTORY, 0, 0, &d1),
         0);
  EXPECT("path calls relative to d1",
         raw_path_filestat_get(d1, 0, P("sub/f"), 5, P(&st)), 0);
  EXPECT("rename between directories",
         raw_path_rename(d1, P("sub/f"), 5, DIR_FD, P("moved"), 5), 0);
  EXPECT("link between directories",
         raw_path_link(DIR_FD, 0, P("moved"), 5, d1, P("back"), 4), 0);
  raw_fd_close(d1);

  /* Removing. */
  EXPECT("unlink a directory", unlink_("d1"), __WASI_ERRNO_ISDIR);
  EXPECT("unlink with a trailing slash", unlink_("b/"), __WASI_ERRNO_NOTDIR);
  EXPECT("unlink missing", unlink_("zz"), __WASI_ERRNO_NOENT);
  EXPECT("unlink c", unlink_("c"), 0);
  EXPECT("unlink lnk (the link, not the file)", unlink_("lnk"), 0);
  CHECK("b is still there", type_of("b", 0) == __WASI_FILETYPE_REGULAR_FILE);
  EXPECT("rmdir a non-empty directory", rmdir_("d1"), __WASI_ERRNO_NOTEMPTY);
  EXPECT("rmdir a file", rmdir_("b"), __WASI_ERRNO_NOTDIR);
  EXPECT("rmdir .", rmdir_("."), __WASI_ERRNO_INVAL);
  EXPECT("rmdir d2/", rmdir_("d2/"), 0);
  EXPECT("rmdir missing", rmdir_("d2"), __WASI_ERRNO_NOENT);

  /* Rights of the directory. */
  int sub = -1;
  open_at(DIR_FD, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, &sub);
  raw_fd_fdstat_set_rights(sub, 0, 0);
  EXPECT("mkdir without the right",
         raw_path_create_directory(sub, P("x"), 1), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rmdir without the right",
         raw_path_remove_directory(sub, P("x"), 1), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("unlink without the right", raw_path_unlink_file(sub, P("b"), 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("stat without the right",
         raw_path_filestat_get(sub, 0, P("b"), 1, P(&st)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("set times without the right",
         raw_path_filestat_set_times(sub, 0, P("b"), 1, 0, 0, 0),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("readlink without the right",
         raw_path_readlink(sub, P("b"), 1, P(buf), 10, P(&n)),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("symlink without the right",
         raw_path_symlink(P("b"), 1, sub, P("y"), 1), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rename from it without the right",
         raw_path_rename(sub, P("b"), 1, DIR_FD, P("y"), 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rename into it without the right",
         raw_path_rename(DIR_FD, P("b"), 1, sub, P("y"), 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("link from it without the right",
         raw_path_link(sub, 0, P("b"), 1, DIR_FD, P("y"), 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("link into it without the right",
         raw_path_link(DIR_FD, 0, P("b"), 1, sub, P("y"), 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("path calls on a file fd",
         (open_at(DIR_FD, "b", 0, 0, 0, &fd),
          raw_path_create_directory(fd, P("x"), 1)),
         __WASI_ERRNO_NOTDIR);
  EXPECT("path calls on a closed fd",
         raw_path_create_directory(60, P("x"), 1), __WASI_ERRNO_BADF);
  return finish();
}
