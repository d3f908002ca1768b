/*
 * replay.c -- runs a libFuzzer target's entry point over saved inputs,
 * without libFuzzer: every input a fuzzer once failed on is kept in
 * tests/fuzz/regress/TARGET/ and replayed by the ordinary test build
 * (and so under the sanitizers of make test-asan).
 *
 *   fuzz-replay-TARGET FILE_OR_DIR...
 *
 * The targets abort on anything they judge wrong, so a replay that
 * returns has passed; it prints how many inputs it ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Only some targets set themselves up first. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *p = realloc(data, cap);
      if (!p) {
        fprintf(stderr, "%s: out of memory\n", path);
        free(data);
        fclose(f);
        return -1;
      }
      data = p;
    }
    size_t n = fread(data + len, 1, cap - len, f);
    len += n;
    if (n == 0)
      break;
  }
  int err = ferror(f);
  fclose(f);
  if (err) {
    fprintf(stderr, "%s: read error\n", path);
    free(data);
    return -1;
  }
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  return 0;
}

/* Every regular file of `dir`, in name order so runs are alike. */
static int replay_dir(const char *dir, int *count) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) {
    perror(dir);
    return -1;
  }
  int rc = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      rc = replay_file(path);
      ++*count;
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  int count = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      return 1;
    }
    int rc = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count)
                                 : (count++, replay_file(argv[i]));
    if (rc != 0)
      return 1;
  }
  printf("replayed %d inputs\n", count);
  return 0;
}
