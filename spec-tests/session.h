/*
 * session.h -- the state of one test file while its commands run: the
 * engine, the linker holding `spectest` and registered instances, the
 * thread calls run on, and every module command's outcome. Prefix
 * spec_session / spec_action.
 */
#ifndef LULL_SPEC_SESSION_H
#define LULL_SPEC_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "lull.h"
#include "runner.h"

#define SPEC_MSG 640

/* What one module command left behind. A module that failed to load stays
 * in the list with its reason, so every later command that names it fails
 * saying why (a dependent command never passes nor is skipped). */
typedef struct spec_loaded {
  char *name;              /* "$M" from the JSON, or NULL */
  unsigned line;           /* line of the module command */
  lull_module *module;     /* NULL when decoding/compiling failed */
  lull_instance *instance; /* NULL when not (or not successfully) made */
  char error[SPEC_MSG];    /* why `instance` is NULL */
} spec_loaded;

/* A module definition ((module definition $M ...) of a 3.0 script):
 * compiled once, instantiated by later module_instance commands. */
typedef struct spec_def {
  char *name;           /* "$M", or NULL */
  unsigned line;
  lull_module *module;  /* NULL when it did not compile */
  char error[SPEC_MSG]; /* why `module` is NULL */
} spec_def;

typedef struct spec_session {
  const spec_opts *opts;
  const spec_converted *files; /* what wast2json wrote */
  lull_engine *engine;
  /* Made on first need, since a validate-only run never needs them (and
   * they are stubs until the interpreter lands). */
  lull_linker *linker;
  lull_thread *thread;
  int runtime_state;       /* 0 not tried, 1 ready, -1 failed */
  char runtime_error[SPEC_MSG];
  spec_loaded *loaded;
  size_t nloaded;
  size_t cap;
  size_t current;          /* index + 1 of the current module; 0: none */
  spec_def *defs;          /* module definitions, in script order */
  size_t ndefs;
  size_t defs_cap;
} spec_session;

/* Makes the engine. Returns 0, or -1 with `err` set. */
int spec_session_init(spec_session *s, const spec_opts *o,
                      const spec_converted *files, char *err, size_t errlen);

/* Frees the thread, instances, modules, linker and engine. */
void spec_session_fini(spec_session *s);

/* Finds module file `filename` among the converted files. The bytes are
 * borrowed from the session's files. Returns 0, or -1 with `err`. */
int spec_session_read(spec_session *s, const char *filename,
                      const uint8_t **bytes, size_t *len, char *err,
                      size_t errlen);

/* Makes the linker (with `spectest` defined) and the thread if not done
 * yet. Returns 0, or -1 with the reason (the same on every later call). */
int spec_session_runtime(spec_session *s, char *err, size_t errlen);

/* Appends an entry for a module command and makes it current. NULL when
 * out of memory. */
spec_loaded *spec_session_add(spec_session *s, const char *name,
                              unsigned line);

/* Appends a module definition. NULL when out of memory. */
spec_def *spec_session_define(spec_session *s, const char *name,
                              unsigned line);

/* The compiled module of definition `name` (NULL: the latest). Returns
 * NULL with `err` saying why when there is none or it did not compile. */
lull_module *spec_session_definition(spec_session *s, const char *name,
                                     char *err, size_t errlen);

/* Instantiates `module` through the linker. Returns the status; on LULL_OK
 * *instance is new and owned by the caller, otherwise NULL with `err`
 * holding the engine's message (or why the runtime could not be set up,
 * with LULL_BADSTATE). */
lull_status spec_session_link(spec_session *s, lull_module *module,
                              lull_instance **instance, lull_error *err);

/* The instance of module `name` (NULL: the current one). Returns NULL with
 * `err` saying why when there is none or it failed to load. */
lull_instance *spec_session_instance(spec_session *s, const char *name,
                                     char *err, size_t errlen);

/* Compiles `bytes` and instantiates them through the linker. Returns the
 * status; on LULL_OK *module and *instance are new and owned by the
 * caller. Otherwise *instance is NULL, *module is set when only
 * instantiation failed, and `err` holds the engine's message (or why the
 * runtime could not be set up, with LULL_BADSTATE). */
lull_status spec_session_instantiate(spec_session *s, const uint8_t *bytes,
                                     size_t len, lull_module **module,
                                     lull_instance **instance,
                                     lull_error *err);

/* The outcome of an "invoke" or "get" action. */
typedef struct spec_action {
  int ran;              /* 0: it could not run at all; `message` says why */
  lull_status status;   /* when ran: LULL_OK, LULL_TRAP, or a misuse */
  lull_val *results;    /* when LULL_OK: nresults values (malloc'd) */
  size_t nresults;
  char message[SPEC_MSG]; /* the trap or misuse message */
} spec_action;

/* Runs the action object `act` of a command. Always fills `out`; free it
 * with spec_action_fini. */
void spec_action_run(spec_session *s, const spec_json *act, spec_action *out);
void spec_action_fini(spec_action *a);

/* Writes `name` (`len` bytes, may hold any byte) in a printable form:
 * control bytes, quotes and backslashes become escapes. */
void spec_quote(const char *name, size_t len, char *buf, size_t n);

#endif
