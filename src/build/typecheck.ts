// `--typecheck` for build and deploy: esbuild strips types without checking them, so a type
// error would otherwise reach Lambda. Runs the app's own `tsc --noEmit -p tsconfig.json`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { SlsError, type Diagnostic } from '../shared/errors.js';

/** How many type errors the failure lists; tsc's own run shows them all. */
const SHOWN_ERRORS = 10;

/** `file(line,col): error TS1234: text`, as tsc prints it with --pretty false. */
const LOCATED = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/;
const UNLOCATED = /^error (TS\d+): (.*)$/;

/** The app's own TypeScript (the version its code is written for), else the one sls-ts has. */
function findTsc(root: string): string | undefined {
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('typescript/bin/tsc');
    } catch {
      // not installed there: try the next place
    }
  }
  return undefined;
}

function parseTscOutput(root: string, text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of text.split(/\r?\n/)) {
    const located = LOCATED.exec(line);
    if (located) {
      diagnostics.push({ file: resolve(root, located[1]!), line: Number(located[2]), text: `${located[4]} (${located[3]})` });
      continue;
    }
    const unlocated = UNLOCATED.exec(line);
    if (unlocated) diagnostics.push({ file: join(root, 'tsconfig.json'), text: `${unlocated[2]} (${unlocated[1]})` });
  }
  return diagnostics;
}

/**
 * Type-checks the app in `root` with `tsc --noEmit -p tsconfig.json`; throws an SlsError listing
 * the first errors (file and line) when there are any.
 */
export async function typecheckApp(root: string): Promise<void> {
  const tsconfig = join(root, 'tsconfig.json');
  const off = 'or turn the check off (--no-typecheck, or build.typecheck: false in sls-ts.config.ts)';
  if (!existsSync(tsconfig)) {
    throw new SlsError({ text: 'the type check needs a tsconfig.json in the app', file: tsconfig, hint: `add one (sls-ts new writes one), ${off}` });
  }
  const tsc = findTsc(root);
  if (!tsc) throw new SlsError({ text: 'the type check needs TypeScript, which is not installed', file: root, hint: `npm install --save-dev typescript in the app, ${off}` });

  const { code, text } = await new Promise<{ code: number; text: string }>((done) => {
    execFile(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', tsconfig], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, text: `${stdout}${stderr}` });
    });
  });
  if (code === 0) return;
  const errors = parseTscOutput(root, text);
  // tsc failed without a line we understand (a crash, an unusual message): show what it said.
  if (errors.length === 0) errors.push({ file: tsconfig, text: `tsc --noEmit failed (exit code ${code}): ${text.trim().split('\n').slice(0, 5).join('\n') || 'no output'}` });
  const shown = errors.slice(0, SHOWN_ERRORS);
  const more = errors.length - shown.length;
  const hint = `fix the type errors first${more > 0 ? ` (${more} more not shown: run npx tsc --noEmit -p tsconfig.json in the app)` : ''}, ${off}`;
  throw new SlsError(shown.map((diagnostic, index) => (index === shown.length - 1 ? { ...diagnostic, hint } : diagnostic)));
}
