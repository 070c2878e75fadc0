// typecheckApp through the programmatic API (sls-ts/tooling): which TypeScript runs, how errors
// come back (file and line, the first ten), and what a missing tsconfig.json says.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheckApp } from '../../../src/index.js';
import { slsError, tempDir } from '../generators/support.js';

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022' }, include: ['**/*.ts'] });

/** An app with no node_modules: sls-ts's own TypeScript has to do the check. */
function appWith(files: Record<string, string>): string {
  const root = tempDir('sls-ts-typecheck-');
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
  return root;
}

describe('typecheckApp', () => {
  it("passes a clean app, with sls-ts's TypeScript when the app has none", async () => {
    await expect(typecheckApp(appWith({ 'tsconfig.json': TSCONFIG, 'app/ok.ts': 'export const n: number = 1;\n' }))).resolves.toBeUndefined();
  }, 60_000);

  it('lists the first ten type errors with file and line, and says how many more there are', async () => {
    const lines = Array.from({ length: 12 }, (_, index) => `export const n${index}: number = 'x${index}';`);
    const root = appWith({ 'tsconfig.json': TSCONFIG, 'app/bad.ts': `${lines.join('\n')}\n` });
    const error = await slsError(() => typecheckApp(root));
    expect(error.diagnostics).toHaveLength(10);
    expect(error.diagnostics[0]).toEqual({ file: join(root, 'app', 'bad.ts'), line: 1, text: "Type 'string' is not assignable to type 'number'. (TS2322)" });
    expect(error.diagnostics.map((d) => d.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(error.diagnostics[9]!.hint).toBe('fix the type errors first (2 more not shown: run npx tsc --noEmit -p tsconfig.json in the app), or turn the check off (--no-typecheck, or build.typecheck: false in sls-ts.config.ts)');
  }, 60_000);

  it('names the missing tsconfig.json', async () => {
    const root = appWith({ 'app/ok.ts': 'export {};\n' });
    const error = await slsError(() => typecheckApp(root));
    expect(error.diagnostics).toEqual([{
      text: 'the type check needs a tsconfig.json in the app',
      file: join(root, 'tsconfig.json'),
      hint: 'add one (sls-ts new writes one), or turn the check off (--no-typecheck, or build.typecheck: false in sls-ts.config.ts)',
    }]);
  });
});
