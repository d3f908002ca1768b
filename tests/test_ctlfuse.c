/*
 * test_ctlfuse.c -- the fused control-flow instructions (br_table with
 * what made its index, jumps with a move, a constant or the load they
 * test, loop steps with their jump back, calls with their argument moves,
 * reverse subtraction; see interp/ops.h) give what the
 * instructions they replace gave: every target, the default for indices
 * past the table, wrapping addresses, traps reported at the load, fuel
 * charged on the way back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "ops_util.h"
#include "test_util.h"

typedef test_guest fixture;

static int setup(void **state) {
  static fixture f;
  test_guest_open(&f, "ctlfuse", 0);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->e);
  return 0;
}

/* fn(arg) must return `want`. */
static void expect(fixture *f, const char *fn, int32_t arg, int32_t want) {
  lull_val a = {.type = LULL_I32, .of.i32 = arg}, r;
  assert_int_equal(test_guest_call(f, fn, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, want);
}

/* fn(x, y) must return `want`. */
static void expect2(fixture *f, const char *fn, int32_t x, int32_t y,
                    int32_t want) {
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = x},
                   {.type = LULL_I32, .of.i32 = y}},
           r;
  assert_int_equal(test_guest_call(f, fn, a, 2, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, want);
}

/* fn(arg) must trap out of bounds, the trap at a Wasm offset. */
static void expect_oob(fixture *f, const char *fn, int32_t arg) {
  lull_val a = {.type = LULL_I32, .of.i32 = arg}, r;
  assert_int_equal(test_guest_call(f, fn, &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
  lull_frame_info bt[1];
  assert_int_equal(lull_thread_backtrace(f->t, bt, 1), 1);
  assert_true(bt[0].wasm_offset > 0);
}

/* How many instructions of op `op` the module's code holds. */
static unsigned count_op(const fixture *f, unsigned op) {
  return test_count_op(f->e, f->m, op);
}

static void br_table_loads_its_index(void **state) {
  fixture *f = *state;
  /* Every load before a br_table went into it. */
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_L8), 5); /* fetchsw_apart */
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_L32), 2);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_K), 1);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_K_CONST), 2);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_MOV), 1);
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE), 0);

  /* Bytes 0 1 2 3 255 7 from 16: (u32)(p + 3) + 2 */
  expect(f, "sw8_ak", 11, 100);
  expect(f, "sw8_ak", 12, 101);
  expect(f, "sw8_ak", 13, 102);
  expect(f, "sw8_ak", 14, 103); /* 3: the default */
  expect(f, "sw8_ak", 15, 103); /* 255 */
  /* p + 3 wraps at 32 bits before the offset is added: byte 3, zero. */
  expect(f, "sw8_ak", -2, 100);
  expect_oob(f, "sw8_ak", 65536 - 5);
  expect(f, "sw8_ak", 65536 - 6, 100); /* the last byte, zero */

  /* Bytes at p + 3 and p + 5 */
  expect(f, "sw8_after", 12, 600);
  expect(f, "sw8_after", 13, 700);
  expect(f, "sw8_after", 14, 701);

  expect(f, "sw8", 15, 200);
  expect(f, "sw8", 16, 201);
  expect(f, "sw8", 17, 7); /* the block's value */
  expect(f, "sw8", 18, 200); /* 3 = the default */
  expect(f, "sw8", 19, 200);
  expect_oob(f, "sw8", -1);

  /* u32 1, 0xffffffff, 2, 4 from 32 */
  expect(f, "sw32_ak", 32, 301);
  expect(f, "sw32_ak", 36, 302); /* 0xffffffff: past the table */
  expect(f, "sw32_ak", 40, 302);
  expect(f, "sw32", 44, 402);
  expect(f, "sw32", 0, 400);
  expect(f, "sw32", 32, 401);
  expect_oob(f, "sw32", 65533);
  expect_oob(f, "sw32_ak", 65533);

  expect(f, "swk", 5, 500);
  expect(f, "swk", 6, 501);
  expect(f, "swk", 7, 502);
  expect(f, "swk", 4, 502); /* x - 5 wraps past the table */
  expect(f, "swk", INT32_MIN, 502);
  expect(f, "swkc", 5, 519);
  expect(f, "swkc", 6, 529);
  expect(f, "swkc", 7, 539);
  expect(f, "swkc", 4, 539);
  expect(f, "swkc_self", 0, 6);
  expect(f, "swmov", 0, 600);
  expect(f, "swmov", 1, 701);
  expect(f, "swmov", 2, 802);
  expect(f, "swmov", -1, 799); /* the copy is made on every way */

  /* inc inc dbl inc dbl halt: ((0 + 2) * 2 + 1) * 2 */
  expect(f, "interp", 0, 10);
  expect(f, "interp", 3, 2);
}

