;; Control flow that compile_branch.c and compile_fuse.c fuse; test_ctlfuse.c
;; checks each against what the unfused instructions give.
(module
  (memory (export "memory") 1)
  ;; bytes from 16: 0 1 2 3 255 7; u32 from 32: 1, 0xffffffff, 2, 4
  (data (i32.const 16) "\00\01\02\03\ff\07")
  (data (i32.const 32) "\01\00\00\00\ff\ff\ff\ff\02\00\00\00\04\00\00\00")
  ;; bytecode at 64: inc inc dbl inc dbl halt
  (data (i32.const 64) "\00\00\01\00\01\02")

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
)
