;; yield.wat -- the guest of bench-suspend: a loop that calls the imported
;; `yield` n times, d Wasm frames deep.
;;
;; run(d, n) recurses until d frames are on the stack (counting itself) and
;; runs the loop in the innermost one, so yield is called with exactly d
;; Wasm frames below it; it returns n + d - 1, which the harness checks.
;; The one page of memory is what any real guest has; the Asyncify build
;; (yield.asyncify.wasm) also keeps its unwind buffer there.
;;
;; Rebuild (the .wasm files are committed): make -C bench suspend-guests
(module
  (import "env" "yield" (func $yield))
  (memory (export "memory") 1)

  (func $run (export "run") (param $d i32) (param $n i32) (result i32)
    (local $i i32)
    (if (i32.gt_u (local.get $d) (i32.const 1))
      (then
        (return
          (i32.add
            (call $run (i32.sub (local.get $d) (i32.const 1)) (local.get $n))
            (i32.const 1)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $yield)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
)
