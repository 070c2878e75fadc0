import { describe, expect, it, vi } from 'vitest';
import { Controller, createHandler, defineRoutes, type AppDefinition } from '../../../src/runtime/index.js';
import type { ApiGatewayProxyEvent, LambdaContext } from '../../../src/runtime/types.js';
import { request } from '../../../src/testing/index.js';

/** Echoes what it received, so tests can see the request the helper built. */
class EchoController extends Controller {
  show() {
    return this.json({
      method: this.request.method,
      params: this.params,
      query: this.request.multiQuery,
      headers: this.request.headers.toJSON(),
      body: this.request.body,
      requestId: this.request.requestId,
      functionName: this.context.functionName,
    });
  }
}
class FilesController extends Controller {
  image() {
    this.cookies.set('seen', 'yes');
    this.cookies.set('theme', 'dark');
    this.setHeader('X-Multi', ['a', 'b']);
    return this.send(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), { contentType: 'image/png' });
  }
  words() {
    return this.text('just words');
  }
}

const app: AppDefinition = {
  routes: defineRoutes((r) => {
    r.get('/posts/:id', 'echo#show');
    r.any('/echo', 'echo#show');
    r.get('/image.png', 'files#image');
    r.get('/words', 'files#words');
  }),
  controllers: { echo: EchoController, files: FilesController },
};

describe('request(app)', () => {
  it('builds the event API Gateway would: route template, encoded path params, stage in requestContext.path', async () => {
    const res = await request(app).get('/posts/a%20b?x=1');
    expect(res.status).toBe(200);
    expect(res.event.resource).toBe('/posts/{id}');
    expect(res.event.requestContext.resourcePath).toBe('/posts/{id}');
    expect(res.event.path).toBe('/posts/a%20b');
    expect(res.event.pathParameters).toEqual({ id: 'a%20b' });
    expect(res.event.queryStringParameters).toEqual({ x: '1' });
    expect(res.event.requestContext.stage).toBe('test');
    expect(res.event.requestContext.path).toBe('/test/posts/a%20b');
    expect(res.event).not.toHaveProperty('version');
    expect(res.body).toMatchObject({ method: 'GET', params: { id: 'a b', x: '1' }, functionName: 'test-function' });
    // The handler saw exactly this event.
    expect(res.body.requestId).toBe(res.event.requestContext.requestId);

    const prod = await request(app, { stage: 'prod', functionName: 'blog-prod-echo' }).get('/posts/1');
    expect(prod.event.requestContext.path).toBe('/prod/posts/1');
    expect(prod.event.requestContext.stage).toBe('prod');
    expect(prod.body.functionName).toBe('blog-prod-echo');
  });

  it('answers an unknown route, verb or HEAD on a GET route with 403 Missing Authentication Token', async () => {
    const client = request(app);
    for (const res of [await client.get('/nope'), await client.delete('/posts/1'), await client.head('/posts/1')]) {
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Missing Authentication Token"}');
      expect(res.rawBody.length).toBe(42);
      expect(res.body).toEqual({ message: 'Missing Authentication Token' });
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
      expect(res.result).toBeUndefined();
    }
  });

  it('supports supertest-style .set, .query and .send', async () => {
    const res = await request(app)
      .post('/echo?sort=asc')
      .set('X-Token', 'abc')
      .query({ page: '2' })
      .query({ tag: ['a', 'b'] })
      .send({ title: 'Hello', draft: true });
    expect(res.event.httpMethod).toBe('POST');
    expect(res.event.headers['Content-Type']).toBe('application/json');
    expect(res.event.multiValueQueryStringParameters).toEqual({ sort: ['asc'], page: ['2'], tag: ['a', 'b'] });
    expect(res.body).toMatchObject({
      method: 'POST',
      params: { sort: 'asc', page: '2', tag: 'b', title: 'Hello', draft: true },
      query: { sort: ['asc'], page: ['2'], tag: ['a', 'b'] },
      headers: { 'x-token': 'abc', 'content-type': 'application/json' },
      body: '{"title":"Hello","draft":true}',
    });
  });

  it('sends strings and Buffers as they are, keeping an explicit Content-Type', async () => {
    const text = await request(app).put('/echo').set('Content-Type', 'text/plain').send('raw text');
    expect(text.body).toMatchObject({ method: 'PUT', body: 'raw text', headers: { 'content-type': 'text/plain' } });

    const json = await request(app).patch('/echo', { headers: { 'content-type': 'application/merge-patch+json' }, body: { a: 1 } });
    expect(json.event.headers).not.toHaveProperty('Content-Type');
    expect(json.body).toMatchObject({ method: 'PATCH', params: { a: 1 } });

    const bytes = Buffer.from([0xca, 0xfe, 0xba, 0xbe]);
    const binary = await request(app, { binaryMediaTypes: ['application/octet-stream'] }).post('/echo').set('Content-Type', 'application/octet-stream').send(bytes);
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(binary.event.body).toBe(bytes.toString('base64'));
  });

  it('every verb helper sends its method', async () => {
    const client = request(app);
    const seen = [];
    for (const res of [await client.get('/echo'), await client.post('/echo'), await client.put('/echo'), await client.patch('/echo'), await client.delete('/echo'), await client.options('/echo'), await client.request('trace', '/echo')]) {
      seen.push(res.event.httpMethod);
    }
    expect(seen).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);
    const head = await client.head('/echo');
    expect(head.event.httpMethod).toBe('HEAD');
    expect(head.status).toBe(200);
  });

  it('returns binary bodies as Buffers, text as text, and cookies and headers apart', async () => {
    const image = await request(app).get('/image.png');
    expect(Buffer.isBuffer(image.body)).toBe(true);
    expect(image.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
    expect(image.rawBody).toEqual(image.body);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-multi']).toBe('a, b');
    expect(image.headers).not.toHaveProperty('set-cookie');
    expect(image.cookies).toEqual(['seen=yes; Path=/', 'theme=dark; Path=/']);
    expect(image.result).toMatchObject({ isBase64Encoded: true, statusCode: 200 });

    const words = await request(app).get('/words');
    expect(words.body).toBe('just words');
    expect(words.text).toBe('just words');
  });
});

