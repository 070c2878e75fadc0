import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDotenv } from '../../../src/config/index.js';

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function appWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sls-ts-dotenv-'));
  temp.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

describe('loadDotenv()', () => {
  const root = appWith({
    '.env': 'A=env\nB=env\nC=env\nD=env\n# a comment\nQUOTED="two words"\n',
    '.env.dev': 'B=dev\nC=dev\nD=dev\n',
    '.env.dev.local': 'C=local\nD=local\n',
    '.env.prod': 'A=prod\n',
  });

  it('layers .env < .env.<stage> < .env.<stage>.local < process env', () => {
    const { values } = loadDotenv(root, 'dev', { D: 'process', PATH: '/usr/bin', HOME: '/root' });
    expect(values).toEqual({ A: 'env', B: 'dev', C: 'local', D: 'process', QUOTED: 'two words' });
  });

  it('takes from process env only keys some file declares', () => {
    const { values } = loadDotenv(root, 'dev', { SECRET_ON_THIS_MACHINE: 'x', A: 'process' });
    expect(values).not.toHaveProperty('SECRET_ON_THIS_MACHINE');
    expect(values.A).toBe('process');
  });

  it("lists the files that exist, lowest precedence first, and skips other stages' files", () => {
    const { files } = loadDotenv(root, 'dev', {});
    expect(files).toEqual([join(root, '.env'), join(root, '.env.dev'), join(root, '.env.dev.local')]);
    expect(loadDotenv(root, 'prod', {}).files).toEqual([join(root, '.env'), join(root, '.env.prod')]);
    expect(loadDotenv(root, 'prod', {}).values.A).toBe('prod');
  });

  it('says where each value came from', () => {
    const { sources } = loadDotenv(root, 'dev', { D: 'process' });
    expect(sources).toEqual({
      A: join(root, '.env'),
      QUOTED: join(root, '.env'),
      B: join(root, '.env.dev'),
      C: join(root, '.env.dev.local'),
      D: 'process.env',
    });
  });

  it('returns nothing for an app without .env files', () => {
    expect(loadDotenv(appWith({}), 'dev', { A: 'x' })).toEqual({ values: {}, files: [], sources: {} });
  });

  it('reads process.env by default', () => {
    const dir = appWith({ '.env': 'SLS_TS_DOTENV_TEST=file\n' });
    process.env.SLS_TS_DOTENV_TEST = 'process';
    try {
      expect(loadDotenv(dir, 'dev').values.SLS_TS_DOTENV_TEST).toBe('process');
    } finally {
      delete process.env.SLS_TS_DOTENV_TEST;
    }
  });
});
