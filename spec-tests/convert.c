/*
 * convert.c -- runs wast2json on one .wast file in a private temporary
 * folder, and removes the folder afterwards. The program is started with
 * posix_spawnp and an argument vector (no shell), so file names with
 * spaces or quotes need no escaping.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

#define LOG_NAME "wast2json.log"

extern char **environ;

void spec_remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d)) != NULL) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
        continue;
      if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) <
          (int)sizeof path)
        unlink(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

/* Appends the start of wast2json's own output to `err`, so a conversion
 * failure shows its cause; the rest is cut to keep the report short. */
static void append_log(const char *dir, char *err, size_t errlen) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, LOG_NAME);
  FILE *fp = fopen(path, "r");
  if (!fp)
    return;
  size_t used = strlen(err);
  if (used + 2 < errlen) {
    err[used++] = '\n';
    size_t n = fread(err + used, 1, errlen - used - 1, fp);
    err[used + n] = '\0';
    while (n > 0 && err[used + n - 1] == '\n')
      err[used + --n] = '\0';
  }
  fclose(fp);
}

/* Runs `argv` with stdout and stderr going to `log`; returns the exit
 * status, or -1 with `err` set when it could not run or was killed. */
static int run(char *const argv[], const char *log, char *err, size_t errlen) {
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa) != 0) {
    snprintf(err, errlen, "posix_spawn_file_actions_init failed");
    return -1;
  }
  posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      snprintf(err, errlen, "waitpid: %s", strerror(errno));
      return -1;
    }
  }
  if (WIFSIGNALED(status)) {
    snprintf(err, errlen, "%s was killed by signal %d", argv[0],
             WTERMSIG(status));
    return -1;
  }
  return WEXITSTATUS(status);
}

int spec_convert(const spec_opts *o, const char *wast, char *dir,
                 size_t dirlen, char *err, size_t errlen) {
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp)
    tmp = "/tmp";
  if ((size_t)snprintf(dir, dirlen, "%s/lull-spec-XXXXXX", tmp) >= dirlen) {
    snprintf(err, errlen, "TMPDIR is too long");
    return -1;
  }
  if (!mkdtemp(dir)) {
    snprintf(err, errlen, "mkdtemp(%s): %s", dir, strerror(errno));
    return -1;
  }
  char json[4096], log[4096];
  snprintf(json, sizeof json, "%s/%s", dir, SPEC_JSON_NAME);
  snprintf(log, sizeof log, "%s/%s", dir, LOG_NAME);
  /* wabt 1.0.32 enables every Wasm 2.0 feature (SIMD included) by
   * default, which is exactly what the testsuite needs: no flags. */
  char *argv[] = {(char *)o->wast2json, (char *)wast, "-o", json, NULL};
  int rc = run(argv, log, err, errlen);
  if (rc > 0) {
    snprintf(err, errlen, "%s failed with exit status %d", o->wast2json, rc);
    append_log(dir, err, errlen);
  }
  if (rc != 0) {
    spec_remove_dir(dir);
    return -1;
  }
  return 0;
}
