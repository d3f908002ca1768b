/*
 * consumer_core.c -- a program that links only the core (lull-core,
 * lull::core): no libuv anywhere, in the headers or the link line.
 */
#include <stdint.h>
#include <stdio.h>

#include "lull.h"

#include "add_module.h"

int main(void) { return run_add(2, 40); }
