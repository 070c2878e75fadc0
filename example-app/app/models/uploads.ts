import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { resources } from 'sls-ts';

export interface UploadSummary {
  key: string;
  bytes: number;
  lines: number;
  sha256: string;
}

// Made on first use, like the posts client: a test sets the local engine's endpoint after import.
let client: S3Client | undefined;
const s3 = () => (client ??= new S3Client({}));

/** Stores an uploaded file under `incoming/<id>`, where SummarizeUploadJob picks it up. */
export async function saveUpload(id: string, data: Buffer, contentType: string): Promise<string> {
  const key = `incoming/${id}`;
  await s3().send(new PutObjectCommand({ Bucket: resources.uploads.name, Key: key, Body: data, ContentType: contentType }));
  return key;
}

export async function readUpload(key: string): Promise<Buffer> {
  const object = await s3().send(new GetObjectCommand({ Bucket: resources.uploads.name, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

export async function writeSummary(id: string, summary: UploadSummary): Promise<void> {
  await s3().send(new PutObjectCommand({ Bucket: resources.uploads.name, Key: `summaries/${id}.json`, Body: JSON.stringify(summary), ContentType: 'application/json' }));
}

/** The job's summary, or undefined while it has not run yet. */
export async function findSummary(id: string): Promise<UploadSummary | undefined> {
  try {
    const object = await s3().send(new GetObjectCommand({ Bucket: resources.uploads.name, Key: `summaries/${id}.json` }));
    return JSON.parse(await object.Body!.transformToString()) as UploadSummary;
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}
