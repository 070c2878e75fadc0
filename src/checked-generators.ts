// `generate` and `destroy` as the CLI and the programmatic API offer them: the generators room
// plans the change, and the build room's route check, run on the app as the change would leave
// it, can refuse it before anything is written (generators may not import build/, so the check is
// passed in here).
import { appCheckEnv, checkAppChange } from './build/index.js';
import { loadConfig } from './config/index.js';
import { destroy as destroyPlain, generate as generatePlain, type Change, type GeneratorKind, type GenerateOptions } from './generators/index.js';

export type { Change, GeneratorKind, GenerateOptions };

/** The environment the build would load the app's modules under (see appCheckEnv); none when the config does not load. */
async function appEnv(root: string): Promise<Record<string, string>> {
  try {
    return appCheckEnv((await loadConfig({ root })).config);
  } catch {
    // A broken or missing config is the build's to report; module-scope code then sees the
    // same (empty) environment before and after the change, so the comparison still holds.
    return {};
  }
}

function withCheck(options: GenerateOptions): GenerateOptions {
  if (options.check) return options;
  return { ...options, check: async (ops) => checkAppChange(options.root, ops, { env: await appEnv(options.root) }) };
}

/** Runs a generator, refusing (writing nothing) when the app would then fail the route check. */
export function generate(kind: GeneratorKind, name: string, options: GenerateOptions): Promise<Change[]> {
  return generatePlain(kind, name, withCheck(options));
}

/** Undoes a generator, refusing (removing nothing) when the app would then fail the route check. */
export function destroy(kind: GeneratorKind, name: string, options: GenerateOptions): Promise<Change[]> {
  return destroyPlain(kind, name, withCheck(options));
}
