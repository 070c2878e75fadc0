import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { InvokeCommand, type InvokeCommandInput, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { invokeRemote, url } from '../../../src/deploy/index.js';
import { API_URL, FULL_OUTPUTS, selfEvent, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, testContext, type ScratchApp, runCli } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const cli = (...args: string[]) => runCli(app.root, ...args);

describe('url', () => {
  it('prints the ApiUrl output, as JSON with --json', async () => {
    aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
    const plain = await cli('url');
    expect(plain).toMatchObject({ code: 0, stdout: [API_URL] });
    const json = await cli('url', '--json');
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ stackName: 'example-app-dev', url: API_URL, from: 'outputs' });
  });

  it('works without outputs by finding the REST API (stack resources, then API Gateway by name)', async () => {
    aws.setStack('UPDATE_COMPLETE', [], {});
    aws.resources = [{ LogicalResourceId: 'RestApi', ResourceType: 'AWS::ApiGateway::RestApi', PhysicalResourceId: 'r3st' }];
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: 'https://r3st.execute-api.us-east-1.amazonaws.com/dev', from: 'api-gateway' });

    aws.resources = [];
    aws.apiGateway.on(GetRestApisCommand).resolvesOnce({ items: [{ id: 'other', name: 'other-dev' }], position: 'p2' }).resolvesOnce({ items: [{ id: 'byname', name: 'example-app-dev' }] });
    expect((await url(testContext(app.config))).url).toBe('https://byname.execute-api.us-east-1.amazonaws.com/dev');
  });

  it('exits 1 with a hint when nothing is deployed', async () => {
    const result = await cli('url');
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['error stack example-app-dev does not exist in us-east-1 — deploy it first with `sls-ts deploy` (or pass the --stage/--region it was deployed to)']);
  });
});

describe('status', () => {
  it('prints the stack status, outputs, drift and last events as JSON', async () => {
    aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
    aws.addEvents('example-app-dev', selfEvent('UPDATE_IN_PROGRESS'), selfEvent('UPDATE_COMPLETE'));
    aws.objects.set('state/dev.json', Buffer.from(JSON.stringify({ version: 1, hotSwapped: { 'posts-controller': { functionName: 'example-app-dev-posts-controller', sha256: 'a'.repeat(64), templateSha256: 'b'.repeat(64), at: '2030-01-01T00:00:00.000Z' } } })));
    const result = await cli('status', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout.join('\n')) as Record<string, unknown>;
    expect(json).toMatchObject({
      stackName: 'example-app-dev',
      region: 'us-east-1',
      exists: true,
      status: 'UPDATE_COMPLETE',
      lastUpdated: expect.any(String),
      outputs: FULL_OUTPUTS,
      drift: [{ key: 'posts-controller', functionName: 'example-app-dev-posts-controller', sha256: 'a'.repeat(64), templateSha256: 'b'.repeat(64) }],
    });
    expect((json.events as Array<{ status: string }>).map((event) => event.status)).toEqual(['UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS']);
  });

  it('prints a readable summary, and says so when nothing is deployed', async () => {
    aws.setStack('UPDATE_ROLLBACK_COMPLETE', [], FULL_OUTPUTS);
    const shown = await cli('status');
    expect(shown.stdout.join('\n')).toMatch(/Status\s+UPDATE_ROLLBACK_COMPLETE/);
    expect(shown.stdout.join('\n')).toContain(`API      ${API_URL}`);
    expect(shown.stdout.join('\n')).toContain('Drift    none');
    aws.stack = undefined;
    const missing = await cli('status', '--json');
    expect(JSON.parse(missing.stdout.join('\n'))).toMatchObject({ exists: false, outputs: {}, drift: [], events: [] });
  });
});

/** Lambda's payload as the SDK hands it out: bytes that can also turn themselves into a string. */
function payload(text: string): InvokeCommandOutput['Payload'] {
  return Object.assign(Buffer.from(text), { transformToString: () => text }) as unknown as InvokeCommandOutput['Payload'];
}

describe('invoke --remote', () => {
  const tail = 'START RequestId: 1\nhello from lambda\nEND RequestId: 1\nREPORT RequestId: 1 Duration: 2.00 ms';

  it('invokes the deployed function with the log tail decoded', async () => {
    aws.lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload('{"statusCode":200,"body":"hi"}'), LogResult: Buffer.from(tail).toString('base64'), ExecutedVersion: '$LATEST' });
    const result = await invokeRemote(testContext(app.config), { name: 'hello', event: { pathParameters: { name: 'x' } } });
    expect(result).toEqual({ functionName: 'example-app-dev-hello', statusCode: 200, payload: '{"statusCode":200,"body":"hi"}', logTail: tail, executedVersion: '$LATEST' });
    const [input] = aws.calls<InvokeCommandInput>(aws.lambda, InvokeCommand);
    expect(input).toMatchObject({ FunctionName: 'example-app-dev-hello', LogType: 'Tail', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(input!.Payload as Uint8Array).toString('utf8'))).toEqual({ pathParameters: { name: 'x' } });
  });

  it('prints the payload and the log tail from the CLI, sending a real-shaped default event', async () => {
    aws.lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload('{"ok":true}'), LogResult: Buffer.from(tail).toString('base64') });
    const result = await cli('invoke', 'posts', '--remote');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.join('\n'))).toEqual({ ok: true });
    expect(result.stderr).toContain('hello from lambda');
    const [input] = aws.calls<InvokeCommandInput>(aws.lambda, InvokeCommand);
    expect(input!.FunctionName).toBe('example-app-dev-posts-controller');
    const event = JSON.parse(Buffer.from(input!.Payload as Uint8Array).toString('utf8')) as { httpMethod: string; resource: string };
    expect(event).toMatchObject({ httpMethod: expect.any(String), resource: expect.stringMatching(/^\/posts/) });
  });

  it('exits 1 when the function fails (FunctionError)', async () => {
    aws.lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: payload('{"errorType":"TypeError","errorMessage":"x is undefined"}') });
    const result = await cli('invoke', 'hello', '--remote');
    expect(result.code).toBe(1);
    expect(result.stderr.at(-1)).toBe('error example-app-dev-hello failed (Unhandled): TypeError: x is undefined');
  });

  it('leaves --local as it was: runs the function here, no AWS call', async () => {
    const result = await cli('invoke', 'hello', '--local');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.join('\n'))).toMatchObject({ statusCode: 200, body: 'Hello, sample-name!' });
    expect(aws.lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('refuses --local with --remote as bad usage', async () => {
    expect((await cli('invoke', 'hello', '--local', '--remote')).code).toBe(2);
  });
});
