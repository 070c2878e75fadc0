import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand,
  type PutObjectCommandInput, type UploadPartCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients, createDeployContext, endpointOverride, objectUrl, type DeployEvent } from '../../../src/deploy/index.js';
import { MULTIPART_THRESHOLD, uploadItems } from '../../../src/deploy/upload.js';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { awsError } from './fake-aws.js';

const config = { name: 'shop', stage: 'dev', region: 'eu-west-1', tags: {} } as unknown as ResolvedConfig;
let dir: string;
const s3 = mockClient(S3Client);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sls-ts-upload-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  s3.restore();
});
afterEach(() => s3.reset());

describe('uploads', () => {
  it('skips keys the bucket has, puts small files, and sends big ones in parts (lib-storage)', async () => {
    const big = join(dir, 'big.zip');
    writeFileSync(big, Buffer.alloc(MULTIPART_THRESHOLD + 1024, 7));
    writeFileSync(join(dir, 'small.zip'), 'zip');
    s3.on(HeadObjectCommand).rejects(awsError('NotFound', 'NotFound', 404));
    s3.on(HeadObjectCommand, { Key: 'artifacts/existing.zip' }).resolves({});
    s3.on(PutObjectCommand).resolves({});
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3.on(UploadPartCommand).callsFake((input: UploadPartCommandInput) => ({ ETag: `"part${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});

    const events: DeployEvent[] = [];
    const ctx = createDeployContext({ config, pollDelayMs: 0, env: {}, onEvent: (event) => events.push(event) });
    const summary = await uploadItems(ctx, 'bucket', [
      { key: 'artifacts/existing.zip', file: join(dir, 'small.zip'), contentType: 'application/zip' },
      { key: 'artifacts/small.zip', file: join(dir, 'small.zip'), contentType: 'application/zip' },
      { key: 'artifacts/big.zip', file: big, contentType: 'application/zip' },
      { key: 'templates/root.json', body: '{"Resources":{}}', contentType: 'application/json' },
    ]);

    expect(summary).toEqual({ uploaded: 3, skipped: 1, bytes: 3 + MULTIPART_THRESHOLD + 1024 + 16 });
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input as PutObjectCommandInput);
    expect(puts.map((put) => put.Key).sort()).toEqual(['artifacts/small.zip', 'templates/root.json']);
    expect(puts.find((put) => put.Key === 'templates/root.json')).toMatchObject({ Bucket: 'bucket', ContentType: 'application/json' });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'bucket', Key: 'artifacts/big.zip' });
    expect(s3.commandCalls(UploadPartCommand).length).toBeGreaterThanOrEqual(3);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    expect(events.filter((event) => event.type === 'upload-file')).toHaveLength(4);
    expect(events.at(-1)).toEqual({ type: 'upload-done', ...summary });
  });
});

describe('addressing', () => {
  it('virtual-hosted template URLs on AWS, path-style under an endpoint override', () => {
    const aws = createDeployContext({ config, env: {} });
    expect(objectUrl(aws, 'b', 'templates/x.json')).toBe('https://b.s3.eu-west-1.amazonaws.com/templates/x.json');
    const local = createDeployContext({ config, env: { AWS_ENDPOINT_URL: 'http://localhost:4566/' } });
    expect(objectUrl(local, 'b', 'templates/x.json')).toBe('http://localhost:4566/b/templates/x.json');
    const s3Only = createDeployContext({ config, env: { AWS_ENDPOINT_URL_S3: 'http://s3.local:9000' } });
    expect(objectUrl(s3Only, 'b', 'k')).toBe('http://s3.local:9000/b/k');
  });

  it('forces path-style S3 only when an endpoint is set, and retries up to 8 attempts', async () => {
    expect(endpointOverride('S3', { AWS_ENDPOINT_URL: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
    const local = createClients({ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'http://localhost:4566' } });
    const aws = createClients({ region: 'eu-west-1', env: {} });
    expect(local.s3.config.forcePathStyle).toBe(true);
    expect(aws.s3.config.forcePathStyle).toBe(false);
    expect(await aws.cloudformation.config.maxAttempts()).toBe(8);
    const mode = aws.cloudformation.config.retryMode;
    expect(typeof mode === 'function' ? await mode() : mode).toBe('adaptive');
    expect(await aws.lambda.config.region()).toBe('eu-west-1');
  });
});
