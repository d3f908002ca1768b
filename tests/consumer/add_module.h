/*
 * add_module.h -- the module both consumers run, as bytes, so they need no
 * file and no text format:
 *   (module (func (export "add") (param i32 i32) (result i32)
 *     local.get 0 local.get 1 i32.add))
 */
static const unsigned char add_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             /* header */
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,       /* type */
    0x03, 0x02, 0x01, 0x00,                                     /* func */
    0x07, 0x07, 0x01, 0x03, 'a',  'd',  'd',  0x00, 0x00,       /* export */
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, /* code */
    0x0b};

/* Runs add(a, b) on a fresh engine; prints the sum or what failed. Returns
 * the process's exit status. */
static int run_add(int32_t a, int32_t b) {
  int rc = 1;
  lull_engine *e = lull_engine_new(NULL);
  lull_module *m = NULL;
  lull_instance *inst = NULL;
  lull_thread *t = NULL;
  lull_error err;
  if (!e)
    return 1;
  if (lull_module_new(e, add_module, sizeof add_module, &m, &err) != LULL_OK ||
      lull_instantiate(e, m, NULL, 0, &inst, &err) != LULL_OK) {
    fprintf(stderr, "consumer: %s\n", err.message);
    goto done;
  }
  t = lull_thread_new(e);
  lull_val args[2] = {{.type = LULL_I32, .of.i32 = a},
                      {.type = LULL_I32, .of.i32 = b}};
  lull_val res = {.type = LULL_I32};
  if (!t || lull_call(t, lull_instance_func(inst, "add"), args, 2, &res, 1) !=
                LULL_OK) {
    fprintf(stderr, "consumer: the call failed\n");
    goto done;
  }
  printf("add(%d, %d) = %d\n", a, b, res.of.i32);
  rc = 0;
done:
  lull_thread_free(t);
  lull_instance_free(inst);
  lull_module_free(m);
  lull_engine_free(e);
  return rc;
}
