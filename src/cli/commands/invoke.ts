import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { invokeLocal } from '../../dev-server/index.js';
import { SlsError } from '../../shared/errors.js';
import { addCommonOptions, type CommonOptions } from '../context.js';
import { dim, type Output } from '../output.js';

function readEvent(source: string | undefined, cwd: string): unknown {
  if (source === undefined) return undefined;
  const text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(cwd, source), 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SlsError({ text: `--event ${source}: not valid JSON (${(error as Error).message})`, hint: 'pass a JSON file, or - to read JSON from stdin' });
  }
}

export function invokeCommand(output: Output): Command {
  return addCommonOptions(new Command('invoke'))
    .description('invoke one function (controller, job or plain function) with an event and print its result')
    .argument('<function>', 'function key (posts-controller, cleanup-job, hello) or short name (posts, cleanup)')
    .option('-e, --event <file>', 'JSON event file, or - for stdin (default: a real-shaped event for the function)')
    .option('--local', 'run it locally in a Lambda-like worker (the default until deploy lands)')
    .addHelpText('after', '\nExamples:\n  sls-ts invoke cleanup --local\n  sls-ts invoke hello --local --event event.json\n  echo \'{"x":1}\' | sls-ts invoke hello --local --event -')
    .action(async (name: string, options: CommonOptions & { event?: string; local?: boolean }) => {
      const root = resolve(options.cwd ?? process.cwd());
      const event = readEvent(options.event, process.cwd());
      const result = await invokeLocal({ root, stage: options.stage, name, ...(event !== undefined && { event }), ...(options.region && { region: options.region }) });
      const { outcome } = result;
      output.err(dim(output, `${result.functionName} ${outcome.cold ? 'cold' : 'warm'} ${outcome.durationMs} ms`));
      if (outcome.kind === 'error') {
        output.out(JSON.stringify(outcome.error, null, 2));
        throw new SlsError({ text: `${result.functionName} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}` });
      }
      output.out(JSON.stringify(JSON.parse(outcome.payload), null, 2));
    });
}
