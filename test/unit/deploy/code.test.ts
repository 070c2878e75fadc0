import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, UpdateFunctionCodeCommand, type UpdateFunctionCodeCommandInput } from '@aws-sdk/client-lambda';
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { deploy, deployCode, status, type DeployEvent, type DeployState } from '../../../src/deploy/index.js';
import { BUCKET, awsError, createFakeAws, updateConflict, type FakeAws } from './fake-aws.js';
import { captureOutput, scratchExampleApp, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
/** Function name → sha256 (hex) of the code Lambda runs. */
let live: Map<string, string>;

interface Manifest { functions: Array<{ key: string; functionName: string; artifact: { key: string; sha256: string } }> }
const manifest = () => JSON.parse(readFileSync(join(app.root, '.sls-ts', 'build', 'dev', 'manifest.json'), 'utf8')) as Manifest;
const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

beforeAll(async () => {
  app = await scratchExampleApp();
});
afterAll(() => app.cleanup());
beforeEach(async () => {
  aws = createFakeAws();
  live = new Map();
  // CloudFormation deploys whatever code the template points at.
  const execute = aws.onExecute;
  aws.onExecute = () => {
    execute();
    for (const fn of manifest().functions) live.set(fn.functionName, fn.artifact.sha256);
  };
  let updating = false;
  aws.lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName: string }) => {
    const sha = live.get(input.FunctionName);
    if (!sha) throw Object.assign(new Error('Function not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    const status = updating ? 'InProgress' : 'Successful';
    updating = false;
    return { FunctionName: input.FunctionName, CodeSha256: base64(sha), LastUpdateStatus: status };
  });
  aws.lambda.on(UpdateFunctionCodeCommand).callsFake((input: UpdateFunctionCodeCommandInput) => {
    live.set(input.FunctionName!, input.S3Key!.replace(/^artifacts\/|\.zip$/g, ''));
    updating = true;
    return {};
  });
  await deploy(testContext(app.config), { yes: true });
  for (const mock of [aws.cfn, aws.s3, aws.lambda]) mock.resetHistory();
});
afterEach(() => aws.restore());

const state = (): DeployState => JSON.parse(aws.objects.get('state/dev.json')!.toString('utf8')) as DeployState;

