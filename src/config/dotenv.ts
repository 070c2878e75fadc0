// .env files: the environment a stage's functions get, besides the config's `env`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { SlsError } from '../shared/errors.js';

export interface DotenvResult {
  /** The layered values: what functions of this stage receive (before the config's `env`). */
  values: Record<string, string>;
  /** Absolute paths of the .env files that exist, lowest precedence first (the dev server watches them). */
  files: string[];
  /** Where each value came from: a file's absolute path, or 'process.env'. */
  sources: Record<string, string>;
}

/** `.env` < `.env.<stage>` < `.env.<stage>.local`: later files override earlier ones. */
export function dotenvFiles(root: string, stage: string): string[] {
  return ['.env', `.env.${stage}`, `.env.${stage}.local`].map((name) => join(root, name));
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SlsError({ text: `cannot read ${file}: ${(error as Error).message}`, file, hint: 'check the file is a readable text file' }, { cause: error });
  }
}

/**
 * Layers `.env` < `.env.<stage>` < `.env.<stage>.local` < process env. The process environment
 * only overrides keys that some file declares: the machine's whole environment (PATH, HOME,
 * credentials…) must never end up in Lambda's.
 */
export function loadDotenv(root: string, stage: string, processEnv: Record<string, string | undefined> = process.env): DotenvResult {
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const files: string[] = [];
  for (const file of dotenvFiles(root, stage)) {
    const text = readIfExists(file);
    if (text === undefined) continue;
    files.push(file);
    for (const [key, value] of Object.entries(parse(text))) {
      values[key] = value;
      sources[key] = file;
    }
  }
  for (const key of Object.keys(values)) {
    const fromProcess = processEnv[key];
    if (fromProcess !== undefined) {
      values[key] = fromProcess;
      sources[key] = 'process.env';
    }
  }
  return { values, files, sources };
}
