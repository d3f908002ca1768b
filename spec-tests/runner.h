/*
 * runner.h -- what the parts of lull-spectest share: options, command
 * kinds, counts, the converter and the per-file runner. Prefix spec_.
 */
#ifndef LULL_SPEC_RUNNER_H
#define LULL_SPEC_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "lull.h"

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
  XX(REGISTER, "register")                                                    \
  XX(INSTANCE, "instance")                                                    \
  XX(EXCEPTION, "exception")

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
   SPEC_KIND(REGISTER) | SPEC_KIND(INSTANCE) | SPEC_KIND(EXCEPTION))

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
  int lazy_compile;      /* engines compile functions on first call */
  lull_features features; /* proposals the engines have on */
  int text;              /* .wast files are read by lull's text format
                            (script.c); 0: converted by wast2json */
} spec_opts;

/* Parses a --features list: "2.0" (none), "all" (every proposal lull
 * knows), or comma separated names from LULL_FEATURE_MAP ("tail-call").
 * Returns 0, or -1 with the offending word copied to `bad`. */
int spec_features_parse(const char *list, lull_features *out, char *bad,
                        size_t badlen);

typedef struct spec_counts {
  size_t passed;
  size_t failed;
  size_t skipped;
} spec_counts;

/* One file wast2json wrote: the JSON or a module. */
typedef struct spec_blob {
  char *name;     /* plain file name, e.g. "address.0.wasm" */
  uint8_t *bytes; /* NUL-terminated for convenience (not counted) */
  size_t len;
} spec_blob;

/* Everything wast2json wrote for one .wast file, held in memory. */
typedef struct spec_converted {
  spec_blob *blobs;
  size_t n;
  size_t cap;
} spec_converted;

#define SPEC_JSON_NAME "spec.json"

/* Converts `wast` with wast2json in a private temporary folder, reads
 * every file it wrote into `out` and removes the folder, all before any
 * command runs: a crash while testing never leaves files behind. A file
 * named *.bin.wast is read and converted in memory instead (script.h).
 * Returns 0, or -1 with `err` saying why (including wast2json's own
 * message); the folder is gone either way. Free `out` with
 * spec_converted_free. */
int spec_convert(const spec_opts *o, const char *wast, spec_converted *out,
                 char *err, size_t errlen);
void spec_converted_free(spec_converted *c);

/* Adds the file `name` holding `len` bytes at `bytes` (malloc'd, one more
 * byte than `len`, NUL-terminated; `c` takes it over, and frees it even
 * when this fails). Returns 0, or -1 when out of memory. */
int spec_converted_add(spec_converted *c, const char *name, uint8_t *bytes,
                       size_t len);

/* The file `name` (a plain name; anything with a '/' is never found), or
 * NULL. */
const spec_blob *spec_converted_find(const spec_converted *c,
                                     const char *name);

/* Runs every command of the converted file's spec.json, printing each
 * counted failure (bounded by o->max_failures) as
 * "  <display>:<line>: ...", and adds the outcomes to `counts`. A JSON
 * file that is missing or cannot be parsed counts as one failure. */
void spec_run_file(const spec_opts *o, const char *display,
                   const spec_converted *files, spec_counts *counts);

#endif
