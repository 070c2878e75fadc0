import { Argument, Command } from 'commander';
import { GENERATOR_KINDS, type GeneratorKind } from '../../generators/kinds.js';
import { loadGenerators } from '../lazy.js';
import type { Output } from '../output.js';
import { generatorOptions, printChanges, type GeneratorCliOptions } from './generate.js';
import { folderFlag } from '../flags.js';

export function destroyCommand(output: Output): Command {
  return new Command('destroy')
    .alias('d')
    .description('undo a generator: remove the files it creates and the routes it added')
    .addArgument(new Argument('<kind>', 'what to remove').choices(GENERATOR_KINDS))
    .argument('<name>', 'the name given to generate')
    .argument('[args...]', 'controller: only the routes of these actions (default: every GET route to the controller)')
    .option('-C, --cwd <dir>', 'the app folder, or any folder inside it (default: the current directory)', folderFlag)
    .option('-n, --dry-run', 'list what would change, remove nothing')
    .option('--route [path]', 'function: only the route with this path (default: every GET route to it)')
    .addHelpText('after', '\nExamples:\n  sls-ts destroy scaffold posts\n  sls-ts d controller admin/stats --dry-run\n  sls-ts d job cleanup')
    .action(async (kind: GeneratorKind, name: string, args: string[], options: GeneratorCliOptions) => {
      const { destroy } = await loadGenerators();
      const changes = await destroy(kind, name, { ...generatorOptions(options), args });
      printChanges(output, changes, options.dryRun ?? false);
    });
}
