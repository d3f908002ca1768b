/*
 * vm.c -- a switch-based bytecode interpreter: the shape of every
 * scripting-language core (a dispatch loop, an operand stack, registers,
 * calls and conditional jumps), measured as an interpreter running inside
 * an interpreter. The program it runs is generated at the start of `run`
 * from a fixed seed: a loop whose body is a run of random register
 * statements, a data-dependent branch into a subroutine, and a counter.
 * run(n) executes n loop iterations and returns a checksum of the
 * registers.
 */
#include "kernel.h"

enum {
  OP_HALT,
  OP_PUSH,  /* push arg */
  OP_LOAD,  /* push reg[arg] */
  OP_STORE, /* reg[arg] = pop */
  OP_ADD,   /* b = pop, a = pop, push a op b (likewise below) */
  OP_SUB,
  OP_MUL,
  OP_AND,
  OP_OR,
  OP_XOR,
  OP_SHL, /* a << (b & 31) */
  OP_SHR, /* a >> (b & 31), unsigned */
  OP_ROTL,
  OP_LTU, /* a < b, unsigned, as 0 or 1 */
  OP_DUP,
  OP_SWAP,
  OP_JMP, /* pc = arg */
  OP_JZ,  /* if pop == 0: pc = arg */
  OP_JNZ, /* if pop != 0: pc = arg */
  OP_CALL, /* push return address on the call stack, pc = arg */
  OP_RET
};

struct insn {
  uint8_t op;
  int32_t arg;
};

#define CODE_MAX 1024
#define NREGS 8
#define STACK_MAX 64
#define CALLS_MAX 16
/* Registers with a fixed role in the generated program; the statements
 * use the others. */
#define R_COUNT 0
#define R_ACC 7

static struct insn code[CODE_MAX];
static uint32_t ncode;

static uint32_t emit(uint8_t op, int32_t arg) {
  code[ncode].op = op;
  code[ncode].arg = arg;
  return ncode++;
}

/* Builds the program; returns the entry point. `iterations` is loaded
 * into R_COUNT by the prologue. */
static uint32_t generate(uint32_t iterations) {
  /* The statements use only operations that keep the registers'
   * information (no AND, no shifts that drop bits), so the state never
   * settles into a fixed point and the checksum depends on every
   * iteration. MUL only ever multiplies by an odd constant, which is
   * invertible modulo 2^32. */
  static const uint8_t regops[] = {OP_ADD, OP_SUB, OP_XOR, OP_ADD, OP_XOR};
  static const uint8_t immops[] = {OP_ADD, OP_XOR, OP_MUL, OP_ROTL, OP_MUL};
  uint32_t seed = 0x27d4eb2fu;
  ncode = 0;

  /* The subroutine, first so that calls jump backwards:
   * x -> (x << 13) | (x * x ^ 0x5bd1e995). */
  uint32_t sub = emit(OP_DUP, 0);
  emit(OP_PUSH, 13);
  emit(OP_SHL, 0);
  emit(OP_SWAP, 0);
  emit(OP_DUP, 0);
  emit(OP_MUL, 0);
  emit(OP_PUSH, 0x5bd1e995);
  emit(OP_XOR, 0);
  emit(OP_OR, 0);
  emit(OP_RET, 0);

  uint32_t entry = emit(OP_PUSH, (int32_t)iterations);
  emit(OP_STORE, R_COUNT);
  for (int r = 1; r < NREGS; r++) {
    emit(OP_PUSH, (int32_t)rng_next(&seed));
    emit(OP_STORE, r);
  }

  uint32_t loop = ncode;
  /* reg[dst] = reg[a] op (reg[b] or an immediate); the sources include
   * R_COUNT, which feeds the iteration number into the state. */
  for (int s = 0; s < 14; s++) {
    uint32_t x = rng_next(&seed);
    int dst = 1 + (int)(x % (NREGS - 2));
    emit(OP_LOAD, (int)((x >> 8) % (NREGS - 1)));
    if ((x >> 16) & 1) {
      emit(OP_LOAD, (int)((x >> 17) % (NREGS - 1)));
      emit(regops[(x >> 24) % sizeof regops], 0);
    } else {
      emit(OP_PUSH, (int32_t)(rng_next(&seed) | 1));
      emit(immops[(x >> 24) % sizeof immops], 0);
    }
    emit(OP_STORE, dst);
  }

  /* if (((r1 >> 5) ^ r2) & 1) acc += r3; else acc ^= sub(r4) */
  emit(OP_LOAD, 1);
  emit(OP_PUSH, 5);
  emit(OP_SHR, 0);
  emit(OP_LOAD, 2);
  emit(OP_XOR, 0);
  emit(OP_PUSH, 1);
  emit(OP_AND, 0);
  uint32_t jz = emit(OP_JZ, 0);
  emit(OP_LOAD, R_ACC);
  emit(OP_LOAD, 3);
  emit(OP_ADD, 0);
  emit(OP_STORE, R_ACC);
  uint32_t jmp = emit(OP_JMP, 0);
  code[jz].arg = (int32_t)ncode;
  emit(OP_LOAD, R_ACC);
  emit(OP_LOAD, 4);
  emit(OP_CALL, (int32_t)sub);
  emit(OP_XOR, 0);
  emit(OP_STORE, R_ACC);
  code[jmp].arg = (int32_t)ncode;

  /* if (0 < --count) goto loop */
  emit(OP_LOAD, R_COUNT);
  emit(OP_PUSH, 1);
  emit(OP_SUB, 0);
  emit(OP_STORE, R_COUNT);
  emit(OP_PUSH, 0);
  emit(OP_LOAD, R_COUNT);
  emit(OP_LTU, 0);
  emit(OP_JNZ, (int32_t)loop);
  emit(OP_HALT, 0);
  return entry;
}

