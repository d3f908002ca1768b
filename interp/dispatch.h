/*
 * dispatch.h -- the four macros that make one set of handlers work with
 * both dispatch modes (as Lua's ljumptab.h does for lvm.c):
 *
 *   CASE(name)  starts the handler of LULLI_OP_<name>
 *   DISPATCH()  runs the instruction at pc
 *   NEXT(name)  moves pc past the instruction of LULLI_OP_<name> (its
 *               length is its row's CELLS in ops.h) and runs the next
 *   JUMP()      pc += the jump field (cell 1, u32[1]) and runs it
 *
 * Computed goto (the default with GNU C): cell 0 of each instruction holds
 * its handler's label address, so dispatch is one indirect jump at the
 * end of every handler. The switch fallback (LULL_DISPATCH_SWITCH, or a
 * compiler without labels as values) keeps the opcode number there.
 */
#ifndef LULL_INTERP_DISPATCH_H
#define LULL_INTERP_DISPATCH_H

#if defined(LULL_DISPATCH_SWITCH) || !defined(__GNUC__)
#define LULLI_SWITCH 1
#define CASE(name) case LULLI_OP_##name:
#define DISPATCH() goto dispatch
#define DISPATCH_LOOP                                                         \
  dispatch:                                                                   \
  LULLI_PROFILE_HOOK(t, pc);                                                  \
  switch ((lulli_op)(uintptr_t)pc->h)
#define HANDLER_ADDR(name) ((const void *)(uintptr_t)LULLI_OP_##name)
/* Compiled code holds only real ops; anything else is a broken invariant. */
#define DEFAULT_CASE                                                          \
  default:                                                                    \
    TRAP("internal error: bad instruction at %p", (const void *)pc);
#else
#define LULLI_SWITCH 0
#define CASE(name) L_##name:
#define DISPATCH() goto *pc->h
#define DISPATCH_LOOP DISPATCH();
#define HANDLER_ADDR(name) (&&L_##name)
#define DEFAULT_CASE
#endif

#define NEXT(name)                                                            \
  do {                                                                        \
    pc += LULLI_CELLS_##name;                                                 \
    DISPATCH();                                                               \
  } while (0)
#define JUMP()                                                                \
  do {                                                                        \
    pc += pc[1].s32[1];                                                       \
    DISPATCH();                                                               \
  } while (0)
/* Fuel comes to run() a part at a time: `fuel`, at most LULLI_FUEL_PART,
 * is what the safepoints spend and test, and `reserve` the rest of the
 * thread's fuel. A safepoint tests fuel alone; the interrupt flag is read
 * when a part is spent (REFUEL_FAILED), when run() starts and after each host
 * call (FUEL_IN, which empties the part when the flag is set). So a
 * safepoint is one subtraction and one branch, and another thread's
 * interrupt is seen within a part, some tens of microseconds. */
#define LULLI_FUEL_PART ((int64_t)1 << 14)
#define FUEL_IN()                                                             \
  do {                                                                        \
    int64_t all_ = t->fuel;                                                   \
    fuel = all_ < LULLI_FUEL_PART ? all_ : LULLI_FUEL_PART;                   \
    if (atomic_load_explicit(&t->interrupt, memory_order_relaxed) &&          \
        fuel > 0)                                                             \
      fuel = 0;                                                               \
    reserve = all_ - fuel;                                                    \
  } while (0)
#define FUEL_OUT() (t->fuel = fuel + reserve)
/* Whether a safepoint must park: the part is spent (every region costs at
 * least 1, so an emptied part is spent at the next safepoint) and REFUEL
 * found the thread interrupted or no reserve to take the next part from. */
#define FUEL_OR_INTERRUPT() (LULLI_CHECKS && fuel < 0 && REFUEL_FAILED())
/* Takes the next part from the reserve, unless the thread is interrupted;
 * true when it must park. A region may cost more than a part, so the
 * part taken also covers what fuel is below zero. */
