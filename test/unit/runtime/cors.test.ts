// Defect #14.6 (runtime part): with Lambda proxy integrations API Gateway adds no CORS headers to
// what a function returns (item 75), so the routed functions sls-ts builds add the configured
// ones to every response they render — errors included — and browsers accept the answers the
// preflight allowed. Fed AWS's own sample events (REST v1 and HTTP API 2.0) with an Origin added.
import { beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { Controller, HttpError, corsPolicy, createHandler, defineRoutes, type ApiEvent, type CreateHandlerOptions } from '../../../src/runtime/index.js';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult, HttpApiEvent, HttpApiResult } from '../../../src/runtime/types.js';
import { awsSample } from './aws-samples.js';
import { checkHttpApiResult, checkProxyResult } from './proxy-results.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

class HelloController extends Controller {
  create() {
    return this.json({ hello: this.params.name, a: this.params.a });
  }
  missing() {
    throw new HttpError(404, 'No such hello');
  }
  broken() {
    throw new Error('database down');
  }
  silent() {}
  twice() {
    this.text('one');
    return this.text('two');
  }
  own() {
    return this.json({}, { headers: { 'Access-Control-Allow-Origin': 'https://own.example.org' } });
  }
  varied() {
    return this.json({}, { headers: { Vary: 'Accept' } });
  }
}

const plain = vi.fn(async () => ({ statusCode: 200, body: 'from a plain function' }));
const routes = defineRoutes((r) => {
  r.post('/hello/:name', 'hello#create');
  r.get('/missing', 'hello#missing');
  r.get('/broken', 'hello#broken');
  r.get('/silent', 'hello#silent');
  r.get('/twice', 'hello#twice');
  r.get('/own', 'hello#own');
  r.get('/varied', 'hello#varied');
  r.get('/plain', { function: 'plain' });
});

/** The single layout's handler: routes by path behind /{proxy+}, as AWS's REST sample event is. */
const handlerWith = (cors: CreateHandlerOptions['cors']) =>
  createHandler({ routes, controllers: { hello: HelloController }, functions: { plain: { handler: plain } } }, { routing: 'path', cors });

/** AWS's REST sample (POST /hello/world behind /{proxy+}) with an Origin header, or another path. */
function restEvent(origin: string | undefined, change: Partial<ApiGatewayProxyEvent> = {}): ApiGatewayProxyEvent {
  const event = awsSample<ApiGatewayProxyEvent>('apigw-request.json');
  if (origin) {
    event.headers.Origin = origin;
    event.multiValueHeaders.Origin = [origin];
  }
  return { ...event, ...change };
}

async function rest(cors: CreateHandlerOptions['cors'], event: ApiEvent): Promise<ApiGatewayProxyResult> {
  return checkProxyResult(await handlerWith(cors)(event, createLambdaContext({ functionName: 'cors-test' })));
}

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => consoleError.mockRestore());

describe("cors: origins '*'", () => {
  it("AWS's REST sample event: the action's response allows any origin, with no Vary or credentials", async () => {
    const result = await rest(true, restEvent(APP));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ hello: 'world', a: 1 });
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    expect(result.headers).not.toHaveProperty('Vary');
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Credentials');
  });

  it("AWS's HTTP API 2.0 sample event (lowercase headers) gets the header too", async () => {
    const event = awsSample<HttpApiEvent>('apigw-v2-request.json');
    event.headers.origin = APP;
    const result = checkHttpApiResult(await createHandler({ routes: defineRoutes((r) => r.get('/my/path', 'hello#varied')), controllers: { hello: HelloController } }, { routing: 'path', cors: { origins: '*' } })(event, createLambdaContext({ functionName: 'cors-test' })));
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*', Vary: 'Accept' });
  });

  it.each([
    ['an HttpError', '/missing', 404],
    ['a thrown error (500)', '/broken', 500],
    ['an action that renders nothing', '/silent', 500],
    ['an action that renders twice', '/twice', 500],
    ['an unknown path behind /{proxy+} (404)', '/nowhere', 404],
  ])('%s still carries it', async (_what, path, status) => {
    const result = await rest(true, restEvent(APP, { httpMethod: 'GET', path, body: null }));
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('a malformed JSON body (400) still carries it', async () => {
    const result = await rest(true, restEvent(APP, { body: '{"a": ' }));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });
});

describe('cors: a list of origins with credentials', () => {
  const cors = { origins: [APP, 'https://admin.example.com'], credentials: true };

  it('a listed Origin is echoed, with credentials and Vary: Origin', async () => {
    const result = await rest(cors, restEvent(APP));
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' });
  });

  it('an Origin not on the list gets no allow-origin (nor credentials), but still Vary: Origin', async () => {
    const result = await rest(cors, restEvent(OTHER));
    expect(result.statusCode).toBe(200);
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Credentials');
    expect(result.headers?.Vary).toBe('Origin');
  });

  it('a request without an Origin (not cross-origin) gets no allow-origin', async () => {
    expect((await rest(cors, restEvent(undefined))).headers).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  it('errors echo the listed Origin too', async () => {
    const result = await rest(cors, restEvent(APP, { httpMethod: 'GET', path: '/broken', body: null }));
    expect(result.statusCode).toBe(500);
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true' });
  });

  it("an action's own Vary is kept and Origin added to it", async () => {
    const result = await rest(cors, restEvent(APP, { httpMethod: 'GET', path: '/varied', body: null }));
    expect(result.headers).toMatchObject({ Vary: 'Accept, Origin', 'Access-Control-Allow-Origin': APP });
  });
});

describe('what the runtime leaves alone', () => {
  it('an action that sets Access-Control-Allow-Origin itself wins', async () => {
    const result = await rest({ origins: [APP], credentials: true }, restEvent(APP, { httpMethod: 'GET', path: '/own', body: null }));
    expect(result.headers?.['Access-Control-Allow-Origin']).toBe('https://own.example.org');
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Credentials');
  });

  it('a plain { function } route returns exactly what its handler returned, as its own Lambda would in the other layouts', async () => {
    const result = await handlerWith(true)(restEvent(APP, { httpMethod: 'GET', path: '/plain', body: null }), createLambdaContext({ functionName: 'cors-test' }));
    expect(result).toEqual({ statusCode: 200, body: 'from a plain function' });
  });

  it('without cors (the default) no CORS header is added', async () => {
    const result = await rest(undefined, restEvent(APP));
    expect(Object.keys(result.headers ?? {}).filter((name) => /^access-control-|^vary$/i.test(name))).toEqual([]);
  });

  it("createHandler takes the config's shape too: without origins, any origin", async () => {
    expect((await rest({ credentials: false }, restEvent(APP))).headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('createHandler takes a corsPolicy as the build passes it', async () => {
    const result = await rest(corsPolicy({ origins: [APP] }), restEvent(APP));
    expect(result.headers).toMatchObject({ 'Access-Control-Allow-Origin': APP, Vary: 'Origin' });
  });
});
