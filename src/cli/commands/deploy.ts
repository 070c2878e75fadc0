import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError } from 'commander';
import type { DeployEvent, DeployResult, ResourceChange } from '../../deploy/index.js';
import { describeDataChange, describeRetained } from '../../deploy/data-lines.js';
import { parseResourcesToSkip } from '../../deploy/skip-resources.js';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { watchInterrupt } from '../interrupt.js';
import { bold, dim, formatBytes, formatTable, green, printDiagnostics, red, yellow, type Output } from '../output.js';
import { addTypecheckOption, typecheckIfAsked } from '../typecheck-option.js';

/** A person at a terminal who can answer a question; CI and pipes never get asked. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

export async function askYesNo(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export interface ProgressView {
  onEvent(event: DeployEvent): void;
  /** Clears the live line; call before printing results or errors. */
  stop(): void;
}

/**
 * Renders deploy events: on a TTY one line that updates in place ("34/52 resources"), elsewhere
 * plain lines that read well in CI logs. Lasting lines go to stderr so stdout stays for results.
 */
/** A stack left failed (rollback disabled, or a rollback that failed): what it means for this deploy, said without --verbose. */
const FAILED_STACK_LINES: Partial<Record<string, (plan?: boolean) => string>> = {
  UPDATE_FAILED: (plan) => `its last update failed with rollback disabled, keeping what it had made; ${plan ? 'the plan is made from there' : 'AWS takes a new update from there, so deploying over it'}`,
  CREATE_FAILED: (plan) => `its first deploy failed with rollback disabled; ${plan ? 'the plan treats it as a first deploy (nothing is changed)' : 'to deploy, sls-ts rolls it back (RollbackStack), deletes it and creates it again (with --yes, or once confirmed)'}`,
  UPDATE_ROLLBACK_FAILED: (plan) => `a failed update could not be rolled back; ${plan ? 'no plan can be made until the rollback is continued' : 'to deploy, sls-ts continues the rollback (ContinueUpdateRollback) first (with --yes, or once confirmed)'}`,
};

