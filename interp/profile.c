/*
 * profile.c -- instruction counts for tuning the register code: built only
 * with -DLULL_PROFILE (and switch dispatch, which has one place to count).
 * A thread's counts are printed to stderr when it is freed: the hottest
 * instructions and the hottest pairs, the candidates for fusion.
 */
#include "interp_internal.h"

#ifdef LULL_PROFILE
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

typedef struct lulli_profile {
  uint64_t op[LULLI_OP_COUNT_];
  uint64_t pair[LULLI_OP_COUNT_][LULLI_OP_COUNT_];
  unsigned prev;
} lulli_profile;

void lulli_profile_count(lull_thread *t, const lulli_cell *pc) {
  if (!t->profile)
    t->profile = calloc(1, sizeof(lulli_profile));
  lulli_profile *p = t->profile;
  unsigned op = (unsigned)(uintptr_t)pc->h;
  p->op[op]++;
  p->pair[p->prev][op]++;
  p->prev = op;
}

static int cmp_desc(const void *a, const void *b) {
  const uint64_t *x = a, *y = b;
  return x[0] < y[0] ? 1 : x[0] > y[0] ? -1 : 0;
}

void lulli_profile_dump(lull_thread *t) {
  lulli_profile *p = t->profile;
  if (!p)
    return;
  uint64_t total = 0;
  uint64_t(*rows)[2] = calloc((size_t)LULLI_OP_COUNT_ * LULLI_OP_COUNT_,
                              sizeof *rows);
  size_t n = 0;
  if (!rows)
    return;
  for (unsigned i = 0; i < LULLI_OP_COUNT_; i++)
    total += p->op[i];
  fprintf(stderr, "profile: %llu instructions\n", (unsigned long long)total);
  for (unsigned i = 0; i < LULLI_OP_COUNT_; i++)
    if (p->op[i]) {
      rows[n][0] = p->op[i];
      rows[n++][1] = i;
    }
  qsort(rows, n, sizeof rows[0], cmp_desc);
  for (size_t i = 0; i < n && i < 25; i++)
    fprintf(stderr, "  %5.2f%%  %s\n", 100.0 * rows[i][0] / total,
            lulli_op_name((unsigned)rows[i][1]));
  n = 0;
  for (unsigned i = 0; i < LULLI_OP_COUNT_; i++)
    for (unsigned j = 0; j < LULLI_OP_COUNT_; j++)
      if (p->pair[i][j]) {
        rows[n][0] = p->pair[i][j];
        rows[n++][1] = (uint64_t)i << 16 | j;
      }
  qsort(rows, n, sizeof rows[0], cmp_desc);
  fprintf(stderr, "  pairs:\n");
  for (size_t i = 0; i < n && i < 25; i++)
    fprintf(stderr, "  %5.2f%%  %s -> %s\n", 100.0 * rows[i][0] / total,
            lulli_op_name((unsigned)(rows[i][1] >> 16)),
            lulli_op_name((unsigned)(rows[i][1] & 0xFFFF)));
  free(rows);
  free(p);
  t->profile = NULL;
}
#else
void lulli_profile_dump(lull_thread *t) { (void)t; }
#endif
