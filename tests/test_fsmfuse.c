/*
 * test_fsmfuse.c -- a state machine's loop over bytes (interp/ops.h:
 * L8_BR_TABLE_MOV, the byte's class and the switch on the state in one;
 * the _SW forms of the loop's closing branch, which run it; the next
 * state set by constants, and by a case's jump to the switch; a copy
 * loop's closing test): the lexers of fsmfuse.wat give what the same
 * lexer gives in C, trap at the access that is out of bounds, and park
 * for fuel and go on with nothing lost.
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

typedef struct fixture {
  test_guest g;
  uint8_t *mem;
} fixture;

enum { TEXT = 1024, FAR = 65400, MEMSIZE = 65536 };

/* The classes of fsmfuse.wat's lexers: space 0, letter 1, digit 2, else
 * 3; at 0 and, for bytes below 136, at FAR. */
static uint8_t class_of(uint32_t b) {
  if (b == ' ')
    return 0;
  if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
    return 1;
  return b >= '0' && b <= '9' ? 2 : 3;
}

/* Words, numbers, spaces and other bytes (none from 136 on) from TEXT to
 * the end of memory. */
static void fill(uint8_t *mem) {
  static const char *const parts[] = {"int ", "x1", " = ", "42", ";\n",
                                      "while", "(", "n0x7", "  ", "9z"};
  for (uint32_t b = 0; b < 256; b++)
    mem[b] = class_of(b);
  for (uint32_t b = 0; FAR + b < MEMSIZE; b++)
    mem[FAR + b] = class_of(b);
  uint32_t at = TEXT, seed = 12345;
  while (at < FAR) {
    seed = seed * 1103515245u + 12345u;
    const char *s = parts[(seed >> 16) % 10];
    while (*s && at < FAR)
      mem[at++] = (uint8_t)*s++;
  }
}

static int open_with(void **state, int safepoints) {
  static fixture f[2];
  fixture *x = &f[safepoints];
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.safepoints = safepoints;
  test_guest_open_cfg(&x->g, "fsmfuse", &cfg);
  x->mem = lull_memory_data(lull_instance_memory(x->g.inst));
  fill(x->mem);
  *state = x;
  return 0;
}

static int setup(void **state) { return open_with(state, 1); }
static int setup_plain(void **state) { return open_with(state, 0); }

static int teardown(void **state) {
  fixture *f = *state;
  lull_engine_free(f->g.e);
  return 0;
}

/* The lexers in C: bytes p to n of the text; `rsub` hashes a number's
 * length + 1000 (as lex_rsub does), else + 0x200. */
static uint32_t lex(const uint8_t *mem, uint32_t p, uint32_t n, int rsub) {
  uint32_t state = 0, start = 0, h = 7;
  for (uint32_t i = p; i < n; i++) {
    uint32_t k = mem[mem[TEXT + i]];
    switch (state) {
    case 0:
      if (k == 1 || k == 2) {
        state = k;
        start = i;
      } else {
        h = h * 31 + k;
      }
      break;
    case 1:
      if (k != 1 && k != 2) {
        h = h * 31 + (i - start + 0x100);
        state = 0;
      }
      break;
    default:
      if (k != 2) {
        h = h * 31 + (i - start + (rsub ? 1000 : 0x200));
        state = 0;
      }
      break;
    }
  }
  return h * 31 + state;
}

static lull_status call(fixture *f, const char *fn, uint32_t p, uint32_t n,
                        uint32_t *out) {
  lull_val a[2] = {{.type = LULL_I32, .of.i32 = (int32_t)p},
                   {.type = LULL_I32, .of.i32 = (int32_t)n}},
           r;
  lull_status s = test_guest_call(&f->g, fn, a, 2, &r, 1);
  *out = (uint32_t)r.of.i32;
  return s;
}

static const char *const lexers[] = {"lex_lt", "lex_ne", "lex_rsub",
                                     "lex_far"};

/* The same code in an engine with safepoints or without; without them,
 * fuel spent and an interrupt pending park nothing. */
static void lexers_give_what_c_gives(fixture *f, int safepoints) {
  const lull_engine *e = f->g.e;
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_L8_BR_TABLE_MOV), 5);
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_LOOP_I32_LT_U_SW), 3);
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_LOOP_I32_NE_SW), 1);
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_LOOP_RSUB_I32_LT_U_SW),
                   1);
  if (!safepoints) {
    lull_thread_set_fuel(f->g.t, 1);
    lull_thread_interrupt(f->g.t);
  }
  static const uint32_t ranges[][2] = {
      {0, 1}, {0, 2}, {3, 40}, {5, 6}, {0, 1000}, {17, 5000}, {0, FAR - TEXT}};
  for (unsigned i = 0; i < 4; i++)
    for (unsigned r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
      uint32_t got;
      assert_int_equal(call(f, lexers[i], ranges[r][0], ranges[r][1], &got),
                       LULL_OK);
      assert_int_equal(got, lex(f->mem, ranges[r][0], ranges[r][1], i == 2));
    }
  for (unsigned r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
    uint32_t got, p = ranges[r][0], n = ranges[r][1];
    assert_int_equal(call(f, "lex_mix", p, n, &got), LULL_OK);
    assert_int_equal(got, (lex(f->mem, p, n, 0) * 31 + lex(f->mem, p, n, 1)) *
                                  31 +
                              lex(f->mem, p, n, 0));
  }
  lull_thread_set_fuel(f->g.t, LULL_FUEL_UNLIMITED);
}

