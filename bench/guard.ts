// bench/guard.ts (`npm run bench:guard`): what guard() adds to a call when nothing fails (issue
// #20: ≤ 5 µs), against the bare async function in the same run. Measured for the lightest guard
// (a cap), the usual one (timeout + retry + breaker + fallback: a timer per call), and that one
// with fn reading call.signal (an AbortController per call); and a cap called `within` an
// invocation (the deadline's timer and clock reads) as a controller would call it.
import { guard } from '../src/runtime/index.js';

const bare = async (id: number) => id + 1;

const capped = guard(async (_call, id: number) => id + 1, { maxConcurrent: 100 });
const options = { name: 'bench', timeoutMs: 1000, maxConcurrent: 100, retry: { attempts: 3 }, breaker: { minimumCalls: 20 }, fallback: () => 0 };
const full = guard(async (_call, id: number) => id + 1, options);
const withSignal = guard(async (call, id: number) => (call.signal.aborted ? 0 : id + 1), options);
// A Lambda context as the runtime builds it: the remaining time read from the clock on every call.
const invocationEnd = Date.now() + 3_600_000;
const context = { getRemainingTimeInMillis: () => Math.max(0, invocationEnd - Date.now()) };
const withinInvocation = (id: number) => capped.within(context, id);

async function timePerCall(fn: (id: number) => Promise<number>, iterations: number): Promise<number> {
  for (let i = 0; i < 20_000; i++) await fn(i);
  const best: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn(i);
    best.push(Number(process.hrtime.bigint() - start) / iterations / 1000);
  }
  return Math.min(...best);
}

const check = (value: number, target: number) => (value <= target ? 'ok' : 'OVER TARGET');
const TARGET = 5;

// What the AbortController itself costs (Node's is implemented in JS), so the last line reads right.
const bareWithController = async (id: number) => (new AbortController().signal.aborted ? 0 : id + 1);

const bareUs = await timePerCall(bare, 200_000);
console.log('guard(): added cost per call when nothing fails (best of 5 rounds, same run)');
console.log(`  bare async call            : ${bareUs.toFixed(3)} µs/call`);
console.log(`  bare + new AbortController : ${(await timePerCall(bareWithController, 200_000)).toFixed(3)} µs/call (reference: the signal's own price)`);
for (const [label, fn] of [
  ['cap only', capped],
  ['timeout+retry+breaker+fb', full],
  ['same, fn reads call.signal', withSignal],
  ['cap only, within(context)', withinInvocation],
] as const) {
  const us = await timePerCall(fn, 200_000);
  const added = us - bareUs;
  console.log(`  ${label.padEnd(27)}: ${us.toFixed(3)} µs/call, +${added.toFixed(3)} µs  (target ≤ ${TARGET} µs: ${check(added, TARGET)})`);
}
