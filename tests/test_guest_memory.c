/*
 * test_guest_memory.c -- what a host sees of guest memory: bounds-checked
 * pointers, reads and writes of bytes and strings (edges, wrap-around,
 * misuse), from a host function through lull_hostcall_memory_at, and the
 * embedder's say over every growth (lull_config.grow_limiter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lull.h"
#include "lull_text.h"

#define PAGE 65536u

static void pointers_are_bounds_checked(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_memory *m = lull_memory_new(e, (lull_limits){1, 2, 1, 0});
  uint8_t *base = lull_memory_data(m);
  assert_ptr_equal(lull_memory_ptr(m, 0, PAGE), base);
  assert_ptr_equal(lull_memory_ptr(m, PAGE - 4, 4), base + PAGE - 4);
  assert_ptr_equal(lull_memory_ptr(m, PAGE, 0), base + PAGE);
  assert_null(lull_memory_ptr(m, PAGE - 4, 5));
  assert_null(lull_memory_ptr(m, PAGE + 1, 0));
  assert_null(lull_memory_ptr(m, 1, UINT64_MAX));
  assert_null(lull_memory_ptr(m, UINT64_MAX, 2));
  assert_null(lull_memory_ptr(NULL, 0, 0));
  /* After growth the new page is in bounds. */
  assert_int_equal(lull_memory_grow(m, 1), 1);
  assert_non_null(lull_memory_ptr(m, PAGE, PAGE));
  assert_null(lull_memory_ptr(m, PAGE, PAGE + 1));
  lull_memory_free(m);
  lull_engine_free(e);
}

static void bytes_and_strings(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_memory *m = lull_memory_new(e, (lull_limits){1, 1, 1, 0});
  char buf[16];
  size_t len = 99;
  assert_int_equal(lull_memory_write(m, 100, "abc", 3), LULL_OK);
  assert_int_equal(lull_memory_read(m, 100, buf, 3), LULL_OK);
  assert_memory_equal(buf, "abc", 3);
  /* Out of bounds by one byte: nothing copied either way. */
  memset(buf, 'x', sizeof buf);
  assert_int_equal(lull_memory_write(m, PAGE - 2, "abc", 3), LULL_BADARG);
  assert_int_equal(lull_memory_data(m)[PAGE - 2], 0);
  assert_int_equal(lull_memory_read(m, PAGE - 2, buf, 3), LULL_BADARG);
  assert_int_equal(buf[0], 'x');
  assert_int_equal(lull_memory_read(m, UINT64_MAX - 1, buf, 3), LULL_BADARG);
  assert_int_equal(lull_memory_read(m, 0, NULL, 3), LULL_BADARG);
  assert_int_equal(lull_memory_read(m, PAGE, NULL, 0), LULL_OK);
  /* Strings. */
  assert_int_equal(lull_memory_write_str(m, 200, "hello"), LULL_OK);
  assert_int_equal(lull_memory_read_str(m, 200, buf, sizeof buf, &len),
                   LULL_OK);
  assert_string_equal(buf, "hello");
  assert_int_equal(len, 5);
  /* Too long for the buffer: as much as fits, terminated. */
  assert_int_equal(lull_memory_read_str(m, 200, buf, 4, &len), LULL_LIMIT);
  assert_string_equal(buf, "hel");
  assert_int_equal(len, 5);
  /* Exactly filling the buffer with its NUL is fine. */
  assert_int_equal(lull_memory_read_str(m, 200, buf, 6, NULL), LULL_OK);
  /* No NUL before the end of memory. */
  memset(lull_memory_data(m) + PAGE - 3, 'z', 3);
  assert_int_equal(lull_memory_read_str(m, PAGE - 3, buf, sizeof buf, &len),
                   LULL_BADARG);
  assert_string_equal(buf, "");
  assert_int_equal(lull_memory_read_str(m, PAGE + 1, buf, sizeof buf, NULL),
                   LULL_BADARG);
  assert_int_equal(lull_memory_read_str(m, 0, buf, 0, NULL), LULL_BADARG);
  /* A string with its NUL one byte past the end is refused whole. */
  assert_int_equal(lull_memory_write_str(m, PAGE - 5, "hello"), LULL_BADARG);
  assert_int_equal(lull_memory_data(m)[PAGE - 5], 0);
  assert_int_equal(lull_memory_write_str(m, PAGE - 6, "hello"), LULL_OK);
  assert_int_equal(lull_memory_write_str(m, 0, NULL), LULL_BADARG);
  assert_int_equal(lull_memory_write(NULL, 0, "a", 1), LULL_BADARG);
  lull_memory_free(m);
  lull_engine_free(e);
}

/* A host function reads a string the guest passes by address from its
 * second memory and writes its length back in place. */
static const char two_memories[] =
    "(module\n"
    "  (import \"h\" \"strlen\" (func $strlen (param i32) (result i32)))\n"
    "  (memory $a 1)\n"
    "  (memory $b (export \"b\") 1)\n"
    "  (data (memory $b) (i32.const 8) \"guest text\\00\")\n"
    "  (func (export \"run\") (param i32) (result i32)\n"
    "    (call $strlen (local.get 0))))\n";

