/*
 * fiber_switch.h -- a minimal stack switch for the "fiber-asm" way of
 * bench-suspend: what fiber libraries that do not use ucontext do (no
 * signal mask, only the callee-saved registers and the stack pointer).
 * One implementation per machine, chosen by CMake; fiber_switch_none.c
 * says there is none.
 */
#ifndef BENCH_FIBER_SWITCH_H
#define BENCH_FIBER_SWITCH_H

#include <stddef.h>

/* Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save and continues on the stack `to`, which a previous
 * switch saved or bench_fiber_init prepared. Returns when something
 * switches back to *save. */
void bench_fiber_switch(void **save, void *to);

/* Prepares the stack [lo, lo + size) so that switching to the pointer
 * returned calls entry(arg) on it; entry must never return. NULL when
 * this machine has no switch. */
void *bench_fiber_init(void *lo, size_t size, void (*entry)(void *),
                       void *arg);

#endif /* BENCH_FIBER_SWITCH_H */