static void br_table_takes_the_fetch(void **state) {
  fixture *f = *state;
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_FETCH), 3);
  /* inc 5, dbl, inc 3, then 255 past the table: halts with pc 4 */
  expect(f, "fetchsw", 0, 1304);
  expect(f, "fetchsw", 1, 304);
  expect(f, "fetchsw", 4, 5);  /* 2, the table's last entry */
  expect(f, "fetchsw", 5, 6);  /* 7, past it */
  /* pc << 3 drops pc's top bits: the same program */
  expect(f, "fetchsw", 0x20000000, 1300 + 0x20000004);
  /* the op's byte at 65536, out of bounds; then the same one step later */
  expect_oob(f, "fetchsw", (65536 - 256) / 8);
  expect_oob(f, "fetchsw", (65536 - 256) / 8 - 1);
  /* the same program with the counter stepped elsewhere, unfused */
  expect(f, "fetchsw_apart", 0, 1304);
  expect(f, "fetchsw_apart", 1, 304);
  expect(f, "fetchsw_apart", 5, 6);
}

/* fetchvm's program (ctlfuse.wat) run in C from `pc`; `saved` gets what
 * the save ops store, by pc. */
static uint32_t fetchvm(uint32_t pc, uint32_t saved[8]) {
  static const uint8_t op[] = {0, 1, 2, 4, 1, 0, 2, 3};
  static const uint32_t arg[] = {5, 0, 0, 0, 0, 2, 0, 0};
  uint32_t acc = 0, n = 0;
  for (;; pc++) {
    if (op[pc] == 0) {
      acc += arg[pc];
    } else if (op[pc] == 1) {
      n++;
    } else if (op[pc] == 2) {
      acc *= 3;
    } else if (op[pc] == 4) {
      saved[pc] = acc;
      n = acc;
    } else {
      return acc * 100 + n;
    }
  }
}

/* The cases' jumps back run the fetch themselves (the _F forms), in an
 * engine with safepoints or without (the same code); with them fuel runs
 * out at those jumps and the thread goes on from the header, without them
 * it never runs out. */
static void fetch_loops(fixture *f, int safepoints) {
  uint8_t *mem = lull_memory_data(lull_instance_memory(f->inst));
  /* fetchsw's, fetchvm's and stackvm's */
  assert_int_equal(count_op(f, LULLI_OP_BR_TABLE_FETCH), 3);
  assert_int_equal(count_op(f, LULLI_OP_JMP_BACK_F), 4);
  assert_int_equal(count_op(f, LULLI_OP_LOOP_JMP_F), 4);
  assert_int_equal(count_op(f, LULLI_OP_MOV_JMP_BACK_F), 1);
  assert_int_equal(count_op(f, LULLI_OP_STORE32_MOV_JMP_BACK_F), 10);
  for (uint32_t pc = 0; pc < 8; pc++) {
    uint32_t saved[8] = {0}, got;
    memset(mem + 1536, 0, 64);
    expect(f, "fetchvm", (int32_t)pc, (int32_t)fetchvm(pc, saved));
    for (uint32_t i = 0; i < 8; i++) {
      memcpy(&got, mem + 1536 + 8 * i, 4);
      assert_int_equal(got, saved[i]);
    }
  }
  uint32_t saved[8];
  for (int64_t fuel = 1; fuel < 12; fuel++) {
    lull_val a = {.type = LULL_I32, .of.i32 = 0}, r;
    uint64_t parks = 0;
    lull_thread_set_fuel(f->t, fuel);
    lull_status s = test_guest_call(f, "fetchvm", &a, 1, &r, 1);
    while (s == LULL_SUSPENDED) {
      assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_FUEL);
      parks++;
      lull_thread_set_fuel(f->t, fuel);
      s = lull_resume(f->t, NULL, 0, &r, 1);
    }
    assert_int_equal(s, LULL_OK);
    assert_true(safepoints ? parks > 0 : parks == 0);
    assert_int_equal((uint32_t)r.of.i32, fetchvm(0, saved));
  }
  lull_thread_set_fuel(f->t, LULL_FUEL_UNLIMITED);
}

