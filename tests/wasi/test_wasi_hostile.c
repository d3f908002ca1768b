/*
 * test_wasi_hostile.c -- what a hostile guest or a careless start did to
 * the WASI layer once, each fed again exactly:
 *
 *   - the process started with a standard descriptor closed, so libuv's
 *     own descriptor took its number and the guest's stdin was libuv's
 *     epoll or signal pipe (a read of it hung the process);
 *   - random_get of many MiB filled on the loop thread, holding up every
 *     other guest on the loop for as long as it took;
 *   - writes to a file on a nearly full file system acknowledged, queued
 *     and then lost to ENOSPC (the guest learnt nothing, the file missed
 *     what it was told was written).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "test_util.h"

static void wake_nothing(void *ud, lull_thread *t, const lull_val *r,
                         size_t n) {}

/* Runs `body` with the process's descriptor 0 closed, then puts it back. */
static void with_stdin_closed(void (*body)(void)) {
  int saved = dup(0);
  assert_true(saved > 2);
  close(0);
  body();
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
}

/* In a child: libuv cannot close a loop whose descriptor is 0 (it
 * asserts), so the child leaves without closing it. */
static int refused_child(void) {
  close(0);
  uv_loop_t loop;
  if (uv_loop_init(&loop) != 0)
    return 2;
  /* libuv's epoll descriptor took the free number. */
  if (uv_backend_fd(&loop) != 0)
    return 3;
  lull_engine *e = lull_engine_new(NULL);
  lull_error err;
  memset(&err, 0, sizeof err);
  lull_wasi *w = lull_wasi_new(e, &loop, NULL, wake_nothing, NULL, &err);
  if (w)
    return 4;
  if (err.status != LULL_BADARG || !strstr(err.message, "standard descriptor 0"))
    return 5;
  return 0;
}

/* The process's 0 is libuv's: lull_wasi_new refuses to give it to a
 * guest as its stdin. */
static void test_stdin_taken_by_libuv_is_refused(void **state) {
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0)
    _exit(refused_child());
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static void open_stdio_body(void) {
  assert_int_equal(lull_wasi_open_stdio(), 0);
  struct stat st;
  assert_int_equal(fstat(0, &st), 0);
  assert_true(S_ISCHR(st.st_mode));
  assert_int_equal(st.st_rdev, makedev(1, 3)); /* /dev/null */
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  assert_true(uv_backend_fd(&loop) > 2);
  lull_engine *e = lull_engine_new(NULL);
  lull_error err;
  lull_wasi *w = lull_wasi_new(e, &loop, NULL, wake_nothing, NULL, &err);
  assert_non_null(w);
  lull_wasi_free(w);
  lull_engine_free(e);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(0);
}

/* lull_wasi_open_stdio, called before the loop, puts /dev/null there. */
static void test_open_stdio_fills_closed_numbers(void **state) {
  with_stdin_closed(open_stdio_body);
}

