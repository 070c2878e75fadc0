// Content-addressed uploads to the artifacts bucket: a key carries its content's hash, so a key
// that exists already holds these bytes and is skipped.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BuildManifest } from '../build/types.js';
import type { DeployContext } from './context.js';
import { isNotFound } from './errors.js';
import { mapLimit } from './poll.js';

export interface UploadItem {
  key: string;
  /** A file to read (zips), or the body itself (templates). */
  file?: string;
  body?: string;
  contentType: string;
}

export interface UploadSummary {
  uploaded: number;
  skipped: number;
  bytes: number;
}

/** Above this, multipart: parts upload in parallel and a dropped connection retries one part. */
export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const CONCURRENCY = 8;

/** The zips of every function of the build (each key once: identical zips share one). */
export function artifactItems(manifest: BuildManifest, outDir: string): UploadItem[] {
  const byKey = new Map<string, UploadItem>();
  for (const fn of manifest.functions) {
    byKey.set(fn.artifact.key, { key: fn.artifact.key, file: join(outDir, fn.artifact.file), contentType: 'application/zip' });
  }
  return [...byKey.values()];
}

export async function objectExists(ctx: DeployContext, bucket: string, key: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function sizeOf(item: UploadItem): number {
  return item.file !== undefined ? statSync(item.file).size : Buffer.byteLength(item.body ?? '', 'utf8');
}

async function putItem(ctx: DeployContext, bucket: string, item: UploadItem, size: number): Promise<void> {
  if (item.file !== undefined && size > MULTIPART_THRESHOLD) {
    const upload = new Upload({
      client: ctx.clients.s3,
      params: { Bucket: bucket, Key: item.key, Body: createReadStream(item.file), ContentType: item.contentType },
      partSize: PART_SIZE,
      queueSize: 4,
    });
    await upload.done();
    return;
  }
  const body = item.file !== undefined ? readFileSync(item.file) : Buffer.from(item.body ?? '', 'utf8');
  await ctx.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: item.key, Body: body, ContentType: item.contentType }));
}

/**
 * Uploads what the bucket does not have yet, in parallel. Order does not matter: nothing reads a
 * template before the change set is created, after every upload has finished.
 */
export async function uploadItems(ctx: DeployContext, bucket: string, items: readonly UploadItem[]): Promise<UploadSummary> {
  const summary: UploadSummary = { uploaded: 0, skipped: 0, bytes: 0 };
  const unique = [...new Map(items.map((item) => [item.key, item])).values()];
  let done = 0;
  ctx.emit({ type: 'upload-start', files: unique.length });
  await mapLimit(unique, CONCURRENCY, async (item) => {
    const size = sizeOf(item);
    const skipped = await objectExists(ctx, bucket, item.key);
    if (!skipped) await putItem(ctx, bucket, item, size);
    if (skipped) summary.skipped++;
    else {
      summary.uploaded++;
      summary.bytes += size;
    }
    ctx.emit({ type: 'upload-file', key: item.key, bytes: size, skipped, done: ++done, total: unique.length });
  });
  ctx.emit({ type: 'upload-done', ...summary });
  return summary;
}

/**
 * The URL CloudFormation fetches a template from: virtual-hosted on AWS, path-style under an
 * endpoint override (LocalStack and friends serve buckets under a path).
 */
export function objectUrl(ctx: DeployContext, bucket: string, key: string): string {
  if (ctx.s3Endpoint) return `${ctx.s3Endpoint}/${bucket}/${key}`;
  const suffix = ctx.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${ctx.region}.${suffix}/${key}`;
}
