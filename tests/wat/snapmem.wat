;; Two more memories for the snapshot tests: memory 1 has 64-bit addresses
;; and grows as the loop runs, memory 2 is a second 32-bit memory written
;; through a memory index. run(n) writes all three, asks the host for a
;; checkpoint every 40 iterations, and returns a hash of what it reads back
;; with the memories' sizes, so a resumed run that lost any memory (its
;; bytes or its size) returns something else.
(module
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (memory $m0 1 1)
  (memory $m64 i64 1 16)
  (memory $m2 1 2)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $h i64) (local $a i64)
    (local.set $h (i64.const 7))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; memory 1: an address past its first page once it has grown
        (local.set $a (i64.add
          (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 4104))
          (i64.const 8)))
        (if (i64.ge_u (i64.add (local.get $a) (i64.const 8))
                      (i64.mul (memory.size $m64) (i64.const 65536)))
          (then (drop (memory.grow $m64 (i64.const 1)))))
        (i64.store $m64 (local.get $a) (local.get $h))
        (i32.store $m2 offset=4 (i32.mul (i32.and (local.get $i) (i32.const 1023))
                                         (i32.const 4))
                   (i32.wrap_i64 (local.get $h)))
        (i32.store8 $m0 (local.get $i) (local.get $i))
        (local.set $h (i64.xor
          (i64.mul (local.get $h) (i64.const 0x100000001b3))
          (i64.load $m64 offset=0 (local.get $a))))
        (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 40)))
          (then
            (local.set $h (i64.add (local.get $h)
              (i64.extend_i32_u (call $cp (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; read everything back
    (local.set $i (i32.const 0))
    (block $end
      (loop $sum
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
          (i64.add
            (i64.load $m64 (i64.add (i64.mul (i64.extend_i32_u (local.get $i))
                                             (i64.const 4104)) (i64.const 8)))
            (i64.add
              (i64.load32_u $m2 offset=4
                (i32.mul (i32.and (local.get $i) (i32.const 1023)) (i32.const 4)))
              (i64.load8_u $m0 (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (i64.add (local.get $h)
      (i64.add (memory.size $m64)
               (i64.extend_i32_u (i32.add (memory.size $m0) (memory.size $m2)))))))
