/*
 * test_memory.c -- linear memories grow without copying: the base address
 * stays while growth fits the memory's reservation, the bytes stay when
 * it does not, new pages read zero, and 64-bit memories grow past 4 GiB
 * without touching what they add.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "test_util.h"

#define PAGE 65536u

/* A memory with a maximum is reserved whole: 1,023 grows of one page
 * never move it (a copying grow maps a new block each time), and what
 * was written stays. */
static void growth_keeps_the_base_address(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_limits l = {1, 1024, 1, 0};
  lull_memory *m = lull_memory_new(e, l);
  assert_non_null(m);
  uint8_t *base = lull_memory_data(m);
  base[0] = 0xA5;
  for (uint64_t p = 1; p < 1024; p++) {
    assert_int_equal(lull_memory_grow(m, 1), (int64_t)p);
    assert_ptr_equal(lull_memory_data(m), base);
    assert_int_equal(base[p * PAGE], 0);
    base[p * PAGE + PAGE - 1] = (uint8_t)p;
  }
  assert_int_equal(lull_memory_pages(m), 1024);
  assert_int_equal(lull_memory_grow(m, 1), -1);
  assert_int_equal(base[0], 0xA5);
  assert_int_equal(base[1023 * PAGE + PAGE - 1], (uint8_t)1023);
  lull_engine_free(e);
}

/* With a reservation of two pages, growth past it remaps: the bytes
 * written before stay and the new pages are zero. */
static void growth_past_the_reservation_keeps_the_bytes(void **state) {
  (void)state;
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.memory_reserve = 2 * PAGE;
  lull_engine *e = lull_engine_new(&cfg);
  lull_limits l = {1, 0, 0, 0};
  lull_memory *m = lull_memory_new(e, l);
  assert_non_null(m);
  for (uint64_t p = 0; p < 300; p++) {
    uint8_t *d = lull_memory_data(m);
    for (uint64_t q = 0; q < p; q++)
      assert_int_equal(d[q * PAGE + 7], (uint8_t)(q + 1));
    assert_int_equal(d[p * PAGE + 7], 0);
    d[p * PAGE + 7] = (uint8_t)(p + 1);
    assert_int_equal(lull_memory_grow(m, 1), (int64_t)p + 1);
  }
  lull_engine_free(e);
}

/* memory.grow in a guest: 2,000 grows of one page (a malloc loop) leave
 * the memory where it was and every page written. */
static void guest_grows_in_place(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *mod = test_load(e, "grow");
  lull_instance *inst;
  lull_error err;
  assert_int_equal(lull_instantiate(e, mod, NULL, 0, &inst, &err), LULL_OK);
  lull_memory *m = lull_instance_memory(inst);
  assert_ptr_equal(lull_instance_memory_at(inst, 0), m);
  assert_null(lull_instance_memory_at(inst, 1));
  assert_int_equal(lull_instance_memory_count(inst), 1);
  uint8_t *base = lull_memory_data(m);
  lull_thread *t = lull_thread_new(e);
  lull_val n = {.type = LULL_I32, .of.i32 = 2000}, r;
  assert_int_equal(lull_call(t, lull_instance_func(inst, "grow"), &n, 1, &r, 1),
                   LULL_OK);
  assert_int_equal(r.of.i32, 2001);
  assert_ptr_equal(lull_memory_data(m), base);
  for (uint32_t p = 1; p <= 2000; p++)
    assert_int_equal(base[(uint64_t)p * PAGE], (uint8_t)p);
  lull_engine_free(e);
}

/* A 64-bit memory grows past 4 GiB (address space only: nothing touches
 * the pages added), within the engine's cap for 64-bit memories. */
static void memory64_grows_past_4_gib(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_limits l = {1, 0, 0, 1};
  lull_memory *m = lull_memory_new(e, l);
  assert_non_null(m);
  assert_true(lull_memory_is64(m));
  assert_int_equal(lull_memory_grow(m, 70000), 1);
  assert_int_equal(lull_memory_pages(m), 70001);
  uint8_t *d = lull_memory_data(m);
  d[70000ull * PAGE + 5] = 9;
  assert_int_equal(d[70000ull * PAGE + 5], 9);
  assert_int_equal(lull_memory_grow(m, (uint64_t)1 << 40), -1);
  lull_limits m32 = {1, 0, 0, 0};
  lull_memory *n = lull_memory_new(e, m32);
  assert_false(lull_memory_is64(n));
  assert_int_equal(lull_memory_grow(n, 65536), -1);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(growth_keeps_the_base_address),
      cmocka_unit_test(growth_past_the_reservation_keeps_the_bytes),
      cmocka_unit_test(guest_grows_in_place),
      cmocka_unit_test(memory64_grows_past_4_gib),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
