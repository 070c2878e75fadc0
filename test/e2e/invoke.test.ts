import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyApp, createScratch, exampleApp, repoRoot } from '../unit/build/support.js';

const bin = join(repoRoot, 'bin', 'sls-ts.js');
const scratch = createScratch();
afterAll(() => scratch.cleanup());

function slsTs(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
}

describe('sls-ts invoke --local (#16.13)', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp(exampleApp, scratch.dir);
    writeFileSync(join(app, 'app', 'functions', 'noisy.ts'), [
      'export async function handler() {',
      "  console.log('log line from the function');",
      "  process.stdout.write('a partial line');",
      "  console.error('error line from the function');",
      '  return { ok: true };',
      '}',
      '',
    ].join('\n'));
  });

  it("keeps stdout to the result, so `| jq` works: the function's output goes to stderr", () => {
    const result = slsTs('invoke', 'noisy', '--local', '-C', app);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ ok: true });
    expect(result.stderr).toContain('log line from the function');
    expect(result.stderr).toContain('a partial line');
    expect(result.stderr).toContain('error line from the function');
  }, 60_000);

  it('runs the action a controller#action names, as routes name it, with an event for its route', () => {
    const result = slsTs('invoke', 'posts#create', '--local', '-C', app);
    expect(result.status).toBe(0);
    // The default event is a POST /posts with no body: create refuses it (index would answer 200).
    const payload = JSON.parse(result.stdout) as { statusCode: number; body: string };
    expect(payload.statusCode).toBe(422);
    expect(payload.body).toContain('Invalid post');
  }, 60_000);

  it('refuses an action no route reaches, with the nearest one', () => {
    const result = slsTs('invoke', 'posts#craete', '--local', '-C', app);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error no route reaches posts#craete .*did you mean `posts#create`\?/)]);
  }, 60_000);

  it('refuses a controller no route reaches, with the nearest one', () => {
    const result = slsTs('invoke', 'post#create', '--local', '-C', app);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error no route reaches controller "post" .*did you mean `posts#create`\?/);
  }, 60_000);
});

describe('sls-ts invoke <job> --local --event <AWS sample> (#18)', () => {
  // AWS's own sample events, unedited, into the jobs of an app with event subscriptions.
  const samples = join(repoRoot, '..', 'shared', 'reference', 'aws-events');
  let app: string;
  beforeAll(() => {
    app = copyApp(join(repoRoot, 'test', 'fixtures', 'events-app'), scratch.dir);
  });

  it('runs a bucket job on the S3 sample: perform gets the typed record, its key decoded', () => {
    const result = slsTs('invoke', 'thumbnail-job', '--local', '--event', join(samples, 's3-event.json'), '-C', app);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    // One record, so the job's own result is not a batch response: S3 invokes asynchronously.
    expect(JSON.parse(result.stdout)).toEqual({ key: 'Happy Face.jpg' });
  }, 60_000);

  it('runs a topic job on the SNS sample', () => {
    const result = slsTs('invoke', 'alert-job', '--local', '--event', join(samples, 'sns-event.json'), '-C', app);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ message: 'Hello from SNS!' });
  }, 60_000);
});
