import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds the commander program; each later command lives in its own file under src/cli/. */
export function createProgram(): Command {
  return new Command('sls-ts')
    .description('A Rails-style serverless framework for TypeScript on AWS Lambda and API Gateway')
    .version(packageJson.version, '-v, --version', 'print the sls-ts version')
    .addHelpText('after', '\nDocs: README.md in the sls-ts package. Commands arrive with the issues that add them.')
    .exitOverride()
    .showHelpAfterError();
}

/** Runs the CLI and returns the exit code: 0 success, 1 user-facing error, 2 bad usage. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    console.error(`sls-ts: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
