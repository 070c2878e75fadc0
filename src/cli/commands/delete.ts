import { Command } from 'commander';
import { loadDeployRoom } from '../lazy.js';
import { SlsError } from '../../shared/errors.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { watchInterrupt } from '../interrupt.js';
import { dim, green, type Output } from '../output.js';
import { askYesNo, createProgressView, formatDuration, isInteractive } from './deploy.js';

export function deleteCommand(output: Output): Command {
  return addCommonOptions(new Command('delete'))
    .description('delete the deployed stack: empties its artifacts bucket and the buckets it deletes (every version; never a retained one), deletes the stack and waits; retained tables and buckets stay')
    .option('-y, --yes', 'delete without asking (required when not on a terminal)')
    .option('--no-wait', 'stop instead of waiting when another stack operation is running')
    .addHelpText('after', '\nExamples:\n  sls-ts delete\n  sls-ts delete --stage pr-42 --yes')
    .action(async (options: CommonOptions & { yes?: boolean; wait: boolean }) => {
      const { createDeployContext, describeAwsError, describeStack, destroyClients, remove } = await loadDeployRoom();
      const { config } = await loadAppConfig(output, options, 'deploy');
      const view = createProgressView(output, { ...(options.verbose && { verbose: true }) });
      const interrupt = watchInterrupt(output, options, view.stop);
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }), onEvent: (event) => { interrupt.onEvent(event); view.onEvent(event); } });
      try {
        if (!options.yes) {
          // Nothing to confirm when there is nothing to delete.
          const stack = await describeStack(ctx).catch((error: unknown) => {
            throw describeAwsError(error, 'delete') ?? error;
          });
          if (!stack) {
            output.out(`${ctx.stackName} does not exist in ${ctx.region}: nothing to delete`);
            return;
          }
          // A protected stack is refused by remove() before anything is touched: no question to ask.
          if (!stack.EnableTerminationProtection) {
            if (!isInteractive()) {
              throw new SlsError({ text: `refusing to delete ${ctx.stackName} without confirmation`, hint: 'pass --yes to delete it (no prompt is shown when not on a terminal)' });
            }
            const data = config.resources.some((resource) => (resource.kind === 'table' || resource.kind === 'bucket') && resource.removal === 'destroy') ? ', and the tables and buckets it does not retain with their data' : '';
            if (!(await askYesNo(`Delete ${ctx.stackName} in ${ctx.region}, its functions, API and artifacts bucket${data}?`))) {
              output.out('nothing deleted');
              return;
            }
          }
        }
        const result = await remove(ctx, { wait: options.wait });
        view.stop();
        if (!result.removed) output.out(`${ctx.stackName} does not exist in ${ctx.region}: nothing to delete`);
        else output.out(`${green(output, '✓')} deleted ${result.stackName} ${dim(output, `in ${formatDuration(result.durationMs)}`)}`);
      } finally {
        interrupt.dispose();
        view.stop();
        destroyClients(ctx.clients);
      }
    });
}
