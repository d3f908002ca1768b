/*
 * cli_internal.h -- what the files of the `lull` command share. Prefix
 * lullc_. The command is a client of the library like any other: it
 * includes only the public headers of include/.
 */
#ifndef LULL_CLI_INTERNAL_H
#define LULL_CLI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lull.h"
#include "lull_uv.h"
#include "lull_wasi.h"

#if defined(__GNUC__)
#define LULLC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LULLC_PRINTF(f, a)
#endif

/* ---------------------------------------------------------------------
 * The `lull` command (main.c dispatches to the others).
 * ------------------------------------------------------------------- */

/* Exit statuses of the command, from sysexits.h, and 128 + SIGABRT for a
 * trap. Documented in `lull --help` and README.md. */
enum {
  LULLC_EXIT_OK = 0,
  LULLC_EXIT_USAGE = 64,    /* bad command line */
  LULLC_EXIT_DATAERR = 65,  /* invalid module or snapshot, unlinkable */
  LULLC_EXIT_NOINPUT = 66,  /* a file or directory cannot be read */
  LULLC_EXIT_SOFTWARE = 70, /* out of memory, libuv failure */
  LULLC_EXIT_CANTCREAT = 73, /* the snapshot file cannot be written */
  LULLC_EXIT_IOERR = 74,    /* a write the guest was told of failed later */
  LULLC_EXIT_NOPERM = 77,   /* a snapshot asks for a directory not granted */
  LULLC_EXIT_TRAP = 134,
  LULLC_EXIT_EXCEPTION = 135 /* an exception nobody caught */
};

typedef struct lullc_dir {
  const char *host;
  const char *guest;
} lullc_dir;

/* The options of `run` and `resume`. Arrays hold pointers into argv. */
typedef struct lullc_opts {
  lullc_dir *dirs;
  size_t ndirs;
  const char **env;
  size_t nenv;
  uint64_t fuel_slice;     /* 0: default */
  uint32_t max_pages;      /* 0: no limit */
  int snap_signal;         /* 0: none */
  const char *snap_file;
  const char *invoke;      /* --invoke NAME, or NULL */
  uint64_t max_file;        /* --max-file in bytes; 0: the defaults */
  const char *cache;       /* --cache DIR, or NULL */
  const char *file;        /* FILE.wasm or the snapshot */
  int nargs;
  char **args;             /* ARGS after the file */
} lullc_opts;

/* Parses the arguments after "run" (resume = 0) or "resume" (resume = 1).
 * Returns 0, or an exit status after printing what is wrong. Free with
 * lullc_opts_free. */
int lullc_parse(int argc, char **argv, int resume,
                                 lullc_opts *o);
void lullc_opts_free(lullc_opts *o);
/* The signal number for "SIGUSR1", "USR1", "usr1" or "10"; 0 if none. */
int lullc_signal(const char *name);

/* `lull run` and `lull resume`: the process's exit status. */
int lullc_run(const lullc_opts *o);
int lullc_resume(const lullc_opts *o);
/* `lull validate FILE`. */
int lullc_validate(const char *file);

/* What the command reads, for the header check and the size cap. */
typedef enum lullc_input {
  LULLC_INPUT_MODULE,  /* binary ("\0asm") or text */
  LULLC_INPUT_SNAPSHOT /* "LULLTASK" */
} lullc_input;

/* Default caps on input files, in bytes (--max-file changes them). */
#define LULLC_MAX_MODULE_FILE (1ull << 30)
#define LULLC_MAX_SNAPSHOT_FILE (8ull << 30)

/* Reads the regular file `path` whole into *out (malloc'd, never NULL on
 * success): refuses anything else (a FIFO or device, which could block or
 * never end), a file over `limit` bytes, and one whose first 8 bytes
 * cannot begin a `kind`, before reading the rest. Returns 0, or an exit
 * status after printing what is wrong; `what` names the file in messages
 * (NULL: none). */
int lullc_read_input(const char *path, const char *what,
                                  lullc_input kind, uint64_t limit,
                                  uint8_t **out, size_t *len);
/* Reads, validates and compiles the module at `path` (at most `limit`
 * bytes) into *out, through the cache folder `cache` when it is not NULL.
 * Returns 0, or an exit status after printing what is wrong; `what` names
 * the file in messages (e.g. "the module the snapshot names"; NULL:
 * none). */
int lullc_load_module(lull_engine *e, const char *path, const char *what,
                      uint64_t limit, const char *cache, lull_module **out);
/* The module of binary `wasm` from the cache folder `dir` (--cache), or
 * compiled and then stored there (cache.c). Returns what lull_module_new
 * returns; a cache that cannot be used only prints a warning. */
lull_status lullc_cached_module(lull_engine *e, const char *dir,
                                const uint8_t *wasm, size_t len,
                                lull_module **out, lull_error *err);
/* Writes `s` to `f` with control characters as \xNN. */
void lullc_put_escaped(FILE *f, const char *s);
/* Prints "lull: " and the message to stderr, control characters
 * escaped. */
void lullc_error(const char *fmt, ...) LULLC_PRINTF(1, 2);

/* --invoke (invoke.c): prints `v` as TYPE:VALUE and a newline. */
void lullc_print_val(FILE *f, const lull_val *v);

#endif /* LULL_CLI_INTERNAL_H */