/* A store, a move and the jump back in one instruction outside a fetch
 * loop (the _BACK form). */
static void stores_move_and_jump_back(fixture *f, int safepoints) {
  uint8_t *mem = lull_memory_data(lull_instance_memory(f->inst));
  assert_int_equal(count_op(f, LULLI_OP_STORE32_MOV_JMP_BACK), 1);
  uint32_t got;
  expect2(f, "store_move", 100, 5, 5);
  memcpy(&got, mem + 2100, 4);
  assert_int_equal(got, 5);
  expect2(f, "store_move", 104, 0, 0);
  memcpy(&got, mem + 2104, 4);
  assert_int_equal(got, 0);
  /* the first store out of bounds: the trap names the store */
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = 65536 - 2000 - 3},
                   {.type = LULL_I32, .of.i32 = 3}},
           r;
  assert_int_equal(test_guest_call(f, "store_move", a, 2, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
  /* parked at the jump back by fuel, then on from the loop header; or,
   * without safepoints, never parked */
  a[0].of.i32 = 108;
  a[1].of.i32 = 40;
  lull_thread_set_fuel(f->t, 3);
  lull_status s = test_guest_call(f, "store_move", a, 2, &r, 1);
  uint64_t parks = 0;
  while (s == LULL_SUSPENDED) {
    parks++;
    lull_thread_set_fuel(f->t, 3);
    s = lull_resume(f->t, NULL, 0, &r, 1);
  }
  assert_int_equal(s, LULL_OK);
  assert_true(safepoints ? parks > 3 : parks == 0);
  assert_int_equal(r.of.i32, 40);
  memcpy(&got, mem + 2108, 4);
  assert_int_equal(got, 40);
  lull_thread_set_fuel(f->t, LULL_FUEL_UNLIMITED);
}

/* stackvm's ops (ctlfuse.wat) and a program that uses each, with the
 * values it leaves in the registers computed in C. */
enum { SV_HALT, SV_PUSH, SV_LOAD, SV_STORE, SV_ADD, SV_SUB, SV_MUL, SV_AND,
       SV_OR, SV_XOR, SV_SHL, SV_SHR_U, SV_ROTL, SV_CALL };
#define SV_PROG 4096
#define SV_BASE 8192

static uint32_t sv_rotl(uint32_t a, uint32_t b) {
  b &= 31;
  return b ? a << b | a >> (32 - b) : a;
}

static void stackvm(const uint8_t *op, const uint32_t *arg, uint32_t reg[8]) {
  uint32_t st[16], sp = 0;
  for (uint32_t pc = 0; op[pc] != SV_HALT; pc++) {
    uint32_t a = sp >= 2 ? st[sp - 2] : 0, b = sp >= 1 ? st[sp - 1] : 0, r;
    switch (op[pc]) {
    case SV_PUSH: st[sp++] = arg[pc]; continue;
    case SV_LOAD: st[sp++] = reg[arg[pc]]; continue;
    case SV_STORE: reg[arg[pc]] = st[--sp]; continue;
    case SV_CALL: {
      uint32_t saved[8];
      st[sp++] = fetchvm(arg[pc], saved);
      continue;
    }
    case SV_ADD: r = a + b; break;
    case SV_SUB: r = a - b; break;
    case SV_MUL: r = a * b; break;
    case SV_AND: r = a & b; break;
    case SV_OR: r = a | b; break;
    case SV_XOR: r = a ^ b; break;
    case SV_SHL: r = a << (b & 31); break;
    case SV_SHR_U: r = a >> (b & 31); break;
    default: r = sv_rotl(a, b); break;
    }
    st[--sp - 1] = r;
  }
}

/* Writes the program into the guest's memory and clears the registers. */
static void sv_load(fixture *f, const uint8_t *op, const uint32_t *arg,
                    uint32_t n) {
  uint8_t *mem = lull_memory_data(lull_instance_memory(f->inst));
  for (uint32_t i = 0; i < n; i++) {
    mem[SV_PROG + 8 * i] = op[i];
    memcpy(mem + SV_PROG + 8 * i + 4, &arg[i], 4);
  }
  memset(mem + SV_BASE, 0, 32);
}

/* stackvm(pc, base) must trap out of bounds. */
static void sv_expect_oob(fixture *f, int32_t pc, int32_t base) {
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = pc},
                   {.type = LULL_I32, .of.i32 = base}},
           r;
  assert_int_equal(test_guest_call(f, "stackvm", a, 2, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t),
                      "out of bounds memory access");
}