export function createProgressView(output: Output, options: { live?: boolean; verbose?: boolean; plan?: boolean } = {}): ProgressView {
  const live = options.live ?? (Boolean(process.stderr.isTTY) && !process.env.CI);
  let shown = false;
  const transient = (text: string) => {
    if (!live) return;
    process.stderr.write(`\r\u001b[2K${text.slice(0, (process.stderr.columns || 100) - 1)}`);
    shown = true;
  };
  const stop = () => {
    if (shown) process.stderr.write('\r\u001b[2K');
    shown = false;
  };
  const line = (text: string) => {
    stop();
    output.err(text);
  };
  const ok = (text: string) => line(`${green(output, '✓')} ${text}`);

  const onEvent = (event: DeployEvent): void => {
    switch (event.type) {
      case 'stack-found':
        if (event.status === undefined) line(`${event.stackName}: first deploy`);
        else if (event.status === 'ROLLBACK_COMPLETE') line(`${yellow(output, event.stackName)} is ROLLBACK_COMPLETE: its first deploy failed, and CloudFormation can only delete such a stack. Deleting it and deploying again.`);
        else if (event.status === 'REVIEW_IN_PROGRESS') line(`${yellow(output, event.stackName)} is REVIEW_IN_PROGRESS: it was created by a change set that was never executed and holds no resources`);
        else if (event.status.endsWith('_IN_PROGRESS')) line(`${event.stackName} is ${event.status}: waiting for it to finish`);
        else if (FAILED_STACK_LINES[event.status]) line(`${yellow(output, event.stackName)} is ${event.status}: ${FAILED_STACK_LINES[event.status]!(options.plan)}`);
        else if (options.verbose) line(dim(output, `${event.stackName} is ${event.status}`));
        return;
      case 'stack-waiting':
        return live ? transient(`${event.stackName}: ${event.status}…`) : line(dim(output, `  ${event.stackName}: ${event.status}`));
      case 'stack-recovered':
        if (event.from === 'REVIEW_IN_PROGRESS') return ok(`deleted ${event.stackName} (REVIEW_IN_PROGRESS, no resources in it): creating it afresh`);
        return ok(event.from === 'UPDATE_ROLLBACK_FAILED' ? `rollback continued: ${event.stackName} is ${event.status ?? 'gone'}` : `deleted ${event.stackName} (${event.from})`);
      case 'build-start':
        return transient('building…');
      case 'build-done':
        ok(`built ${event.functions} functions ${dim(output, `in ${formatDuration(event.durationMs)}`)}`);
        return printDiagnostics(output, event.warnings);
      case 'templates-ready':
        line(dim(output, `  ${event.resources} resources${event.nestedStacks ? ` in ${event.nestedStacks + 1} templates (nested stacks)` : ''}`));
        return printDiagnostics(output, event.warnings);
      case 'bootstrap-start':
        return line(`creating ${event.stackName} with its artifacts bucket…`);
      case 'bootstrap-done':
        return ok(`artifacts bucket ${event.bucket}`);
      case 'upload-start':
        return transient(`uploading 0/${event.files}`);
      case 'upload-file':
        if (!event.skipped && options.verbose) line(dim(output, `  uploaded ${event.key} (${formatBytes(event.bytes)})`));
        return transient(`uploading ${event.done}/${event.total}`);
      case 'upload-done':
        return ok(`uploaded ${event.uploaded} ${event.uploaded === 1 ? 'file' : 'files'} (${formatBytes(event.bytes)}), ${event.skipped} unchanged`);
      case 'changeset-start':
        return transient('creating the change set…');
      case 'changeset-ready':
        stop();
        return printChanges(output, event.changes, options.verbose);
      case 'data-changes':
        for (const change of event.changes) line(`  ${change.retained ? yellow(output, '!') : red(output, '!')} ${describeDataChange(change)}`);
        return;
      case 'no-changes':
        return ok('no changes');
      case 'execute-start':
        return line(`deploying ${event.total} ${event.total === 1 ? 'change' : 'changes'}…`);
      case 'resource': {
        const { event: e, done, total } = event;
        const where = [...e.stackPath, e.logicalId].join(' › ');
        const failed = e.status.endsWith('_FAILED') && !/cancell?ed/i.test(e.reason ?? '');
        if (failed) return line(`${red(output, e.status)} ${where} (${e.type}): ${e.reason ?? ''}`);
        if (live) return transient(`${done}/${total} resources · ${where} ${e.status}`);
        if (options.verbose || /_COMPLETE$|_SKIPPED$/.test(e.status)) line(dim(output, `  [${done}/${total}] ${e.status} ${where} (${e.type})`));
        return;
      }
      case 'stack-done':
        return stop();
      case 'stage-verified':
        if (options.verbose && event.matches) line(dim(output, `  stage ${event.stage} serves deployment ${event.deploymentId}`));
        return;
      case 'routes-removing': {
        const shown = event.removed.slice(0, REMOVED_SHOWN).join(', ') + (event.removed.length > REMOVED_SHOWN ? ` and ${event.removed.length - REMOVED_SHOWN} more` : '');
        return line(`routes removed: deleting their API methods first (${shown}) while the stage keeps serving ${event.deploymentId}; the new routes follow in a second update`);
      }
      case 'function-checked':
        if (options.verbose || event.changed) line(dim(output, `  ${event.functionName}: ${event.changed ? 'changed' : 'unchanged'}`));
        return;
      case 'function-updated':
        return ok(`updated ${event.functionName}`);
      case 'drift-reconciled':
        return ok(`hot-swapped code reconciled: ${event.functions.join(', ')}`);
      case 'bucket-emptied':
        return ok(`emptied ${event.bucket} (${event.deleted} ${event.deleted === 1 ? 'object' : 'objects'})`);
      case 'delete-start':
        return line(`deleting ${event.stackName}…`);
      case 'retained':
        for (const resource of event.resources) line(`  ${yellow(output, '!')} ${describeRetained(resource)}`);
        return;
      case 'warning':
        stop();
        return printDiagnostics(output, [event.diagnostic]);
    }
  };
  return { onEvent, stop };
}