/* Runs from `pc` to OP_HALT and leaves the final registers in `reg`.
 * The generated program is well formed, so the interpreter trusts it:
 * no stack or code bounds checks, as in a VM that verified its input. */
static void execute(uint32_t pc, uint32_t reg[NREGS]) {
  uint32_t stack[STACK_MAX];
  uint32_t calls[CALLS_MAX];
  uint32_t sp = 0, csp = 0;
  for (;;) {
    const struct insn *in = &code[pc++];
    uint32_t a, b;
    switch (in->op) {
    case OP_HALT:
      return;
    case OP_PUSH:
      stack[sp++] = (uint32_t)in->arg;
      break;
    case OP_LOAD:
      stack[sp++] = reg[in->arg];
      break;
    case OP_STORE:
      reg[in->arg] = stack[--sp];
      break;
    case OP_ADD:
      b = stack[--sp];
      stack[sp - 1] += b;
      break;
    case OP_SUB:
      b = stack[--sp];
      stack[sp - 1] -= b;
      break;
    case OP_MUL:
      b = stack[--sp];
      stack[sp - 1] *= b;
      break;
    case OP_AND:
      b = stack[--sp];
      stack[sp - 1] &= b;
      break;
    case OP_OR:
      b = stack[--sp];
      stack[sp - 1] |= b;
      break;
    case OP_XOR:
      b = stack[--sp];
      stack[sp - 1] ^= b;
      break;
    case OP_SHL:
      b = stack[--sp];
      stack[sp - 1] <<= b & 31;
      break;
    case OP_SHR:
      b = stack[--sp];
      stack[sp - 1] >>= b & 31;
      break;
    case OP_ROTL:
      b = stack[--sp] & 31;
      a = stack[sp - 1];
      stack[sp - 1] = b ? (a << b) | (a >> (32 - b)) : a;
      break;
    case OP_LTU:
      b = stack[--sp];
      stack[sp - 1] = stack[sp - 1] < b;
      break;
    case OP_DUP:
      stack[sp] = stack[sp - 1];
      sp++;
      break;
    case OP_SWAP:
      a = stack[sp - 1];
      stack[sp - 1] = stack[sp - 2];
      stack[sp - 2] = a;
      break;
    case OP_JMP:
      pc = (uint32_t)in->arg;
      break;
    case OP_JZ:
      if (stack[--sp] == 0)
        pc = (uint32_t)in->arg;
      break;
    case OP_JNZ:
      if (stack[--sp] != 0)
        pc = (uint32_t)in->arg;
      break;
    case OP_CALL:
      calls[csp++] = pc;
      pc = (uint32_t)in->arg;
      break;
    case OP_RET:
      pc = calls[--csp];
      break;
    }
  }
}

uint32_t run(uint32_t n) {
  uint32_t reg[NREGS] = {0};
  if (n == 0)
    return 0;
  execute(generate(n), reg);
  uint32_t h = 2166136261u;
  for (int r = 0; r < NREGS; r++)
    h = mix32(h, reg[r]);
  return h;
}
