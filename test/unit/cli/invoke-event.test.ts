// `invoke --event <file>` with a file that is not there: one line naming the flag and the path,
// not Node's raw ENOENT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { captureOutput } from '../deploy/support.js';

const dir = mkdtempSync(join(tmpdir(), 'sls-ts-event-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('invoke --event', () => {
  it('a missing file: "--event: file not found: <path>", exit 1', async () => {
    const missing = join(dir, 'nonexist.json');
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'invoke', 'hello', '--event', missing, '-C', dir], output);
    expect(code).toBe(1);
    expect(output.stderr).toEqual([expect.stringContaining(`error --event: file not found: ${missing} — `)]);
  });

  it('a folder: "--event: cannot read <path> (it is a folder)", exit 1', async () => {
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'invoke', 'hello', '--event', dir, '-C', dir], output);
    expect(code).toBe(1);
    expect(output.stderr).toEqual([expect.stringContaining(`error --event: cannot read ${dir} (it is a folder) — `)]);
  });
});
