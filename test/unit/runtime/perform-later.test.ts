// SomeJob.performLater: the hand-made SigV4 signer against AWS's published test vectors, and the
// SendMessage call end to end against a node:http server that checks the signature with the AWS
// SDK's own signer (@smithy/signature-v4) and answers as SQS's JSON protocol does.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signRequest } from '../../../src/runtime/aws-request.js';
import { sdkAuthorization } from '../../support/sdk-signature.js';
import { jobQueueEnvName as runtimeEnvName } from '../../../src/runtime/perform-later.js';
import { jobQueueEnvName } from '../../../src/config/subscriptions.js';
import { createJobHandler, Job, type JobRecord } from '../../../src/runtime/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { sqsEvent } from '../../../src/testing/index.js';

// The AWS Signature Version 4 test suite's credentials, scope and time (every vector uses these).
const SUITE = {
  region: 'us-east-1',
  service: 'service',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  now: new Date('2015-08-30T12:36:00Z'),
};
const credential = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

describe('signRequest (AWS SigV4 test suite vectors)', () => {
  const vectors: { name: string; method: string; url: string; headers: Record<string, string>; body: string; signed: string; signature: string }[] = [
    { name: 'get-vanilla', method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '', signed: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
    { name: 'post-vanilla', method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body: '', signed: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
    { name: 'get-vanilla-query-order-key-case', method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, body: '', signed: 'host;x-amz-date', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
    { name: 'get-header-value-trim', method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' }, body: '', signed: 'host;my-header1;my-header2;x-amz-date', signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
    { name: 'post-x-www-form-urlencoded', method: 'POST', url: 'https://example.amazonaws.com/', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Param1=value1', signed: 'content-type;host;x-amz-date', signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a' },
  ];
  it.each(vectors)('$name', ({ method, url, headers, body, signed, signature }) => {
    const result = signRequest({ method, url: new URL(url), headers, body }, SUITE);
    expect(result.authorization).toBe(`AWS4-HMAC-SHA256 ${credential}, SignedHeaders=${signed}, Signature=${signature}`);
    expect(result['x-amz-date']).toBe('20150830T123600Z');
    expect(result.host).toBe('example.amazonaws.com');
  });

  it('signs the session token when there is one', () => {
    const result = signRequest({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' }, { ...SUITE, credentials: { ...SUITE.credentials, sessionToken: 'TOKEN' } });
    expect(result['x-amz-security-token']).toBe('TOKEN');
    expect(result.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
  });
});

it('the runtime names a job\'s queue variable exactly as the build does', () => {
  for (const name of ['EmailJob', 'SendHTMLEmailJob', 'Job2', 'A', 'ReportV2Job', 'ÜberJob']) expect(runtimeEnvName(name)).toBe(jobQueueEnvName(name));
});

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, any>;
  signatureValid: boolean;
}

// What the fake SQS checks the signature with: the SDK's signer (test/support/sdk-signature.ts).
const SECRET = 'test-secret-key';
const expectedAuthorization = (request: IncomingMessage, body: string, secretAccessKey: string) => sdkAuthorization(request, body, { service: 'sqs', region: 'eu-west-1', secretAccessKey });

describe('performLater', () => {
  let server: Server;
  let endpoint: string;
  const received: Received[] = [];
  let answer: { status: number; body: unknown } | undefined;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const signatureValid = request.headers.authorization === (await expectedAuthorization(request, text, SECRET));
        const body = JSON.parse(text) as Record<string, any>;
        received.push({ headers: request.headers, body, signatureValid });
        const reply = answer ?? (signatureValid
          ? { status: 200, body: { MessageId: `m-${received.length}`, MD5OfMessageBody: createHash('md5').update(body.MessageBody).digest('hex') } }
          : { status: 400, body: { __type: 'com.amazon.coral.service#IncompleteSignatureException', message: 'The request signature we calculated does not match' } });
        response.writeHead(reply.status, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const queueUrl = () => `${endpoint}/123456789012/app-dev-email-job`;
  const useEnv = (extra: Record<string, string> = {}) => {
    const env = { AWS_ENDPOINT_URL_SQS: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: '', SLS_TS_JOB_QUEUE_EMAIL_JOB: queueUrl(), ...extra };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  };
  afterEach(() => {
    vi.unstubAllEnvs();
    received.length = 0;
    answer = undefined;
  });

  const performed: JobRecord[] = [];
  class EmailJob extends Job {
    static override queue = true as const;
    perform(record: JobRecord) {
      performed.push(record);
    }
  }

  it('sends the payload to the job\'s queue as a signed SendMessage, and the job performs it as a later record', async () => {
    useEnv();
    const payload = { to: 'ada@example.com', template: 'welcome' };
    await expect(EmailJob.performLater(payload)).resolves.toEqual({ messageId: 'm-1' });
    expect(received).toHaveLength(1);
    const [{ headers, body, signatureValid }] = received as [Received];
    expect(signatureValid).toBe(true);
    expect(headers).toMatchObject({ 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' });
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    expect(headers).not.toHaveProperty('x-amz-security-token');
    expect(body).toEqual({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(payload), MessageAttributes: { 'sls-ts-job': { DataType: 'String', StringValue: 'EmailJob' } } });

    // What Lambda then delivers from that queue: the message as SQS stored it.
    const event = sqsEvent([{ body: body.MessageBody, messageAttributes: { 'sls-ts-job': body.MessageAttributes['sls-ts-job'].StringValue } }], { queueName: 'app-dev-email-job' });
    performed.length = 0;
    expect(await createJobHandler(EmailJob)(event, createLambdaContext({ functionName: 'app-dev-email-job' }))).toEqual({ batchItemFailures: [] });
    expect(performed).toEqual([expect.objectContaining({ kind: 'later', payload, messageId: event.Records[0]!.messageId, receiveCount: 1, raw: event.Records[0] })]);
  });

  it('passes delaySeconds and groupId, and signs the session token', async () => {
    useEnv({ AWS_SESSION_TOKEN: 'session-token', AWS_ENDPOINT_URL_SQS: '', AWS_ENDPOINT_URL: endpoint });
    await EmailJob.performLater([1, 2], { delaySeconds: 30, groupId: 'user-7' });
    const [{ headers, body, signatureValid }] = received as [Received];
    expect(signatureValid).toBe(true);
    expect(headers['x-amz-security-token']).toBe('session-token');
    expect(body).toMatchObject({ MessageBody: '[1,2]', DelaySeconds: 30, MessageGroupId: 'user-7' });
  });

  it('the fake SQS refuses a request signed with another secret (its check can fail)', async () => {
    useEnv({ AWS_SECRET_ACCESS_KEY: 'another-secret' });
    await expect(EmailJob.performLater({})).rejects.toThrow('IncompleteSignatureException: The request signature we calculated does not match');
    expect(received[0]?.signatureValid).toBe(false);
  });

  it('an error from SQS becomes an Error with SQS\'s code and message', async () => {
    useEnv();
    answer = { status: 400, body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' } };
    const error = await EmailJob.performLater({}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'QueueDoesNotExist', statusCode: 400, message: 'QueueDoesNotExist: The specified queue does not exist.' });
  });

  it('a job without `static queue` is refused with the fix, before any request', async () => {
    useEnv();
    class ReportJob extends Job {
      perform() {}
    }
    await expect(ReportJob.performLater({})).rejects.toThrow('ReportJob.performLater: ReportJob has no queue of its own — add `static queue = true` to the class');
    expect(received).toHaveLength(0);
  });

  it('names the missing queue variable, and refuses a bad delay or a payload that is no JSON', async () => {
    useEnv({ SLS_TS_JOB_QUEUE_EMAIL_JOB: '' });
    await expect(EmailJob.performLater({})).rejects.toThrow('EmailJob.performLater: SLS_TS_JOB_QUEUE_EMAIL_JOB (the queue\'s URL) is not set');
    useEnv({ SLS_TS_JOB_QUEUE_EMAIL_JOB: '', SLS_TS_JOB_QUEUE_REPORT_JOB: queueUrl() });
    await expect(EmailJob.performLater({})).rejects.toThrow('(there are SLS_TS_JOB_QUEUE_REPORT_JOB: if minifying renamed the class, set build.keepNames: true in sls-ts.config.ts)');
    useEnv();
    await expect(EmailJob.performLater({}, { delaySeconds: 901 })).rejects.toThrow('delaySeconds must be a whole number from 0 to 900, got 901');
    await expect(EmailJob.performLater(undefined)).rejects.toThrow('the payload must be JSON-serializable, got undefined');
    expect(received).toHaveLength(0);
  });

  it('a later record whose body is not JSON fails alone', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    performed.length = 0;
    const event = sqsEvent([{ body: '{broken', messageAttributes: { 'sls-ts-job': 'EmailJob' } }, { body: '"fine"', messageAttributes: { 'sls-ts-job': 'EmailJob' } }]);
    expect(await createJobHandler(EmailJob)(event, createLambdaContext({ functionName: 'app-dev-email-job' }))).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] });
    expect(performed).toEqual([expect.objectContaining({ kind: 'later', payload: 'fine' })]);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