describe('request(app, { cors })', () => {
  it("adds the CORS headers the built function adds on AWS, from the config's cors setting", async () => {
    const cors = { origins: ['https://app.example.com'], credentials: true };
    const allowed = await request(app, { cors }).get('/words').set('Origin', 'https://app.example.com');
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-credentials': 'true', vary: 'Origin' });
    const other = await request(app, { cors }).get('/words').set('Origin', 'https://elsewhere.example.net');
    expect(other.headers).not.toHaveProperty('access-control-allow-origin');
    expect((await request(app, { cors: true }).get('/words').set('Origin', 'https://any.example.org')).headers['access-control-allow-origin']).toBe('*');
    expect((await request(app).get('/words').set('Origin', 'https://any.example.org')).headers).not.toHaveProperty('access-control-allow-origin');
  });
});

describe('request(handler)', () => {
  const routes = defineRoutes((r) => r.get('/items/:id', 'items#show'));

  it('fills resource and pathParameters from the routes given', async () => {
    const handler = vi.fn(async (event: ApiGatewayProxyEvent, _context: LambdaContext) => ({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ resource: event.resource, pathParameters: event.pathParameters }),
    }));
    const res = await request(handler, { routes }).get('/items/x%2Fy');
    expect(res.body).toEqual({ resource: '/items/{id}', pathParameters: { id: 'x%2Fy' } });
    expect(handler.mock.calls[0]![1].functionName).toBe('test-function');

    const unknown = await request(handler, { routes }).get('/other');
    expect(unknown.status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('without routes, sends any path with the path as its resource', async () => {
    const res = await request(async (event: ApiGatewayProxyEvent) => ({ statusCode: 200, body: JSON.stringify([event.resource, event.pathParameters]) })).get('/any/thing');
    expect(res.body).toEqual(['/any/thing', null]);
  });

  it('runs a handler made by createHandler with the same result as request(app)', async () => {
    const res = await request(createHandler(app), { routes: app.routes }).get('/posts/5');
    expect(res.body).toMatchObject({ params: { id: '5' } });
  });

  it('runs callback-style handlers', async () => {
    const handler = (_event: ApiGatewayProxyEvent, _context: LambdaContext, callback?: (error: unknown, result?: unknown) => void) => {
      setTimeout(() => callback!(null, { statusCode: 202, body: 'queued' }), 1);
    };
    const res = await request(handler).post('/jobs');
    expect(res.status).toBe(202);
    expect(res.text).toBe('queued');
  });

  it('keeps a non-JSON body as text even though API Gateway labels it application/json', async () => {
    const res = await request(async () => ({ statusCode: 200, body: 'hello' })).get('/');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('hello');
  });

  it('rejects on a malformed proxy response, naming the 502 and the reason', async () => {
    await expect(request(async () => ({ statusCode: 200, body: { not: 'a string' } })).get('/')).rejects.toThrow(
      /malformed proxy response \(API Gateway answers 502\): body must be a string/,
    );
    await expect(request(async () => undefined).get('/')).rejects.toThrow(/returned nothing/);
  });

  it('rejects with the error a handler throws', async () => {
    const error = new Error('handler exploded');
    await expect(request(async () => { throw error; }).get('/')).rejects.toBe(error);
  });
});
