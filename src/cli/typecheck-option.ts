// `--typecheck` / `--no-typecheck` for build and deploy, over the config's build.typecheck.
// Deploy checks here, before any AWS call, rather than inside the build it runs later.
import { Option, type Command } from 'commander';
import { typecheckApp } from '../build/index.js';
import type { ResolvedConfig } from '../config/types.js';
import { dim, type Output } from './output.js';

export function addTypecheckOption(command: Command): Command {
  return command
    .addOption(new Option('--typecheck', "run the app's TypeScript check (tsc --noEmit) first and stop at type errors (default: build.typecheck in the config)"))
    .addOption(new Option('--no-typecheck', 'skip the TypeScript check even when the config asks for it'));
}

/** Runs the check when the flag, else the config, asks for it; `quiet` keeps stdout for --json. */
export async function typecheckIfAsked(output: Output, config: ResolvedConfig, flag: boolean | undefined, quiet = false): Promise<void> {
  if (!(flag ?? config.build.typecheck)) return;
  const started = performance.now();
  await typecheckApp(config.root);
  if (!quiet) output.out(dim(output, `types checked (tsc --noEmit) in ${((performance.now() - started) / 1000).toFixed(1)} s`));
}
