/*
 * runner.h -- what the parts of lull-spectest share: options, command
 * kinds, counts, the converter and the per-file runner. Prefix spec_.
 */
#ifndef LULL_SPEC_RUNNER_H
#define LULL_SPEC_RUNNER_H

#include <stddef.h>

/* XX(name, option word). One list makes the kind bits and the words that
 * --kinds accepts. */
#define SPEC_KIND_MAP(XX)                                                     \
  XX(MALFORMED, "malformed")                                                  \
  XX(INVALID, "invalid")                                                      \
  XX(MODULE, "module")                                                        \
  XX(UNLINKABLE, "unlinkable")                                                \
  XX(UNINSTANTIABLE, "uninstantiable")                                        \
  XX(RETURN, "return")                                                        \
  XX(TRAP, "trap")                                                            \
  XX(EXHAUSTION, "exhaustion")                                                \
  XX(ACTION, "action")                                                        \
  XX(REGISTER, "register")

enum {
#define SPEC_XX_(name, word) SPEC_KINDNO_##name,
  SPEC_KIND_MAP(SPEC_XX_)
#undef SPEC_XX_
  SPEC_KIND_COUNT
};

#define SPEC_KIND(name) (1u << SPEC_KINDNO_##name)
#define SPEC_KINDS_ALL ((1u << SPEC_KIND_COUNT) - 1)

/* The kinds that need an instance. When none of them is selected, a module
 * command only decodes and validates (the mode CI uses until the
 * interpreter exists); when any is, module commands instantiate. */
#define SPEC_KINDS_EXEC                                                       \
  (SPEC_KIND(UNLINKABLE) | SPEC_KIND(UNINSTANTIABLE) | SPEC_KIND(RETURN) |    \
   SPEC_KIND(TRAP) | SPEC_KIND(EXHAUSTION) | SPEC_KIND(ACTION) |              \
   SPEC_KIND(REGISTER))

/* The option word of kind number `i`. */
const char *spec_kind_word(unsigned i);

/* Parses a comma-separated --kinds list into kind bits. Returns 0, or -1
 * with the offending word copied to `bad` (`badlen` bytes). */
int spec_kinds_parse(const char *list, unsigned *out, char *bad,
                     size_t badlen);

typedef struct spec_opts {
  unsigned kinds;        /* SPEC_KIND bits to count */
  int verbose;           /* print every failure, the print functions'
                            output and each file's folder */
  const char *wast2json; /* program to convert .wast files */
  size_t max_failures;   /* failures shown per file unless verbose */
} spec_opts;

typedef struct spec_counts {
  size_t passed;
  size_t failed;
  size_t skipped;
} spec_counts;

/* Makes a private temporary folder and converts `wast` into
 * "<folder>/spec.json" and its modules with wast2json. On success writes
 * the folder to `dir` (`dirlen` bytes) and returns 0; the caller removes
 * it with spec_remove_dir. On failure the folder is already gone and `err`
 * says why (including wast2json's own message). */
int spec_convert(const spec_opts *o, const char *wast, char *dir,
                 size_t dirlen, char *err, size_t errlen);

/* Removes a folder made by spec_convert and the files in it. */
void spec_remove_dir(const char *dir);

#define SPEC_JSON_NAME "spec.json"

/* Runs every command of "<dir>/spec.json", printing each counted failure
 * (bounded by o->max_failures) as "  <display>:<line>: ...", and adds the
 * outcomes to `counts`. A JSON file that cannot be read or parsed counts
 * as one failure. */
void spec_run_file(const spec_opts *o, const char *display, const char *dir,
                   spec_counts *counts);

#endif
