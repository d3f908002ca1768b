;; _start exported as a global, not a function.
(module (global (export "_start") i32 (i32.const 1)))
