// The deploy state kept in the stack's own bucket: which functions run code the template does not
// know about (hot-swapped by the code-only path), until a full deploy reconciles them.
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DeployContext } from './context.js';
import { isNotFound } from './errors.js';
import type { DeployState } from './types.js';

export function stateKey(stage: string): string {
  return `state/${stage}.json`;
}

export function emptyState(): DeployState {
  return { version: 1, hotSwapped: {} };
}

export async function readState(ctx: DeployContext, bucket: string): Promise<DeployState> {
  try {
    const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: stateKey(ctx.stage) }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    const parsed = JSON.parse(text) as Partial<DeployState>;
    return { version: 1, hotSwapped: parsed.hotSwapped ?? {} };
  } catch (error) {
    // A missing or unreadable record means nothing was hot-swapped that we know of.
    if (isNotFound(error) || error instanceof SyntaxError) return emptyState();
    throw error;
  }
}

export async function writeState(ctx: DeployContext, bucket: string, state: DeployState): Promise<void> {
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: stateKey(ctx.stage), Body: `${JSON.stringify(state, null, 2)}\n`, ContentType: 'application/json' }),
  );
}

/** Lambda reports a package's sha256 in base64; the build names artifacts by hex. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function base64ToHex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}
