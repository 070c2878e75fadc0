import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isSlsError } from '../shared/errors.js';
import { RouteError } from '../router/index.js';
import { buildCommand } from './commands/build.js';
import { routesCommand } from './commands/routes.js';
import { serverCommand } from './commands/server.js';
import { invokeCommand } from './commands/invoke.js';
import { newCommand } from './commands/new.js';
import { generateCommand } from './commands/generate.js';
import { destroyCommand } from './commands/destroy.js';
import { deployCommand } from './commands/deploy.js';
import { deleteCommand } from './commands/delete.js';
import { urlCommand } from './commands/url.js';
import { statusCommand } from './commands/status.js';
import { resourcesCommand } from './commands/resources.js';
import { logsCommand } from './commands/logs.js';
import { printDiagnostics, printFailureJson, processOutput, red, type Output } from './output.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Commander's output, its usage errors printed as every other error is: `error <text> — <hint>`, one line. */
function commanderOutput(output: Output, usage: string) {
  return {
    writeOut: (text: string) => output.out(text.trimEnd()),
    writeErr: (text: string) => output.err(text.trimEnd()),
    outputError: (text: string) => printDiagnostics(output, [{ text: text.trim().replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' '), hint: `see ${usage} --help` }]),
  };
}

/** The commander program; each command lives in its own file under src/cli/commands/. */
export function createProgram(output: Output = processOutput()): Command {
  const program = new Command('sls-ts')
    .description('A Rails-style serverless framework for TypeScript on AWS Lambda and API Gateway')
    .version(packageJson.version, '-v, --version', 'print the sls-ts version')
    .configureOutput(commanderOutput(output, 'sls-ts'))
    .exitOverride()
    .addHelpText('after', '\nExamples:\n  sls-ts routes\n  sls-ts build --stage prod\n  sls-ts resources --stage prod\n\nDocs: README.md in the sls-ts package.');
  for (const command of [newCommand(output), generateCommand(output), destroyCommand(output), serverCommand(output), routesCommand(output), buildCommand(output), invokeCommand(output), deployCommand(output), deleteCommand(output), urlCommand(output), statusCommand(output), resourcesCommand(output), logsCommand(output)]) {
    program.addCommand(command.exitOverride().configureOutput(commanderOutput(output, `sls-ts ${command.name()}`)));
  }
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 user-facing error, 2 bad usage. */
export async function run(argv: readonly string[], output: Output = processOutput()): Promise<number> {
  const program = createProgram(output);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (jsonRequested(program)) printFailureJson(output, error);
    if (isSlsError(error)) {
      printDiagnostics(output, error.diagnostics);
      return error.exitCode ?? 1;
    }
    if (error instanceof RouteError) {
      printDiagnostics(output, error.diagnostics.map((d) => ({ text: d.text, ...(d.file && { file: d.file }), ...(d.line && { line: d.line }), ...(d.hint && { hint: d.hint }) })));
      return 1;
    }
    output.err(`${red(output, 'error')} ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.SLS_TS_DEBUG) output.err(String((error as Error).stack));
    return 1;
  }
}

/** Whether the command that ran was given --json: its callers parse stdout, so a failure must be JSON there too. */
function jsonRequested(program: Command): boolean {
  return program.commands.some((command) => command.opts().json === true);
}
