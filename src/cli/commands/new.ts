import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { APP_TEMPLATES, createApp, PACKAGE_MANAGERS, type AppTemplate, type PackageManager } from '../../generators/index.js';
import { bold, dim, green, type Output } from '../output.js';

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
      const result = await createApp({
        name,
        template: options.template,
        install: options.install,
        git: options.git,
        force: options.force ?? false,
        packageManager: options.packageManager,
        installOutput: 'inherit',
        ...(options.dir !== undefined && { dir: options.dir }),
        ...(options.slsTs !== undefined && { slsTsSpec: options.slsTs }),
        onStep: (step) => output.out(dim(output, step.name === 'install' ? `installing dependencies: ${step.command}` : step.command)),
      });
      const where = relative(process.cwd(), result.root) || '.';
      output.out(`${green(output, '✓')} created ${bold(output, result.name)} in ${where} (${result.files.length} files, ${result.template} template) ${dim(output, `in ${((Date.now() - started) / 1000).toFixed(1)} s`)}`);
      if (result.git === 'inside-repository') output.out(dim(output, 'git: skipped, the folder is inside a repository already'));
      if (result.git === 'unavailable') output.out(dim(output, 'git: not found, skipped'));
      output.out('');
      output.out('Next:');
      for (const step of result.nextSteps) output.out(`  ${step}`);
    });
}
