/*
 * interp_internal.h -- the interpreter's internal structures. Prefix lulli_.
 */
#ifndef LULL_INTERP_INTERNAL_H
#define LULL_INTERP_INTERNAL_H

#include "../decoder/module.h"
#include "lull.h"

#define LULLI_DEFAULT_STACK_LIMIT ((size_t)16 << 20)

struct lull_engine {
  lull_config cfg;
  lulld_alloc alloc;
};

LULL_HIDDEN int lulli_engine_init(lull_engine *e);
LULL_HIDDEN void lulli_engine_fini(lull_engine *e);

#endif