/* A stack machine's cases whole: each a handler that loads, computes,
 * stores and fetches the next op, with the same registers, traps and
 * fuel as the instructions it stands for. */
static void stack_machine_cases(fixture *f, int safepoints) {
  /* r1, r2 = two constants; r3 = r1 + r2; r4 = r1 - r2; r5 = r3 * r4;
   * r6 = (r5 ^ r3) & r2 | r4; then r0 from shifts (by 37 and 65, taken
   * mod 32), a rotation by 41, and fetchvm(0) and fetchvm(5). */
  static const uint8_t op[] = {
      SV_PUSH, SV_STORE, SV_PUSH, SV_STORE, SV_LOAD,  SV_LOAD,  SV_ADD,
      SV_STORE, SV_LOAD, SV_LOAD, SV_SUB,   SV_STORE, SV_LOAD,  SV_LOAD,
      SV_MUL,  SV_STORE, SV_LOAD, SV_LOAD,  SV_XOR,   SV_LOAD,  SV_AND,
      SV_LOAD, SV_OR,    SV_STORE, SV_LOAD, SV_PUSH,  SV_SHL,   SV_LOAD,
      SV_PUSH, SV_SHR_U, SV_XOR,  SV_LOAD,  SV_PUSH,  SV_ROTL,  SV_ADD,
      SV_CALL, SV_ADD,   SV_CALL, SV_XOR,   SV_STORE, SV_HALT};
  static const uint32_t arg[] = {
      0x12345678, 1, 0x9abcdef1, 2, 1, 2, 0, 3, 1, 2, 0, 4, 3, 4,
      0,          5, 5, 3,          0, 2, 0, 4, 0, 6, 6, 37, 0, 1,
      65,         0, 0, 2,          41, 0, 0, 0, 0, 5, 0, 0, 0};
  const uint32_t n = sizeof op;
  assert_int_equal(sizeof arg / sizeof arg[0], n);
  assert_int_equal(count_op(f, LULLI_OP_LOAD32_AK_ST_W_LOOP_F), 1);
  assert_int_equal(count_op(f, LULLI_OP_LOAD32_AK_ASH_ST_W_LOOP_F), 1);
  assert_int_equal(count_op(f, LULLI_OP_LOAD32_AK_SH_ASHB_ST_JMP_F), 1);
  static const unsigned whole[] = {
      LULLI_OP_STACK_I32_ADD_F, LULLI_OP_STACK_I32_SUB_F,
      LULLI_OP_STACK_I32_MUL_F, LULLI_OP_STACK_I32_AND_F,
      LULLI_OP_STACK_I32_OR_F,  LULLI_OP_STACK_I32_XOR_F,
      LULLI_OP_STACK_I32_SHL_F, LULLI_OP_STACK_I32_SHR_U_F,
      LULLI_OP_STACK_I32_ROTL_F};
  for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
    assert_int_equal(count_op(f, whole[i]), 1);

  uint32_t reg[8] = {0}, got[8];
  stackvm(op, arg, reg);
  uint8_t *mem = lull_memory_data(lull_instance_memory(f->inst));
  /* uninterrupted, then parking for fuel at the cases' jumps back (never,
   * without safepoints) */
  for (int64_t fuel = 0; fuel < 12; fuel++) {
    sv_load(f, op, arg, n);
    lull_val a[2] = {{.type = LULL_I32, .of.i32 = 0},
                     {.type = LULL_I32, .of.i32 = SV_BASE}},
             r;
    uint64_t parks = 0;
    lull_thread_set_fuel(f->t, fuel ? (uint64_t)fuel : LULL_FUEL_UNLIMITED);
    lull_status s = test_guest_call(f, "stackvm", a, 2, &r, 1);
    while (s == LULL_SUSPENDED) {
      parks++;
      lull_thread_set_fuel(f->t, fuel);
      s = lull_resume(f->t, NULL, 0, &r, 1);
    }
    assert_int_equal(s, LULL_OK);
    assert_true(fuel == 0 || (safepoints ? parks > 0 : parks == 0));
    assert_int_equal((uint32_t)r.of.i32, reg[0]);
    memcpy(got, mem + SV_BASE, sizeof got);
    assert_memory_equal(got, reg, sizeof got);
  }
  lull_thread_set_fuel(f->t, LULL_FUEL_UNLIMITED);

  /* Each case's accesses out of bounds, one program of one case each. */
  static const uint8_t push[] = {SV_PUSH, SV_HALT}, load[] = {SV_LOAD, SV_HALT},
                       store[] = {SV_STORE, SV_HALT}, add[] = {SV_ADD, SV_HALT};
  static const uint32_t none[] = {0, 0}, far[] = {0x4000, 0};
  sv_load(f, push, none, 2);
  sv_expect_oob(f, 0, 65536 - 96); /* the push's store */
  sv_load(f, load, none, 2);
  sv_expect_oob(f, 0, 65536 - 98); /* the register in bounds, its push not */
  sv_load(f, load, far, 2);
  sv_expect_oob(f, 0, SV_BASE); /* the register's load */
  sv_load(f, store, far, 2);
  sv_expect_oob(f, 0, SV_BASE); /* the register's store */
  sv_load(f, store, none, 2);
  sv_expect_oob(f, 0, 65536 - 94); /* the pop's load */
  sv_load(f, add, none, 2);
  sv_expect_oob(f, 0, 65536 - 90); /* the first load */
  sv_expect_oob(f, 0, 65536 - 94); /* the second load */
  /* an empty stack read below itself, in bounds: a = stack[-2], b = [-1] */
  uint32_t two[2] = {7, 5}, sum;
  memcpy(mem + SV_BASE + 88, two, 8);
  expect2(f, "stackvm", 0, SV_BASE, 0);
  memcpy(&sum, mem + SV_BASE + 88, 4);
  assert_int_equal(sum, 12);
}

