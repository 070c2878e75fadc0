import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function slsTs(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
}

describe('sls-ts binary', () => {
  it('prints help and exits 0', () => {
    const result = slsTs('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: sls-ts');
    expect(result.stdout).toContain('--version');
  });

  it('prints the package version', () => {
    const result = slsTs('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('exits 2 on bad usage with a message', () => {
    const result = slsTs('--no-such-flag');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-flag'");
  });
});

describe('example-app', () => {
  it('type-checks against the public API', () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const result = spawnSync(process.execPath, [tsc, '-p', 'example-app/tsconfig.json'], { encoding: 'utf8', cwd: root });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the tour through the built package', () => {
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [tsx, 'example-app/tour.ts'], { encoding: 'utf8', cwd: root });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/POST \/posts\s+→ 201/);
    expect(result.stdout).toMatch(/AnnounceJob \(performLater\)\s+→ ran$/m);
    expect(result.stdout).toMatch(/GET \/logo\.png\s+→ 200 <\d+ bytes of image\/png>/);
    expect(result.stdout).toMatch(/GET \/nowhere\s+→ 403 \{"message":"Missing Authentication Token"\}/);
  });
});

describe('npm run example (sls-ts server on example-app)', () => {
  it('serves example-app over HTTP as API Gateway would', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'server', '-C', 'example-app', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in: ${output}`)), 15_000);
        child.stdout.on('data', () => {
          const match = / on (http:\/\/[^\s]+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', stage: 'dev' });
      const missing = await fetch(`${url}/nowhere`);
      expect(missing.status).toBe(403);
      expect(await missing.text()).toBe('{"message":"Missing Authentication Token"}');
    } finally {
      child.kill('SIGINT');
    }
  });
});