/** How many removed methods the two-update notice names before it counts the rest. */
const REMOVED_SHOWN = 5;

const MARKS = { add: '+', modify: '~', replace: '±', remove: '-', import: '>', dynamic: '?' } as const;

/** Past this many, a summary per action; `--verbose` lists every resource. */
const CHANGE_LIST_LIMIT = 100;

export function printChanges(output: Output, changes: readonly ResourceChange[], verbose = false): void {
  const counts = (['add', 'modify', 'replace', 'remove', 'import', 'dynamic'] as const)
    .map((action) => [action, changes.filter((change) => change.action === action).length] as const)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${count} to ${action}`);
  output.err(bold(output, `Changes: ${counts.join(', ') || 'none'}`));
  // Replacements and removals are what a reader must not miss, so they always come first and are never cut.
  const rank = { replace: 0, remove: 1, modify: 2, add: 3, import: 4, dynamic: 5 } as const;
  const sorted = [...changes].sort((a, b) => rank[a.action] - rank[b.action]);
  const shown = verbose ? sorted : sorted.filter((change, index) => index < CHANGE_LIST_LIMIT || change.action === 'replace' || change.action === 'remove');
  const rows = shown.map((change) => {
    const action = change.action === 'replace' ? red(output, 'Replace') : change.action === 'remove' ? yellow(output, 'Remove') : change.action[0]!.toUpperCase() + change.action.slice(1);
    const note = change.replacement === 'Conditional' ? ' (may replace)' : '';
    return [`${MARKS[change.action]} ${action}${note}`, [...change.stackPath, change.logicalId].join(' › '), change.type, change.source ?? ''];
  });
  for (const row of formatTable(['Action', 'Resource', 'Type', 'From'], rows)) output.err(`  ${row}`);
  if (shown.length < changes.length) output.err(dim(output, `  … and ${changes.length - shown.length} more (--verbose lists them all)`));
  const replaced = changes.filter((change) => change.action === 'replace').length;
  if (replaced > 0) output.err(yellow(output, `  ${replaced} ${replaced === 1 ? 'resource is' : 'resources are'} replaced (deleted and created again)`));
}

export function printDeployResult(output: Output, result: DeployResult): void {
  if (result.outcome === 'plan') {
    if (result.firstDeploy) printChanges(output, result.changes);
    output.out(`${bold(output, 'plan only')}: nothing was changed ${dim(output, `(${formatDuration(result.durationMs)})`)}`);
    return;
  }
  const verb = result.outcome === 'no-changes' ? `${result.stackName} is up to date` : `deployed ${result.stackName}`;
  output.out(`${green(output, '✓')} ${verb} ${dim(output, `in ${formatDuration(result.durationMs)}`)}`);
  if (result.apiUrl) output.out(`${bold(output, 'API')}  ${result.apiUrl}`);
  if (result.domainUrl) output.out(`${bold(output, 'Domain')}  ${result.domainUrl}`);
  for (const channel of result.channels ?? []) output.out(`${bold(output, 'WS')}  ${channel.url}  ${dim(output, `(channel ${channel.channel})`)}`);
  if (result.routes.length > 0) {
    output.out('');
    for (const row of formatTable(['Method', 'URL', 'From'], result.routes.map((route) => [route.method, route.url, route.source]))) output.out(`  ${row}`);
  }
}

interface DeployFlags extends CommonOptions {
  yes?: boolean;
  plan?: boolean;
  wait: boolean;
  codeOnly?: boolean;
  json?: boolean;
  skipResources?: string[];
}

/** `--skip-resources A,B`: a malformed list is bad usage (exit 2), caught before anything loads. */
function skipResourcesFlag(value: string): string[] {
  try {
    return parseResourcesToSkip(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function deployCommand(output: Output): Command {
  return addTypecheckOption(addCommonOptions(new Command('deploy')))
    .description('deploy the app to AWS: build, upload, change set, execute (or only the code that changed with --code-only)')
    .argument('[what]', '`function` to deploy the code of one function')
    .argument('[name]', 'the function (key or short name) for `deploy function <name>`')
    .option('-y, --yes', 'never ask: continue a failed rollback, and replace or remove tables and buckets (their data goes unless retained)')
    .option('--plan', 'stop after showing the change set; change nothing')
    .option('--no-wait', 'stop instead of waiting when another stack operation is running')
    .option('--code-only', 'update only the code of functions whose zip changed (Lambda UpdateFunctionCode, no CloudFormation)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--skip-resources <ids>', 'when continuing a failed rollback, leave these resources as they are (logical ids, comma-separated; NestedStack.LogicalId inside a nested stack)', skipResourcesFlag)
    .addHelpText('after', '\nExamples:\n  sls-ts deploy\n  sls-ts deploy --stage prod --yes\n  sls-ts deploy --plan\n  sls-ts deploy --code-only\n  sls-ts deploy function posts\n\nThe code-only path ships code only: routes, settings and new functions need a full deploy,\nwhich also reconciles the hot-swapped code (see `sls-ts status`).\n\nA change that replaces or removes a table or a bucket is listed before anything runs and\nneeds --yes (or a yes at the prompt); one with removal: \'retain\' stays in the account.')
    .action(async (what: string | undefined, name: string | undefined, options: DeployFlags & { typecheck?: boolean }, command: Command) => {
      const { deploy, deployCode, createDeployContext, destroyClients } = await loadDeployRoom();
      if (what !== undefined && what !== 'function') command.error(`unknown deploy target "${what}" (did you mean \`deploy function ${what}\`?)`, { exitCode: 2 });
      if (what === 'function' && !name) command.error('missing function name: sls-ts deploy function <name>', { exitCode: 2 });
      if (options.plan && (options.codeOnly || what === 'function')) command.error('--plan shows a CloudFormation change set, which --code-only and `deploy function` skip: pass one of them', { exitCode: 2 });
      const { config } = await loadAppConfig(output, options, 'deploy');
      const view = createProgressView(output, { ...(options.verbose && { verbose: true }), ...(options.plan && { plan: true }) });
      const interrupt = watchInterrupt(output, options, view.stop);
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }), onEvent: (event) => { interrupt.onEvent(event); view.onEvent(event); } });
      try {
        await typecheckIfAsked(output, config, options.typecheck, options.json);
        if (options.codeOnly || what === 'function') {
          const result = await deployCode(ctx, { wait: options.wait, ...(name && { functions: [name] }) });
          view.stop();
          if (options.json) return output.out(JSON.stringify(result, null, 2));
          const summary = result.updated.length ? `updated ${result.updated.join(', ')}` : 'no code changes';
          output.out(`${green(output, '✓')} ${summary} ${dim(output, `in ${formatDuration(result.durationMs)}`)}`);
          if (result.updated.length) output.out(dim(output, 'the stack\'s template still has the old code: the next full `sls-ts deploy` reconciles it'));
          return;
        }
        const interactive = isInteractive() && !options.yes;
        const result = await deploy(ctx, { wait: options.wait, ...(options.yes && { yes: true }), ...(options.plan && { plan: true }), ...(options.skipResources && { skipResources: options.skipResources }), ...(interactive && { confirm: askYesNo }) });
        view.stop();
        if (options.json) output.out(JSON.stringify(result, null, 2));
        else printDeployResult(output, result);
      } finally {
        interrupt.dispose();
        view.stop();
        destroyClients(ctx.clients);
      }
    });
}
