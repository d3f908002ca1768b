/*
 * opinfo.c -- facts about register-code instructions that the dispatch
 * loop does not need but tools do: names, sizes in cells, and a reader
 * that walks a function's code (the disassembler, snapshot checks).
 */
#include <stdio.h>

#include "interp_internal.h"
#include "ops.h"

static const char *const names[] = {
#define X(name) #name,
    LULLI_OPS(X)
#undef X
};

const char *lulli_op_name(unsigned op) {
  return op < LULLI_OP_COUNT_ ? names[op] : "?";
}

/* Ops whose names end in "_I" take an immediate: a 32-bit one inside
 * cell 1 for i32 arithmetic, a cell of its own for i64 arithmetic and for
 * every fused branch. */
static unsigned size_of(unsigned op, const lulli_cell *pc) {
  if (op >= LULLI_OP_JMP_BACK && op < LULLI_OP_JMP_BACK + (LULLI_OP_JMP_BACK - LULLI_OP_JMP))
    op = op - LULLI_OP_JMP_BACK + LULLI_OP_JMP;
  const char *n = names[op];
  size_t len = strlen(n);
  switch (op) {
  case LULLI_OP_UNREACHABLE:
  case LULLI_OP_COMPILE:
  case LULLI_OP_RET0:
  case LULLI_OP_EXIT:
  case LULLI_OP_HOSTCONT:
    return 1;
  case LULLI_OP_CONST128:
    return 4;
  case LULLI_OP_BR_TABLE:
    return 2 + (pc[1].u32[1] + 2) / 2;
  case LULLI_OP_CONST64:
  case LULLI_OP_CALL_INDIRECT:
  case LULLI_OP_CALL_PTR:
  case LULLI_OP_MEMORY_INIT:
  case LULLI_OP_TABLE_GROW:
  case LULLI_OP_TABLE_FILL:
  case LULLI_OP_TABLE_COPY:
  case LULLI_OP_TABLE_INIT:
  case LULLI_OP_I32_ADD_I2:
    return 3;
  case LULLI_OP_MOV_MOV:
    return 2;
    /* v128 ops: sizes by their groups in ops_simd.h */
#define X(name) case LULLI_OP_##name:
  LULLI_SIMD_OPS_3(X)
    return 3;
  LULLI_SIMD_OPS_4(X)
    return 4;
  LULLI_SIMD_OPS_6(X)
    return 6;
  LULLI_SIMD_OPS_2(X)
    return 2;
#undef X
  default:
    break;
  }
  /* Fused accesses (_AK) and memory operands (_M) take an offset cell. */
  if (len > 3 && (strcmp(n + len - 3, "_AK") == 0 ||
                  strcmp(n + len - 2, "_M") == 0))
    return 3;
  if (len > 2 && strcmp(n + len - 2, "_I") == 0 &&
      (strncmp(n, "I64_", 4) == 0 || strncmp(n, "BR_", 3) == 0))
    return 3;
  return 2;
}

int lulli_op_of(const lull_engine *e, const lulli_cell *pc) {
  for (unsigned op = 0; op < LULLI_OP_COUNT_; op++)
    if (e->handlers[op] == pc->h)
      return (int)op;
  return -1;
}

unsigned lulli_op_size(const lull_engine *e, const lulli_cell *pc) {
  int op = lulli_op_of(e, pc);
  return op < 0 ? 1 : size_of((unsigned)op, pc);
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
    unsigned n = op < 0 ? 1 : size_of((unsigned)op, pc);
    fprintf(out, "%5u  %-22s", at, op < 0 ? "???" : names[op]);
    if (n > 1)
      fprintf(out, " %u %u %u %u | %d", pc[1].u16[0], pc[1].u16[1],
              pc[1].u16[2], pc[1].u16[3], pc[1].s32[1]);
    for (unsigned k = 2; k < n && k < 4; k++)
      fprintf(out, " | %lld", (long long)pc[k].i64);
    fputc('\n', out);
    at += n;
  }
}