static void lexers_with_safepoints(void **state) {
  lexers_give_what_c_gives(*state, 1);
}

static void lexers_without_safepoints(void **state) {
  lexers_give_what_c_gives(*state, 0);
}

/* The Wasm offset of the trap fn(p, n) makes: out of bounds. */
static uint32_t trap_offset(fixture *f, const char *fn, uint32_t p,
                            uint32_t n) {
  uint32_t got;
  assert_int_equal(call(f, fn, p, n, &got), LULL_TRAP);
  assert_string_equal(lull_thread_trap_message(f->g.t),
                      "out of bounds memory access");
  lull_frame_info bt[1];
  assert_int_equal(lull_thread_backtrace(f->g.t, bt, 1), 1);
  return bt[0].wasm_offset;
}

/* past in C: bytes p to n; a letter moves state 0 to 9, which the
 * switch's default takes back to 0. */
static uint32_t past(const uint8_t *mem, uint32_t p, uint32_t n) {
  uint32_t state = 0, h = 0;
  for (uint32_t i = p; i < n; i++) {
    uint32_t k = mem[mem[TEXT + i]];
    if (state == 0) {
      if (k == 1)
        state = 9;
      else
        h++;
    } else {
      h = h * 31 + i;
      state = 0;
    }
  }
  return h + state;
}

/* A case's CONST_JMP to the closing branch sets the state the switch then
 * reads, so it jumps to the switch's case itself: the same as the switch
 * looking it up, also for a state past the table, and parked for fuel on
 * the way. */
static void constant_states_switch_directly(void **state) {
  fixture *f = *state;
  const lull_engine *e = f->g.e;
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_CONST_JMP_LT_U_SW), 3);
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_CONST_JMP_NE_SW), 1);
  assert_int_equal(test_count_op(e, f->g.m, LULLI_OP_CONST_JMP_RSUB_LT_U_SW),
                   1);
  static const uint32_t ranges[][2] = {{0, 1}, {3, 40}, {0, FAR - TEXT}};
  for (unsigned r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
    uint32_t got;
    assert_int_equal(call(f, "past", ranges[r][0], ranges[r][1], &got),
                     LULL_OK);
    assert_int_equal(got, past(f->mem, ranges[r][0], ranges[r][1]));
  }
  for (int64_t fuel = 3; fuel < 200; fuel += 41) {
    lull_val a[2] = {{.type = LULL_I32, .of.i32 = 3},
                     {.type = LULL_I32, .of.i32 = 500}},
             r;
    uint64_t parks = 0;
    lull_thread_set_fuel(f->g.t, fuel);
    lull_status s = test_guest_call(&f->g, "past", a, 2, &r, 1);
    while (s == LULL_SUSPENDED) {
      parks++;
      lull_thread_set_fuel(f->g.t, fuel);
      s = lull_resume(f->g.t, NULL, 0, &r, 1);
    }
    assert_int_equal(s, LULL_OK);
    assert_true(parks > 0);
    assert_int_equal((uint32_t)r.of.i32, past(f->mem, 3, 500));
  }
  lull_thread_set_fuel(f->g.t, LULL_FUEL_UNLIMITED);
  uint32_t got;
  assert_int_equal(call(f, "past", 10, MEMSIZE - TEXT + 1, &got), LULL_TRAP);
}

/* The text's byte past the end of memory traps at the first load; a
 * class past it (a byte from 136 on, in lex_far's table) at the second,
 * the next instruction of the Wasm code (four bytes on). Either way the
 * loop got there through its closing branch. */
static void loads_trap_at_their_own_sites(void **state) {
  fixture *f = *state;
  for (unsigned i = 0; i < 3; i++)
    assert_true(trap_offset(f, lexers[i], 10, MEMSIZE - TEXT + 1) > 0);
  uint32_t first = trap_offset(f, "lex_far", 10, MEMSIZE - TEXT + 1);
  f->mem[TEXT + 30] = 200;
  uint32_t second = trap_offset(f, "lex_far", 0, 40);
  f->mem[TEXT + 30] = 'a';
  assert_int_equal(second, first + 4);
}

/* Fuel runs out at the closing branches; the thread goes on from the
 * loop header and the lexers end as without a park. */
