// Runs one export of a GC guest under node (V8) as bench-gc runs it under
// lull: `node [--experimental-wasm-gc] run_node.mjs FILE.wasm EXPORT
// RUNS ARGS...` compiles once, then for each run instantiates afresh,
// calls EXPORT(ARGS) and times the call; prints the median in ms and the
// result.
import { readFileSync } from "node:fs";

const [file, name, runsText, ...rest] = process.argv.slice(2);
const args = rest.map(Number);
const module = new WebAssembly.Module(readFileSync(file));
const times = [];
let result;
for (let i = 0; i < Number(runsText); i++) {
  const { exports } = new WebAssembly.Instance(module, {});
  const t0 = process.hrtime.bigint();
  result = exports[name](...args);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(1), result);
