/*
 * test_wasi_race.c -- path resolution racing with renames. While a guest
 * (guests/race.c) opens paths below its preopen thousands of times,
 * another host thread keeps exchanging a directory on those paths with a
 * symlink to the directory outside the preopen (renameat2 with
 * RENAME_EXCHANGE, so the swap is atomic) and moving a parent directory
 * away and back. A kernel lookup that followed the symlink, or a ".."
 * taken from a moved directory, would read the secret file outside; the
 * guest counts such reads, and there must be none.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/stat.h>

#include "test_util.h"

typedef struct attacker {
  const char *dir;
  atomic_int stop;
  long swaps;
} attacker;

static void *attack(void *arg) {
  attacker *a = arg;
  char c[512], link[512], b[512], x[512];
  snprintf(c, sizeof c, "%s/box/a/b/c", a->dir);
  snprintf(link, sizeof link, "%s/box/evil", a->dir);
  snprintf(b, sizeof b, "%s/box/a/b", a->dir);
  snprintf(x, sizeof x, "%s/box/x", a->dir);
  while (!atomic_load(&a->stop)) {
    /* c becomes a symlink to the directory holding secret.txt... */
    renameat2(AT_FDCWD, c, AT_FDCWD, link, RENAME_EXCHANGE);
    renameat2(AT_FDCWD, c, AT_FDCWD, link, RENAME_EXCHANGE);
    /* ...and b moves up a level and back. */
    rename(b, x);
    rename(x, b);
    a->swaps++;
  }
  return NULL;
}

static void done_cb(wd_guest *g, void *ud) { *(int *)ud = 1; }

static void test_renames_cannot_open_a_way_out(void **state) {
  char *dir = tu_tempdir();
  char p[512];
  snprintf(p, sizeof p, "%s/box/a/b/c", dir);
  char cmd[1200];
  snprintf(cmd, sizeof cmd,
           "mkdir -p '%s' && echo inner > '%s/inner.txt' && "
           "echo SECRET > '%s/secret.txt' && ln -s '%s' '%s/box/evil'",
           p, p, dir, dir, dir);
  assert_int_equal(system(cmd), 0);
  char box[512];
  snprintf(box, sizeof box, "%s/box", dir);

  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = tu_guest(e, "race");
  uv_loop_t loop;
  uv_loop_init(&loop);
  int out = tu_capture(dir, "out");
  const char *argv[] = {"race", "3000"};
  lull_wasi_preopen pre = {box, "/box"};
  lull_wasi_config cfg;
  lull_wasi_config_init(&cfg);
  cfg.argc = 2;
  cfg.argv = argv;
  cfg.npreopens = 1;
  cfg.preopens = &pre;
  cfg.stdout_fd = out;
  int done = 0;
  wd_guest *g = wd_new(e, &loop, m, &cfg, done_cb, &done);
  assert_non_null(g);

  attacker a = {dir, 0, 0};
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, attack, &a), 0);
  wd_start(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  /* The attack is real: a plain openat, which lets the kernel follow the
   * symlink, does get out while it runs. */
  int boxfd = open(box, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int naive = 0;
  for (int i = 0; i < 200000 && !naive; i++) {
    int fd = openat(boxfd, "a/b/c/secret.txt", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      naive = 1;
      close(fd);
    }
  }
  close(boxfd);
  atomic_store(&a.stop, 1);
  pthread_join(th, NULL);
  assert_true(done);
  char *text = tu_slurp(dir, "out");
  if (wd_exit_code(g) != 0)
    fprintf(stderr, "%s", text);
  assert_int_equal(wd_state_of(g), WD_EXITED);
  assert_int_equal(wd_exit_code(g), 0);
  assert_string_equal(text, "inner some, failed some, secret 0\n");
  assert_true(a.swaps > 10);
  assert_true(naive);
  free(text);
  wd_free(g);
  uv_run(&loop, UV_RUN_DEFAULT);
  assert_int_equal(uv_loop_close(&loop), 0);
  close(out);
  lull_module_free(m);
  lull_engine_free(e);
  tu_rmtree(dir);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_renames_cannot_open_a_way_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
