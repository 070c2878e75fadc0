import { Argument, Command, Option } from 'commander';
import { findAppRoot } from '../../config/index.js';
import type { Change } from '../../generators/index.js';
import { GENERATOR_KINDS, type GeneratorKind } from '../../generators/kinds.js';
import { ROUTE_METHODS } from '../../generators/names.js';
import { loadGenerators } from '../lazy.js';
import { startFolder } from '../context.js';
import { folderFlag } from '../flags.js';
import { dim, green, red, yellow, type Output } from '../output.js';

export interface GeneratorCliOptions {
  cwd?: string;
  force?: boolean;
  dryRun?: boolean;
  rate?: string;
  cron?: string;
  route?: string | boolean;
  method?: string;
}

const LABELS: Record<Change['action'], (output: Output, text: string) => string> = {
  create: green,
  update: yellow,
  remove: red,
  conflict: red,
  skip: dim,
};

/** Rails-style lines: `    create  app/controllers/posts-controller.ts`. */
export function printChanges(output: Output, changes: readonly Change[], dryRun: boolean): void {
  if (dryRun) output.out(dim(output, 'dry run: nothing is written'));
  for (const change of changes) {
    const label = LABELS[change.action](output, change.action.padStart(8));
    output.out(`${label}  ${change.path}${change.note ? dim(output, ` (${change.note})`) : ''}`);
  }
  const conflicts = changes.filter((change) => change.action === 'conflict').length;
  if (dryRun && conflicts > 0) output.out(dim(output, `${conflicts} existing ${conflicts === 1 ? 'file differs' : 'files differ'}: without --force, nothing would be written`));
}

export function generatorOptions(options: GeneratorCliOptions) {
  return {
    root: findAppRoot(startFolder(options)) ?? startFolder(options),
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
    ...(options.rate !== undefined && { rate: options.rate }),
    ...(options.cron !== undefined && { cron: options.cron }),
    ...(options.route !== undefined && { route: options.route }),
    ...(options.method !== undefined && { method: options.method }),
  };
}

export function generateCommand(output: Output): Command {
  return new Command('generate')
    .alias('g')
    .description('generate a controller, a scaffold (model store, controller, route, test), a job, a function, an authorizer or a WebSocket channel')
    .addArgument(new Argument('<kind>', 'what to generate').choices(GENERATOR_KINDS))
    .argument('<name>', 'its name: Posts, admin/stats, cleanup…')
    .argument('[args...]', 'controller: actions; scaffold: fields as name:type (string, text, number, boolean, date)')
    .option('-C, --cwd <dir>', 'the app folder, or any folder inside it (default: the current directory)', folderFlag)
    .option('-f, --force', 'overwrite files that exist with other contents')
    .option('-n, --dry-run', 'list what would change, write nothing')
    .option('--rate <rate>', 'job: run every <rate>, e.g. "1 hour" (default "1 day")')
    .option('--cron <cron>', 'job: run on an EventBridge cron, e.g. "0 12 * * ? *"')
    .option('--route [path]', 'function: route <path> to it (default /<name>)')
    .addOption(new Option('--method <method>', 'function: the route\'s HTTP method (default get)').choices(ROUTE_METHODS))
    .addHelpText('after', [
      '',
      'Examples:',
      '  sls-ts generate scaffold posts title:string body:text published:boolean',
      '  sls-ts generate controller Pages about contact',
      '  sls-ts generate controller admin/stats index',
      '  sls-ts generate job Cleanup --rate "1 hour"',
      '  sls-ts generate function webhook --route /webhook --method post',
      '  sls-ts generate authorizer admin      # then { auth: \'admin\' } on routes',
      '  sls-ts generate channel chat          # app/channels/chat-channel.ts, served at ws://…/chat',
      '  sls-ts g scaffold comments body:text --dry-run',
    ].join('\n'))
    .action(async (kind: GeneratorKind, name: string, args: string[], options: GeneratorCliOptions) => {
      const { generate } = await loadGenerators();
      const changes = await generate(kind, name, { ...generatorOptions(options), args });
      printChanges(output, changes, options.dryRun ?? false);
    });
}
