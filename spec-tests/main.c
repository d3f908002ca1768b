/*
 * main.c -- lull-spectest: options, the list of .wast and .bin.wast files,
 * and the summary.
 *
 *   lull-spectest [--kinds=LIST] [--features=LIST] [--allow-failures] [-v]
 *                 [--wast2json=PATH] PATH...
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

/* The files to run, in order, each with the name its lines show. */
typedef struct file_list {
  char **paths;
  char **displays;
  size_t n;
  size_t cap;
} file_list;

static void usage(FILE *fp) {
  fprintf(fp,
          "usage: lull-spectest [options] PATH...\n"
          "Runs WebAssembly spec tests: each PATH is a .wast script (read\n"
          "with lull's text format), a .bin.wast script, or a folder whose\n"
          ".wast and .bin.wast files, subfolders included, run in\n"
          "name order.\n"
          "\n"
          "  --kinds=LIST      count only these command kinds (comma\n"
          "                    separated): malformed, invalid, module,\n"
          "                    unlinkable, uninstantiable, return, trap,\n"
          "                    exhaustion, action, register, instance,\n"
          "                    exception. Without an execution kind, module\n"
          "                    commands only validate.\n"
          "  --features=LIST   proposals on: 2.0 (none), all, default, or\n"
          "                    names such as tail-call,memory64 (default:\n"
          "                    every one this build implements)\n"
          "  --allow-failures  exit 0 even when commands fail\n"
          "  --wast2json[=PATH]  convert .wast files with wabt's wast2json\n"
          "                    (at PATH, default: on the PATH) instead: a\n"
          "                    second opinion on the text format\n"
          "  --lazy-compile    compile each function at its first call\n"
          "  --max-failures=N  failures shown per file (default %d)\n"
          "  -v, --verbose     show every failure and skip, and what the\n"
          "                    spectest print functions print\n"
          "  -h, --help        show this text\n",
          DEFAULT_MAX_FAILURES);
}

static int add_path(file_list *l, const char *path, const char *display) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 32;
    char **paths = realloc(l->paths, cap * sizeof *paths);
    if (paths)
      l->paths = paths;
    char **displays = paths ? realloc(l->displays, cap * sizeof *displays)
                            : NULL;
    if (!displays)
      return -1;
    l->displays = displays;
    l->cap = cap;
  }
  if (!(l->paths[l->n] = strdup(path)))
    return -1;
  if (!(l->displays[l->n] = strdup(display))) {
    free(l->paths[l->n]);
    return -1;
  }
  l->n++;
  return 0;
}

static void free_list(file_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->paths[i]);
    free(l->displays[i]);
  }
  free(l->paths);
  free(l->displays);
}

static int is_wast_name(const char *name) {
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".wast") == 0;
}

static int not_hidden(const struct dirent *de) { return de->d_name[0] != '.'; }

/* Adds the .wast and .bin.wast files of folder `dir` in name order, then
 * those of its subfolders, so runs compare line by line. `rel` is the
 * folder's name relative to the folder given on the command line ("" for
 * that one): files show as "simd/simd_address.bin.wast". */
static int add_folder(file_list *l, const char *dir, const char *rel,
                      size_t *found) {
  struct dirent **names;
  int n = scandir(dir, &names, not_hidden, alphasort);
  if (n < 0) {
    fprintf(stderr, "lull-spectest: cannot read folder %s: %s\n", dir,
            strerror(errno));
    return -1;
  }
  int rc = 0;
  for (int pass = 0; pass < 2 && rc == 0; pass++)
    for (int i = 0; i < n && rc == 0; i++) {
      char path[4096], display[4096];
      struct stat st;
      snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
      snprintf(display, sizeof display, "%s%s%s", rel, *rel ? "/" : "",
               names[i]->d_name);
      if (stat(path, &st) != 0)
        continue; /* a dangling link is no test file */
      if (pass == 0 && S_ISREG(st.st_mode) &&
          is_wast_name(names[i]->d_name)) {
        if (add_path(l, path, display) != 0) {
          fprintf(stderr, "lull-spectest: out of memory\n");
          rc = -1;
        }
        (*found)++;
      } else if (pass == 1 && S_ISDIR(st.st_mode)) {
        rc = add_folder(l, path, display, found);
      }
    }
  for (int i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

static int add_arg(file_list *l, const char *arg) {
  struct stat st;
  if (stat(arg, &st) != 0) {
    fprintf(stderr, "lull-spectest: %s: %s\n", arg, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    size_t found = 0;
    if (add_folder(l, arg, "", &found) != 0)
      return -1;
    if (found == 0) {
      fprintf(stderr, "lull-spectest: no .wast files in %s\n", arg);
      return -1;
    }
    return 0;
  }
  const char *slash = strrchr(arg, '/');
  if (add_path(l, arg, slash ? slash + 1 : arg) != 0) {
    fprintf(stderr, "lull-spectest: out of memory\n");
    return -1;
  }
  return 0;
}

/* Refuses proposals this build does not implement: lull_engine_new would
 * fail for every file. One it accepts without supporting it yet runs when
 * named. */
static int check_features(lull_features f) {
  lull_features missing = f & ~lull_features_supported();
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.features = f;
  lull_engine *e = missing ? lull_engine_new(&cfg) : NULL;
  if (e)
    lull_engine_free(e);
  if (!missing || e)
    return 0;
  fprintf(stderr, "lull-spectest: not implemented by this build:");
  for (unsigned bit = 0; bit < 32; bit++)
    if (missing & (1u << bit)) {
      const char *name = lull_feature_str((lull_feature)(1u << bit));
      fprintf(stderr, " %s", name ? name : "?");
    }
  fprintf(stderr, "\n");
  return -1;
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
    } else if (strncmp(a, "--features=", 11) == 0) {
      char bad[64];
      if (spec_features_parse(a + 11, &o->features, bad, sizeof bad) != 0) {
        fprintf(stderr, "lull-spectest: unknown feature \"%s\" in %s\n", bad,
                a);
        return -1;
      }
      if (check_features(o->features) != 0)
        return -1;
    } else if (strcmp(a, "--allow-failures") == 0) {
      *allow = 1;
    } else if (strcmp(a, "--lazy-compile") == 0) {
      o->lazy_compile = 1;
    } else if (strcmp(a, "--wast2json") == 0) {
      o->text = 0;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      o->verbose = 1;
    } else if (strncmp(a, "--wast2json=", 12) == 0 && a[12]) {
      o->wast2json = a + 12;
      o->text = 0;
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

static void run_one(const spec_opts *o, const char *path, const char *display,
                    spec_counts *total) {
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
  spec_opts o = {SPEC_KINDS_ALL, 0, "wast2json", DEFAULT_MAX_FAILURES, 0,
                 lull_features_supported(), 1};
  int allow = 0;
  file_list files = {NULL, NULL, 0, 0};
  int rc = parse_args(argc, argv, &o, &allow, &files);
  if (rc != 0) {
    free_list(&files);
    return rc > 0 ? 0 : 2;
  }
  spec_counts total = {0, 0, 0};
  for (size_t i = 0; i < files.n; i++)
    run_one(&o, files.paths[i], files.displays[i], &total);
  printf("spec: %zu passed, %zu failed, %zu skipped\n", total.passed,
         total.failed, total.skipped);
  free_list(&files);
  return total.failed > 0 && !allow ? 1 : 0;
}
