// AWS's own sample events (shared/reference/aws-events, byte for byte from aws/aws-lambda-go) fed
// unchanged to the functions `sls-ts build` ships: our event factories show what we think API
// Gateway, SQS, SNS, S3 and EventBridge send; these show whether the built handlers cope with
// what AWS's samples really contain (hand-edited quirks included).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build, type BuildResult } from '../../../src/index.js';
import { apiGatewayEvent } from '../../../src/runtime/events/index.js';
import type { ApiGatewayProxyResult, HttpApiResult } from '../../../src/runtime/types.js';
import { configFor, copyApp, createScratch, extractZip, fixture, repoRoot, startSandbox, type LambdaSandbox } from './support.js';

// In CI the clone has shared/ beside it, as on the machine image.
const SAMPLES = join(repoRoot, '..', 'shared', 'reference', 'aws-events');

/** The sample as AWS wrote it: read as bytes and parsed, never edited. */
function sample(name: string): Record<string, any> {
  const file = join(SAMPLES, name);
  if (!existsSync(file)) throw new Error(`AWS sample event ${file} is missing: the checks need shared/reference/aws-events beside the repository`);
  return JSON.parse(readFileSync(file).toString('utf8')) as Record<string, any>;
}

const scratch = createScratch();
const sandboxes: LambdaSandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  scratch.cleanup();
});

const LAYOUTS = ['controller', 'action', 'single'] as const;
type Layout = (typeof LAYOUTS)[number];

let root: string;
const results = new Map<string, BuildResult>();
beforeAll(async () => {
  root = copyApp(fixture('samples'), scratch.dir);
  const config = await configFor(root);
  for (const layout of LAYOUTS) results.set(layout, await build({ config, layout, outDir: join(scratch.dir, `out-${layout}`) }));
}, 120_000);

/** Unzips one function of a layout's build and loads it in its own worker, like a cold start. */
function load(layout: Layout, key: string): (event: unknown) => Promise<unknown> {
  const result = results.get(layout)!;
  const fn = result.manifest.functions.find((f) => f.key === key);
  if (!fn) throw new Error(`no function ${key} in the ${layout} build: ${result.manifest.functions.map((f) => f.key).join(', ')}`);
  const sandbox = startSandbox(extractZip(join(result.outDir, fn.artifact.file), join(scratch.dir, 'task', `${layout}-${key}`)), fn);
  sandboxes.push(sandbox);
  return (event) => sandbox.invoke(event);
}

/** The function API Gateway invokes for `method resource` in a layout (single: the one behind /{proxy+}). */
function loadServing(layout: Layout, method: string, resource: string): (event: unknown) => Promise<unknown> {
  const functions = results.get(layout)!.manifest.functions;
  const fn = layout === 'single' ? functions.find((f) => f.kind === 'single') : functions.find((f) => f.routes.some((r) => r.method === method && r.resource === resource));
  if (!fn) throw new Error(`no function serves ${method} ${resource} in the ${layout} build`);
  return load(layout, fn.key);
}

const echoed = (result: unknown) => JSON.parse((result as { body: string }).body) as Record<string, any>;

// The REST samples: POST /hello/world through `/{proxy+}`, JSON body, ?name=me, a custom header.
for (const file of ['apigw-request.json', 'apigw-restapi-openapi-request.json']) {
  describe(`REST API sample ${file}`, () => {
    for (const layout of LAYOUTS) {
      it(`reaches the controller (${layout} layout) with its path, query, headers and JSON body`, async () => {
        const event = sample(file);
        const response = (await loadServing(layout, 'POST', '/{proxy+}')(event)) as ApiGatewayProxyResult;
        expect(response.statusCode).toBe(201);
        expect(response).not.toHaveProperty('cookies');
        const echo = echoed(response);
        expect(echo).toMatchObject({
          method: 'POST',
          path: '/hello/world',
          query: { name: 'me' },
          multiQuery: { name: ['me'] },
          pathParameters: { proxy: 'hello/world' },
          // path > query > body, the body's JSON parsed (the sample has no isBase64Encoded key).
          params: { proxy: 'hello/world', name: 'me', a: 1 },
          body: '{\r\n\t"a": 1\r\n}',
          ip: '192.168.196.186',
          requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
          stage: 'testStage',
          cookies: {},
        });
        expect(echo.headers).toMatchObject({ headername: 'headerValue', 'content-type': 'application/json', 'x-forwarded-for': '54.240.196.186, 54.182.214.83', 'cache-control': 'no-cache' });
        expect(Object.keys(echo.headers)).toHaveLength(Object.keys(event.headers).length);
      });
    }
  });
}

// The HTTP API samples: payload 2.0 on the `$default` route, so any function routes by path.
describe('HTTP API sample apigw-v2-request.json (GET /my/path, repeated query key, cookies)', () => {
  for (const layout of LAYOUTS) {
    it(`reaches the controller (${layout} layout) with its path, headers, cookies and body, answered in payload 2.0`, async () => {
      const response = (await loadServing(layout, 'GET', '/my/path')(sample('apigw-v2-request.json'))) as HttpApiResult & { statusCode: number; body: string };
      expect(response.statusCode).toBe(200);
      expect(response).not.toHaveProperty('multiValueHeaders');
      const echo = echoed(response);
      // The sample's `proxy` path parameter is not /my/path's (a route without variables): a
      // controller found by path sees its own route's parameters, not the event's.
      expect(echo.pathParameters).toEqual({});
      expect(echo.params).not.toHaveProperty('proxy');
      expect(echo).toMatchObject({
        method: 'GET',
        path: '/my/path',
        multiQuery: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
        // No content type: the body stays text and adds no params.
        body: '{\r\n\t"a": 1\r\n}',
        ip: 'IP',
        requestId: 'id',
        stage: '$default',
        // HTTP API moves cookies out of the headers; the runtime joins them back into one Cookie
        // header. AWS's placeholders `cookie1`, `cookie2` have no `=`, so no cookie has a name.
        headers: { header1: 'value1', header2: 'value2', cookie: 'cookie1; cookie2' },
        cookies: {},
      });
    });
  }

  // Defect 9 (owned by the runtime branch): API Gateway joins a repeated key's values with commas in
  // queryStringParameters; the runtime must take the last value from rawQueryString, as REST does.
  it('reads a repeated query key as its last value, as for REST APIs, not as API Gateway\'s comma-joined string', async () => {
    const echo = echoed(await load('controller', 'echo-controller')(sample('apigw-v2-request.json')));
    expect(echo.query).toEqual({ parameter1: 'value2', parameter2: 'value' });
    expect(echo.params).toEqual({ parameter1: 'value2', parameter2: 'value' });
  });
});

