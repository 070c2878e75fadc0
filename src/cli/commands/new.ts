import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { APP_TEMPLATES, type AppTemplate } from '../../generators/app-templates.js';
import type { CreateAppResult } from '../../generators/index.js';
import { PACKAGE_MANAGERS, type PackageManager } from '../../generators/setup-steps.js';
import { loadAppCreator } from '../lazy.js';
import { bold, dim, green, yellow, type Output } from '../output.js';
import { printChanges } from './generate.js';

interface NewOptions {
  dir?: string;
  template: AppTemplate;
  install: boolean;
  git: boolean;
  force?: boolean;
  packageManager: PackageManager;
  slsTs?: string;
}

export function newCommand(output: Output): Command {
  return new Command('new')
    .description('create a new sls-ts app: config, routes, controllers, a job, tests; then install its dependencies')
    .argument('<name>', 'the app name (an npm package name, e.g. blog)')
    .option('-d, --dir <dir>', 'folder to create it in (default: ./<name>)')
    .addOption(new Option('-t, --template <template>', 'api: home controller and a job; full: also a posts resource, a health check and a plain function').choices(APP_TEMPLATES).default('api'))
    .option('--no-install', 'do not install dependencies')
    .option('--no-git', 'do not run git init')
    .option('-f, --force', 'write into a folder that is not empty')
    .addOption(new Option('--package-manager <pm>', 'how to install dependencies').choices(PACKAGE_MANAGERS).default('npm'))
    .option('--sls-ts <spec>', 'the sls-ts dependency of the app (default: this version, or this checkout when run from one)')
    .addHelpText('after', '\nExamples:\n  sls-ts new blog\n  sls-ts new shop --template full --package-manager pnpm\n  sls-ts new api --dir services/api --no-install --no-git')
    .action(async (name: string, options: NewOptions) => {
      const started = Date.now();
      // Ctrl-C during the install stops the package manager, and `new` then says how to finish.
      const interrupt = new AbortController();
      const abort = () => interrupt.abort();
      process.once('SIGINT', abort);
      try {
        const { createApp } = await loadAppCreator();
        const result = await createApp({
          name,
          template: options.template,
          install: options.install,
          git: options.git,
          force: options.force ?? false,
          packageManager: options.packageManager,
          installOutput: 'inherit',
          signal: interrupt.signal,
          ...(options.dir !== undefined && { dir: options.dir }),
          ...(options.slsTs !== undefined && { slsTsSpec: options.slsTs }),
          onWrite: (changes) => printChanges(output, changes, false),
          onStep: (step) => output.out(dim(output, step.name === 'install' ? `installing dependencies: ${step.command}` : step.command)),
        });
        printCreated(output, result, Date.now() - started);
      } finally {
        process.off('SIGINT', abort);
      }
    });
}

function printCreated(output: Output, result: CreateAppResult, elapsedMs: number): void {
  const where = relative(process.cwd(), result.root) || '.';
  output.out(`${green(output, '✓')} created ${bold(output, result.name)} in ${where} (${result.files.length} files, ${result.template} template) ${dim(output, `in ${(elapsedMs / 1000).toFixed(1)} s`)}`);
  if (result.appNameDerivedBecause) {
    output.out(`${yellow(output, 'note')} the app is named ${bold(output, result.appName)} in sls-ts.config.ts (stacks ${result.appName}-<stage>): ${result.appNameDerivedBecause}`);
  }
  if (result.git === 'committed') output.out(dim(output, 'git: initialized, first commit made'));
  if (result.git === 'initialized') output.out(dim(output, `git: initialized without a commit (${result.gitNoCommit ?? 'git commit failed'}): commit the files yourself`));
  if (result.git === 'inside-repository') output.out(dim(output, 'git: skipped, the folder is inside a repository already'));
  if (result.git === 'unavailable') output.out(dim(output, 'git: not found, skipped'));
  if (result.git === 'failed') output.out(dim(output, 'git: git init failed, skipped'));
  output.out('');
  output.out('Next:');
  for (const step of result.nextSteps) output.out(`  ${step}`);
}
