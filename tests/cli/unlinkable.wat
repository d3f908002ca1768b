;; A command importing something lull does not provide.
(module
  (import "env" "missing" (func))
  (func (export "_start"))
)