static void set_stdio_body(void) {
  assert_int_equal(open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  lull_engine *e = lull_engine_new(NULL);
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.stdin_fd = -1;
  lull_error err;
  lull_wasi *w = lull_wasi_new(e, &loop, &cfg, wake_nothing, NULL, &err);
  assert_non_null(w);
  assert_int_equal(lull_wasi_set_stdio(w, 0, 1, 2), LULL_BADARG);
  assert_int_equal(lull_wasi_set_stdio(w, -1, 1, 2), LULL_OK);
  lull_wasi_free(w);
  lull_engine_free(e);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(0);
}

/* The same check on lull_wasi_set_stdio. */
static void test_set_stdio_refuses_a_foreign_number(void **state) {
  with_stdin_closed(set_stdio_body);
}

/* ------------------------------------------------------------------ */

static void done_cb(wd_guest *g, void *ud) { *(int *)ud = 1; }

/* Runs guests/hostile.wasm with `argv` on a fresh loop, with `dir` (may
 * be NULL) preopened as fd 3 and stdout captured in `out_dir`/out;
 * returns its exit code and the number of wakes in *wakes. */
static uint32_t run_hostile(int argc, const char **argv, const char *dir,
                            const char *out_dir, unsigned *wakes) {
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "hostile");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int out = tu_capture(out_dir, "out");
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = argc;
  cfg.argv = argv;
  cfg.stdin_fd = -1;
  cfg.stdout_fd = out;
  lull_wasi_preopen pre = {dir, "."};
  if (dir) {
    cfg.npreopens = 1;
    cfg.preopens = &pre;
  }
  int done = 0;
  wd_guest *g = wd_new(e, &loop, m, &cfg, done_cb, &done);
  assert_non_null(g);
  wd_start(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_true(done);
  assert_int_equal(wd_state_of(g), WD_EXITED);
  uint32_t code = wd_exit_code(g);
  *wakes = wd_wakes(g);
  wd_free(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(out);
  lull_module_free(m);
  lull_engine_free(e);
  return code;
}

/* 64 MiB of random_get: filled on the thread pool (the thread parks),
 * to the last byte. */
static void test_large_random_get_parks(void **state) {
  char *dir = tu_tempdir();
  const char *argv[] = {"hostile", "random", "64"};
  unsigned wakes = 0;
  uint32_t code = run_hostile(3, argv, NULL, dir, &wakes);
  char *text = tu_slurp(dir, "out");
  if (code != 0)
    fprintf(stderr, "%s", text);
  assert_int_equal(code, 0);
  assert_non_null(strstr(text, "0 failures"));
  assert_true(wakes >= 1);
  free(text);
  tu_rmtree(dir);
  free(dir);
}

/* A private mount namespace with a 3 MiB tmpfs on `dir`: as root
 * directly, else inside a user namespace. 0 or -1. */
static int small_fs_at(const char *dir) {
  if (geteuid() != 0) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
      return -1;
    char map[64];
    FILE *f = fopen("/proc/self/setgroups", "w");
    if (f) {
      fputs("deny", f);
      fclose(f);
    }
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    if (!(f = fopen("/proc/self/uid_map", "w")) || fputs(map, f) < 0 ||
        fclose(f) != 0)
      return -1;
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    if (!(f = fopen("/proc/self/gid_map", "w")) || fputs(map, f) < 0 ||
        fclose(f) != 0)
      return -1;
  } else if (unshare(CLONE_NEWNS) != 0) {
    return -1;
  }
  if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return -1;
  return mount("lull-test", dir, "tmpfs", 0, "size=3m");
}

/* A guest writes 16 MiB, 1 MiB a call, into a 3 MiB file system: the
 * write that does not fit says ENOSPC, and the file holds exactly what
 * the writes before it said they wrote (the guest checks both). Before,
 * writes were acknowledged and queued, and the pool's ENOSPC came later,
 * after MiBs the guest believed written. The file system is mounted in a
 * child process, in a mount namespace of its own. */
static void test_full_file_system_says_enospc(void **state) {
  char *out_dir = tu_tempdir();
  char *dir = tu_tempdir();
  fflush(NULL);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    if (small_fs_at(dir) != 0) {
      fprintf(stderr, "cannot mount a small tmpfs here: %s\n",
              strerror(errno));
      _exit(3);
    }
    const char *argv[] = {"hostile", "fill", "16"};
    unsigned wakes = 0;
    uint32_t code = run_hostile(3, argv, dir, out_dir, &wakes);
    umount(dir);
    _exit(code == 0 ? 0 : 1);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  char *text = tu_slurp(out_dir, "out");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fprintf(stderr, "%s", text);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
  assert_non_null(strstr(text, "ok   a write fails -> NOSPC"));
  assert_non_null(strstr(text, "0 failures"));
  free(text);
  tu_rmtree(out_dir);
  tu_rmtree(dir);
  free(out_dir);
  free(dir);
}

int main(void) {
  tu_warm_libuv();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stdin_taken_by_libuv_is_refused),
      cmocka_unit_test(test_open_stdio_fills_closed_numbers),
      cmocka_unit_test(test_set_stdio_refuses_a_foreign_number),
      cmocka_unit_test(test_large_random_get_parks),
      cmocka_unit_test(test_full_file_system_says_enospc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
