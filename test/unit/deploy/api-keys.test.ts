// `sls-ts status` lists the stage's API keys with their values, read back from API Gateway (the
// stack only knows their ids), through the programmatic status() and the CLI, human and --json.
import { GetApiKeyCommand, type GetApiKeyCommandInput } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { status } from '../../../src/deploy/index.js';
import { FULL_OUTPUTS, awsError, type FakeAws } from './fake-aws.js';
import { captureOutput, testContext, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const KEYS: Record<string, { name: string; value: string; enabled?: boolean }> = {
  k1acme: { name: 'example-app-dev-acme', value: 'Xq3vT8bN2mR6pL0wZ4yK7cD1' },
  k2glob: { name: 'example-app-dev-globex', value: 'Hh5jJ6kK7lL8mM9nN0oO1pP2', enabled: false },
  k3hand: { name: 'made-by-hand', value: 'Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8' },
};

function deployedWithKeys(ids: string[]): void {
  aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
  aws.resources = [
    { LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'bucket' },
    { LogicalResourceId: 'UsagePlanFree', ResourceType: 'AWS::ApiGateway::UsagePlan', PhysicalResourceId: 'plan1' },
    ...ids.map((id) => ({ LogicalResourceId: `ApiKey${id}`, ResourceType: 'AWS::ApiGateway::ApiKey', PhysicalResourceId: id })),
  ];
  aws.apiGateway.on(GetApiKeyCommand).callsFake((input: GetApiKeyCommandInput) => {
    const key = KEYS[input.apiKey!];
    if (!key) throw awsError('NotFoundException', 'Invalid API Key identifier specified', 404);
    // Without includeValue, API Gateway leaves the value out.
    return { id: input.apiKey, name: key.name, enabled: key.enabled ?? true, ...(input.includeValue && { value: key.value }) };
  });
}

describe('status() with API keys', () => {
  it("reads each ApiKey of the stack with its value, named by the config's key name", async () => {
    deployedWithKeys(['k2glob', 'k1acme', 'k3hand']);
    const result = await status(testContext(app.config));
    expect(result.apiKeys).toEqual([
      { name: 'acme', id: 'k1acme', value: KEYS.k1acme!.value },
      { name: 'globex', id: 'k2glob', value: KEYS.k2glob!.value, enabled: false },
      { name: 'made-by-hand', id: 'k3hand', value: KEYS.k3hand!.value },
    ]);
    expect(aws.calls<GetApiKeyCommandInput>(aws.apiGateway, GetApiKeyCommand).map((input) => input.includeValue)).toEqual([true, true, true]);
  });

  it('lists a key it cannot read with the reason, and the others still', async () => {
    deployedWithKeys(['k1acme', 'gone99']);
    const result = await status(testContext(app.config));
    expect(result.apiKeys).toEqual([
      { name: 'ApiKeygone99', id: 'gone99', error: 'NotFoundException: Invalid API Key identifier specified' },
      { name: 'acme', id: 'k1acme', value: KEYS.k1acme!.value },
    ]);
  });

  it('is empty for a stack without keys, and for a stack that is not deployed (no API Gateway call)', async () => {
    deployedWithKeys([]);
    expect((await status(testContext(app.config))).apiKeys).toEqual([]);
    aws.stack = undefined;
    expect((await status(testContext(app.config))).apiKeys).toEqual([]);
    expect(aws.apiGateway.commandCalls(GetApiKeyCommand)).toHaveLength(0);
  });
});

describe('sls-ts status with API keys', () => {
  it('prints names and values, marked as secrets', async () => {
    deployedWithKeys(['k1acme', 'k2glob']);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'status', '-C', app.root, '--events', '0'], output)).toBe(0);
    const at = output.stdout.findIndex((line) => line.startsWith('API keys'));
    expect(output.stdout[at]).toMatch(/secrets/);
    expect(output.stdout.slice(at + 1, at + 5).map((line) => line.trimEnd())).toEqual([
      '  Name    Value                     State',
      '  ------  ------------------------  --------',
      `  acme    ${KEYS.k1acme!.value}  enabled`,
      `  globex  ${KEYS.k2glob!.value}  disabled`,
    ]);
  });

  it('says why a value is missing', async () => {
    const UNREADABLE = '(unreadable: NotFoundException: Invalid API Key identifier specified)';
    deployedWithKeys(['k1acme', 'gone99']);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'status', '-C', app.root, '--events', '0'], output)).toBe(0);
    const at = output.stdout.findIndex((line) => line.startsWith('API keys'));
    expect(output.stdout.slice(at + 1, at + 5)).toEqual([
      '  Name          Value',
      `  ------------  ${'-'.repeat(UNREADABLE.length)}`,
      `  ApiKeygone99  ${UNREADABLE}`,
      `  acme          ${KEYS.k1acme!.value}`,
    ]);
  });

  it('adds apiKeys [{ name, id, value }] to --json', async () => {
    deployedWithKeys(['k1acme']);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'status', '-C', app.root, '--json'], output)).toBe(0);
    expect(JSON.parse(output.stdout.join('\n')).apiKeys).toEqual([{ name: 'acme', id: 'k1acme', value: KEYS.k1acme!.value }]);
  });

  it('prints no API keys section for a stack without keys', async () => {
    deployedWithKeys([]);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'status', '-C', app.root], output)).toBe(0);
    expect(output.stdout.some((line) => line.startsWith('API keys'))).toBe(false);
    expect(output.stdout[0]).toMatch(/^Stack/);
  });
});
