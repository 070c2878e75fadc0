// Flag values checked as commander parses them: a bad value is bad usage (exit 2, one line naming
// the flag), caught before any config is loaded or AWS is called.
import { statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { checkStageName } from '../config/index.js';

/** An argParser for a whole number in [min, max]. */
export function integerFlag(min: number, max = Number.MAX_SAFE_INTEGER, what = 'a whole number'): (value: string) => number {
  return (value) => {
    const number = Number(value.trim());
    if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}–${max}`;
      throw new InvalidArgumentError(`expected ${what} (${range})`);
    }
    return number;
  };
}

export const portFlag = integerFlag(0, 65535, 'a port number');

/** `--stage`: the same rule the config applies to its `stages` keys. */
export function stageFlag(value: string): string {
  const problem = checkStageName(value);
  if (problem) throw new InvalidArgumentError(`${problem.text} (${problem.hint})`);
  return value;
}

/**
 * `-C`: a folder that exists. The search for the app walks up from it, so a typo'd folder inside
 * an app would otherwise quietly run the command on the app around it.
 */
export function folderFlag(value: string): string {
  if (!statSync(value, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError('no such folder');
  return value;
}

/**
 * Runs a check that needs more than commander's synchronous parsers have (the deploy room's
 * parseSince is loaded lazily): what it throws becomes a usage error, as a parser's would.
 */
export function parseFlag<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    return command.error(`${(error as Error).message}${hint ? ` (${hint})` : ''}`, { exitCode: 2 });
  }
}
