/*
 * ops_util.h -- what a compiled module's register code holds, for the
 * tests of fused instructions: that a fusion took place is as much a
 * part of them as what the fused form computes.
 */
#ifndef LULL_TEST_OPS_UTIL_H
#define LULL_TEST_OPS_UTIL_H

#include "interp/interp_internal.h"
#include "interp/ops.h"
#include "lull.h"

/* How many instructions of op `op` the code of module `m` (of engine
 * `e`) holds. Fails the test on a cell that is no instruction. */
static inline unsigned test_count_op(const lull_engine *e,
                                     const lull_module *m, unsigned op) {
  unsigned n = 0;
  for (uint32_t d = 0; d < m->m->ncodes; d++) {
    const lulli_code *c = &m->codes[d];
    for (uint32_t at = 0; at < c->ncells;) {
      int o = lulli_op_of(e, &c->code[at]);
      assert_true(o >= 0);
      n += (unsigned)o == op;
      at += lulli_op_length((unsigned)o, &c->code[at]);
    }
  }
  return n;
}

#endif
