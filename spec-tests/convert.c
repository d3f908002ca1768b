/*
 * convert.c -- runs wast2json on one .wast file in a private temporary
 * folder, loads what it wrote into memory and removes the folder; a
 * .bin.wast script goes to script.c instead. The program is started
 * with posix_spawnp and an argument vector (no shell),
 * so file names with spaces or quotes need no escaping.
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
#include "script.h"

#define LOG_NAME "wast2json.log"

extern char **environ;

static void remove_dir(const char *dir) {
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

/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
static uint8_t *read_file(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n - 1, fp);
    if (n < cap - 1)
      break;
    uint8_t *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  if (buf && ferror(fp)) {
    free(buf);
    buf = NULL;
  }
  fclose(fp);
  if (buf) {
    buf[n] = 0;
    *len = n;
  }
  return buf;
}

int spec_converted_add(spec_converted *c, const char *name, uint8_t *bytes,
                       size_t len) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 64;
    spec_blob *bigger = realloc(c->blobs, cap * sizeof *bigger);
    if (!bigger) {
      free(bytes);
      return -1;
    }
    c->blobs = bigger;
    c->cap = cap;
  }
  spec_blob *b = &c->blobs[c->n];
  if (!(b->name = strdup(name))) {
    free(bytes);
    return -1;
  }
  b->bytes = bytes;
  b->len = len;
  c->n++;
  return 0;
}

static int add_blob(spec_converted *c, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len;
  uint8_t *bytes = read_file(path, &len);
  return bytes ? spec_converted_add(c, name, bytes, len) : -1;
}

/* Loads every file of `dir` except the log. */
static int load_dir(const char *dir, spec_converted *out, char *err,
                    size_t errlen) {
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
    return -1;
  }
  struct dirent *de;
  int rc = 0;
  while (rc == 0 && (de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.' || strcmp(de->d_name, LOG_NAME) == 0)
      continue;
    if (add_blob(out, dir, de->d_name) != 0) {
      snprintf(err, errlen, "cannot load %s: %s", de->d_name,
               strerror(errno));
      rc = -1;
    }
  }
  closedir(d);
  return rc;
}

/* A .bin.wast script is read here, by script.c, not by wast2json. */
static int convert_script(const spec_opts *o, const char *path,
                          spec_converted *out, char *err, size_t errlen) {
  size_t len;
  uint8_t *text = read_file(path, &len);
  if (!text) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return -1;
  }
  const char *slash = strrchr(path, '/');
  int rc = spec_script_convert_features((const char *)text, len,
                                        slash ? slash + 1 : path,
                                        o->features, out, err, errlen);
  free(text);
  return rc;
}

int spec_convert(const spec_opts *o, const char *wast, spec_converted *out,
                 char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  size_t n = strlen(wast);
  if (o->text || (n > 9 && strcmp(wast + n - 9, ".bin.wast") == 0))
    return convert_script(o, wast, out, err, errlen);
  const char *tmp = getenv("TMPDIR");
  if (!tmp || !*tmp)
    tmp = "/tmp";
  /* Short enough that every path inside it fits the 4096-byte buffers. */
  char dir[2048];
  if ((size_t)snprintf(dir, sizeof dir, "%s/lull-spec-XXXXXX", tmp) >=
      sizeof dir) {
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
  if (rc == 0 && load_dir(dir, out, err, errlen) != 0)
    rc = -1;
  remove_dir(dir);
  if (rc != 0) {
    spec_converted_free(out);
    return -1;
  }
  return 0;
}

void spec_converted_free(spec_converted *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->blobs[i].name);
    free(c->blobs[i].bytes);
  }
  free(c->blobs);
  memset(c, 0, sizeof *c);
}

const spec_blob *spec_converted_find(const spec_converted *c,
                                     const char *name) {
  if (strchr(name, '/'))
    return NULL;
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->blobs[i].name, name) == 0)
      return &c->blobs[i];
  return NULL;
}