static void stack_machine_with_safepoints(void **state) {
  stack_machine_cases(*state, 1);
}

static void stack_machine_without_safepoints(void **state) {
  stack_machine_cases(*state, 0);
}

static void fetch_loops_with_safepoints(void **state) {
  fetch_loops(*state, 1);
  stores_move_and_jump_back(*state, 1);
}

/* What the fused jumps and moves compute, checked against C. */
static uint32_t fib(uint32_t n) {
  uint32_t a = 0, b = 1;
  while (n--) {
    uint32_t t = a + b;
    a = b;
    b = t;
  }
  return a;
}

static uint32_t count3(uint32_t n) {
  uint32_t i = 0, c = 0;
  for (; i < n; i += 3)
    c ^= i;
  return i * 1000 + c;
}

static uint32_t parity(uint32_t n) {
  uint32_t f = 0, s = 0;
  while (n) {
    s += f;
    n--;
    f = (n & 1) ? 10 : 1;
  }
  return s;
}

static void expect64(fixture *f, const char *fn, lull_val a, int64_t want) {
  lull_val r;
  assert_int_equal(test_guest_call(f, fn, &a, 1, &r, 1), LULL_OK);
  assert_true(r.of.i64 == want);
}

/* The same functions in an engine with or without safepoints, which
 * compile alike: jumps back are _BACK forms (fuel charged at the loop
 * header, where the engine checks it). */
