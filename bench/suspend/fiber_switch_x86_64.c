/*
 * fiber_switch_x86_64.c -- bench_fiber_switch for x86-64 (System V ABI):
 * push the six callee-saved registers, swap stack pointers, pop them and
 * return on the other stack. The x87 and SSE control words are callee-saved
 * too, but nothing in the benchmark changes them.
 */
#include <stdint.h>

#include "fiber_switch.h"

__asm__(".text\n"
        ".p2align 4\n"
        ".globl bench_fiber_switch\n"
        ".hidden bench_fiber_switch\n"
        ".type bench_fiber_switch, @function\n"
        "bench_fiber_switch:\n"
        "  pushq %rbp\n"
        "  pushq %rbx\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  pushq %r14\n"
        "  pushq %r15\n"
        "  movq %rsp, (%rdi)\n"
        "  movq %rsi, %rsp\n"
        "  popq %r15\n"
        "  popq %r14\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  ret\n"
        ".size bench_fiber_switch, .-bench_fiber_switch\n"
        /* Where a new fiber's first switch returns to: entry(arg), which
         * bench_fiber_init left in r13 and r12. */
        ".p2align 4\n"
        ".globl bench_fiber_start\n"
        ".hidden bench_fiber_start\n"
        ".type bench_fiber_start, @function\n"
        "bench_fiber_start:\n"
        "  movq %r12, %rdi\n"
        "  callq *%r13\n"
        "  ud2\n"
        ".size bench_fiber_start, .-bench_fiber_start\n");

extern char bench_fiber_start[];

/* The new stack holds what bench_fiber_switch pops: r15, r14, r13 (entry),
 * r12 (arg), rbx, rbp, and the return address. The call in
 * bench_fiber_start then needs the stack 16-byte aligned, so those seven
 * words end at an aligned address. */
void *bench_fiber_init(void *lo, size_t size, void (*entry)(void *),
                       void *arg) {
  uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
  uint64_t *sp = (uint64_t *)(top - 7 * sizeof(uint64_t));
  sp[0] = 0;                          /* r15 */
  sp[1] = 0;                          /* r14 */
  sp[2] = (uint64_t)(uintptr_t)entry; /* r13 */
  sp[3] = (uint64_t)(uintptr_t)arg;   /* r12 */
  sp[4] = 0;                          /* rbx */
  sp[5] = 0;                          /* rbp */
  sp[6] = (uint64_t)(uintptr_t)bench_fiber_start;
  return sp;
}
