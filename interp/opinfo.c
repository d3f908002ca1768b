/*
 * opinfo.c -- facts about register-code instructions that the dispatch
 * loop does not need but the compiler and tools do: the rows of ops.h as
 * a table by op number, the op a handler cell holds, and a reader that
 * walks a function's code (the disassembler, snapshot checks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_internal.h"
#include "ops.h"

const lulli_opinfo lulli_opinfo_table[LULLI_OP_COUNT_] = {
#define X(name, cells, format, imm, back, fused)                              \
  {#name, (cells), LULLI_FMT_##format, LULLI_OP_##imm, LULLI_OP_##back,        \
   LULLI_OP_##fused},
    LULLI_OPS(X)
#undef X
};

const char *lulli_op_name(unsigned op) {
  return op < LULLI_OP_COUNT_ ? lulli_opinfo_table[op].name : "?";
}

unsigned lulli_op_length(unsigned op, const lulli_cell *pc) {
  const lulli_opinfo *in = &lulli_opinfo_table[op];
  if (in->format == LULLI_FMT_TABLE || in->format == LULLI_FMT_TABLE_M ||
      in->format == LULLI_FMT_TABLE_L8)
    return in->cells + (pc[1].u32[1] + 2) / 2;
  if (in->format == LULLI_FMT_TABLE_F)
    return in->cells + 128;
  return in->cells;
}

/* The engine's handler addresses sorted, each with its op: the reverse
 * of e->handlers, built once per engine (lulli_ops_index). With switch
 * dispatch a handler cell holds the op number itself. */
typedef struct lulli_hop {
  const void *h;
  uint32_t op;
} lulli_hop;

static int by_handler(const void *x, const void *y) {
  const lulli_hop *a = x, *b = y;
  uintptr_t ha = (uintptr_t)a->h, hb = (uintptr_t)b->h;
  return ha < hb ? -1 : ha > hb;
}

int lulli_ops_index(lull_engine *e) {
  lulli_hop *ix = lulld_calloc(&e->alloc, LULLI_OP_COUNT_, sizeof *ix);
  if (!ix)
    return -1;
  const void *const *handlers = e->handlers;
  for (unsigned op = 0; op < LULLI_OP_COUNT_; op++) {
    ix[op].h = handlers[op];
    ix[op].op = op;
  }
  qsort(ix, LULLI_OP_COUNT_, sizeof *ix, by_handler);
  e->ops_index = ix;
  return 0;
}

void lulli_ops_index_free(lull_engine *e) {
  lulld_free(&e->alloc, e->ops_index, LULLI_OP_COUNT_ * sizeof(lulli_hop));
  e->ops_index = NULL;
}

int lulli_op_of(const lull_engine *e, const lulli_cell *pc) {
  const lulli_hop *ix = e->ops_index;
  size_t lo = 0, hi = LULLI_OP_COUNT_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uintptr_t h = (uintptr_t)ix[mid].h, want = (uintptr_t)pc->h;
    if (h == want)
      return (int)ix[mid].op;
    if (h < want)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

unsigned lulli_op_size(const lull_engine *e, const lulli_cell *pc) {
  int op = lulli_op_of(e, pc);
  return op < 0 ? 1 : lulli_op_length((unsigned)op, pc);
}

void lulli_disasm(const lull_module *mod, uint32_t def, void *file) {
  FILE *out = file;
  const lull_engine *e = mod->hdr.engine;
  const lulli_code *c = &mod->codes[def];
  fprintf(out, "function %u: %u cells, locals %u slots, frame %u slots\n",
          mod->m->nfunc_imports + def, c->ncells, c->local_slots,
          c->frame_slots);
  for (uint32_t at = 0; at < c->ncells;) {
    const lulli_cell *pc = &c->code[at];
    int op = lulli_op_of(e, pc);
    unsigned n = op < 0 ? 1 : lulli_op_length((unsigned)op, pc);
    fprintf(out, "%5u  %-22s", at, lulli_op_name(op < 0 ? LULLI_OP_NONE : (unsigned)op));
    if (n > 1)
      fprintf(out, " %u %u %u %u | %d", pc[1].u16[0], pc[1].u16[1],
              pc[1].u16[2], pc[1].u16[3], pc[1].s32[1]);
    for (unsigned k = 2; k < n && k < 4; k++)
      fprintf(out, " | %lld", (long long)pc[k].i64);
    fputc('\n', out);
    at += n;
  }
}
