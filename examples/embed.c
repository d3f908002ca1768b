/*
 * embed.c -- the smallest useful embedding of lull: load a module, give it
 * a host function, call an export, report a trap.
 *
 *   embed FILE.wasm N     prints sum_squares(N), computed by the guest
 *                         calling the host's `square`
 */
#include <stdio.h>
#include <stdlib.h>

#include "lull.h"

/* A host function: its arguments come in, its results go out, and the
 * return value says what happens next (here: carry on). */
static lull_hostret square(lull_hostcall *hc, const lull_val *args,
                           lull_val *results, void *env) {
  (void)hc;
  (void)env;
  results[0].of.i32 = args[0].of.i32 * args[0].of.i32;
  return LULL_HOST_RETURN;
}

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE.wasm N\n", argv[0]);
    return 2;
  }
  size_t len;
  unsigned char *bytes = read_file(argv[1], &len);
  if (!bytes) {
    fprintf(stderr, "embed: cannot read %s\n", argv[1]);
    return 1;
  }
  int rc = 1;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_instance *inst = NULL;
  lull_thread *t = NULL;
  lull_error err;
  if (lull_module_new(e, bytes, len, &m, &err) != LULL_OK) {
    fprintf(stderr, "embed: %s: %s\n", argv[1], err.message);
    goto done;
  }
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype sq_type = {1, 1, i32, i32};
  lull_func *sq = lull_func_new(e, &sq_type, square, NULL, NULL);
  lull_extern imports[1] = {{LULL_EXTERN_FUNC, {.func = sq}}};
  if (lull_instantiate(e, m, imports, 1, &inst, &err) != LULL_OK) {
    fprintf(stderr, "embed: %s\n", err.message);
    goto done;
  }
  t = lull_thread_new(e);
  lull_val arg = {.type = LULL_I32, .of.i32 = atoi(argv[2])}, result;
  lull_func *f = lull_instance_func(inst, "sum_squares");
  switch (lull_call(t, f, &arg, 1, &result, 1)) {
  case LULL_OK:
    printf("sum_squares(%d) = %d\n", arg.of.i32, result.of.i32);
    rc = 0;
    break;
  case LULL_TRAP:
    fprintf(stderr, "embed: trap: %s\n", lull_thread_trap_message(t));
    break;
  default:
    fprintf(stderr, "embed: %s\n", lull_thread_trap_message(t));
    break;
  }
done:
  /* Freeing the engine frees everything made through it. */
  lull_engine_free(e);
  free(bytes);
  return rc;
}