static void jumps_carry_their_moves(fixture *f) {
  /* sw8's three landing pads are CONST_JMPs too, and the steps of
   * interp and $spin LOOP_JMPs; the moves and jumps back of fetchvm and
   * store_move have forms of their own (fetch_loops), as have stackvm's
   * binary cases; fibloop and fetchsw_apart's two cases end in
   * MOV_JMP_BACKs. */
  assert_int_equal(count_op(f, LULLI_OP_MOV_JMP), 2);
  assert_int_equal(count_op(f, LULLI_OP_MOV_JMP_BACK), 3);
  assert_int_equal(count_op(f, LULLI_OP_CONST_JMP), 5);
  assert_int_equal(count_op(f, LULLI_OP_CONST_JMP_BACK), 2);
  assert_int_equal(count_op(f, LULLI_OP_LOOP_JMP), 3);
  assert_int_equal(count_op(f, LULLI_OP_I32_RSUB_I), 2); /* rsub, $neg */
  assert_int_equal(count_op(f, LULLI_OP_I64_RSUB_I), 1);

  for (uint32_t n = 0; n < 50; n += 7) {
    expect(f, "fibloop", (int32_t)n, (int32_t)fib(n));
    expect(f, "count3", (int32_t)n, (int32_t)count3(n));
    expect(f, "parity", (int32_t)n, (int32_t)parity(n));
  }
  /* A load's test jumping back: JNZ_L32_BACK. */
  assert_int_equal(count_op(f, LULLI_OP_JNZ_L32), 0);
  expect(f, "list_sum", 128, 23);
  expect2(f, "pick", 1, 42, 42);
  expect2(f, "pick", 2, 42, 77);
  expect2(f, "pick", 3, 43, 43);
  expect2(f, "pick", 4, 42, 5);
  lull_val x = {.type = LULL_I32, .of.i32 = 1};
  expect64(f, "pick64", x, 0x123456789abcdefll);
  x.of.i32 = 0;
  expect64(f, "pick64", x, -1);

  expect(f, "rsub", 3, 7);
  expect(f, "rsub", 11, -1);
  expect(f, "rsub", INT32_MIN, (int32_t)(10u - 0x80000000u));
  lull_val y = {.type = LULL_I64, .of.i64 = 1};
  expect64(f, "rsub64", y, 0xffffffffll);
  y.of.i64 = INT64_MIN;
  expect64(f, "rsub64", y, (int64_t)(0x100000000ull - 0x8000000000000000ull));
}

/* The stride loops of ctlfuse.wat in C. */
static int32_t stride(int32_t i, int32_t n, int32_t s, int sign) {
  int32_t c = 0;
  do {
    c++;
    i = (int32_t)((uint32_t)i + (uint32_t)s);
  } while (sign ? i <= n : (uint32_t)i < (uint32_t)n);
  return (int32_t)((uint32_t)c * 1000u + (uint32_t)i);
}