#define REFUEL_FAILED()                                                       \
  (atomic_load_explicit(&t->interrupt, memory_order_relaxed) ||               \
   reserve <= 0 ||                                                            \
   (take = LULLI_FUEL_PART - fuel, take = take < reserve ? take : reserve,    \
    fuel += take, reserve -= take, fuel < 0))
/* Charges fuel at a safepoint. Without checks (exec.c: LULLI_CHECKS 0)
 * fuel is neither charged nor tested. */
#define SPEND(cost)                                                           \
  do {                                                                        \
    if (LULLI_CHECKS)                                                         \
      fuel -= (cost);                                                         \
  } while (0)
/* V = GUESS, or ACTUAL where they differ (exec.c: last_head). Neither
 * the compiler nor the processor may make what follows wait for ACTUAL's
 * loads again. The test is of their difference passed through an empty
 * asm: a plain V == ACTUAL would tell the compiler they are equal past
 * it, and it is then free to read what follows through ACTUAL (GCC did,
 * in one of run()'s two builds). The asm in the branch keeps the test a
 * branch: as a conditional move, V would wait for ACTUAL too. */
#define GUESS(V, GUESS, ACTUAL)                                               \
  do {                                                                        \
    V = (GUESS);                                                              \
    uintptr_t guess_miss_ = (uintptr_t)(ACTUAL) ^ (uintptr_t)V;               \
    __asm__("" : "+r"(guess_miss_));                                          \
    if (LULL_UNLIKELY(guess_miss_ != 0)) {                                    \
      V = (ACTUAL);                                                           \
      __asm__ volatile("" : "+r"(V));                                         \
    }                                                                         \
  } while (0)
/* A back edge lands on its loop header's SAFEPOINT: it charges the fuel
 * (a 64-bit cost, subtracted straight from memory) and checks the
 * interrupt flag here, then does THEN with pc after it (runs the header,
 * or the header's fetch or switch inline). A park leaves pc at the
 * SAFEPOINT. The header is guessed (exec.c: last_head). */
#define BACK_EDGE(rel, THEN)                                                  \
  do {                                                                        \
    GUESS(last_head, last_head, pc + (rel) + LULLI_CELLS_SAFEPOINT);          \
    SPEND(last_head[-1].i64);                                                 \
    if (LULL_UNLIKELY(FUEL_OR_INTERRUPT())) {                                 \
      pc = last_head - LULLI_CELLS_SAFEPOINT;                                 \
      goto safepoint_park;                                                    \
    }                                                                         \
    pc = last_head;                                                           \
    THEN;                                                                     \
  } while (0)
#define JUMP_BACK() JUMP_BACK_BY(pc[1].s32[1])
#define JUMP_BACK_BY(rel) BACK_EDGE(rel, DISPATCH())
/* Function code `fc` started at its first cell with the entry's safepoint,
 * which has no instruction of its own: the fuel of the first region and
 * the interrupt flag. */
#define ENTER_CODE(fc)                                                        \
  do {                                                                        \
    pc = (fc)->code;                                                          \
    SPEND((fc)->entry_cost);                                                  \
    if (LULL_UNLIKELY(FUEL_OR_INTERRUPT()))                                   \
      goto entry_park;                                                        \
    DISPATCH();                                                               \
  } while (0)
/* A br_table on a byte, its table with an entry for each value. */
#define BR_TABLE_BYTE(I, TABLE)                                               \
  do {                                                                        \
    pc += ((const int32_t *)(pc + (TABLE)))[I];                               \
    DISPATCH();                                                               \
  } while (0)
/* A bytecode loop's fetch and switch (BR_TABLE_FETCH): the fetch first,
 * as I32_SHL_I_ADD_I makes it, of a counter a1 the compiler made sure is
 * stepped in place; the byte's address is d1's new value. The offset is
 * 64 bits, added as it is read. */
