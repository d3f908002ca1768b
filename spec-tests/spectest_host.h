/*
 * spectest_host.h -- the `spectest` module the testsuite imports from.
 * Prefix spec_host.
 */
#ifndef LULL_SPEC_HOST_H
#define LULL_SPEC_HOST_H

#include <stddef.h>

#include "lull.h"

/* Makes the spectest objects in engine `e` and defines them in linker `l`
 * under the module name "spectest":
 *   print, print_i32, print_i64, print_f32, print_f64, print_i32_f32,
 *   print_f64_f64   functions of the obvious types, returning nothing;
 *                   with `verbose` they print their arguments to stdout
 *                   as the reference interpreter does ("42 : i32"),
 *                   otherwise they do nothing
 *   global_i32, global_i64 = 666; global_f32, global_f64 = 666.6
 *                   immutable globals
 *   table           a funcref table, min 10 max 20, all null
 *   memory          a memory, min 1 max 2 pages
 * The linker keeps what it needs, so nothing is left for the caller to
 * free. Returns 0, or -1 with a message in `err` (`errlen` bytes). */
int spec_host_define(lull_engine *e, lull_linker *l, int verbose, char *err,
                     size_t errlen);

#endif
