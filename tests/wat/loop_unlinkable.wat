;; Imports something neither WASI nor the embedder defines.
(module
  (import "nowhere" "f" (func))
  (func (export "_start"))
)