// What the HTTP API sample showed, in the everyday case: the single layout behind `/{proxy+}` on a
// REST API, where every event carries `proxy` (an event from the factory, not an AWS sample).
it('single layout, REST API: a route without path variables does not see API Gateway\'s `proxy` parameter', async () => {
  const event = apiGatewayEvent({ method: 'GET', path: '/my/path', resource: '/{proxy+}', pathParameters: { proxy: 'my/path' } });
  const echo = echoed(await load('single', 'controller')(event));
  expect(echo.pathParameters).toEqual({});
  expect(echo.params).toEqual({});
});

for (const file of ['apigw-v2-request-jwt-authorizer.json', 'apigw-v2-request-no-authorizer.json']) {
  describe(`HTTP API sample ${file}`, () => {
    it.each(LAYOUTS)('reaches the controller of its path (%s layout)', async (layout) => {
      const event = sample(file);
      const echo = echoed(await loadServing(layout, 'GET', event.rawPath)(event));
      expect(echo.pathParameters).toEqual({});
      expect(echo).toMatchObject({ method: event.requestContext.http.method, path: event.rawPath, ip: event.requestContext.http.sourceIp, stage: '$default' });
      expect(echo.headers).toMatchObject(Object.fromEntries(Object.entries(event.headers as Record<string, string>).map(([name, value]) => [name.toLowerCase(), value])));
    });
  });
}

// Event sources that invoke a job: perform() gets one typed record per record of the event.
describe('a job built from the samples app', () => {
  /** Invokes the built job with `event` and gives back what it answered and the records perform() got. */
  async function runJob(event: unknown): Promise<{ answer: unknown; seen: Array<{ record: Record<string, any>; functionName: string }> }> {
    const file = join(scratch.dir, `records-${Math.random().toString(36).slice(2)}.jsonl`);
    vi.stubEnv('SAMPLES_RECORDS_FILE', file);
    try {
      const answer = await load('controller', 'record-job')(event);
      const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
      return { answer, seen: lines.map((line) => JSON.parse(line)) };
    } finally {
      vi.unstubAllEnvs();
    }
  }
  const functionName = () => results.get('controller')!.manifest.functions.find((f) => f.key === 'record-job')!.functionName;

  it('sqs-event.json: a queue record per message, and no failures', async () => {
    const raw = sample('sqs-event.json');
    const { answer, seen } = await runJob(raw);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([{
      functionName: functionName(),
      record: {
        kind: 'queue', messageId: 'MessageID_1', body: 'Message Body', attributes: { Attribute1: 'AttributeValue1', Attribute2: '123', Attribute3: 'MTEwMA==' },
        receiveCount: 2, sentAt: '2018-03-09T18:53:45.029Z', queue: 'SQSQueue', raw: raw.Records[0],
      },
    }]);
  });

  it('sns-event.json: a topic record', async () => {
    const raw = sample('sns-event.json');
    const { seen } = await runJob(raw);
    expect(seen.map((entry) => entry.record)).toEqual([{
      kind: 'topic', messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', message: 'Hello from SNS!', subject: 'TestInvoke',
      attributes: { Test: 'TestString', TestBinary: 'TestBinary' }, topic: 'EXAMPLE', timestamp: '2015-06-03T17:43:27.123Z', raw: raw.Records[0],
    }]);
  });

  it('s3-event.json: a bucket record with the key decoded', async () => {
    const raw = sample('s3-event.json');
    const { seen } = await runJob(raw);
    expect(seen.map((entry) => entry.record)).toEqual([{
      kind: 'bucket', event: 'ObjectCreated:Put', bucket: 'sourcebucket', key: 'Happy Face.jpg', size: 1024, etag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'version', raw: raw.Records[0],
    }]);
  });

  it('cloudwatch-scheduled-event.json: a schedule record keeping the event\'s own fields, perform\'s result returned', async () => {
    const raw = sample('cloudwatch-scheduled-event.json');
    const { answer, seen } = await runJob(raw);
    const record = { ...raw, kind: 'schedule', rule: 'SampleRule', raw };
    expect(seen).toEqual([{ record, functionName: functionName() }]);
    expect(answer).toEqual({ record, functionName: functionName() });
  });
});

// A plain function gets the event untouched.
describe.each(['sqs-event.json', 'sns-event.json', 's3-event.json', 'cloudwatch-scheduled-event.json'])('%s', (file) => {
  it('reaches a plain function\'s handler exactly as AWS sent it', async () => {
    const event = sample(file);
    const fn = results.get('controller')!.manifest.functions.find((f) => f.key === 'record')!;
    expect(await load('controller', 'record')(event)).toEqual({ received: sample(file), functionName: fn.functionName });
  });
});
