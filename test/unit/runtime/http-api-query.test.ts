// Defect #14.9: HTTP API 2.0 joins a repeated query key's values with commas in
// queryStringParameters (item 36); `request.query` must hold the last value, as on REST (item 21).
import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../src/runtime/context.js';
import { httpApiEvent } from '../../../src/runtime/events/index.js';
import { Controller, createHandler, defineRoutes, type HttpApiEvent, type HttpApiResult } from '../../../src/runtime/index.js';
import { awsSample } from './aws-samples.js';

class QueryController extends Controller {
  show() {
    return this.json({ query: this.request.query, multi: this.request.multiQuery, params: this.params });
  }
}

const handler = createHandler({ routes: defineRoutes((r) => r.get('/my/path', 'query#show')), controllers: { query: QueryController } }, { routing: 'path' });
const run = async (event: HttpApiEvent) => JSON.parse(((await handler(event, createLambdaContext({ functionName: 'query-test' }))) as HttpApiResult).body!);

describe('HTTP API 2.0 query parameters', () => {
  it("AWS's sample event: a repeated key reads its last value, not API Gateway's comma-joined one", async () => {
    const body = await run(awsSample<HttpApiEvent>('apigw-v2-request.json'));
    expect(body.query).toEqual({ parameter1: 'value2', parameter2: 'value' });
    expect(body.multi).toEqual({ parameter1: ['value1', 'value2'], parameter2: ['value'] });
    expect(body.params).toMatchObject({ parameter1: 'value2', parameter2: 'value' });
  });

  it('a value with an encoded comma stays one value; + and %XX decode as API Gateway decodes them', async () => {
    const body = await run(httpApiEvent({ method: 'GET', path: '/my/path?tags=a%2Cb&q=first&q=x+y%21' }));
    expect(body.query).toEqual({ tags: 'a,b', q: 'x y!' });
  });

  it('an event without a query has an empty query', async () => {
    expect((await run(httpApiEvent({ method: 'GET', path: '/my/path' }))).query).toEqual({});
  });
});
