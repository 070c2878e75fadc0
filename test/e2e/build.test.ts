import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildManifest } from '../../src/index.js';
import { copyApp, createScratch, exampleApp, fixture, installS3Stub, repoRoot } from '../unit/build/support.js';

const bin = join(repoRoot, 'bin', 'sls-ts.js');
const scratch = createScratch();
afterAll(() => scratch.cleanup());

function slsTs(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env } });
}

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;
const SIZE = String.raw`\d+(?:\.\d)? (?:B|KB)`;
const manifestOf = (app: string, stage = 'dev') => JSON.parse(readFileSync(join(app, '.sls-ts', 'build', stage, 'manifest.json'), 'utf8')) as BuildManifest;

describe('sls-ts build', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp(exampleApp, scratch.dir);
  });

  it('builds example-app, prints the size table and exits 0', () => {
    const result = slsTs(['build', '-C', app]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Function\s+Kind\s+Zipped\s+Unzipped\s+sha256$/);
    const manifest = manifestOf(app);
    expect(manifest.layout).toBe('controller');
    expect(manifest.functions).toHaveLength(13);
    for (const fn of manifest.functions) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${fn.functionName}\\s+${fn.kind}\\s+${SIZE}\\s+${SIZE}\\s+${fn.artifact.sha256.slice(0, 12)}$`)));
      expect(existsSync(join(app, '.sls-ts', 'build', 'dev', fn.artifact.file))).toBe(true);
    }
    expect(lines.at(-1)).toMatch(/^✓ built 13 functions \(controller layout\) into .*\.sls-ts\/build\/dev in \d+ ms$/);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('builds the single layout with --layout single', () => {
    const result = slsTs(['build', '-C', app, '--layout', 'single']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/✓ built 6 functions \(single layout\)/);
    expect(result.stdout).toMatch(/^example-app-dev-controller\s+single\s/m);
    const manifest = manifestOf(app);
    expect(manifest.functions.map((fn) => fn.kind)).toEqual(['single', 'job', 'job', 'job', 'authorizer', 'channel']);
    // The previous layout's zips are gone: the output directory holds this build only.
    const files = readdirSync(join(app, '.sls-ts', 'build', 'dev'));
    expect(files.filter((name) => name.endsWith('.zip')).sort()).toEqual(['admin-authorizer.zip', 'announce-job.zip', 'chat-channel.zip', 'cleanup-job.zip', 'controller.zip', 'summarize-upload-job.zip']);
    expect(files).toContain('manifest.json');
  });

  it('builds the action layout with --layout action and a stage with --stage', () => {
    const result = slsTs(['build', '-C', app, '--layout', 'action', '--stage', 'prod']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/✓ built 19 functions \(action layout\) into .*\.sls-ts\/build\/prod/);
    expect(manifestOf(app, 'prod').functions.every((fn) => fn.functionName.startsWith('example-app-prod-'))).toBe(true);
  });

  it('exits 2 on a bad --layout value', () => {
    const result = slsTs(['build', '-C', app, '--layout', 'lambda-per-route']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("argument 'lambda-per-route' is invalid. Allowed choices are controller, action, single.");
  });

  it('exits 1 with the looked-for names when there is no config', () => {
    const result = slsTs(['build', '-C', scratch.dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('looked for sls-ts.config.ts, sls-ts.config.mts, sls-ts.config.js, sls-ts.config.mjs');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 1 on discovery errors, one line each, without a stack', () => {
    const broken = copyApp(fixture('broken'), scratch.dir);
    const result = slsTs(['build', '-C', broken]);
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(7);
    expect(result.stderr).toMatch(/config\/routes\.ts:5: GET \/ghost → ghost#index/);
    expect(existsSync(join(broken, '.sls-ts', 'build'))).toBe(false);
  });

  it('prints a warning for each function over build.sizeBudgetKB and still succeeds', () => {
    const shop = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(shop);
    const result = slsTs(['build', '-C', shop, '--stage', 'tiny']);
    expect(result.status).toBe(0);
    const manifest = manifestOf(shop, 'tiny');
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning ')); // diagnostics go to stderr, results to stdout
    const over = manifest.functions.filter((fn) => fn.artifact.zippedBytes > 1024);
    expect(warnings).toHaveLength(over.length);
    for (const fn of over) {
      expect(warnings).toContainEqual(`warning ${fn.functionName} is ${(fn.artifact.zippedBytes / 1024).toFixed(1)} KB zipped, over the 1 KB budget — see what it imports, or raise build.sizeBudgetKB`);
    }
    expect(warnings.some((line) => line.includes('shop-tiny-ping '))).toBe(false);
  });

  it("warns in one line when a binary route would reach browsers as base64 text (#16.16: example-app with ['image/png'])", () => {
    const png = copyApp(exampleApp, scratch.dir);
    const configFile = join(png, 'sls-ts.config.ts');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/binaryMediaTypes: \[[^\]]*\]/, "binaryMediaTypes: ['image/png']"));
    const result = slsTs(['build', '-C', png]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.includes('binary'))).toEqual([
      expect.stringMatching(/^warning sls-ts\.config\.ts: GET \/logo\.png → images#logo returns binary, which API Gateway sends as base64 text to an <img> in Chrome .* — set binaryMediaTypes: \['\*\/\*'\]$/),
    ]);
  });

  it('writes the same bytes whatever the time zone of the machine', () => {
    const hashes = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((tz) => {
      const result = slsTs(['build', '-C', app], { TZ: tz });
      expect(result.status, result.stderr).toBe(0);
      return manifestOf(app).functions.map((fn) => fn.artifact.sha256);
    });
    expect(hashes[1]).toEqual(hashes[0]);
    expect(hashes[2]).toEqual(hashes[0]);
  });
});

describe('sls-ts build: checks on function settings', () => {
  const configWith = (controllers: string) => readFileSync(join(exampleApp, 'sls-ts.config.ts'), 'utf8').replace(/controllers: \{[^]*?\n  \},\n/, `controllers: ${controllers},\n`);

  it('exits 1 naming the config path of an IAM statement that names no template resource', () => {
    const app = copyApp(exampleApp, scratch.dir);
    writeFileSync(join(app, 'sls-ts.config.ts'), configWith("{ posts: { iam: [{ Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['CommentsTable', 'Arn'] } }] } }"));
    const result = slsTs(['build', '-C', app]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error \S*sls-ts\.config\.ts: controllers\.posts\.iam\[0\]\.Resource: names CommentsTable, which is not a resource of the generated templates/m);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it("gives a controller its actions' largest timeout, warns past 29 s, and writes ssm:/secret: values as dynamic references", () => {
    const app = copyApp(exampleApp, scratch.dir);
    writeFileSync(join(app, 'sls-ts.config.ts'), configWith('{ posts: { memory: 1024, actions: { create: { timeout: 60 } } } }'));
    writeFileSync(join(app, '.env'), 'DB_PASSWORD=secret:blog/db:password\nDB_HOST=ssm:/blog/db-host\n');
    const result = slsTs(['build', '-C', app]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning PostsController (example-app-dev-posts-controller) may run 60 s, but API Gateway answers its routes (GET /posts, POST /posts, DELETE /posts/{id} and 3 more) with 504 after 29 s');
    expect(manifestOf(app).functions.find((fn) => fn.key === 'posts-controller')).toMatchObject({ memory: 1024, timeout: 60 });
    const template = JSON.parse(readFileSync(join(app, '.sls-ts', 'build', 'dev', 'template.json'), 'utf8'));
    expect(template.Resources.PostsControllerFunction.Properties.Environment.Variables).toMatchObject({
      DB_PASSWORD: '{{resolve:secretsmanager:blog/db:SecretString:password}}',
      DB_HOST: '{{resolve:ssm:/blog/db-host}}',
    });
  });
});
