/* sandbox -- every way out of the preopen /sandbox (fd 3) must fail.
 * run_guest.sh prepares, outside the preopen, ../secret.txt and
 * ../outside/, and inside it symlinks that point out: abs_link (absolute,
 * to secret.txt), rel_link (../secret.txt), dir_link (..), root_link (/),
 * sub/up (../..), chain (a relative chain that ends outside), and
 * argv[1] is the absolute host path of secret.txt. Every attempt prints
 * its errno; then the guest checks that nothing it tried left a trace
 * inside, and run_guest.sh checks that nothing appeared outside. */
#include "wasi_test.h"

#define D 3

static int open_(const char *p, int follow, int *fd) {
  return open_at(D, p, 0, 0, follow, fd);
}
static int stat_(const char *p, int follow) {
  __wasi_filestat_t st;
  return raw_path_filestat_get(D, follow, P(p), L(p), P(&st));
}

int main(int argc, char **argv) {
  const char *abs = argc > 1 ? argv[1] : "/etc/passwd";
  int fd = -1, sub = -1;
  char buf[64];
  uint32_t n;

  /* Plain paths. */
  EXPECT("open ..", open_("..", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open ../secret.txt", open_("../secret.txt", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open sub/../../secret.txt", open_("sub/../../secret.txt", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open ./sub/./../.././secret.txt",
         open_("./sub/./../.././secret.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open the absolute host path", open_(abs, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open /", open_("/", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open /sandbox/inside.txt (absolute, even inside)",
         open_("/sandbox/inside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open ../sandbox/inside.txt (out and back in)",
         open_("../sandbox/inside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open sub/.. (the preopen itself) is fine",
         open_at(D, "sub/..", __WASI_OFLAGS_DIRECTORY, 0, 0, &fd), 0);
  raw_fd_close(fd);

  /* Symlinks that point out. */
  EXPECT("open abs_link following", open_("abs_link", 1, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open abs_link without following", open_("abs_link", 0, &fd),
         __WASI_ERRNO_LOOP);
  EXPECT("open rel_link following", open_("rel_link", 1, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open dir_link/secret.txt", open_("dir_link/secret.txt", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open root_link/etc/passwd", open_("root_link/etc/passwd", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open sub/up/secret.txt", open_("sub/up/secret.txt", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open chain following", open_("chain", 1, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("open dir_link/ (trailing slash follows)", open_("dir_link/", 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("stat abs_link following", stat_("abs_link", 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("stat abs_link itself is fine", stat_("abs_link", 0), 0);
  EXPECT("stat rel_link following", stat_("rel_link", 1),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("stat ../secret.txt", stat_("../secret.txt", 0),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("stat dir_link/outside", stat_("dir_link/outside", 0),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("readlink of a link pointing out is fine",
         raw_path_readlink(D, P("rel_link"), L("rel_link"), P(buf), sizeof buf,
                           P(&n)), 0);
  EXPECT("readlink ../x", raw_path_readlink(D, P("../x"), 4, P(buf),
                                           sizeof buf, P(&n)),
         __WASI_ERRNO_NOTCAPABLE);

  /* Writing calls. */
  EXPECT("create ../evil.txt",
         open_at(D, "../evil.txt", __WASI_OFLAGS_CREAT, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("create through dir_link",
         open_at(D, "dir_link/evil.txt", __WASI_OFLAGS_CREAT, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("create through a dangling link to outside (rel_evil)",
         open_at(D, "rel_evil", __WASI_OFLAGS_CREAT, 0, 1, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("truncate ../secret.txt",
         open_at(D, "../secret.txt", __WASI_OFLAGS_TRUNC, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("mkdir ../evil", raw_path_create_directory(D, P("../evil"), 7),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("mkdir dir_link/evil",
         raw_path_create_directory(D, P("dir_link/evil"), 13),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rmdir ../outside",
         raw_path_remove_directory(D, P("../outside"), 10),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("unlink ../secret.txt",
         raw_path_unlink_file(D, P("../secret.txt"), 13),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("unlink dir_link/secret.txt",
         raw_path_unlink_file(D, P("dir_link/secret.txt"), 19),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rename inside.txt to ../moved.txt",
         raw_path_rename(D, P("inside.txt"), 10, D, P("../moved.txt"), 12),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rename ../secret.txt in",
         raw_path_rename(D, P("../secret.txt"), 13, D, P("stolen.txt"), 10),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("rename through dir_link",
         raw_path_rename(D, P("inside.txt"), 10, D, P("dir_link/moved.txt"),
                         18), __WASI_ERRNO_NOTCAPABLE);
  EXPECT("hard link to ../secret.txt",
         raw_path_link(D, 0, P("../secret.txt"), 13, D, P("hard"), 4),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("hard link following abs_link",
         raw_path_link(D, 1, P("abs_link"), 8, D, P("hard"), 4),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("hard link following rel_link",
         raw_path_link(D, 1, P("rel_link"), 8, D, P("hard"), 4),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("hard link out",
         raw_path_link(D, 0, P("inside.txt"), 10, D, P("../hard"), 7),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("symlink to an absolute path",
         raw_path_symlink(P(abs), L(abs), D, P("mine"), 4),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("symlink placed outside",
         raw_path_symlink(P("inside.txt"), 10, D, P("../mine"), 7),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("symlink to ../secret.txt may be made...",
         raw_path_symlink(P("../secret.txt"), 13, D, P("mine"), 4), 0);
  EXPECT("...but not followed", open_("mine", 1, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("set times on ../secret.txt",
         raw_path_filestat_set_times(D, 0, P("../secret.txt"), 13, 0, 0,
                                     __WASI_FSTFLAGS_MTIM_NOW),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("set times following abs_link",
         raw_path_filestat_set_times(D, 1, P("abs_link"), 8, 0, 0,
                                     __WASI_FSTFLAGS_MTIM_NOW),
         __WASI_ERRNO_NOTCAPABLE);

  /* A directory opened below the preopen is a sandbox of its own. */
  EXPECT("open sub", open_at(D, "sub", __WASI_OFLAGS_DIRECTORY, 0, 0, &sub),
         0);
  EXPECT("sub: open ..", open_at(sub, "..", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("sub: open ../inside.txt", open_at(sub, "../inside.txt", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("sub: open up/secret.txt", open_at(sub, "up/secret.txt", 0, 0, 0, &fd),
         __WASI_ERRNO_NOTCAPABLE);
  EXPECT("sub: open deeper/.. is fine",
         open_at(sub, "deeper/..", __WASI_OFLAGS_DIRECTORY, 0, 0, &fd), 0);
  raw_fd_close(fd);
  raw_fd_close(sub);

  /* Long chains and long paths. */
  EXPECT("a chain of 50 symlinks", open_("l0", 1, &fd), __WASI_ERRNO_LOOP);
  EXPECT("a chain of 30 symlinks is fine", open_("l20", 1, &fd), 0);
  raw_fd_close(fd);
  static char longp[8192];
  for (int i = 0; i < 2000; i++)
    memcpy(longp + 2 * i, "./", 2);
  memcpy(longp + 4000, "inside.txt", 11);
  EXPECT("a 4010-byte path of ./ is fine", open_(longp, 0, &fd), 0);
  raw_fd_close(fd);
  for (int i = 0; i < 4000; i++)
    memcpy(longp + 2 * i, "./", 2);
  memcpy(longp + 8000, "inside.txt", 11);
  EXPECT("an 8010-byte path", open_(longp, 0, &fd), __WASI_ERRNO_NAMETOOLONG);
  EXPECT("a NUL inside a path",
         raw_path_open(D, 0, P("inside.txt\0x"), 12, 0, 0, 0, 0, P(&fd)),
         __WASI_ERRNO_INVAL);

  /* What is inside is still reachable, and nothing new is. */
  EXPECT("open inside.txt", open_("inside.txt", 0, &fd), 0);
  memset(buf, 0, sizeof buf);
  read_buf(fd, buf, sizeof buf, &n);
  CHECK("it reads 'inside'", strncmp(buf, "inside", 6) == 0);
  raw_fd_close(fd);
  EXPECT("nothing named hard", stat_("hard", 0), __WASI_ERRNO_NOENT);
  EXPECT("nothing named stolen.txt", stat_("stolen.txt", 0),
         __WASI_ERRNO_NOENT);
  return finish();
}
