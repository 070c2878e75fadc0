import { Command } from 'commander';
import type { StatusResult } from '../../deploy/index.js';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { integerFlag } from '../flags.js';
import { bold, dim, formatTable, green, red, yellow, type Output } from '../output.js';

function colorStatus(output: Output, value: string): string {
  if (/FAILED|ROLLBACK/.test(value)) return red(output, value);
  if (value.endsWith('_IN_PROGRESS')) return yellow(output, value);
  return green(output, value);
}

export function printStatus(output: Output, result: StatusResult): void {
  if (!result.exists) {
    output.out(`${result.stackName} is not deployed in ${result.region}`);
    return;
  }
  const rows: string[][] = [
    ['Stack', `${result.stackName} (${result.region})`],
    ['Status', colorStatus(output, result.status ?? 'unknown') + (result.reason ? dim(output, ` ${result.reason}`) : '')],
    ...(result.lastUpdated ? [['Updated', result.lastUpdated]] : []),
    ...(result.outputs.ApiUrl ? [['API', result.outputs.ApiUrl]] : []),
    // WebSocket channels: their wss:// URLs beside the API's (their @connections endpoints are in Outputs).
    ...(result.channels ?? []).map((channel) => ['WS', `${channel.url}${dim(output, `  (channel ${channel.channel})`)}`]),
  ];
  for (const [label, value] of rows) output.out(`${bold(output, label!.padEnd(8))} ${value}`);

  const outputs = Object.entries(result.outputs).filter(([key]) => key !== 'ApiUrl');
  if (outputs.length > 0) {
    output.out('');
    output.out(bold(output, 'Outputs'));
    for (const row of formatTable(['Name', 'Value'], outputs.map(([key, value]) => [key, value]))) output.out(`  ${row}`);
  }
  printApiKeys(output, result.apiKeys);
  output.out('');
  if (result.drift.length === 0) output.out(`${bold(output, 'Drift')}    none: every function runs the code in the template`);
  else {
    output.out(`${bold(output, 'Drift')}    ${yellow(output, `${result.drift.length} hot-swapped ${result.drift.length === 1 ? 'function' : 'functions'}`)} ${dim(output, '(`sls-ts deploy` reconciles)')}`);
    const rows = result.drift.map((swap) => [swap.key, swap.sha256.slice(0, 12), swap.templateSha256.slice(0, 12), swap.at]);
    for (const row of formatTable(['Function', 'Running', 'Template', 'Since'], rows)) output.out(`  ${row}`);
  }
  if (result.events.length > 0) {
    output.out('');
    output.out(bold(output, 'Last events'));
    const rows = result.events.map((event) => [event.timestamp.toISOString(), event.status, event.logicalId, event.type, event.reason ?? '']);
    for (const row of formatTable(['Time', 'Status', 'Resource', 'Type', 'Reason'], rows)) output.out(`  ${row}`);
  }
}

/** Names and values: the values are secrets the user asked for, which is why only `status` prints them. */
function printApiKeys(output: Output, keys: StatusResult['apiKeys']): void {
  if (keys.length === 0) return;
  output.out('');
  output.out(`${bold(output, 'API keys')} ${dim(output, '(secrets: give each to its client only; clients send it in x-api-key)')}`);
  // Plain cells: the table pads by length, which color codes would throw off.
  const state = keys.some((key) => key.enabled === false);
  const rows = keys.map((key) => [key.name, key.value ?? `(unreadable: ${key.error ?? 'no value returned'})`, ...(state ? [key.enabled === false ? 'disabled' : 'enabled'] : [])]);
  for (const row of formatTable(['Name', 'Value', ...(state ? ['State'] : [])], rows)) output.out(`  ${row}`);
}

export function statusCommand(output: Output): Command {
  return addCommonOptions(new Command('status'))
    .description('show the deployed stack: status, last update, outputs, API keys and their values, hot-swapped code, recent events')
    .option('--json', 'print the status as JSON')
    .option('--events <n>', 'how many recent events to show', integerFlag(0), 10)
    .addHelpText('after', '\nExamples:\n  sls-ts status\n  sls-ts status --stage prod --json')
    .action(async (options: CommonOptions & { json?: boolean; events: number }) => {
      const { createDeployContext, destroyClients, status } = await loadDeployRoom();
      const { config } = await loadAppConfig(output, options, 'deploy');
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }) });
      try {
        const result = await status(ctx, { events: options.events });
        if (options.json) output.out(JSON.stringify(result, null, 2));
        else printStatus(output, result);
      } finally {
        destroyClients(ctx.clients);
      }
    });
}