#define FETCH_SWITCH()                                                        \
  do {                                                                        \
    uint32_t n;                                                               \
    GUESS(n, fetch_n, U32(OPA));                                              \
    uint32_t at = n << pc[2].u32[0];                                          \
    fetch_n = n + pc[2].u32[1];                                               \
    SET_U32(OPD, at);                                                         \
    SET_U32(OPA, fetch_n);                                                    \
    uint64_t ea = (uint64_t)(uint32_t)(at + IMM32) + pc[3].u64;               \
    if (OOB(ea, 1))                                                           \
      TRAP("out of bounds memory access");                                    \
    BR_TABLE_BYTE(mem[ea], 4);                                                \
  } while (0)
/* A case's jump back to the fetch, then the fetch (ops.h): JMP_BACK_F's
 * and LOOP_JMP_F's bodies. */
#define BACK_TO_FETCH(rel) BACK_EDGE(rel, FETCH_SWITCH())
#define LOOP_TO_FETCH()                                                       \
  do {                                                                        \
    SET_U32(OPD, U32(OPA) + pc[2].u32[0]);                                    \
    BACK_TO_FETCH(pc[2].s32[1]);                                              \
  } while (0)
/* STORE32_MOV_JMP_BACK's store of V and its move: the store traps at pc;
 * the move and the jump are cell 2's. */
#define STORE32_MOVE(V)                                                       \
  do {                                                                        \
    uint64_t ea = (uint64_t)U32(OPD) + IMM32;                                 \
    if (OOB(ea, 4))                                                           \
      TRAP("out of bounds memory access");                                    \
    uint32_t v = (V);                                                         \
    memcpy(mem + ea, &v, 4);                                                  \
    fp[pc[2].u16[0]] = fp[pc[2].u16[1]];                                      \
  } while (0)
/* The end of NAME's part of a handler that runs the instruction after it
 * too (the _LOOP_F, _JMP_F and STACK_ forms, and the runs of
 * exec_chain.inc): pc moves on to that instruction, whose cells are as
 * they were, and TAIL runs it. */
#define THEN(NAME, TAIL)                                                      \
  do {                                                                        \
    pc += LULLI_CELLS_##NAME;                                                 \
    TAIL;                                                                     \
  } while (0)
/* A conditional jump, as both its forward and its _BACK handler. */
#define BRANCH(NAME, DECL, COND)                                              \
  CASE(NAME) {                                                                \
    DECL;                                                                     \
    if (COND)                                                                 \
      JUMP();                                                                 \
    NEXT(NAME);                                                                  \
  }                                                                           \
  CASE(NAME##_BACK) {                                                         \
    DECL;                                                                     \
    if (COND)                                                                 \
      JUMP_BACK();                                                            \
    NEXT(NAME##_BACK);                                                                  \
  }

/* A debugging build (-DLULL_PROFILE, with switch dispatch) counts every
 * instruction and every pair of consecutive ones; see profile.c. */
#ifdef LULL_PROFILE
#define LULLI_PROFILE_HOOK(t, pc) lulli_profile_count((t), (pc))
#else
#define LULLI_PROFILE_HOOK(t, pc) ((void)0)
#endif

/* Operand fields of cell 1, and values in frame slots. Every write stores
 * 64 bits: i32 and f32 zero-extended. */
#define OPD (pc[1].u16[0])
#define OPA (pc[1].u16[1])
#define OPB (pc[1].u16[2])
#define OPC (pc[1].u16[3])
#define IMM32 (pc[1].u32[1])
#define U32(s) ((uint32_t)fp[s].u64)
#define U64(s) (fp[s].u64)
#define F32(s) lulli_f32((uint32_t)fp[s].u64)
#define F64(s) (fp[s].f64)
#define SET_U32(s, v) (fp[s].u64 = (uint32_t)(v))
#define SET_U64(s, v) (fp[s].u64 = (uint64_t)(v))
#define SET_F32(s, v) (fp[s].u64 = lulli_f32_bits(v))
#define SET_F64(s, v) (fp[s].f64 = (v))

#endif
