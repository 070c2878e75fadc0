// The few DynamoDB calls sls-ts makes to set tables up on dynalite, as plain JSON over HTTP: the
// dev server then starts without loading an AWS SDK client of its own.
import type { HttpCall } from './http-call.js';

class DynamoCallError extends Error {
  constructor(readonly type: string, message: string) {
    super(`${type}: ${message}`);
  }
}

// dynalite checks that a request is signed, not the signature: any well-formed one will do.
const SIGNED_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20200101T000000Z',
};
const STATUS_POLL_MS = 2;
const STATUS_WAIT_MS = 10_000;

/**
 * Marks the engine's own writes for table streams: `maintenance` (setup, rebuilds, reset) writes
 * no stream record, as nothing an app did; `ttl` deletions are recorded as DynamoDB's TTL's own.
 */
export const ENGINE_WRITE_HEADER = 'x-sls-ts-engine-write';
export type EngineWrite = 'maintenance' | 'ttl';

export function createDynamoApi(http: HttpCall, endpoint: string, write?: EngineWrite) {
  const headers = write === undefined ? SIGNED_HEADERS : { ...SIGNED_HEADERS, [ENGINE_WRITE_HEADER]: write };
  return async <T = Record<string, unknown>>(operation: string, body: Record<string, unknown>): Promise<T> => {
    const reply = await http('POST', `${endpoint}/`, { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}` }, JSON.stringify(body));
    const data = JSON.parse(reply.body || '{}') as { __type?: string; message?: string; Message?: string };
    if (reply.status !== 200) throw new DynamoCallError(String(data.__type ?? reply.status).split('#').pop()!, data.message ?? data.Message ?? reply.body);
    return data as T;
  };
}

export type DynamoApi = ReturnType<typeof createDynamoApi>;

const isNotFound = (error: unknown) => error instanceof DynamoCallError && error.type === 'ResourceNotFoundException';

/** Resolves when `check` returns true; dynalite flips table states on a timer even at 0 ms. */
async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + STATUS_WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${STATUS_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
  }
}

export async function describeTable(api: DynamoApi, name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await api<{ Table: Record<string, unknown> }>('DescribeTable', { TableName: name })).Table;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function createTable(api: DynamoApi, request: Record<string, unknown>): Promise<void> {
  const name = request.TableName as string;
  await api('CreateTable', request);
  await waitUntil(async () => (await describeTable(api, name))?.TableStatus === 'ACTIVE', `table ${name} becoming active`);
}

export async function deleteTable(api: DynamoApi, name: string): Promise<void> {
  await api('DeleteTable', { TableName: name });
  await waitUntil(async () => (await describeTable(api, name)) === undefined, `table ${name} being deleted`);
}