static void loops_step_by_a_register(void **state) {
  fixture *f = *state;
  assert_int_equal(count_op(f, LULLI_OP_LOOP_R_I32_LT_U), 1);
  assert_int_equal(count_op(f, LULLI_OP_LOOP_R_I32_LE_S), 1);
  assert_int_equal(count_op(f, LULLI_OP_LOOP_R_JNZ), 1);
  static const int32_t ns[] = {0, 1, 7, 100, 1000};
  static const int32_t ss[] = {1, 3, 7, 250};
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    for (size_t j = 0; j < sizeof ss / sizeof ss[0]; j++) {
      expect2(f, "stride_lt_u", ns[i], ss[j], stride(0, ns[i], ss[j], 0));
      expect2(f, "stride_le_s", ns[i], ss[j], stride(-100, ns[i], ss[j], 1));
    }
  /* n + k*s reaches zero after 2^32 / s steps (mod 2^32): s = -1 counts
   * n down, s = 2^31 wraps around once. */
  expect2(f, "stride_jnz", 10, -1, 10);
  expect2(f, "stride_jnz", INT32_MIN, INT32_MIN, 1);
  expect2(f, "stride_jnz", 1 << 30, 1 << 30, 3);
}

static void calls_move_their_arguments(void **state) {
  fixture *f = *state;
  /* One move to the first argument goes into cell 1 (CALL_MOV1). */
  assert_int_equal(count_op(f, LULLI_OP_CALL_MOV2) +
                       count_op(f, LULLI_OP_CALL_MOV1), 5);
  assert_true(count_op(f, LULLI_OP_CALL_MOV1) > 0);
  /* deep, rfib, stackvm */
  assert_int_equal(count_op(f, LULLI_OP_CALL_DEF), 3);
  assert_int_equal(count_op(f, LULLI_OP_CALL), 0);
  expect(f, "call0", 41, -42);
  expect2(f, "call2", 10, 4, 11 - 4 - 30);
  expect2(f, "call2", -7, INT32_MAX, (int32_t)(-6 - (int64_t)INT32_MAX + 21));
  expect(f, "call1", 21, -42);
  expect(f, "call1", INT32_MIN, 0);
  /* A sum returned is computed in slot 0 by the return itself: rfib's,
   * call1's and more. */
  assert_true(count_op(f, LULLI_OP_I32_ADD_RET) >= 2);
  expect(f, "rfib", 0, 0);
  expect(f, "rfib", 1, 1);
  expect(f, "rfib", 2, 1);
  expect(f, "rfib", 20, 6765);
  expect(f, "rfib", 30, 832040);
  /* A call that traps reports it at the call, in its function. */
  lull_val a = {.type = LULL_I32, .of.i32 = 1}, r;
  assert_int_equal(test_guest_call(f, "deep", &a, 1, &r, 1), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->t), "call stack exhausted");
  lull_frame_info bt[2];
  assert_int_equal(lull_thread_backtrace(f->t, bt, 2), 100); /* held */
  assert_int_equal(bt[0].func_index, bt[1].func_index);
  assert_int_equal(bt[0].wasm_offset, bt[1].wasm_offset);
}

/* Parked by fuel in a callee of CALL_MOV2, written to a snapshot and
 * read back: the caller's call site checks out and the run finishes. */
