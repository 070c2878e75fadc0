import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bucket, table } from '../../../src/config/define-config.js';
import { loadApp, request, useLocalResources, type LocalResources } from '../../../src/testing/index.js';

const root = new URL('../../fixtures/apps/notes-data/', import.meta.url);

describe('useLocalResources() on an app folder', () => {
  let local: LocalResources;
  const app = loadApp(root);

  beforeAll(async () => {
    local = await useLocalResources(root);
  });
  beforeEach(() => local.reset());
  afterAll(() => local.stop());

  it('runs the app’s unmodified AWS SDK code on the declared table and bucket', async () => {
    expect(local.names).toEqual({ notes: 'notes-test-notes', attachments: 'notes-test-attachments' });
    expect(process.env.AWS_REGION).toBe('eu-west-1');

    const created = await request(app).post('/notes').send({ id: 'n1', owner: 'ada', text: 'hello' });
    expect(created.status).toBe(201);
    expect((await request(app).get('/notes/n1')).body).toEqual({ id: 'n1', owner: 'ada', text: 'hello' });
    expect((await request(app).get('/notes').query({ owner: 'ada' })).body).toEqual([{ id: 'n1', owner: 'ada', text: 'hello' }]);

    expect((await request(app).put('/notes/n1/attachment').set('content-type', 'text/plain').send('a file')).status).toBe(204);
    expect((await request(app).get('/notes/n1/attachment')).text).toBe('a file');
  });

  it('starts each test empty after reset()', async () => {
    expect((await request(app).get('/notes/n1')).status).toBe(404);
    expect((await request(app).get('/notes').query({ owner: 'ada' })).body).toEqual([]);
    expect((await request(app).get('/notes/n1/attachment')).status).toBe(404);
  });
});

describe('useLocalResources() on an inline app', () => {
  it('accepts declarations, leaves process.env alone with setEnv: false, and stops cleanly', async () => {
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    const local = await useLocalResources({ name: 'shop', resources: { orders: table({ key: 'id' }), receipts: bucket() } }, { stage: 'ci', setEnv: false });
    try {
      expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(before);
      expect(local.names).toEqual({ orders: 'shop-ci-orders', receipts: 'shop-ci-receipts' });
      const client = new DynamoDBClient({ endpoint: local.env.AWS_ENDPOINT_URL_DYNAMODB, region: local.env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['shop-ci-orders']);
    } finally {
      await local.stop();
    }
  });

  it('expire() lets a test see DynamoDB TTL at a chosen time', async () => {
    const local = await useLocalResources({ name: 'shop', resources: { carts: table({ key: 'id', ttl: 'expiresAt' }) } });
    try {
      const client = new DynamoDBClient({});
      await client.send(new PutItemCommand({ TableName: local.names.carts, Item: { id: { S: 'c1' }, expiresAt: { N: '1000' } } }));
      expect(await local.expire(new Date(999_000))).toBe(0);
      expect(await local.expire(new Date(1_001_000))).toBe(1);
      expect((await client.send(new GetItemCommand({ TableName: local.names.carts, Key: { id: { S: 'c1' } } }))).Item).toBeUndefined();
    } finally {
      await local.stop();
    }
  });

  it('restores process.env on stop()', async () => {
    const before = process.env.SLS_TS_RESOURCE_ORDERS_NAME;
    const local = await useLocalResources({ name: 'shop', resources: { orders: table({ key: 'id' }) } });
    expect(process.env.SLS_TS_RESOURCE_ORDERS_NAME).toBe('shop-test-orders');
    await local.stop();
    expect(process.env.SLS_TS_RESOURCE_ORDERS_NAME).toBe(before);
  });
});