static lull_hostret host_strlen(lull_hostcall *hc, const lull_val *args,
                                lull_val *results, void *env) {
  (void)env;
  lull_memory *m = lull_hostcall_memory_at(hc, 1);
  assert_non_null(m);
  assert_null(lull_hostcall_memory_at(hc, 2));
  char buf[64];
  size_t len;
  if (lull_memory_read_str(m, (uint32_t)args[0].of.i32, buf, sizeof buf,
                           &len) != LULL_OK)
    return lull_host_trap_code(hc, LULL_TRAP_MEMORY_OUT_OF_BOUNDS,
                               "strlen: no string there");
  results[0].of.i32 = (int32_t)len;
  return LULL_HOST_RETURN;
}

static void host_function_reads_guest_memory(void **state) {
  (void)state;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *mod;
  lull_error err;
  assert_int_equal(lull_module_new_text(e, two_memories,
                                        sizeof two_memories - 1, &mod, &err),
                   LULL_OK);
  static const lull_valtype i32[1] = {LULL_I32};
  lull_functype ft = {1, 1, i32, i32};
  lull_extern imp = {LULL_EXTERN_FUNC,
                     {.func = lull_func_new(e, &ft, host_strlen, NULL, NULL)}};
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, mod, &imp, 1, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_val a = {.type = LULL_I32, .of.i32 = 8}, r;
  lull_func *run = lull_instance_func(inst, "run");
  assert_int_equal(lull_call(t, run, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 10);
  a.of.i32 = 70000;
  assert_int_equal(lull_call(t, run, &a, 1, &r, 1), LULL_TRAP);
  assert_int_equal(lull_thread_trap_code(t), LULL_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_string_equal(lull_thread_trap_message(t), "strlen: no string there");
  lull_engine_free(e);
}

/* The limiter lets a memory have at most `allow` pages and counts what
 * it was asked. */
typedef struct limiter {
  uint64_t allow;
  int asked;
  uint64_t last_cur, last_new;
} limiter;

static int limit_pages(void *ud, lull_memory *m, uint64_t cur,
                       uint64_t new_pages) {
  limiter *l = ud;
  assert_non_null(m);
  assert_int_equal(lull_memory_pages(m), cur);
  l->asked++;
  l->last_cur = cur;
  l->last_new = new_pages;
  return new_pages <= l->allow;
}

static const char grower[] =
    "(module (memory (export \"m\") 1 100)\n"
    "  (func (export \"grow\") (param i32) (result i32)\n"
    "    (memory.grow (local.get 0))))\n";

static void the_embedder_decides_each_growth(void **state) {
  (void)state;
  limiter l = {3, 0, 0, 0};
  lull_config cfg;
  lull_config_init(&cfg);
  cfg.grow_limiter = limit_pages;
  cfg.grow_ud = &l;
  lull_engine *e = lull_engine_new(&cfg);
  lull_module *mod;
  lull_error err;
  assert_int_equal(
      lull_module_new_text(e, grower, sizeof grower - 1, &mod, &err), LULL_OK);
  lull_instance *inst;
  assert_int_equal(lull_instantiate(e, mod, NULL, 0, &inst, &err), LULL_OK);
  lull_thread *t = lull_thread_new(e);
  lull_func *grow = lull_instance_func(inst, "grow");
  lull_val a = {.type = LULL_I32, .of.i32 = 2}, r;
  assert_int_equal(lull_call(t, grow, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, 1);
  assert_int_equal(l.asked, 1);
  assert_int_equal(l.last_cur, 1);
  assert_int_equal(l.last_new, 3);
  /* Refused: memory.grow says -1, nothing traps, the size stays. */
  a.of.i32 = 1;
  assert_int_equal(lull_call(t, grow, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, -1);
  assert_int_equal(l.asked, 2);
  lull_memory *m = lull_instance_memory(inst);
  assert_int_equal(lull_memory_pages(m), 3);
  /* The API's growth asks too. */
  assert_int_equal(lull_memory_grow(m, 1), -1);
  assert_int_equal(l.asked, 3);
  /* Past the maximum it is not even asked; a zero growth never is. */
  a.of.i32 = 1000;
  assert_int_equal(lull_call(t, grow, &a, 1, &r, 1), LULL_OK);
  assert_int_equal(r.of.i32, -1);
  assert_int_equal(lull_memory_grow(m, 0), 3);
  assert_int_equal(l.asked, 3);
  l.allow = 10;
  assert_int_equal(lull_memory_grow(m, 7), 3);
  assert_int_equal(lull_memory_pages(m), 10);
  lull_engine_free(e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pointers_are_bounds_checked),
      cmocka_unit_test(bytes_and_strings),
      cmocka_unit_test(host_function_reads_guest_memory),
      cmocka_unit_test(the_embedder_decides_each_growth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
