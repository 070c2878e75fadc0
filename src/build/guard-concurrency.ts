// A guard's `maxConcurrent` caps the calls of one execution environment only: Lambda starts as
// many environments as requests need (up to the account's concurrency, 1,000 by default: doc
// lambda/latest/dg/lambda-concurrency.html), so a downstream behind `maxConcurrent: 10` may see
// thousands of calls. `reservedConcurrency` caps the environments, so the total becomes at most
// reservedConcurrency × maxConcurrent; the build warns when code that sets the cap runs in a
// function without it. Found by text in the app's own sources (the bundle's inputs): the values
// live in code, and a guard from a package or a computed options object is not seen.
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Diagnostic } from '../shared/errors.js';

/** sls-ts's guard module, from src (this repo's tests) or dist (an app's node_modules). */
const GUARD_MODULE = /[\\/]runtime[\\/]guard\.(?:ts|js|mjs)$/;
const SETS_CAP = /\bmaxConcurrent\s*:/;

export interface BundledFunction {
  key: string;
  functionName: string;
  reservedConcurrency?: number;
  /** Absolute paths of the files esbuild put in its bundle. */
  inputs: readonly string[];
}

/** One warning per app file that sets a guard's maxConcurrent and is bundled into functions without reservedConcurrency. */
export function guardConcurrencyWarnings(root: string, functions: readonly BundledFunction[]): Diagnostic[] {
  const unreserved = new Map<string, string[]>();
  const setsCap = new Map<string, boolean>();
  for (const fn of functions) {
    if (fn.reservedConcurrency !== undefined || !fn.inputs.some((input) => GUARD_MODULE.test(input))) continue;
    for (const input of fn.inputs) {
      if (!isAppSource(root, input)) continue;
      if (!setsCap.has(input)) setsCap.set(input, SETS_CAP.test(readFileSync(input, 'utf8')));
      if (setsCap.get(input)) unreserved.set(input, [...(unreserved.get(input) ?? []), fn.functionName]);
    }
  }
  return [...unreserved].map(([file, names]) => ({
    level: 'warning',
    file,
    text: `${relative(root, file)} sets a guard's maxConcurrent, which caps one execution environment only: ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no reservedConcurrency, so the downstream may see as many environments as Lambda starts × maxConcurrent calls`,
    hint: 'set reservedConcurrency for them (the app, controllers.<name>, jobs.<name> or functions.<name>): the downstream then sees at most reservedConcurrency × maxConcurrent',
  }));
}

function isAppSource(root: string, input: string): boolean {
  const path = relative(root, input);
  return !path.startsWith('..') && !path.split(sep).includes('node_modules') && /\.[cm]?[jt]sx?$/.test(path);
}
