// Real third-party code on our events: an Express 5 app wrapped by serverless-http, served by a
// plain `{ function }` route (app/functions/express-app.ts).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startDevServer, type Started } from './support.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let dev: Started;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev?.close());

describe('Express 5 + serverless-http on dev-server events', () => {
  it('routes, status, custom headers, path params and decoded query reach Express', async () => {
    const response = await fetch(`${dev.url}/express/items/42?tag=a+b&tag=c`, { headers: { cookie: 'session=old' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-item')).toBe('42');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ id: '42', query: { tag: ['a b', 'c'] }, method: 'GET', cookieHeader: 'session=old' });
  });

  it('several cookies come back as separate Set-Cookie lines', async () => {
    const response = await fetch(`${dev.url}/express/items/1`);
    expect(response.headers.getSetCookie()).toEqual(['session=abc123; Path=/; HttpOnly', 'theme=dark; Path=/']);
  });

  it('a JSON request body is parsed by express.json()', async () => {
    const response = await fetch(`${dev.url}/express/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', tags: ['x'] }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: { name: 'Ada', tags: ['x'] }, contentType: 'application/json' });
  });

  it('a binary request body (base64 in the event) arrives as the original bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
    const response = await fetch(`${dev.url}/express/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 4096, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('a binary response is decoded for Accept: image/png and left as base64 text otherwise', async () => {
    const binary = await rawRequest(dev.url, { path: '/express/logo.png', headers: { Accept: 'image/png' } });
    expect(binary.status).toBe(200);
    expect(binary.headers['content-type']).toBe('image/png');
    expect(binary.body.equals(PNG)).toBe(true);
    const text = await rawRequest(dev.url, { path: '/express/logo.png', headers: { Accept: 'text/html' } });
    expect(text.body.toString()).toBe(PNG.toString('base64'));
  });

  it('a streamed (res.write) response, a redirect, and Express\'s own 404 pass through', async () => {
    const streamed = await fetch(`${dev.url}/express/stream`);
    expect(await streamed.text()).toBe('chunk-1;chunk-2;end');
    const redirect = await fetch(`${dev.url}/express/redirect`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/express');
    const missing = await fetch(`${dev.url}/express/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Cannot GET /express/nope');
  });

  it('Express sees no NODE_ENV (as on Lambda: development mode, stacks in error pages) unless the app sets one', async () => {
    const lambdaLike = await fetch(`${dev.url}/express/boom`);
    expect(lambdaLike.status).toBe(500);
    expect(await lambdaLike.text()).toContain('express kaboom');
    const production = await startDevServer({ stage: 'node-env' });
    try {
      const response = await fetch(`${production.url}/express/boom`);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).toContain('Internal Server Error');
      expect(body).not.toContain('express kaboom');
    } finally {
      await production.close();
    }
  });

  it('the stage-prefixed URL reaches the same Express route (serverless-http reads event.path)', async () => {
    const response = await fetch(`${dev.url}/dev/express`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('express root');
  });
});
