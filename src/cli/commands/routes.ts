import { Command, Option } from 'commander';
import { listRoutes } from '../../build/index.js';
import { LAYOUTS } from '../../config/index.js';
import type { Layout } from '../../config/types.js';
import { SlsError } from '../../shared/errors.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { formatTable, type Output } from '../output.js';

export function routesCommand(output: Output): Command {
  return addCommonOptions(new Command('routes'))
    .description('print the route table (HTTP routes, then WebSocket channels\' route keys) and check that every route reaches a real controller action, function or channel')
    .addOption(new Option('--layout <layout>', 'show function names for this layout').choices(LAYOUTS))
    .option('--json', 'print the routes as JSON')
    .addHelpText('after', '\nExamples:\n  sls-ts routes\n  sls-ts routes --json\n  sls-ts routes --layout single --stage prod')
    .action(async (options: CommonOptions & { json?: boolean; layout?: Layout }) => {
      const { config } = await loadAppConfig(output, options);
      const { rows, diagnostics } = await listRoutes(config, options.layout);
      if (rows.length === 0 && diagnostics.length > 0) throw new SlsError(diagnostics);
      if (options.json) {
        output.out(JSON.stringify(rows, null, 2));
        return;
      }
      // The guard column only when something is guarded: most apps start public.
      // A WebSocket row's route key follows its channel's path: `WS /chat say`.
      const path = (row: (typeof rows)[number]) => (row.channel ? `${row.path} ${row.resource}` : row.path);
      const guarded = rows.some((row) => row.auth || row.apiKey);
      const guard = (row: (typeof rows)[number]) => [row.auth ? `${row.auth}${row.scopes ? ` [${row.scopes.join(' ')}]` : ''}` : '', row.apiKey ? 'API key' : ''].filter(Boolean).join(', ');
      const table = guarded
        ? formatTable(['Verb', 'Path', 'Target', 'Function', 'Guard', 'Source'], rows.map((row) => [row.method, path(row), row.target, row.functionName, guard(row), row.source ?? '']))
        : formatTable(['Verb', 'Path', 'Target', 'Function', 'Source'], rows.map((row) => [row.method, path(row), row.target, row.functionName, row.source ?? '']));
      for (const line of table) output.out(line);
    });
}
