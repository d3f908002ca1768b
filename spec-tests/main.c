/*
 * main.c -- lull-spectest: options, the list of .wast files, one temporary
 * folder per file, and the summary.
 *
 *   lull-spectest [--kinds=LIST] [--allow-failures] [-v] [--wast2json=PATH]
 *                 PATH...
 *
 * Exit status: 0 when nothing failed (or --allow-failures), 1 when some
 * command failed, 2 for bad arguments or missing files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner.h"

#define DEFAULT_MAX_FAILURES 20

/* The .wast files to run, in order. */
typedef struct file_list {
  char **paths;
  size_t n;
  size_t cap;
} file_list;

static void usage(FILE *fp) {
  fprintf(fp,
          "usage: lull-spectest [options] PATH...\n"
          "Runs WebAssembly spec tests: each PATH is a .wast file or a folder\n"
          "of them, converted with wast2json into a temporary folder.\n"
          "\n"
          "  --kinds=LIST      count only these command kinds (comma\n"
          "                    separated): malformed, invalid, module,\n"
          "                    unlinkable, uninstantiable, return, trap,\n"
          "                    exhaustion, action, register. Without an\n"
          "                    execution kind, module commands only validate.\n"
          "  --allow-failures  exit 0 even when commands fail\n"
          "  --wast2json=PATH  the converter to run (default: wast2json)\n"
          "  --lazy-compile    compile each function at its first call\n"
          "  --max-failures=N  failures shown per file (default %d)\n"
          "  -v, --verbose     show every failure and skip, and what the\n"
          "                    spectest print functions print\n"
          "  -h, --help        show this text\n",
          DEFAULT_MAX_FAILURES);
}

static int add_path(file_list *l, const char *path) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    char **bigger = realloc(l->paths, cap * sizeof *bigger);
    if (!bigger)
      return -1;
    l->paths = bigger;
    l->cap = cap;
  }
  if (!(l->paths[l->n] = strdup(path)))
    return -1;
  l->n++;
  return 0;
}

static void free_list(file_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->paths[i]);
  free(l->paths);
}

static int is_wast(const struct dirent *de) {
  size_t n = strlen(de->d_name);
  return n > 5 && strcmp(de->d_name + n - 5, ".wast") == 0;
}

/* Adds the .wast files of folder `dir`, sorted by name so runs compare. */
static int add_folder(file_list *l, const char *dir) {
  struct dirent **names;
  int n = scandir(dir, &names, is_wast, alphasort);
  if (n < 0) {
    fprintf(stderr, "lull-spectest: cannot read folder %s: %s\n", dir,
            strerror(errno));
    return -1;
  }
  int rc = 0;
  if (n == 0) {
    fprintf(stderr, "lull-spectest: no .wast files in %s\n", dir);
    rc = -1;
  }
  for (int i = 0; i < n; i++) {
    char path[4096];
    if (rc == 0) {
      snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
      if (add_path(l, path) != 0) {
        fprintf(stderr, "lull-spectest: out of memory\n");
        rc = -1;
      }
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

static int add_arg(file_list *l, const char *arg) {
  struct stat st;
  if (stat(arg, &st) != 0) {
    fprintf(stderr, "lull-spectest: %s: %s\n", arg, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode))
    return add_folder(l, arg);
  if (add_path(l, arg) != 0) {
    fprintf(stderr, "lull-spectest: out of memory\n");
    return -1;
  }
  return 0;
}

/* Parses the command line. Returns 0 to run, 1 after --help, -1 for bad
 * arguments (already reported). */
static int parse_args(int argc, char **argv, spec_opts *o, int *allow,
                      file_list *files) {
  int only_paths = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_paths || a[0] != '-') {
      if (add_arg(files, a) != 0)
        return -1;
    } else if (strcmp(a, "--") == 0) {
      only_paths = 1;
    } else if (strncmp(a, "--kinds=", 8) == 0) {
      char bad[64];
      if (spec_kinds_parse(a + 8, &o->kinds, bad, sizeof bad) != 0) {
        fprintf(stderr, "lull-spectest: unknown kind \"%s\" in %s\n", bad, a);
        return -1;
      }
    } else if (strcmp(a, "--allow-failures") == 0) {
      *allow = 1;
    } else if (strcmp(a, "--lazy-compile") == 0) {
      o->lazy_compile = 1;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      o->verbose = 1;
    } else if (strncmp(a, "--wast2json=", 12) == 0 && a[12]) {
      o->wast2json = a + 12;
    } else if (strncmp(a, "--max-failures=", 15) == 0) {
      char *end;
      unsigned long n = strtoul(a + 15, &end, 10);
      if (!a[15] || *end) {
        fprintf(stderr, "lull-spectest: bad number in %s\n", a);
        return -1;
      }
      o->max_failures = n;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 1;
    } else {
      fprintf(stderr, "lull-spectest: unknown option %s\n", a);
      usage(stderr);
      return -1;
    }
  }
  if (files->n == 0) {
    fprintf(stderr, "lull-spectest: no .wast file or folder given\n");
    usage(stderr);
    return -1;
  }
  return 0;
}

static void run_one(const spec_opts *o, const char *path, spec_counts *total) {
  const char *slash = strrchr(path, '/');
  const char *display = slash ? slash + 1 : path;
  spec_counts c = {0, 0, 0};
  char err[1024];
  spec_converted files;
  if (spec_convert(o, path, &files, err, sizeof err) != 0) {
    printf("  %s: %s\n", display, err);
    c.failed = 1;
  } else {
    spec_run_file(o, display, &files, &c);
    spec_converted_free(&files);
  }
  printf("%s: %zu passed, %zu failed, %zu skipped\n", display, c.passed,
         c.failed, c.skipped);
  fflush(stdout);
  total->passed += c.passed;
  total->failed += c.failed;
  total->skipped += c.skipped;
}

int main(int argc, char **argv) {
  spec_opts o = {SPEC_KINDS_ALL, 0, "wast2json", DEFAULT_MAX_FAILURES, 0};
  int allow = 0;
  file_list files = {NULL, 0, 0};
  int rc = parse_args(argc, argv, &o, &allow, &files);
  if (rc != 0) {
    free_list(&files);
    return rc > 0 ? 0 : 2;
  }
  spec_counts total = {0, 0, 0};
  for (size_t i = 0; i < files.n; i++)
    run_one(&o, files.paths[i], &total);
  printf("spec: %zu passed, %zu failed, %zu skipped\n", total.passed,
         total.failed, total.skipped);
  free_list(&files);
  return total.failed > 0 && !allow ? 1 : 0;
}
