;; Control flow that compile_branch.c and compile_fuse.c fuse; test_ctlfuse.c
;; checks each against what the unfused instructions give.
(module
  (memory (export "memory") 1)
  ;; bytes from 16: 0 1 2 3 255 7; u32 from 32: 1, 0xffffffff, 2, 4
  (data (i32.const 16) "\00\01\02\03\ff\07")
  (data (i32.const 32) "\01\00\00\00\ff\ff\ff\ff\02\00\00\00\04\00\00\00")
  ;; bytecode at 64: inc inc dbl inc dbl halt
  (data (i32.const 64) "\00\00\01\00\01\02")
  ;; 8-byte bytecode at 256: inc 5, dbl, inc 3, 255, halt, 7
  (data (i32.const 256) "\00\00\00\00\05\00\00\00\01\00\00\00\00\00\00\00"
    "\00\00\00\00\03\00\00\00\ff\00\00\00\00\00\00\00"
    "\02\00\00\00\00\00\00\00\07")
  ;; 8-byte bytecode at 512: inc 5, count, triple, save, count, inc 2,
  ;; triple, halt
  (data (i32.const 512) "\00\00\00\00\05\00\00\00\01\00\00\00\00\00\00\00"
    "\02\00\00\00\00\00\00\00\04\00\00\00\00\00\00\00"
    "\01\00\00\00\00\00\00\00\00\00\00\00\02\00\00\00"
    "\02\00\00\00\00\00\00\00\03\00\00\00\00\00\00\00")

  ;; A switch on the byte at (u32)(p + 3) + 2 (LOAD8_U_AK fused).
  (func (export "sw8_ak") (param $p i32) (result i32)
    (block $d
      (block $c2
        (block $c1
          (block $c0
            (br_table $c0 $c1 $c2 $d
              (i32.load8_u offset=2 (i32.add (local.get $p) (i32.const 3)))))
          (return (i32.const 100)))
        (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const 103))

  ;; The same on the byte at p + 1 (LOAD8_U fused), every target with a
  ;; value: one a landing pad's move, one the function's end.
  (func (export "sw8") (param $p i32) (result i32)
    (block $out (result i32)
      (drop
        (block $c1 (result i32)
          (drop
            (block $c0 (result i32)
              (br_table $c0 $c1 $out $c0
                (i32.const 7)
                (i32.load8_u offset=1 (local.get $p)))))
          (return (i32.const 200))))
      (i32.const 201)))

  ;; A byte read into a local right before the switch's own byte (two
  ;; byte loads in a row): the switch still loads its index itself.
  (func (export "sw8_after") (param $p i32) (result i32) (local $a i32)
    (local.set $a
      (i32.load8_u offset=2 (i32.add (local.get $p) (i32.const 1))))
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d
            (i32.load8_u offset=2 (i32.add (local.get $p) (i32.const 3)))))
        (return (i32.add (local.get $a) (i32.const 500))))
      (return (i32.add (local.get $a) (i32.const 600))))
    (i32.add (local.get $a) (i32.const 700)))

  ;; A switch on a 32-bit field at (u32)(p - 4) + 4 (LOAD32_AK fused).
  (func (export "sw32_ak") (param $p i32) (result i32)
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d
            (i32.load offset=4 (i32.add (local.get $p) (i32.const -4)))))
        (return (i32.const 300)))
      (return (i32.const 301)))
    (i32.const 302))

  ;; The same at p (LOAD32 fused).
  (func (export "sw32") (param $p i32) (result i32)
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d (i32.load (local.get $p))))
        (return (i32.const 400)))
      (return (i32.const 401)))
    (i32.const 402))

  ;; A switch whose cases start at 5 (BR_TABLE_K), and one on a local
  ;; that the index is copied to first (BR_TABLE_MOV).
  (func (export "swk") (param $x i32) (result i32)
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d (i32.sub (local.get $x) (i32.const 5))))
        (return (i32.const 500)))
      (return (i32.const 501)))
    (i32.const 502))
  ;; A constant set just before such a switch goes into it
  ;; (BR_TABLE_K_CONST), written before the index is read: the local
  ;; set may be the one the index comes from.
  (func (export "swkc") (param $x i32) (result i32)
    (local $s i32)
    (local.set $s (i32.const 9))
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d (i32.sub (local.get $x) (i32.const 5))))
        (return (i32.add (local.get $s) (i32.const 510))))
      (return (i32.add (local.get $s) (i32.const 520))))
    (i32.add (local.get $s) (i32.const 530)))
  (func (export "swkc_self") (param $x i32) (result i32)
    (local.set $x (i32.const 6))
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d (i32.sub (local.get $x) (i32.const 5))))
        (return (i32.const 540)))
      (return (local.get $x)))
    (i32.const 560))
  (func (export "swmov") (param $x i32) (result i32)
    (local $y i32)
    (block $d
      (block $c1
        (block $c0
          (br_table $c0 $c1 $d (local.tee $y (local.get $x))))
        (return (i32.add (local.get $y) (i32.const 600))))
      (return (i32.add (local.get $y) (i32.const 700))))
    (i32.add (local.get $y) (i32.const 800)))

  ;; A bytecode loop: 0 adds one, 1 doubles, anything else halts.
  (func (export "interp") (param $pc i32) (result i32)
    (local $acc i32)
    (loop $next
      (block $halt
        (block $dbl
          (block $inc
            (br_table $inc $dbl $halt
              (i32.load8_u offset=64 (local.get $pc))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br $next))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; A bytecode loop with 8-byte instructions at 256 (an op byte, an i32
  ;; argument at +4): its fetch (the address pc << 3 kept in a local, then
  ;; the step of pc) goes into the br_table with the op's load
  ;; (BR_TABLE_FETCH). 0 adds the argument, 1 doubles, 2 and every byte
  ;; past the table halt; the result is acc * 100 + pc.
  (func (export "fetchsw") (param $pc i32) (result i32)
    (local $at i32) (local $acc i32)
    (loop $next
      (block $halt
        (block $dbl
          (block $inc
            (local.set $at (i32.shl (local.get $pc) (i32.const 3)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
            (br_table $inc $dbl $halt
              (i32.load8_u (i32.add (local.get $at) (i32.const 256)))))
          (local.set $acc
            (i32.add (local.get $acc) (i32.load offset=260 (local.get $at))))
          (br $next))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
        (br $next)))
    (i32.add (i32.mul (local.get $acc) (i32.const 100)) (local.get $pc)))

;; The same loop with cases that end in each jump that can run the fetch
  ;; itself: a plain one (inc), a step (count: LOOP_JMP) and a move (triple:
  ;; MOV_JMP_BACK).
  (func $fetchvm (export "fetchvm") (param $pc i32) (result i32)
    (local $at i32) (local $acc i32) (local $n i32) (local $t i32)
    (loop $next
      (block $halt
        (block $save
          (block $triple
            (block $count
              (block $inc
                (local.set $at (i32.shl (local.get $pc) (i32.const 3)))
                (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
                (br_table $inc $count $triple $halt $save
                  (i32.load8_u (i32.add (local.get $at) (i32.const 512)))))
              (local.set $acc
                (i32.add (local.get $acc)
                         (i32.load offset=516 (local.get $at))))
              (br $next))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $next))
          (local.set $t (i32.mul (local.get $acc) (i32.const 3)))
          (local.set $acc (local.get $t))
          (br $next))
        ;; save: acc stored beside the op, n = acc (STORE32_MOV_JMP_BACK)
        (i32.store offset=1536 (local.get $at) (local.get $acc))
        (local.set $n (local.get $acc))
        (br $next)))
    (i32.add (i32.mul (local.get $acc) (i32.const 100)) (local.get $n)))

  ;; A stack machine as C compilers write one (bench/kernels/vm.c): the
  ;; program at 4096 (an op byte, then a 32-bit argument: 8 bytes each),
  ;; the registers at base, the operand stack at base + 96. Each case's
  ;; last instruction takes the jump back to the fetch into its own
  ;; handler (the _LOOP_F, _JMP_F and STACK_ forms). Op 13 calls fetchvm,
  ;; whose fetch takes the place of this one's guesses (exec.c) until it
  ;; returns. Returns register 0.
  (func (export "stackvm") (param $pc i32) (param $base i32) (result i32)
    (local $at i32) (local $sp i32)
    (loop $next
      (block $halt
      (block $call
      (block $rotl
      (block $shru
      (block $shl
      (block $xor
      (block $or
      (block $and
      (block $mul
      (block $sub
      (block $add
      (block $store
      (block $load
      (block $push
        (local.set $at (i32.shl (local.get $pc) (i32.const 3)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br_table $halt $push $load $store $add $sub $mul $and $or $xor $shl $shru $rotl $call
                  $halt
          (i32.load8_u (i32.add (local.get $at) (i32.const 4096)))))
      ;; push arg
      (i32.store (i32.add (i32.add (local.get $base) (i32.const 96))
                       (i32.shl (local.get $sp) (i32.const 2)))
        (i32.load (i32.add (local.get $at) (i32.const 4100))))
      (local.set $sp (i32.add (local.get $sp) (i32.const 1)))
      (br $next))
      ;; push reg[arg]
      (i32.store (i32.add (i32.add (local.get $base) (i32.const 96))
                       (i32.shl (local.get $sp) (i32.const 2)))
        (i32.load (i32.add (local.get $base)
                           (i32.shl (i32.load (i32.add (local.get $at) (i32.const 4100))) (i32.const 2)))))
      (local.set $sp (i32.add (local.get $sp) (i32.const 1)))
      (br $next))
      ;; reg[arg] = pop
      (i32.store
        (i32.add (local.get $base) (i32.shl (i32.load (i32.add (local.get $at) (i32.const 4100))) (i32.const 2)))
        (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
          (i32.shl (local.tee $sp (i32.sub (local.get $sp) (i32.const 1)))
                   (i32.const 2)))))
      (br $next))
      ;; add: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.add (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; sub: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.sub (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; mul: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.mul (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; and: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.and (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; or: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.or (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; xor: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.xor (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; shl: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.shl (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; shru: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.shr_u (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; rotl: b = pop, a = pop, push a op b
      (i32.store
        (local.tee $at (i32.add (i32.add (i32.shl (local.get $sp) (i32.const 2))
                                         (local.get $base))
                                (i32.const 88)))
        (i32.rotl (i32.load (local.get $at))
          (i32.load (i32.add (i32.add (local.get $base) (i32.const 96))
            (i32.shl (local.tee $at (i32.sub (local.get $sp) (i32.const 1)))
                     (i32.const 2))))))
      (local.set $sp (local.get $at))
      (br $next))
      ;; push fetchvm(arg): a fetch loop of its own runs meanwhile
      (i32.store
        (i32.add (i32.add (local.get $base) (i32.const 96))
                 (i32.shl (local.get $sp) (i32.const 2)))
        (call $fetchvm (i32.load (i32.add (local.get $at) (i32.const 4100)))))
      (local.set $sp (i32.add (local.get $sp) (i32.const 1)))
      (br $next))
      ) ;; halt
    (i32.load (local.get $base)))

  ;; A loop whose body stores a value and moves it into the counter before
  ;; it jumps back (STORE32_MOV_JMP_BACK, without a fetch after it).
  (func (export "store_move") (param $q i32) (param $n i32) (result i32)
    (local $i i32) (local $j i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (i32.store offset=2000 (local.get $q) (local.get $j))
        (local.set $i (local.get $j))
        (br $l)))
    (local.get $i))

;; fetchsw's loop with the counter stepped into another local and copied
  ;; back: not the in-place step BR_TABLE_FETCH takes, so the fetch stays
  ;; apart (BR_TABLE_L8).
  (func (export "fetchsw_apart") (param $pc i32) (result i32)
    (local $at i32) (local $acc i32) (local $next i32)
    (loop $next
      (block $halt
        (block $dbl
          (block $inc
            (local.set $at (i32.shl (local.get $pc) (i32.const 3)))
            (local.set $next (i32.add (local.get $pc) (i32.const 1)))
            (br_table $inc $dbl $halt
              (i32.load8_u (i32.add (local.get $at) (i32.const 256)))))
          (local.set $acc
            (i32.add (local.get $acc) (i32.load offset=260 (local.get $at))))
          (local.set $pc (local.get $next))
          (br $next))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
        (local.set $pc (local.get $next))
        (br $next)))
    (i32.add (i32.mul (local.get $acc) (i32.const 100)) (local.get $next)))

;; Fibonacci by a loop closed by a move and the jump back (MOV_JMP_BACK).
  (func (export "fibloop") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $b (local.get $t))
        (br $l)))
    (local.get $a))

  ;; The first multiple of 3 from n on, and the xor of those below it: a
  ;; loop closed by its step and the jump back (LOOP_JMP).
  (func (export "count3") (param $n i32) (result i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.xor (local.get $c) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $l)))
    (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $c)))

  ;; Constants set on the way back (CONST_JMP_BACK): s sums 10 after an odd
  ;; count, 1 after an even one.
  (func (export "parity") (param $n i32) (result i32)
    (local $f i32) (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $f)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (if (i32.and (local.get $n) (i32.const 1))
          (then (local.set $f (i32.const 10)) (br $l)))
        (local.set $f (i32.const 1))
        (br $l)))
    (local.get $s))

  ;; A block's value carried forward by a move or a constant (MOV_JMP,
  ;; CONST_JMP), and an if's then-value jumping over its else.
  (func (export "pick") (param $x i32) (param $y i32) (result i32)
    (block $b (result i32)
      (if (i32.eq (local.get $x) (i32.const 1))
        (then (br $b (local.get $y))))
      (if (i32.eq (local.get $x) (i32.const 2))
        (then (br $b (i32.const 77))))
      (if (result i32) (i32.eq (local.get $x) (i32.const 3))
        (then (local.get $y))
        (else (i32.const 5)))))
  (func (export "pick64") (param $x i32) (result i64)
    (block $b (result i64)
      (if (local.get $x)
        (then (br $b (i64.const 0x123456789abcdef))))
      (i64.const -1)))

  ;; Subtractions from a constant (I32_RSUB_I, I64_RSUB_I).
  (func (export "rsub") (param $x i32) (result i32)
    (i32.sub (i32.const 10) (local.get $x)))
  (func (export "rsub64") (param $x i64) (result i64)
    (i64.sub (i64.const 0x100000000) (local.get $x)))
;; Loops stepping by a register (LOOP_R_ forms): i += s until the
  ;; comparison fails; the result counts the steps and gives the last i.
  (func (export "stride_lt_u") (param $n i32) (param $s i32) (result i32)
    (local $i i32) (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (local.get $s)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "stride_le_s") (param $n i32) (param $s i32) (result i32)
    (local $i i32) (local $c i32)
    (local.set $i (i32.const -100))
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (local.get $s)))
      (br_if $l (i32.le_s (local.get $i) (local.get $n))))
    (i32.add (i32.mul (local.get $c) (i32.const 1000)) (local.get $i)))
  (func (export "stride_jnz") (param $n i32) (param $s i32) (result i32)
    (local $c i32)
    (loop $l
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (local.set $n (i32.add (local.get $n) (local.get $s)))
      (br_if $l (local.get $n)))
    (local.get $c))
;; Calls of the module's own functions (CALL_DEF), with the moves that
  ;; put their arguments in place (CALL_MOV2): two moves, one, none, and a
  ;; recursion that runs out of stack.
  (func $sub3 (param i32 i32 i32) (result i32)
    (i32.sub (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
  (func $neg (param i32) (result i32)
    (i32.sub (i32.const 0) (local.get 0)))
  (func (export "call2") (param $a i32) (param $b i32) (result i32)
    (local $t i32)
    (local.set $t (i32.mul (local.get $a) (i32.const 3)))
    (call $sub3 (i32.add (local.get $a) (i32.const 1)) (local.get $b)
                (local.get $t)))
  (func (export "call0") (param $a i32) (result i32)
    (call $neg (i32.add (local.get $a) (i32.const 1))))
  (func (export "call1") (param $a i32) (result i32)
    (i32.add (call $neg (local.get $a)) (call $neg (local.get $a))))
  (func $deep (export "deep") (param $n i32) (result i32)
    (call $deep (local.get $n)))
  ;; A callee that loops, called with its arguments moved by the call:
  ;; parked inside it, the caller's frame resumes after CALL_MOV2.
  (func $spin (param $a i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $a)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s))
  (func (export "spin_call") (param $a i32) (param $n i32) (result i32)
    (i32.add (call $spin (local.get $a) (local.get $n)) (i32.const 1)))
  ;; A sum computed where it is returned, in slot 0 over the argument
  ;; it reads (I32_ADD_RET), which the branch around the loop lands on.
  (func $rfib (export "rfib") (param $n i32) (result i32)
    (local $s i32)
    (if (i32.ge_u (local.get $n) (i32.const 2))
      (then
        (loop $l
          (local.set $s (i32.add (local.get $s)
            (call $rfib (i32.sub (local.get $n) (i32.const 1)))))
          (br_if $l (i32.gt_u
            (local.tee $n (i32.sub (local.get $n) (i32.const 2)))
            (i32.const 1))))))
    (i32.add (local.get $n) (local.get $s)))
;; Loads and the jumps that test what they loaded (JZ_L32, JNZ_L8 and
  ;; the like): a list at 128 (next, value: 5, 7, 11) and a string at 160.
  (data (i32.const 128)
    "\88\00\00\00\05\00\00\00\90\00\00\00\07\00\00\00\00\00\00\00\0b\00\00\00")
  (data (i32.const 160) "hello\00")
  (func (export "list_sum") (param $p i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load offset=4 (local.get $p))))
      (br_if $l (local.tee $p (i32.load (local.get $p)))))
    (local.get $s))
  (func (export "strlen") (param $s i32) (result i32)
    (local $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (i32.load8_u (local.get $s))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n))
  ;; 1 when the byte at s is not zero, then 2 when the word at s + 4 is
  ;; zero: forward jumps.
  (func (export "tests") (param $s i32) (result i32)
    (local $r i32)
    (block $nz
      (br_if $nz (i32.load8_u (local.get $s)))
      (local.set $r (i32.const 10)))
    (block $z
      (br_if $z (i32.eqz (i32.load offset=4 (local.get $s))))
      (local.set $r (i32.add (local.get $r) (i32.const 20))))
    (local.get $r))
)
