import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compileRoutes, matchRoute, type RouteBuilder } from '../../../src/router/index.js';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { apiGatewayEvent, httpApiEvent, type ApiGatewayEventOptions } from '../../../src/runtime/events/index.js';
import { Controller, HttpError, createHandler, defineRoutes, type AppDefinition, type HandlerOptions, type Request } from '../../../src/runtime/index.js';
import { mapProxyResult } from '../../../src/runtime/emulation/index.js';
import type { ApiGatewayProxyResult, HttpApiResult } from '../../../src/runtime/types.js';
import type { ErrorClass } from '../../../src/runtime/controller.js';
import { checkProxyResult } from './proxy-results.js';

type Controllers = NonNullable<AppDefinition['controllers']>;

/** Builds the REST event API Gateway sends for the matching resource, runs the handler, checks the result. */
async function rest(draw: (r: RouteBuilder) => void, controllers: Controllers, options: ApiGatewayEventOptions, handlerOptions: HandlerOptions = {}) {
  const table = compileRoutes(defineRoutes(draw));
  const match = matchRoute(table, options.method, options.path.split('?')[0]!);
  const event = apiGatewayEvent({ resource: match?.route.resource, pathParameters: match?.pathParameters ?? null, ...options });
  const handler = createHandler({ routes: table, controllers }, handlerOptions);
  const result = checkProxyResult(await handler(event, createLambdaContext({ functionName: 'controller-test' })));
  return { result, event, status: result.statusCode, headers: result.headers ?? {}, json: () => JSON.parse(result.body) };
}

