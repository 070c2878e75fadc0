import { Command } from 'commander';
import type { LogEvent } from '../../deploy/index.js';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { parseFlag } from '../flags.js';
import { dim, printDiagnostics, type Output } from '../output.js';

export function formatLogEvent(output: Output, event: LogEvent, prefix: string): string {
  const time = new Date(event.timestamp).toISOString().replace('T', ' ').replace('Z', '');
  const name = event.functionName.startsWith(prefix) ? event.functionName.slice(prefix.length) : event.functionName;
  return `${dim(output, time)} ${dim(output, name)} ${event.message}`;
}

export function logsCommand(output: Output): Command {
  return addCommonOptions(new Command('logs'))
    .description("print the functions' CloudWatch logs (all functions, or one)")
    .argument('[function]', 'function key or short name (posts, cleanup, hello); all functions when left out')
    .option('-f, --follow', 'keep printing new log events until Ctrl-C')
    .option('--since <when>', 'start this long ago (30s, 10m, 2h, 1d) or at a date', '10m')
    .option('--filter <pattern>', 'CloudWatch Logs filter pattern, e.g. ERROR')
    .addHelpText('after', '\nExamples:\n  sls-ts logs\n  sls-ts logs posts -f\n  sls-ts logs cleanup --since 1h --filter ERROR')
    .action(async (name: string | undefined, options: CommonOptions & { follow?: boolean; since: string; filter?: string }, command: Command) => {
      const { createDeployContext, destroyClients, parseSince, tailLogs } = await loadDeployRoom();
      const since = parseFlag(command, () => parseSince(options.since));
      const { config } = await loadAppConfig(output, options, 'deploy');
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      const ctx = createDeployContext({
        config,
        ...(options.profile && { profile: options.profile }),
        onEvent: (event) => event.type === 'warning' && printDiagnostics(output, [event.diagnostic]),
      });
      const prefix = `${config.name}-${config.stage}-`;
      try {
        const result = await tailLogs(ctx, {
          since,
          signal: abort.signal,
          onLog: (event) => output.out(formatLogEvent(output, event, prefix)),
          ...(name && { name }),
          ...(options.follow && { follow: true }),
          ...(options.filter && { filter: options.filter }),
        });
        if (result.events === 0 && !options.follow) output.err(dim(output, `no log events since ${new Date(since).toISOString()}`));
      } finally {
        process.off('SIGINT', stop);
        destroyClients(ctx.clients);
      }
    });
}