static void closing_branches_charge_fuel(void **state) {
  fixture *f = *state;
  for (unsigned i = 0; i < 4; i++)
    for (int64_t fuel = 5; fuel < 400; fuel += 97) {
      lull_val a[2] = {{.type = LULL_I32, .of.i32 = 3},
                       {.type = LULL_I32, .of.i32 = 300}},
               r;
      uint64_t parks = 0;
      lull_thread_set_fuel(f->g.t, fuel);
      lull_status s = test_guest_call(&f->g, lexers[i], a, 2, &r, 1);
      while (s == LULL_SUSPENDED) {
        assert_int_equal(lull_thread_park_reason(f->g.t), LULL_PARK_FUEL);
        parks++;
        lull_thread_set_fuel(f->g.t, fuel);
        s = lull_resume(f->g.t, NULL, 0, &r, 1);
      }
      assert_int_equal(s, LULL_OK);
      assert_true(parks > 0);
      assert_int_equal((uint32_t)r.of.i32, lex(f->mem, 3, 300, i == 2));
    }
  lull_thread_set_fuel(f->g.t, LULL_FUEL_UNLIMITED);
}

static uint32_t call1(fixture *f, const char *fn, uint32_t x) {
  lull_val a = {.type = LULL_I32, .of.i32 = (int32_t)x}, r;
  assert_int_equal(test_guest_call(&f->g, fn, &a, 1, &r, 1), LULL_OK);
  return (uint32_t)r.of.i32;
}

/* The next state set by constants: one of two by a SELECT, two in a row
 * (the second write to the same local last). */
static void states_set_by_constants(void **state) {
  fixture *f = *state;
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_SELECT_K2) >= 1);
  assert_true(test_count_op(f->g.e, f->g.m, LULLI_OP_CONST32_2) >= 2);
  assert_int_equal(call1(f, "star", 6), 11);
  assert_int_equal(call1(f, "star", 5), 10);
  assert_int_equal(call1(f, "star", 0x106), 10);
  assert_int_equal(call1(f, "two", 0), 57);
  assert_int_equal(call1(f, "two", 1), 37);
}

/* fsmfuse.wat's copy in C: the len it returns, the bytes it copies to
 * `out`. */
static uint32_t copy(const uint8_t *mem, uint32_t src, uint32_t len,
                     uint8_t *out) {
  uint8_t c = mem[src];
  if (!c)
    return len;
  for (;;) {
    out[len] = c;
    uint32_t next = len + 1;
    c = mem[++src];
    if (!c)
      return len;
    int ok = len < 300;
    len = next;
    if (!ok)
      return len;
  }
}

/* A copy loop ending at a zero byte or at its bound, with parks for fuel
 * at its closing branch, or none without safepoints. */
static void copy_loop(fixture *f, int safepoints) {
  assert_int_equal(test_count_op(f->g.e, f->g.m, LULLI_OP_LOOP_MOV_I32_LT_U_I),
                   1);
  static const uint32_t from[][3] = {
      {TEXT, 0, 0}, {TEXT + 7, 5, 0}, {TEXT + 3, 0, 40}, {TEXT, 299, 0},
      {TEXT, 300, 0}, {TEXT, 301, 0}, {TEXT + 9, 0, 1}};
  static uint8_t want[400];
  for (unsigned i = 0; i < sizeof from / sizeof from[0]; i++) {
    uint32_t src = from[i][0], len = from[i][1], zero = from[i][2];
    if (zero)
      f->mem[src + zero] = 0;
    memset(f->mem + 40000, 0, sizeof want);
    memset(want, 0, sizeof want);
    uint32_t n = copy(f->mem, src, len, want);
    lull_val a[2] = {{.type = LULL_I32, .of.i32 = (int32_t)src},
                     {.type = LULL_I32, .of.i32 = (int32_t)len}},
             r;
    lull_thread_set_fuel(f->g.t, 50);
    lull_status s = test_guest_call(&f->g, "copy", a, 2, &r, 1);
    while (s == LULL_SUSPENDED) {
      assert_true(safepoints);
      assert_int_equal(lull_thread_park_reason(f->g.t), LULL_PARK_FUEL);
      lull_thread_set_fuel(f->g.t, 50);
      s = lull_resume(f->g.t, NULL, 0, &r, 1);
    }
    assert_int_equal(s, LULL_OK);
    assert_int_equal((uint32_t)r.of.i32, n);
    assert_memory_equal(f->mem + 40000, want, sizeof want);
    if (zero)
      fill(f->mem);
  }
  lull_thread_set_fuel(f->g.t, LULL_FUEL_UNLIMITED);
}

static void copy_loop_with_safepoints(void **state) { copy_loop(*state, 1); }
static void copy_loop_without_safepoints(void **state) {
  copy_loop(*state, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(lexers_with_safepoints, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(loads_trap_at_their_own_sites, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(closing_branches_charge_fuel, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(lexers_without_safepoints, setup_plain,
                                      teardown),
      cmocka_unit_test_setup_teardown(states_set_by_constants, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(constant_states_switch_directly, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(copy_loop_with_safepoints, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(copy_loop_without_safepoints,
                                      setup_plain, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
