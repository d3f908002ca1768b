/*
 * stubs.c -- TEMPORARY: API entry points whose implementation has not
 * landed yet, so that clients (spec runner, benchmarks) link while the
 * interpreter is being written. Each returns an error saying so. This file
 * shrinks as the real functions land and must be empty before any issue
 * that needs them is called done.
 */
#include "interp_internal.h"

#define NOT_YET(err) \
  lulld_error((err), LULL_BADSTATE, LULL_NO_OFFSET, "%s: not implemented yet", __func__)

lull_status lull_module_new(lull_engine *e, const uint8_t *bytes, size_t len,
                            lull_module **out, lull_error *err) {
  (void)e; (void)bytes; (void)len; *out = NULL; return NOT_YET(err);
}
void lull_module_free(lull_module *m) { (void)m; }
size_t lull_module_import_count(const lull_module *m) { (void)m; return 0; }
lull_status lull_module_import(const lull_module *m, size_t i, const char **mn,
                               const char **n, lull_externtype *t) {
  (void)m; (void)i; (void)mn; (void)n; (void)t; return LULL_BADSTATE;
}
size_t lull_module_export_count(const lull_module *m) { (void)m; return 0; }
lull_status lull_module_export(const lull_module *m, size_t i, const char **n,
                               lull_externtype *t) {
  (void)m; (void)i; (void)n; (void)t; return LULL_BADSTATE;
}
lull_func *lull_func_new(lull_engine *e, const lull_functype *type, lull_host_fn fn,
                         void *env, void (*free_env)(void *)) {
  (void)e; (void)type; (void)fn; (void)env; (void)free_env; return NULL;
}
void lull_func_free(lull_func *f) { (void)f; }
lull_functype lull_func_type(const lull_func *f) {
  (void)f; lull_functype t = {0, 0, NULL, NULL}; return t;
}
lull_memory *lull_memory_new(lull_engine *e, lull_limits l) { (void)e; (void)l; return NULL; }
void lull_memory_free(lull_memory *m) { (void)m; }
uint8_t *lull_memory_data(lull_memory *m) { (void)m; return NULL; }
size_t lull_memory_size(const lull_memory *m) { (void)m; return 0; }
int64_t lull_memory_grow(lull_memory *m, uint32_t d) { (void)m; (void)d; return -1; }
lull_table *lull_table_new(lull_engine *e, lull_valtype el, lull_limits l, const lull_val *i) {
  (void)e; (void)el; (void)l; (void)i; return NULL;
}
void lull_table_free(lull_table *t) { (void)t; }
uint32_t lull_table_size(const lull_table *t) { (void)t; return 0; }
lull_status lull_table_get(const lull_table *t, uint32_t i, lull_val *o) {
  (void)t; (void)i; (void)o; return LULL_BADSTATE;
}
lull_status lull_table_set(lull_table *t, uint32_t i, const lull_val *v) {
  (void)t; (void)i; (void)v; return LULL_BADSTATE;
}
lull_global *lull_global_new(lull_engine *e, const lull_val *v, int m) {
  (void)e; (void)v; (void)m; return NULL;
}
void lull_global_free(lull_global *g) { (void)g; }
void lull_global_get(const lull_global *g, lull_val *o) { (void)g; (void)o; }
lull_status lull_global_set(lull_global *g, const lull_val *v) {
  (void)g; (void)v; return LULL_BADSTATE;
}
lull_status lull_instantiate(lull_engine *e, lull_module *m, const lull_extern *im,
                             size_t n, lull_instance **out, lull_error *err) {
  (void)e; (void)m; (void)im; (void)n; *out = NULL; return NOT_YET(err);
}
void lull_instance_free(lull_instance *i) { (void)i; }
lull_status lull_instance_export(lull_instance *i, const char *n, lull_extern *o) {
  (void)i; (void)n; (void)o; return LULL_NOTFOUND;
}
lull_func *lull_instance_func(lull_instance *i, const char *n) { (void)i; (void)n; return NULL; }
lull_memory *lull_instance_memory(lull_instance *i) { (void)i; return NULL; }
lull_linker *lull_linker_new(lull_engine *e) { (void)e; return NULL; }
void lull_linker_free(lull_linker *l) { (void)l; }
lull_status lull_linker_define(lull_linker *l, const char *m, const char *n,
                               const lull_extern *x) {
  (void)l; (void)m; (void)n; (void)x; return LULL_BADSTATE;
}
lull_status lull_linker_define_instance(lull_linker *l, const char *m, lull_instance *i) {
  (void)l; (void)m; (void)i; return LULL_BADSTATE;
}
lull_status lull_linker_instantiate(lull_linker *l, lull_module *m, lull_instance **out,
                                    lull_error *err) {
  (void)l; (void)m; *out = NULL; return NOT_YET(err);
}
lull_thread *lull_thread_new(lull_engine *e) { (void)e; return NULL; }
void lull_thread_free(lull_thread *t) { (void)t; }
lull_status lull_call(lull_thread *t, lull_func *f, const lull_val *a, size_t na,
                      lull_val *r, size_t nr) {
  (void)t; (void)f; (void)a; (void)na; (void)r; (void)nr; return LULL_BADSTATE;
}
lull_status lull_resume(lull_thread *t, const lull_val *h, size_t nh, lull_val *r, size_t nr) {
  (void)t; (void)h; (void)nh; (void)r; (void)nr; return LULL_BADSTATE;
}
lull_thread_state lull_thread_state_of(const lull_thread *t) { (void)t; return LULL_THREAD_IDLE; }
lull_park_reason lull_thread_park_reason(const lull_thread *t) { (void)t; return LULL_PARK_NONE; }
uintptr_t lull_thread_park_tag(const lull_thread *t) { (void)t; return 0; }
const char *lull_thread_trap_message(const lull_thread *t) { (void)t; return "not implemented yet"; }
size_t lull_thread_backtrace(const lull_thread *t, lull_frame_info *o, size_t m) {
  (void)t; (void)o; (void)m; return 0;
}
void lull_thread_set_fuel(lull_thread *t, uint64_t f) { (void)t; (void)f; }
uint64_t lull_thread_fuel(const lull_thread *t) { (void)t; return LULL_FUEL_UNLIMITED; }
void lull_thread_interrupt(lull_thread *t) { (void)t; }
lull_thread *lull_hostcall_thread(lull_hostcall *hc) { (void)hc; return NULL; }
lull_instance *lull_hostcall_instance(lull_hostcall *hc) { (void)hc; return NULL; }
lull_memory *lull_hostcall_memory(lull_hostcall *hc) { (void)hc; return NULL; }
lull_hostret lull_host_trap(lull_hostcall *hc, const char *m) { (void)hc; (void)m; return LULL_HOST_TRAP; }
lull_hostret lull_host_suspend(lull_hostcall *hc, uintptr_t t) { (void)hc; (void)t; return LULL_HOST_TRAP; }
lull_cont *lull_cont_register(lull_engine *e, const char *n, lull_cont_fn f, void *env) {
  (void)e; (void)n; (void)f; (void)env; return NULL;
}
lull_hostret lull_host_call(lull_hostcall *hc, lull_func *f, const lull_val *a, size_t n,
                            const lull_cont *k, const void *s, size_t sl) {
  (void)hc; (void)f; (void)a; (void)n; (void)k; (void)s; (void)sl; return LULL_HOST_TRAP;
}
