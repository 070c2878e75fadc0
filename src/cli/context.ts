import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import type { Output } from './output.js';
import { printDiagnostics } from './output.js';

/** Options every command shares (see DESIGN.md §1). */
export interface CommonOptions {
  stage: string;
  region?: string;
  profile?: string;
  verbose?: boolean;
  cwd?: string;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('-s, --stage <name>', 'stage to work on', 'dev')
    .option('-r, --region <region>', 'AWS region (default: config, then AWS_REGION)')
    .option('--profile <name>', 'AWS credentials profile')
    .option('-C, --cwd <dir>', 'the app folder (default: the current directory)')
    .option('--verbose', 'print more detail');
}

/** Loads the app's config for a command, printing its warnings. */
export async function loadAppConfig(output: Output, options: CommonOptions, command: 'build' | 'server' | 'deploy' = 'build') {
  if (options.profile) process.env.AWS_PROFILE = options.profile;
  const root = resolve(options.cwd ?? process.cwd());
  const loaded = await loadConfig({ root, stage: options.stage, command, ...(options.region && { region: options.region }) });
  printDiagnostics(output, loaded.warnings, root);
  return loaded;
}
