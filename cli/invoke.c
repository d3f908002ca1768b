/*
 * invoke.c -- the values of `lull run --invoke`: arguments read by
 * lull_val_parse for the export's parameter types, results printed as
 * TYPE:VALUE with lull_val_format (so they read back the same).
 */
#include <stdio.h>

#include "cli_internal.h"

void lullc_print_val(FILE *f, const lull_val *v) {
  char buf[64];
  lull_val_format(v, buf, sizeof buf);
  fprintf(f, "%s:%s\n", lull_valtype_str(v->type), buf);
}
