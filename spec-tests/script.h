/*
 * script.h -- the .bin.wast front end: reads a script whose modules are
 * all in binary form (as the spec's reference interpreter writes them)
 * and turns it into what the runner executes for wast2json's output: a
 * spec.json command list and one .wasm file per module, all in memory.
 * Both front ends thus share every line that runs a command. Prefix
 * spec_script.
 *
 * The JSON is wast2json's, plus what Wasm 3.0 scripts add (see
 * spec-tests/README.md): "module_definition" and "module_instance"
 * commands, module_type "instance" in assertions, "assert_exception",
 * {"type": "either", "values": [...]} results, the value "nonnull" for
 * (ref.func) and (ref.extern), and the reference types that lull has no
 * values of yet (anyref, structref, ...). A command that cannot be read
 * becomes {"type": "script_error", "line": N, "text": why}, which fails
 * when run: one bad command never hides the rest of the file.
 */
#ifndef LULL_SPEC_SCRIPT_H
#define LULL_SPEC_SCRIPT_H

#include <stddef.h>

#include "runner.h"

/* Converts the script `text` (`len` bytes), which came from file
 * `source`, into `out` (empty on entry). Returns 0, or -1 with `err` when
 * the text is not a well-formed S-expression file or memory runs out
 * (then `out` is freed). */
int spec_script_convert(const char *text, size_t len, const char *source,
                        spec_converted *out, char *err, size_t errlen);

/* The same for an engine of `features`: its text modules are read as that
 * engine reads text (LULL_FEATURES_2_0: the Wasm 2.0 text format). */
int spec_script_convert_features(const char *text, size_t len,
                                 const char *source, lull_features features,
                                 spec_converted *out, char *err,
                                 size_t errlen);

#endif
