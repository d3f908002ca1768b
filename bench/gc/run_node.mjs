// Runs one export of a GC guest under node (V8) as bench-gc runs it under
// lull: `node run_node.mjs FILE.wasm EXPORT RUNS ARGS...` compiles once,
// then for each run instantiates afresh, calls EXPORT(ARGS) and times the
// call; prints the median CPU ms of the process (V8's helper threads, its
// compilers and concurrent marking, included, as lull's own collector
// work is), the result, and the median wall-clock ms. Needs a node whose
// V8 reads the final GC encoding (node 22 or later).
import { readFileSync } from "node:fs";

const [file, name, runsText, ...rest] = process.argv.slice(2);
const args = rest.map(Number);
const module = new WebAssembly.Module(readFileSync(file));
const cpu = [];
const wall = [];
let result;
for (let i = 0; i < Number(runsText); i++) {
  const { exports } = new WebAssembly.Instance(module, {});
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  result = exports[name](...args);
  wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e3);
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(median(cpu).toFixed(1), result, median(wall).toFixed(1));
