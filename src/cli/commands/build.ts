import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { build } from '../../build/index.js';
import type { Diagnostic } from '../../shared/errors.js';
import { LAYOUTS } from '../../config/index.js';
import type { Layout } from '../../config/types.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { describeSubscription } from '../../config/subscription-sources.js';
import { bold, dim, formatBytes, formatTable, green, printDiagnostics, type Output } from '../output.js';
import { addTypecheckOption, typecheckIfAsked } from '../typecheck-option.js';
import { loadCloudformationRoom } from '../lazy.js';

export function buildCommand(output: Output): Command {
  return addTypecheckOption(addCommonOptions(new Command('build')))
    .description('bundle every function with esbuild, zip them deterministically and write .sls-ts/build/<stage>/ (no AWS needed)')
    .addOption(new Option('--layout <layout>', 'override the config: one Lambda per controller, per action, or one for all').choices(LAYOUTS))
    .option('--no-cache', "inspect the app and zip every function afresh instead of reusing the last build's unchanged results")
    .addHelpText('after', '\nExamples:\n  sls-ts build\n  sls-ts build --stage prod\n  sls-ts build --layout single\n  sls-ts build --no-cache\n  sls-ts build --typecheck')
    .action(async (options: CommonOptions & { layout?: Layout; cache: boolean; typecheck?: boolean }) => {
      const { config } = await loadAppConfig(output, options);
      await typecheckIfAsked(output, config, options.typecheck);
      const templateWarnings: Diagnostic[] = [];
      const { templateFiles } = await loadCloudformationRoom();
      const result = await build({
        config,
        ...(options.layout && { layout: options.layout }),
        cache: options.cache,
        // CloudFormation templates are written next to the zips (the build room itself stays free of them).
        extraFiles: (manifest) => {
          const { files, warnings } = templateFiles(config, manifest);
          templateWarnings.push(...warnings);
          return files;
        },
      });
      const rows = result.manifest.functions.map((fn) => [
        fn.functionName,
        fn.kind,
        formatBytes(fn.artifact.zippedBytes),
        formatBytes(fn.artifact.unzippedBytes),
        fn.artifact.sha256.slice(0, 12),
      ]);
      for (const line of formatTable(['Function', 'Kind', 'Zipped', 'Unzipped', 'sha256'], rows)) output.out(line);
      // What runs each job besides its schedules: its event sources and its own queue.
      for (const fn of result.manifest.functions) {
        const sources = [...fn.events.map(describeSubscription), ...(fn.jobQueue ? ['its own queue (performLater)'] : [])];
        if (sources.length > 0) output.out(dim(output, `${fn.source} ← ${sources.join('; ')}`));
      }
      printDiagnostics(output, [...result.warnings, ...templateWarnings], config.root);
      const where = relative(process.cwd(), result.outDir) || result.outDir;
      output.out('');
      output.out(`${green(output, '✓')} built ${bold(output, String(rows.length))} functions (${result.manifest.layout} layout) into ${where} ${dim(output, `in ${Math.round(result.durationMs)} ms`)}`);
    });
}