function multipart(boundary: string, parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string }>): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.type) head += `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  // 5xx responses are logged; keep the test output clean but let tests look at what was logged.
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => consoleError.mockRestore());

describe('params', () => {
  class ItemsController extends Controller {
    update() {
      return this.json(this.params);
    }
    create() {
      return this.json(this.params);
    }
    search() {
      return this.json(this.params);
    }
  }
  const routes = (r: RouteBuilder) => {
    r.post('/items', 'items#create');
    r.post('/items/:id', 'items#update');
    r.get('/search', 'items#search');
  };

  it('merges path > query > body', async () => {
    const res = await rest(routes, { items: ItemsController }, {
      method: 'POST',
      path: '/items/7?id=query&q=query&only_query=1',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'body', q: 'body', b: 'body' }),
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ id: '7', q: 'query', only_query: '1', b: 'body' });
  });

  it('parses JSON bodies, including +json types', async () => {
    const res = await rest(routes, { items: ItemsController }, {
      method: 'POST',
      path: '/items',
      headers: { 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
      body: JSON.stringify({ post: { title: 'Hi', tags: ['a', 'b'] }, draft: false }),
    });
    expect(res.json()).toEqual({ post: { title: 'Hi', tags: ['a', 'b'] }, draft: false });
  });

  it('parses urlencoded bodies with nested keys and arrays', async () => {
    const res = await rest(routes, { items: ItemsController }, {
      method: 'POST',
      path: '/items',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'title=Hello+World&tags[]=a&tags[]=b&post[author]=Ann%20Lee',
    });
    expect(res.json()).toEqual({ title: 'Hello World', tags: ['a', 'b'], post: { author: 'Ann Lee' } });
  });

  it('parses a multipart upload with a binary file from a base64 event body', async () => {
    const file = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--not-the-boundary\r\n')]);
    const boundary = '----sls-ts-boundary-42';
    const body = multipart(boundary, [
      { name: 'caption', data: 'A tiny file' },
      { name: 'upload', filename: 'bytes.bin', type: 'application/octet-stream', data: file },
    ]);
    class UploadsController extends Controller {
      create() {
        const upload = this.params.upload as { filename: string; contentType: string; size: number; data: Buffer };
        return this.json({ caption: this.params.caption, filename: upload.filename, contentType: upload.contentType, size: upload.size, hex: upload.data.toString('hex') });
      }
    }
    const res = await rest((r) => r.post('/uploads', 'uploads#create'), { uploads: UploadsController }, {
      method: 'POST',
      path: '/uploads',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      binaryMediaTypes: ['multipart/form-data'],
    });
    expect(res.event.isBase64Encoded).toBe(true);
    expect(res.event.body).toBe(body.toString('base64'));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ caption: 'A tiny file', filename: 'bytes.bin', contentType: 'application/octet-stream', size: file.length, hex: file.toString('hex') });
  });

  it('turns key[] query parameters into arrays; a plain repeated key keeps its last value', async () => {
    const res = await rest(routes, { items: ItemsController }, { method: 'GET', path: '/search?tag[]=a&tag%5B%5D=b&one[]=x&r=1&r=2' });
    expect(res.json()).toEqual({ tag: ['a', 'b'], one: ['x'], r: '2' });
  });

  it('ignores a __proto__ query key instead of swapping the params prototype', async () => {
    const res = await rest(routes, { items: ItemsController }, { method: 'GET', path: '/search?__proto__[]=x&__proto__=y&a=1' });
    expect(res.json()).toEqual({ a: '1' });
    let params: object | undefined;
    class ProtoController extends Controller {
      search() {
        params = this.params;
        return this.head(204);
      }
    }
    await rest((r) => r.get('/search', 'proto#search'), { proto: ProtoController }, { method: 'GET', path: '/search?__proto__[]=x' });
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });

  it('answers malformed JSON with a 400 JSON error that names JSON', async () => {
    const res = await rest(routes, { items: ItemsController }, {
      method: 'POST',
      path: '/items',
      headers: { 'Content-Type': 'application/json' },
      body: '{"title": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers['Content-Type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(/^Malformed JSON in request body \(application\/json\): /);
    expect(body.error).not.toContain('\n');
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('decodes path parameters in params but keeps them raw in request.pathParameters', async () => {
    let seen: Request | undefined;
    class FilesController extends Controller {
      show() {
        seen = this.request;
        return this.json(this.params);
      }
    }
    const draw = (r: RouteBuilder) => {
      r.get('/files/:name', 'files#show');
      r.get('/raw/*rest', 'files#show');
    };
    const res = await rest(draw, { files: FilesController }, { method: 'GET', path: '/files/a%2Fb%20c%7C' });
    expect(res.json()).toEqual({ name: 'a/b c|' });
    expect(seen!.pathParameters).toEqual({ name: 'a%2Fb%20c%7C' });
    expect(seen!.path).toBe('/files/a%2Fb%20c%7C');

    const greedy = await rest(draw, { files: FilesController }, { method: 'GET', path: '/raw/x/y%20z' });
    expect(greedy.json()).toEqual({ rest: 'x/y z' });
    expect(seen!.pathParameters).toEqual({ rest: 'x/y%20z' });

    // A stray % cannot be decoded; the raw text is kept instead of failing the request.
    const stray = await rest(draw, { files: FilesController }, { method: 'GET', path: '/files/100%' });
    expect(stray.status).toBe(200);
    expect(stray.json()).toEqual({ name: '100%' });
  });

  it('gives params.id back on a parent resource whose member param is :post_id', async () => {
    let seen: Request | undefined;
    class PostsController extends Controller {
      show() {
        seen = this.request;
        return this.json(this.params);
      }
    }
    class CommentsController extends Controller {
      show() {
        return this.json(this.params);
      }
    }
    const draw = (r: RouteBuilder) => {
      r.resources('posts', { only: ['show'] }, (r) => {
        r.resources('comments', { only: ['show'] });
      });
    };
    const controllers = { posts: PostsController, comments: CommentsController };
    const post = await rest(draw, controllers, { method: 'GET', path: '/posts/a%20b' });
    expect(post.event.resource).toBe('/posts/{post_id}');
    expect(post.json()).toEqual({ id: 'a b', post_id: 'a b' });
    expect(seen!.pathParameters).toEqual({ post_id: 'a%20b' });

    const comment = await rest(draw, controllers, { method: 'GET', path: '/posts/5/comments/9' });
    expect(comment.event.resource).toBe('/posts/{post_id}/comments/{id}');
    expect(comment.json()).toEqual({ post_id: '5', id: '9' });
  });
});

describe('request', () => {
  let seen: { request: Request; controller: Controller } | undefined;
  class ProbeController extends Controller {
    show() {
      seen = { request: this.request, controller: this };
      return this.head(204);
    }
  }
  const draw = (r: RouteBuilder) => r.any('/probe', 'probe#show');
  const probe = async (options: Omit<ApiGatewayEventOptions, 'path'> & { path?: string }) => {
    seen = undefined;
    const res = await rest(draw, { probe: ProbeController }, { path: '/probe', ...options });
    expect(res.status).toBe(204);
    return { ...res, request: seen!.request, controller: seen!.controller };
  };

  it('reads REST headers case-insensitively, keeping multi-values', async () => {
    const { event, request } = await probe({ method: 'GET', headers: { 'X-Test': 'yes', 'X-Multi': ['one', 'two'], 'content-type': 'text/plain' } });
    // REST keeps the client's casing (item 25), so only the Request makes lookups case-insensitive.
    expect(event.headers['X-Test']).toBe('yes');
    expect(event.headers['x-test']).toBeUndefined();
    expect(request.headers.get('x-test')).toBe('yes');
    expect(request.headers.get('X-TEST')).toBe('yes');
    expect(request.headers.has('x-test')).toBe(true);
    expect(request.headers.has('x-missing')).toBe(false);
    expect(request.headers.get('x-missing')).toBeUndefined();
    expect(request.headers.getAll('x-multi')).toEqual(['one', 'two']);
    expect(request.headers.get('x-multi')).toBe('two');
    expect(request.headers.toJSON()).toMatchObject({ 'x-test': 'yes', 'x-multi': 'two' });
    expect(request.contentType).toBe('text/plain');
  });

  it('exposes decoded query values and every value of a repeated key', async () => {
    const { request } = await probe({ method: 'GET', path: '/probe?r=one&r=two&s=a+b&t=a%2Bb' });
    expect(request.query).toEqual({ r: 'two', s: 'a b', t: 'a+b' });
    expect(request.multiQuery).toEqual({ r: ['one', 'two'], s: ['a b'], t: ['a+b'] });

    const empty = await probe({ method: 'GET' });
    expect(empty.event.queryStringParameters).toBeNull();
    expect(empty.request.query).toEqual({});
    expect(empty.request.multiQuery).toEqual({});
  });

  it('parses cookies from the Cookie header', async () => {
    const { request, controller } = await probe({ method: 'GET', headers: { Cookie: 'session=abc123; theme=dark; note=a%20b' } });
    expect(request.cookies).toEqual({ session: 'abc123', theme: 'dark', note: 'a b' });
    expect(controller.cookies.get('session')).toBe('abc123');
    expect(controller.cookies.get('missing')).toBeUndefined();
    expect(controller.cookies.all()).toEqual(request.cookies);
  });

  it('takes ip, request id, stage, method and path from the event; event and context are the real ones', async () => {
    const { request, controller, event } = await probe({ method: 'patch', sourceIp: '203.0.113.9', requestId: 'req-42', stage: 'prod' });
    expect(request.ip).toBe('203.0.113.9');
    expect(request.requestId).toBe('req-42');
    expect(request.stage).toBe('prod');
    expect(request.method).toBe('PATCH');
    expect(request.path).toBe('/probe');
    expect(controller.event).toBe(event);
    expect(request.event).toBe(event);
    expect(controller.context.functionName).toBe('controller-test');
    expect(controller.actionName).toBe('show');
    expect(controller.route.targetName).toBe('probe#show');
  });

  it('decodes a base64 body into rawBody bytes; body is its UTF-8 text', async () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x41]);
    const binary = await probe({ method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes, binaryMediaTypes: ['application/octet-stream'] });
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(binary.request.rawBody).toEqual(bytes);
    expect(binary.request.body).toBe(bytes.toString('utf8'));

    const text = await probe({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":"é"}' });
    expect(text.event.isBase64Encoded).toBe(false);
    expect(text.request.body).toBe('{"a":"é"}');
    expect(text.request.rawBody).toEqual(Buffer.from('{"a":"é"}'));

    const none = await probe({ method: 'GET' });
    expect(none.request.body).toBeNull();
    expect(none.request.rawBody).toBeNull();
  });

  it('reads HTTP API 2.0 events: cookies array, last-value and multi-value query, base64 forms', async () => {
    let request: Request | undefined;
    let params: Record<string, unknown> | undefined;
    class ItemsController extends Controller {
      update() {
        request = this.request;
        params = this.params;
        this.cookies.set('a', '1');
        this.cookies.set('b', '2', { httpOnly: true });
        return this.json({ ok: true }, { headers: { 'X-Vary': ['one', 'two'] } });
      }
    }
    const event = httpApiEvent({
      method: 'POST',
      path: '/items/3?r=one&r=two&tag[]=a&tag[]=b',
      routeKey: 'POST /items/{id}',
      pathParameters: { id: '3' },
      headers: { Cookie: 'session=abc; theme=dark', 'X-Test': 'v', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'title=Hi+there',
      sourceIp: '198.51.100.4',
    });
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.isBase64Encoded).toBe(true);
    const handler = createHandler({ routes: defineRoutes((r) => r.post('/items/:id', 'items#update')), controllers: { items: ItemsController } });
    const result = (await handler(event, createLambdaContext({ functionName: 'v2' }))) as HttpApiResult;

    expect(request!.cookies).toEqual({ session: 'abc', theme: 'dark' });
    // The last value, as on REST (item 21), not API Gateway's comma-joined one (item 36).
    expect(request!.query).toMatchObject({ r: 'two' });
    expect(request!.multiQuery).toMatchObject({ r: ['one', 'two'], 'tag[]': ['a', 'b'] });
    expect(request!.headers.get('x-test')).toBe('v');
    expect(request!.ip).toBe('198.51.100.4');
    expect(request!.method).toBe('POST');
    expect(params).toMatchObject({ id: '3', tag: ['a', 'b'], title: 'Hi there' });

    expect(Object.keys(result).sort()).toEqual(['body', 'cookies', 'headers', 'isBase64Encoded', 'statusCode']);
    expect(result.statusCode).toBe(200);
    expect(result.cookies).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(Object.keys(result.headers!).map((name) => name.toLowerCase())).not.toContain('set-cookie');
    expect(result.headers!['X-Vary']).toBe('one, two');
    expect(JSON.parse(result.body!)).toEqual({ ok: true });
  });
});

describe('responses', () => {
  async function render(action: (this: Controller) => unknown, method = 'GET') {
    class RenderController extends Controller {
      go() {
        return action.call(this);
      }
    }
    return rest((r) => r.any('/render', 'render#go'), { render: RenderController }, { method, path: '/render' });
  }

  it('json: JSON body, default content type, status and header options', async () => {
    const res = await render(function () {
      return this.json({ a: 1, b: [true, null] }, { status: 201, headers: { 'X-Extra': '1' } });
    });
    expect(res.status).toBe(201);
    expect(res.result.body).toBe('{"a":1,"b":[true,null]}');
    expect(res.headers).toEqual({ 'Content-Type': 'application/json; charset=utf-8', 'X-Extra': '1' });
    expect(res.result.isBase64Encoded).toBe(false);
    expect(res.result.multiValueHeaders).toBeUndefined();

    const nothing = await render(function () {
      return this.json(undefined);
    });
    expect(nothing.result.body).toBe('null');
  });

  it('text and html: their content types and a status option', async () => {
    const text = await render(function () {
      return this.text('plain words', { status: 202 });
    });
    expect(text.status).toBe(202);
    expect(text.result.body).toBe('plain words');
    expect(text.headers['Content-Type']).toBe('text/plain; charset=utf-8');

    const html = await render(function () {
      return this.html('<h1>Hi</h1>', { status: 404 });
    });
    expect(html.status).toBe(404);
    expect(html.result.body).toBe('<h1>Hi</h1>');
    expect(html.headers['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('redirect: 302 by default with Location and an empty body; other statuses on request', async () => {
    const found = await render(function () {
      return this.redirect('/login?next=%2Fposts');
    });
    expect(found.status).toBe(302);
    expect(found.headers).toEqual({ Location: '/login?next=%2Fposts' });
    expect(found.result.body).toBe('');

    const moved = await render(function () {
      return this.redirect('https://example.com/', 301);
    });
    expect(moved.status).toBe(301);
    expect(moved.headers.Location).toBe('https://example.com/');
  });

  it('head: status only, no body and no content type of its own', async () => {
    const res = await render(function () {
      return this.head(204, { headers: { 'X-Count': '3' } });
    });
    expect(res.status).toBe(204);
    expect(res.result.body).toBe('');
    expect(res.headers).toEqual({ 'X-Count': '3' });
    // API Gateway then labels it application/json (item 48).
    expect(mapProxyResult(res.result).headers).toContainEqual(['Content-Type', 'application/json']);
  });

  it('send: a Buffer goes out base64 with isBase64Encoded; a string as text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const image = await render(function () {
      return this.send(png, { contentType: 'image/png', status: 201 });
    });
    expect(image.status).toBe(201);
    expect(image.result.isBase64Encoded).toBe(true);
    expect(image.result.body).toBe(png.toString('base64'));
    expect(image.headers['Content-Type']).toBe('image/png');
    expect(mapProxyResult(image.result, { accept: 'image/png', binaryMediaTypes: ['image/png'] }).body).toEqual(png);

    const bytes = await render(function () {
      return this.send(new Uint8Array([1, 2, 3]));
    });
    expect(bytes.result.isBase64Encoded).toBe(true);
    expect(Buffer.from(bytes.result.body, 'base64')).toEqual(Buffer.from([1, 2, 3]));
    expect(bytes.headers['Content-Type']).toBe('application/octet-stream');

    const text = await render(function () {
      return this.send('a,b\n1,2', { contentType: 'text/csv' });
    });
    expect(text.result.isBase64Encoded).toBe(false);
    expect(text.result.body).toBe('a,b\n1,2');
    expect(text.headers['Content-Type']).toBe('text/csv');

    const plain = await render(function () {
      return this.send('just text');
    });
    expect(plain.headers['Content-Type']).toBe('text/plain; charset=utf-8');

    // An explicit contentType wins over a Content-Type set before; the fallback does not.
    const explicit = await render(function () {
      this.setHeader('content-type', 'application/json');
      return this.send(png, { contentType: 'image/png' });
    });
    expect(explicit.headers).toEqual({ 'Content-Type': 'image/png' });
    const preset = await render(function () {
      this.setHeader('Content-Type', 'application/pdf');
      return this.send(png);
    });
    expect(preset.headers).toEqual({ 'Content-Type': 'application/pdf' });
  });

  it('setHeader: chains, replaces case-insensitively, and an explicit Content-Type beats the default', async () => {
    const res = await render(function () {
      this.setHeader('X-A', '1').setHeader('x-a', '2').setHeader('X-Num', 3).setHeader('Content-Type', 'application/vnd.api+json');
      this.setHeader('Link', ['</a>; rel="next"', '</b>; rel="prev"']);
      return this.json({ ok: true });
    });
    expect(res.headers).toEqual({ 'x-a': '2', 'X-Num': '3', 'Content-Type': 'application/vnd.api+json' });
    expect(res.result.multiValueHeaders).toEqual({ Link: ['</a>; rel="next"', '</b>; rel="prev"'] });
  });

  it('several cookies go to multiValueHeaders as separate Set-Cookie values', async () => {
    const res = await render(function () {
      this.cookies.set('session', 'abc 1', { httpOnly: true, secure: true, sameSite: 'Lax', maxAge: 3600 });
      this.cookies.set('theme', 'dark');
      return this.json({});
    });
    expect(res.headers).not.toHaveProperty('Set-Cookie');
    expect(res.result.multiValueHeaders).toEqual({
      'Set-Cookie': ['session=abc%201; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax', 'theme=dark; Path=/'],
    });
    const lines = mapProxyResult(res.result).headers.filter(([name]) => name.toLowerCase() === 'set-cookie');
    expect(lines).toHaveLength(2);

    const single = await render(function () {
      this.cookies.set('only', 'one');
      return this.json({});
    });
    expect(single.headers['Set-Cookie']).toBe('only=one; Path=/');
  });

  it('cookies.delete expires the cookie', async () => {
    const res = await render(function () {
      this.cookies.delete('session', { path: '/app' });
      return this.head(204);
    });
    expect(res.headers['Set-Cookie']).toBe('session=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/app');
  });
});

describe('filters', () => {
  it('runs before filters with only/except', async () => {
    class FiltersController extends Controller {
      log: string[] = [];
      static {
        this.before('always');
        this.before('onlyShow', { only: ['show'] });
        this.before('notShow', { except: ['show'] });
      }
      always() {
        this.log.push('always');
      }
      onlyShow() {
        this.log.push('onlyShow');
      }
      notShow() {
        this.log.push('notShow');
      }
      index() {
        return this.json(this.log);
      }
      show() {
        return this.json(this.log);
      }
    }
    const draw = (r: RouteBuilder) => r.resources('filters', { only: ['index', 'show'] });
    expect((await rest(draw, { filters: FiltersController }, { method: 'GET', path: '/filters' })).json()).toEqual(['always', 'notShow']);
    expect((await rest(draw, { filters: FiltersController }, { method: 'GET', path: '/filters/1' })).json()).toEqual(['always', 'onlyShow']);
  });

  it('a before filter that renders halts: no action, no after filters', async () => {
    const action = vi.fn();
    const after = vi.fn();
    class SecretsController extends Controller {
      static {
        this.before('authenticate');
        this.after(function () {
          after();
        });
      }
      authenticate() {
        if (this.request.headers.get('authorization') !== 'Bearer ok') return this.json({ error: 'login first' }, { status: 401 });
      }
      index() {
        action();
        return this.json({ secret: 42 });
      }
    }
    const draw = (r: RouteBuilder) => r.get('/secrets', 'secrets#index');
    const denied = await rest(draw, { secrets: SecretsController }, { method: 'GET', path: '/secrets' });
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual({ error: 'login first' });
    expect(action).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();

    const allowed = await rest(draw, { secrets: SecretsController }, { method: 'GET', path: '/secrets', headers: { Authorization: 'Bearer ok' } });
    expect(allowed.json()).toEqual({ secret: 42 });
    expect(action).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('after filters run once the action rendered and can change headers', async () => {
    class TimedController extends Controller {
      static {
        this.after('stamp');
        this.after('onlyOther', { only: ['other'] });
      }
      stamp() {
        this.setHeader('X-Status-Seen', this.response.status);
        this.setHeader('Cache-Control', 'no-store');
      }
      onlyOther() {
        this.setHeader('X-Other', 'yes');
      }
      index() {
        return this.json({ ok: true }, { status: 201 });
      }
    }
    const res = await rest((r) => r.get('/timed', 'timed#index'), { timed: TimedController }, { method: 'GET', path: '/timed' });
    expect(res.status).toBe(201);
    expect(res.headers).toMatchObject({ 'X-Status-Seen': '201', 'Cache-Control': 'no-store' });
    expect(res.headers).not.toHaveProperty('X-Other');
  });

  it('function filters get the controller as this and as argument; async filters are awaited', async () => {
    const seen: unknown[] = [];
    class FnController extends Controller {
      loaded = '';
      static {
        this.before(function (controller) {
          seen.push(this === controller, controller instanceof FnController);
        });
        this.before(async function () {
          await new Promise((resolve) => setTimeout(resolve, 5));
          this.loaded = 'after a tick';
        });
        this.after((controller) => {
          controller.setHeader('X-After', 'arrow');
        });
      }
      index() {
        return this.json({ loaded: this.loaded });
      }
    }
    const res = await rest((r) => r.get('/fn', 'fn#index'), { fn: FnController }, { method: 'GET', path: '/fn' });
    expect(res.json()).toEqual({ loaded: 'after a tick' });
    expect(res.headers['X-After']).toBe('arrow');
    expect(seen).toEqual([true, true]);
  });

  it("runs a parent's filters before the child's, without leaking the child's to siblings", async () => {
    let log: string[] = [];
    class BaseController extends Controller {
      static {
        this.before(() => void log.push('parent before'));
        this.after(() => void log.push('parent after'));
      }
    }
    class ChildController extends BaseController {
      static {
        this.before(() => void log.push('child before'));
        this.after(() => void log.push('child after'));
      }
      index() {
        log.push('action');
        return this.head(204);
      }
    }
    class SiblingController extends BaseController {
      index() {
        log.push('action');
        return this.head(204);
      }
    }
    const draw = (r: RouteBuilder) => {
      r.get('/child', 'child#index');
      r.get('/sibling', 'sibling#index');
    };
    const controllers = { child: ChildController, sibling: SiblingController };
    await rest(draw, controllers, { method: 'GET', path: '/child' });
    expect(log).toEqual(['parent before', 'child before', 'action', 'parent after', 'child after']);
    log = [];
    await rest(draw, controllers, { method: 'GET', path: '/sibling' });
    expect(log).toEqual(['parent before', 'action', 'parent after']);
  });

  it('an unknown filter name is a 500 with a clear message', async () => {
    class TypoController extends Controller {
      static {
        this.before('authenticat');
      }
      index() {
        return this.json({});
      }
    }
    const draw = (r: RouteBuilder) => r.get('/typo', 'typo#index');
    const hidden = await rest(draw, { typo: TypoController }, { method: 'GET', path: '/typo' });
    expect(hidden.status).toBe(500);
    expect(hidden.json()).toEqual({ error: 'Internal Server Error' });
    const shown = await rest(draw, { typo: TypoController }, { method: 'GET', path: '/typo' }, { showErrors: true });
    expect(shown.json().message).toBe('TypoController: before filter "authenticat" is not a method');
  });
});

describe('errors', () => {
  class NotFound extends Error {
    override name = 'NotFound';
  }
  class Gone extends NotFound {}

  async function fail(type: new (...args: any[]) => Controller, handlerOptions: HandlerOptions = {}, action = 'index') {
    return rest((r) => r.get('/fail', `fail#${action}`), { fail: type }, { method: 'GET', path: '/fail' }, handlerOptions);
  }

  it('HttpError renders its status, message, details and headers', async () => {
    class FailController extends Controller {
      index() {
        throw new HttpError(422, 'Invalid post', { details: { fields: { title: 'is required' } }, headers: { 'X-Reason': 'validation' } });
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({ error: 'Invalid post', fields: { title: 'is required' } });
    expect(res.headers).toMatchObject({ 'X-Reason': 'validation', 'Content-Type': 'application/json; charset=utf-8' });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('HttpError has a default message per status and keeps its cause', async () => {
    const cause = new Error('db row missing');
    const error = new HttpError(404, undefined, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HttpError');
    expect(error.message).toBe('Not Found');
    expect(error.status).toBe(404);
    expect(error.cause).toBe(cause);
    expect(new HttpError(401).message).toBe('Unauthorized');
    expect(new HttpError(418).message).toBe('Error');

    class FailController extends Controller {
      index() {
        throw new HttpError(401, undefined, { headers: { 'WWW-Authenticate': 'Bearer' } });
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: 'Unauthorized' });
    expect(res.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('rescueFrom with a handler method name', async () => {
    class FailController extends Controller {
      static {
        this.rescueFrom(NotFound, 'notFound');
      }
      index() {
        throw new NotFound('post 9');
      }
      notFound(error: NotFound) {
        return this.json({ missing: error.message }, { status: 404 });
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ missing: 'post 9' });
  });

  it('rescueFrom with a function, which gets the error and the controller; subclasses match', async () => {
    const calls: unknown[] = [];
    class FailController extends Controller {
      static {
        this.rescueFrom(NotFound, function (error, controller) {
          calls.push(this === controller, error instanceof Gone);
          return this.text(`rescued ${error.message}`, { status: 410 });
        });
      }
      index() {
        throw new Gone('post 10');
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(410);
    expect(res.result.body).toBe('rescued post 10');
    expect(calls).toEqual([true, true]);
  });

  it('the most recent rescueFrom declaration wins', async () => {
    // The same two handlers, declared in the order given.
    const declaring = (order: Array<[ErrorClass, 'generic' | 'specific']>) => class extends Controller {
      static {
        for (const [type, handler] of order) this.rescueFrom(type, handler);
      }
      index() {
        throw new NotFound('x');
      }
      generic() {
        return this.text('generic');
      }
      specific() {
        return this.text('specific');
      }
    };
    const SpecificLast = declaring([[Error, 'generic'], [NotFound, 'specific']]);
    class GenericLast extends SpecificLast {}
    const FailController = declaring([[NotFound, 'specific'], [Error, 'generic']]);
    expect((await fail(SpecificLast)).result.body).toBe('specific');
    expect((await fail(GenericLast)).result.body).toBe('specific');
    expect((await fail(FailController)).result.body).toBe('generic');
  });

  it("a child's rescue handlers are tried before its parent's", async () => {
    class AppController extends Controller {
      static {
        this.rescueFrom(NotFound, 'parentHandler');
      }
      parentHandler() {
        return this.text('parent');
      }
    }
    class InheritsController extends AppController {
      index() {
        throw new NotFound('x');
      }
    }
    class OverridesController extends AppController {
      static {
        this.rescueFrom(Error, 'childHandler');
      }
      index() {
        throw new NotFound('x');
      }
      childHandler() {
        return this.text('child');
      }
    }
    expect((await fail(InheritsController)).result.body).toBe('parent');
    expect((await fail(OverridesController)).result.body).toBe('child');
  });

  it('errors thrown by filters are rescued too', async () => {
    class FailController extends Controller {
      static {
        this.before(() => {
          throw new NotFound('from a filter');
        });
        this.rescueFrom(NotFound, function (error) {
          return this.json({ rescued: error.message }, { status: 404 });
        });
      }
      index() {
        return this.json({});
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ rescued: 'from a filter' });
  });

  it('a rescue handler rendering after a failed render starts from a blank status and content type', async () => {
    class FailController extends Controller {
      static {
        this.after(() => {
          throw new NotFound('after filter');
        });
        this.rescueFrom(NotFound, function () {
          return this.text('handled');
        });
      }
      index() {
        return this.json({ created: true }, { status: 201 });
      }
    }
    const res = await fail(FailController);
    expect(res.status).toBe(200);
    expect(res.result.body).toBe('handled');
    expect(res.headers['Content-Type']).toBe('text/plain; charset=utf-8');
  });

  it('a rescue handler that does not render is a 500; one that throws an HttpError gives its status', async () => {
    class SilentController extends Controller {
      static {
        this.rescueFrom(NotFound, () => undefined);
      }
      index() {
        throw new NotFound('x');
      }
    }
    const silent = await fail(SilentController, { showErrors: true });
    expect(silent.status).toBe(500);
    expect(silent.json().message).toMatch(/SilentController#index: its rescueFrom handler did not render/);

    class RethrowController extends Controller {
      static {
        this.rescueFrom(NotFound, () => {
          throw new HttpError(403, 'not yours');
        });
      }
      index() {
        throw new NotFound('x');
      }
    }
    const rethrown = await fail(RethrowController);
    expect(rethrown.status).toBe(403);
    expect(rethrown.json()).toEqual({ error: 'not yours' });
  });

  it('an unhandled error is a 500 without details, unless showErrors', async () => {
    class FailController extends Controller {
      index() {
        throw new Error('boom: secret detail');
      }
    }
    const hidden = await fail(FailController);
    expect(hidden.status).toBe(500);
    expect(hidden.result.body).toBe('{"error":"Internal Server Error"}');
    expect(hidden.headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(consoleError).toHaveBeenCalledWith('[sls-ts] FailController#index failed:', expect.objectContaining({ message: 'boom: secret detail' }));

    const shown = await fail(FailController, { showErrors: true });
    const body = shown.json();
    expect(shown.status).toBe(500);
    expect(body.error).toBe('Internal Server Error');
    expect(body.message).toBe('boom: secret detail');
    expect(Array.isArray(body.stack)).toBe(true);
    expect(body.stack[0]).toBe('Error: boom: secret detail');
    expect(body.stack.length).toBeGreaterThan(1);

    class StringController extends Controller {
      index() {
        throw 'a bare string';
      }
    }
    const thrownString = await rest((r) => r.get('/fail', 'string#index'), { string: StringController }, { method: 'GET', path: '/fail' }, { showErrors: true });
    expect(thrownString.status).toBe(500);
    expect(thrownString.json()).toEqual({ error: 'Internal Server Error' });
  });

  it('rendering twice is a 500 that says so', async () => {
    class FailController extends Controller {
      index() {
        this.json({ first: true });
        return this.json({ second: true });
      }
    }
    const hidden = await fail(FailController);
    expect(hidden.status).toBe(500);
    expect(hidden.json()).toEqual({ error: 'Internal Server Error' });
    const shown = await fail(FailController, { showErrors: true });
    expect(shown.status).toBe(500);
    expect(shown.json().message).toMatch(/^FailController#index rendered twice/);
  });

  it('not rendering is a 500 that says so', async () => {
    class FailController extends Controller {
      async index() {
        await Promise.resolve();
        return { forgot: 'to render' };
      }
    }
    const res = await fail(FailController, { showErrors: true });
    expect(res.status).toBe(500);
    expect(res.json().message).toMatch(/^FailController#index did not render a response/);
  });

  it('a route to something that is not an action is a 500 naming the action', async () => {
    class AppController extends Controller {
      inherited() {
        return this.text('inherited action');
      }
    }
    class FailController extends AppController {
      get title() {
        return this.request.path;
      }
      _helper() {
        return this.text('private');
      }
      index() {
        return this.text('ok');
      }
    }
    for (const action of ['json', 'params', 'cookies', 'title', '_helper', 'missing', 'constructor', 'toString']) {
      const res = await fail(FailController, { showErrors: true }, action);
      expect(res.status, action).toBe(500);
      expect(res.json().message, action).toMatch(new RegExp(`^FailController has no action "${action}"`));
    }
    // An action inherited from an application controller is still an action.
    const inherited = await fail(FailController, {}, 'inherited');
    expect(inherited.status).toBe(200);
    expect(inherited.result.body).toBe('inherited action');
  });

  it('a method named as a filter or rescue handler (here or in a parent) is not an action: routed, it never runs', async () => {
    const ran: string[] = [];
    class AppController extends Controller {
      static {
        this.rescueFrom(NotFound, 'notFound');
      }
      notFound(error: NotFound) {
        ran.push('notFound');
        return this.json({ missing: error.message }, { status: 404 });
      }
    }
    class FailController extends AppController {
      static {
        this.before('loadPost', { only: ['index'] });
        this.after('stamp');
      }
      loadPost() {
        ran.push('loadPost');
      }
      stamp() {
        ran.push('stamp');
      }
      index() {
        return this.text('ok');
      }
    }
    // The role (filter, rescue handler) is named by the route check at build; the runtime refuses.
    for (const action of ['notFound', 'loadPost', 'stamp']) {
      const res = await fail(FailController, { showErrors: true }, action);
      expect(res.status, action).toBe(500);
      expect(res.json().message, action).toMatch(new RegExp(`^FailController has no action "${action}"`));
    }
    expect(ran).toEqual([]);
    expect((await fail(FailController, {}, 'index')).status).toBe(200);
  });
});
