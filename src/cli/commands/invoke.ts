import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadDeployRoom } from '../lazy.js';
import { defaultEvent, findTarget, invokeLocal } from '../../dev-server/index.js';
import { loadAppState } from '../../dev-server/app-state.js';
import { SlsError } from '../../shared/errors.js';
import { addCommonOptions, appRoot, loadAppConfig, type CommonOptions } from '../context.js';
import { dim, printDiagnostics, type Output } from '../output.js';

function readEvent(source: string | undefined, cwd: string): unknown {
  if (source === undefined) return undefined;
  const text = source === '-' ? readFileSync(0, 'utf8') : readEventFile(resolve(cwd, source));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SlsError({ text: `--event ${source}: not valid JSON (${(error as Error).message})`, hint: 'pass a JSON file, or - to read JSON from stdin' });
  }
}

/** Node's own "ENOENT: no such file or directory, open …" names neither the flag nor a way out. */
function readEventFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SlsError({ text: `--event: file not found: ${path}`, hint: 'pass the path of a JSON event file (relative to the current directory), or - to read JSON from stdin' });
    if (code === 'EISDIR' || code === 'EACCES') throw new SlsError({ text: `--event: cannot read ${path} (${code === 'EISDIR' ? 'it is a folder' : 'permission denied'})`, hint: 'pass a readable JSON event file, or - to read JSON from stdin' });
    throw error;
  }
}

export function invokeCommand(output: Output): Command {
  return addCommonOptions(new Command('invoke'))
    .description('invoke one function (controller, job or plain function) with an event and print its result')
    .argument('<function>', 'function key (posts-controller, cleanup-job, hello), short name (posts, cleanup), or a controller action as routes names it (posts#create)')
    .option('-e, --event <file>', 'JSON event file, or - for stdin (default: a real-shaped event for the function)')
    .option('--local', 'run it locally in a Lambda-like worker (the default)')
    .option('--persist', 'with --local: the declared tables and buckets use the data `sls-ts server --persist` keeps (default: fresh, in memory)')
    .option('--remote', 'invoke the deployed function (Lambda Invoke) and print its result and log tail')
    .addHelpText('after', '\nThe function\'s own output (console.log) goes to stderr: stdout is the result alone.\n\nExamples:\n  sls-ts invoke cleanup --local\n  sls-ts invoke posts#create --local --event event.json\n  sls-ts invoke hello --local --event event.json\n  echo \'{"x":1}\' | sls-ts invoke hello --local --event -\n  sls-ts invoke posts --remote --stage prod')
    .action(async (name: string, options: CommonOptions & { event?: string; local?: boolean; remote?: boolean; persist?: boolean }, command: Command) => {
      if (options.local && options.remote) command.error('choose one of --local and --remote', { exitCode: 2 });
      // The flag's file first: a bad --event is reported the same wherever the command runs.
      const event = readEvent(options.event, process.cwd());
      const root = appRoot(options);
      if (options.remote) return invokeDeployed(output, name, options, event);
      const result = await invokeLocal({ root, stage: options.stage, name, onLog: (line) => output.err(line), persist: Boolean(options.persist), ...(event !== undefined && { event }), ...(options.region && { region: options.region }) });
      const { outcome } = result;
      printDiagnostics(output, result.warnings, root);
      output.err(dim(output, `${result.functionName} ${outcome.cold ? 'cold' : 'warm'} ${outcome.durationMs} ms`));
      if (outcome.kind === 'error') {
        output.out(JSON.stringify(outcome.error, null, 2));
        throw new SlsError({ text: `${result.functionName} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}` });
      }
      output.out(JSON.stringify(JSON.parse(outcome.payload), null, 2));
    });
}

/** `invoke --remote`: the same real-shaped default event as a local run, sent through Lambda Invoke. */
async function invokeDeployed(output: Output, name: string, options: CommonOptions, given: unknown): Promise<void> {
  const { config } = await loadAppConfig(output, options, 'deploy');
  let event = given;
  let target = name;
  // invokeRemote knows function names only: `posts#create` is resolved here, as locally.
  if (event === undefined || name.includes('#')) {
    const state = await loadAppState(config.root, config.stage, config.region);
    const { fn, route } = findTarget(state, name);
    event ??= defaultEvent(state, fn, route);
    // Already resolved: spares invokeRemote reading the app a second time.
    target = fn.functionName;
  }
  const { createDeployContext, destroyClients, invokeRemote } = await loadDeployRoom();
  const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }) });
  try {
    const result = await invokeRemote(ctx, { name: target, event });
    if (result.logTail) for (const line of result.logTail.trimEnd().split('\n')) output.err(dim(output, line));
    const payload = prettyJson(result.payload);
    if (result.functionError) {
      output.out(payload);
      const error = parseJson(result.payload) as { errorType?: string; errorMessage?: string } | undefined;
      const detail = error?.errorMessage ? `: ${error.errorType ?? 'Error'}: ${error.errorMessage}` : '';
      throw new SlsError({ text: `${result.functionName} failed (${result.functionError})${detail}` });
    }
    output.out(payload);
  } finally {
    destroyClients(ctx.clients);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function prettyJson(text: string): string {
  const value = parseJson(text);
  return value === undefined ? text : JSON.stringify(value, null, 2);
}