describe('code-only deploy', () => {
  it('updates only the function whose zip changed, records the drift, and `status` shows it', async () => {
    const before = manifest().functions.find((fn) => fn.key === 'posts-controller')!;
    appendFileSync(join(app.root, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'hot swap';\n");
    const events: DeployEvent[] = [];
    const result = await deployCode(testContext(app.config, events));
    const after = manifest().functions.find((fn) => fn.key === 'posts-controller')!;

    expect(result.updated).toEqual(['posts-controller']);
    expect(result.unchanged).toHaveLength(manifest().functions.length - 1);
    expect(aws.calls<UpdateFunctionCodeCommandInput>(aws.lambda, UpdateFunctionCodeCommand)).toEqual([{ FunctionName: 'example-app-dev-posts-controller', S3Bucket: BUCKET, S3Key: after.artifact.key }]);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    const puts = aws.calls<PutObjectCommandInput>(aws.s3, PutObjectCommand).map((put) => put.Key);
    expect(puts).toEqual([after.artifact.key, 'state/dev.json']);
    expect(events).toContainEqual({ type: 'function-updated', key: 'posts-controller', functionName: 'example-app-dev-posts-controller' });

    expect(state().hotSwapped).toEqual({
      'posts-controller': { functionName: 'example-app-dev-posts-controller', sha256: after.artifact.sha256, templateSha256: before.artifact.sha256, at: expect.any(String) },
    });
    const shown = await status(testContext(app.config));
    expect(shown.drift).toEqual([{ key: 'posts-controller', functionName: 'example-app-dev-posts-controller', sha256: after.artifact.sha256, templateSha256: before.artifact.sha256, at: expect.any(String) }]);
  });

  it('warns that a warm function\'s `live` alias keeps its previous code until a full deploy', async () => {
    appendFileSync(join(app.root, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'hello warm';\n");
    const warm = { ...app.config, functions: { ...app.config.functions, hello: { ...app.config.functions.hello, provisionedConcurrency: 1 } } };
    const result = await deployCode(testContext(warm));
    expect(result.updated).toEqual(['hello']);
    expect(result.warnings).toContainEqual(expect.objectContaining({
      level: 'warning',
      text: expect.stringMatching(/^example-app-dev-hello \(app\/functions\/hello\) has provisioned concurrency: its `live` alias, which everything the app deploys invokes, keeps its previous code$/),
      hint: expect.stringMatching(/full `sls-ts deploy`/),
    }));
    const cold = await deployCode(testContext(app.config));
    expect(cold.warnings.some((warning) => /provisioned concurrency/.test(warning.text))).toBe(false);
  });

  it('`deploy function <name>` checks and updates that function only', async () => {
    appendFileSync(join(app.root, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'hello v2';\n");
    appendFileSync(join(app.root, 'app', 'controllers', 'health-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'health v2';\n");
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'deploy', 'function', 'hello', '-C', app.root], output);
    expect(code).toBe(0);
    expect(aws.calls<UpdateFunctionCodeCommandInput>(aws.lambda, UpdateFunctionCodeCommand).map((call) => call.FunctionName)).toEqual(['example-app-dev-hello']);
    expect(aws.lambda.commandCalls(GetFunctionConfigurationCommand).map((call) => call.args[0].input.FunctionName)).toEqual(expect.arrayContaining(['example-app-dev-hello']));
    expect(output.stdout[0]).toMatch(/^✓ updated hello in /);
  });

  it('does nothing when no code changed', async () => {
    const result = await deployCode(testContext(app.config));
    expect(result.updated).toEqual([]);
    expect(aws.lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('the next full deploy reconciles the drift, even when the code went back to the template\'s', async () => {
    const file = join(app.root, 'app', 'controllers', 'home-controller.ts');
    const original = readFileSync(file, 'utf8');
    appendFileSync(file, "\n;(globalThis as Record<string, unknown>).marker = 'experiment';\n");
    await deployCode(testContext(app.config));
    expect(Object.keys(state().hotSwapped)).toEqual(['home-controller']);

    // Back to the template's code: CloudFormation sees no change, so the deploy must put the code back itself.
    writeFileSync(file, original);
    aws.changes = undefined;
    aws.lambda.resetHistory();
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('no-changes');
    const home = manifest().functions.find((fn) => fn.key === 'home-controller')!;
    expect(aws.calls<UpdateFunctionCodeCommandInput>(aws.lambda, UpdateFunctionCodeCommand)).toEqual([{ FunctionName: home.functionName, S3Bucket: BUCKET, S3Key: home.artifact.key }]);
    expect(events).toContainEqual({ type: 'drift-reconciled', functions: ['home-controller'] });
    expect(state().hotSwapped).toEqual({});
    expect((await status(testContext(app.config))).drift).toEqual([]);
  });

  it('a partly failed run keeps the record of the function Lambda took, not of the one it refused', async () => {
    const posts = manifest().functions.find((fn) => fn.key === 'posts-controller')!;
    appendFileSync(join(app.root, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'partial 1';\n");
    appendFileSync(join(app.root, 'app', 'controllers', 'home-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'partial 1';\n");
    aws.lambda.on(UpdateFunctionCodeCommand, { FunctionName: 'example-app-dev-home-controller' }).rejects(awsError('ServiceException', 'Lambda was unable to process the request', 500));

    await expect(deployCode(testContext(app.config))).rejects.toThrow(/Lambda was unable to process the request/);
    expect(state().hotSwapped).toEqual({
      'posts-controller': { functionName: 'example-app-dev-posts-controller', sha256: manifest().functions.find((fn) => fn.key === 'posts-controller')!.artifact.sha256, templateSha256: posts.artifact.sha256, at: expect.any(String) },
    });
    expect((await status(testContext(app.config))).drift.map((swap) => swap.key)).toEqual(['posts-controller']);
  });

  it('a run interrupted after Lambda took the code keeps its record', async () => {
    appendFileSync(join(app.root, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'interrupted';\n");
    // The connection drops while waiting for Lambda to switch: the code may well be live.
    aws.lambda.on(UpdateFunctionCodeCommand).callsFake((input: UpdateFunctionCodeCommandInput) => {
      live.set(input.FunctionName!, input.S3Key!.replace(/^artifacts\/|\.zip$/g, ''));
      aws.lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      return {};
    });
    await expect(deployCode(testContext(app.config))).rejects.toThrow(/cannot reach AWS/);
    expect(Object.keys(state().hotSwapped)).toEqual(['hello']);
  });

  it('waits for an update another deploy started before updating the code', async () => {
    appendFileSync(join(app.root, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'second deploy';\n");
    // Another code-only deploy's update of hello is still running for the next three reads.
    let busy = 3;
    const order: string[] = [];
    aws.lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName: string }) => {
      const status = input.FunctionName === 'example-app-dev-hello' && busy > 0 ? (busy--, 'InProgress') : 'Successful';
      if (input.FunctionName === 'example-app-dev-hello') order.push(status);
      return { FunctionName: input.FunctionName, CodeSha256: base64(live.get(input.FunctionName)!), LastUpdateStatus: status };
    });
    aws.lambda.on(UpdateFunctionCodeCommand).callsFake((input: UpdateFunctionCodeCommandInput) => {
      if (busy > 0) throw updateConflict(input.FunctionName!);
      order.push('update');
      live.set(input.FunctionName!, input.S3Key!.replace(/^artifacts\/|\.zip$/g, ''));
      return {};
    });
    const result = await deployCode(testContext(app.config), { functions: ['hello'] });
    expect(result.updated).toEqual(['hello']);
    expect(order.indexOf('update')).toBeGreaterThan(order.lastIndexOf('InProgress'));
    expect(aws.lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(1);
  });

  it('gives up with a clear message when Lambda keeps answering that another update is in progress', async () => {
    appendFileSync(join(app.root, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'contended';\n");
    aws.lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName: string }) => ({ FunctionName: input.FunctionName, CodeSha256: base64(live.get(input.FunctionName)!), LastUpdateStatus: 'Successful' }));
    aws.lambda.on(UpdateFunctionCodeCommand).callsFake((input: UpdateFunctionCodeCommandInput) => {
      throw updateConflict(input.FunctionName!);
    });
    await expect(deployCode(testContext(app.config), { functions: ['hello'] })).rejects.toThrow(/example-app-dev-hello is being updated by someone else/);
    expect(aws.lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(3);
  });

  it('refuses when the stack does not exist yet', async () => {
    aws.stack = undefined;
    await expect(deployCode(testContext(app.config))).rejects.toThrow('stack example-app-dev does not exist yet');
  });
});
