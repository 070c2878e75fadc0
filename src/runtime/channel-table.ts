// A channel's open connections in a declared DynamoDB table (`static connections`): one row per
// connection, `{ channel, connectionId, connectedAt, expiresAt, domainName, stage }`, written on
// $connect and deleted on $disconnect, so that `broadcast('chat', …)` can find them. DynamoDB is
// called by hand with SigV4 (PutItem, DeleteItem, Query): the runtime ships without the AWS SDK, and
// only channel bundles import this file.
import { AwsError, callJsonApi, type AwsCredentials } from './aws-request.js';
import { linkEnvPrefix } from './resources.js';

/** Where one channel keeps its connections. */
export interface ConnectionTable {
  /** The channel's name (`chat`), as errors and rows spell it. */
  channel: string;
  /** The declared resource's name (`connections`). */
  resource: string;
}

/** A row: a connection, and the WebSocket API it belongs to (each channel has its own, so a post must go to the right one). */
export interface ConnectionRow {
  connectionId: string;
  domainName?: string;
  stage?: string;
}

/**
 * API Gateway closes every WebSocket connection after 2 hours (doc: "Connection duration for
 * WebSocket API | 2 hours | No", apigateway-execution-service-websocket-limits-table). A row past that
 * is a connection whose $disconnect was lost; the margin covers clock skew and a slow $connect.
 */
export const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60;
export const EXPIRY_MARGIN_SECONDS = 10 * 60;

/** The TTL attribute's value: epoch SECONDS (doc: DynamoDB TTL compares "the number of seconds elapsed since … 1970 UTC"). */
export function expiresAt(connectedAtMs: number): number {
  return Math.floor(connectedAtMs / 1000) + CONNECTION_LIFETIME_SECONDS + EXPIRY_MARGIN_SECONDS;
}

export async function recordConnection(table: ConnectionTable, row: ConnectionRow & { connectedAt: number }): Promise<void> {
  const item: Record<string, unknown> = {
    channel: { S: table.channel },
    connectionId: { S: row.connectionId },
    connectedAt: { N: String(row.connectedAt) },
    expiresAt: { N: String(expiresAt(row.connectedAt)) },
  };
  if (row.domainName) item.domainName = { S: row.domainName };
  if (row.stage) item.stage = { S: row.stage };
  await dynamo(table, 'PutItem', { TableName: tableName(table), Item: item });
}

/** Deletes a connection's row (a missing row is no error: DeleteItem is idempotent). */
export async function forgetConnection(table: ConnectionTable, channel: string, connectionId: string): Promise<void> {
  await dynamo(table, 'DeleteItem', { TableName: tableName(table), Key: { channel: { S: channel }, connectionId: { S: connectionId } } });
}

/** Every open connection of `channel`, following LastEvaluatedKey (a Query page stops at 1 MB). */
export async function listConnections(table: ConnectionTable, channel: string, now: Date = new Date()): Promise<ConnectionRow[]> {
  const rows: ConnectionRow[] = [];
  let start: unknown;
  do {
    const answer = await dynamo(table, 'Query', {
      TableName: tableName(table),
      KeyConditionExpression: '#channel = :channel',
      // Expired rows still show up in queries until TTL deletes them, up to days later (doc: UpdateTimeToLive,
      // "Items that have expired and not been deleted will still show up in reads, queries, and scans").
      FilterExpression: '#expiresAt > :now',
      ProjectionExpression: '#connectionId, #domainName, #stage',
      ExpressionAttributeNames: { '#channel': 'channel', '#expiresAt': 'expiresAt', '#connectionId': 'connectionId', '#domainName': 'domainName', '#stage': 'stage' },
      ExpressionAttributeValues: { ':channel': { S: channel }, ':now': { N: String(Math.floor(now.getTime() / 1000)) } },
      // A client that connected a moment ago is expected to hear the next broadcast.
      ConsistentRead: true,
      ...(start !== undefined && { ExclusiveStartKey: start }),
    });
    for (const item of (answer.Items ?? []) as Array<Record<string, { S?: string }>>) {
      const connectionId = item.connectionId?.S;
      if (!connectionId) continue;
      rows.push({ connectionId, ...(item.domainName?.S && { domainName: item.domainName.S }), ...(item.stage?.S && { stage: item.stage.S }) });
    }
    start = answer.LastEvaluatedKey;
  } while (start !== undefined);
  return rows;
}

/** `connections` → the table's physical name, which the build's automatic link puts in the environment. */
function tableName(table: ConnectionTable): string {
  const variable = `${linkEnvPrefix(table.resource)}NAME`;
  const name = globalThis.process?.env?.[variable];
  if (!name) throw new Error(`channel ${table.channel}: ${variable} (the name of its connections table '${table.resource}') is not set — sls-ts sets it in deployed functions and in sls-ts server; elsewhere (a test) set it yourself`);
  return name;
}

async function dynamo(table: ConnectionTable, operation: 'PutItem' | 'DeleteItem' | 'Query', body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const env = globalThis.process?.env ?? {};
  const fail = (why: string) => new Error(`channel ${table.channel}: DynamoDB ${operation} failed: ${why}`);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw fail('AWS_REGION is not set');
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw fail('no AWS credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) in the environment');
  const credentials: AwsCredentials = { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
  try {
    return await callJsonApi({
      service: 'dynamodb',
      target: `DynamoDB_20120810.${operation}`,
      contentType: 'application/x-amz-json-1.0',
      // The variables the AWS SDK reads too: sls-ts server points them at its local DynamoDB.
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB || env.AWS_ENDPOINT_URL || `https://dynamodb.${region}.amazonaws.com`,
      region,
      credentials,
      body,
    });
  } catch (error) {
    throw Object.assign(fail(error instanceof AwsError ? error.message : String((error as Error)?.message ?? error)), { cause: error });
  }
}