static void snapshot_across_a_fused_call(void **state) {
  fixture *f = *state;
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = 7},
                   {.type = LULL_I32, .of.i32 = 50}},
           r;
  lull_thread_set_fuel(f->t, 30);
  assert_int_equal(test_guest_call(f, "spin_call", a, 2, &r, 1),
                   LULL_SUSPENDED);
  uint8_t *snap;
  size_t len;
  lull_error err;
  assert_int_equal(
      lull_snapshot_write(f->t, f->inst, NULL, 0, &snap, &len, &err),
      LULL_OK);
  lull_instance *inst2;
  lull_thread *t2;
  assert_int_equal(lull_snapshot_read(f->e, f->m, NULL, 0, snap, len, &inst2,
                                      &t2, NULL, NULL, &err),
                   LULL_OK);
  lull_snapshot_free(f->e, snap, len);
  lull_thread_set_fuel(t2, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(t2, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7 * 50 + 1);
  /* The original goes on as well. */
  lull_thread_set_fuel(f->t, LULL_FUEL_UNLIMITED);
  assert_int_equal(lull_resume(f->t, NULL, 0, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 7 * 50 + 1);
}

static void jumps_test_what_was_loaded(void **state) {
  fixture *f = *state;
  assert_int_equal(count_op(f, LULLI_OP_JNZ_L32_BACK), 1);
  assert_int_equal(count_op(f, LULLI_OP_JZ_L32), 1);
  assert_int_equal(count_op(f, LULLI_OP_JZ_L8), 1);
  assert_int_equal(count_op(f, LULLI_OP_JNZ_L8), 1);
  /* The list 5 -> 7 -> 11; the loaded pointer is still written. */
  expect(f, "list_sum", 128, 23);
  expect(f, "list_sum", 136, 18);
  expect(f, "list_sum", 144, 11);
  expect(f, "strlen", 160, 5);
  expect(f, "strlen", 163, 2);
  expect(f, "strlen", 165, 0);
  expect_oob(f, "strlen", 65536);
  expect(f, "tests", 160, 20);
  expect(f, "tests", 165, 10);
  expect(f, "tests", 128, 20);
  expect(f, "tests", 144, 30);
  expect_oob(f, "tests", 65535); /* the word at 65539 */
}

static void jumps_with_safepoints(void **state) {
  jumps_carry_their_moves(*state);
}

/* Fuel runs out inside the loops, at the fused jumps back, and the
 * thread goes on from the loop header with nothing lost; without
 * safepoints neither fuel nor an interrupt parks it. */
static void fuel_at_jumps_back(fixture *f, int safepoints) {
  static const char *const fns[] = {"fibloop", "count3", "parity"};
  uint32_t (*const want[])(uint32_t) = {fib, count3, parity};
  for (int i = 0; i < 3; i++) {
    lull_val a = {.type = LULL_I32, .of.i32 = 40}, r;
    uint64_t parks = 0;
    lull_thread_set_fuel(f->t, 7);
    if (!safepoints)
      lull_thread_interrupt(f->t);
    lull_status s = test_guest_call(f, fns[i], &a, 1, &r, 1);
    while (s == LULL_SUSPENDED) {
      assert_int_equal(lull_thread_park_reason(f->t), LULL_PARK_FUEL);
      parks++;
      lull_thread_set_fuel(f->t, 7);
      s = lull_resume(f->t, NULL, 0, &r, 1);
    }
    assert_int_equal(s, LULL_OK);
    assert_true(safepoints ? parks > 3 : parks == 0);
    assert_int_equal((uint32_t)r.of.i32, want[i](40));
  }
  lull_thread_set_fuel(f->t, LULL_FUEL_UNLIMITED);
}

static void jumps_back_charge_fuel(void **state) {
  fuel_at_jumps_back(*state, 1);
}

static int setup_plain(void **state) {
  static fixture f;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.safepoints = 0;
  test_guest_open_cfg(&f, "ctlfuse", &cfg);
  *state = &f;
  return 0;
}

static void jumps_without_safepoints(void **state) {
  jumps_carry_their_moves(*state);
  fuel_at_jumps_back(*state, 0);
}

static void fetch_loops_without_safepoints(void **state) {
  fetch_loops(*state, 0);
  stores_move_and_jump_back(*state, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(br_table_loads_its_index),
      cmocka_unit_test(br_table_takes_the_fetch),
      cmocka_unit_test(fetch_loops_with_safepoints),
      cmocka_unit_test(stack_machine_with_safepoints),
      cmocka_unit_test(jumps_with_safepoints),
      cmocka_unit_test(loops_step_by_a_register),
      cmocka_unit_test(calls_move_their_arguments),
      cmocka_unit_test(snapshot_across_a_fused_call),
      cmocka_unit_test(jumps_test_what_was_loaded),
      cmocka_unit_test(jumps_back_charge_fuel),
      cmocka_unit_test_setup_teardown(jumps_without_safepoints, setup_plain,
                                      teardown),
      cmocka_unit_test_setup_teardown(fetch_loops_without_safepoints,
                                      setup_plain, teardown),
      cmocka_unit_test_setup_teardown(stack_machine_without_safepoints,
                                      setup_plain, teardown),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
