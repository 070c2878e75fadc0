import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiGatewayEvent,
  httpApiEvent,
  parseQueryString,
  s3Event,
  scheduledEvent,
  snsEvent,
  sqsEvent,
} from '../../../src/runtime/events/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const at = new Date(Date.UTC(2026, 6, 10, 19, 19, 4, 123));

describe('apiGatewayEvent (REST v1)', () => {
  it('item 15: top-level keys are exactly the REST set, with no version key', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/posts' });
    expect(Object.keys(event).sort()).toEqual(
      [
        'resource',
        'path',
        'httpMethod',
        'headers',
        'multiValueHeaders',
        'queryStringParameters',
        'multiValueQueryStringParameters',
        'pathParameters',
        'stageVariables',
        'requestContext',
        'body',
        'isBase64Encoded',
      ].sort(),
    );
    expect(event).not.toHaveProperty('version');
  });

  it('item 16: resource and resourcePath are the template, path is concrete', () => {
    const event = apiGatewayEvent({
      method: 'get',
      path: '/posts/42',
      resource: '/posts/{id}',
      pathParameters: { id: '42' },
    });
    expect(event.resource).toBe('/posts/{id}');
    expect(event.requestContext.resourcePath).toBe('/posts/{id}');
    expect(event.path).toBe('/posts/42');
    expect(event.httpMethod).toBe('GET');
    expect(event.requestContext.httpMethod).toBe('GET');
  });

  it('items 17–18: the path and path parameters keep their percent-encoding', () => {
    const event = apiGatewayEvent({
      method: 'GET',
      path: '/capture/space%20value?x=1',
      resource: '/capture/{value}',
      pathParameters: { value: 'space%20value' },
    });
    expect(event.path).toBe('/capture/space%20value');
    expect(event.pathParameters).toEqual({ value: 'space%20value' });
  });

  it('item 19: no query → both query maps null; no params/stage variables → null', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', pathParameters: {}, stageVariables: {} });
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
  });

  it('item 20: no body or an empty body → body null, isBase64Encoded false', () => {
    for (const body of [undefined, '', Buffer.alloc(0)]) {
      const event = apiGatewayEvent({ method: 'POST', path: '/posts', body });
      expect(event.body).toBeNull();
      expect(event.isBase64Encoded).toBe(false);
    }
  });

  it('item 21: repeated query key → multi-value array in order, last value in the single map', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/q?r=one&r=two&s=3' });
    expect(event.multiValueQueryStringParameters).toEqual({ r: ['one', 'two'], s: ['3'] });
    expect(event.queryStringParameters).toEqual({ r: 'two', s: '3' });
  });

  it('item 21: the query option is merged after the URL query', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/q?r=one', query: { r: ['two', 'three'], t: 'x y' } });
    expect(event.multiValueQueryStringParameters).toEqual({ r: ['one', 'two', 'three'], t: ['x y'] });
    expect(event.queryStringParameters).toEqual({ r: 'three', t: 'x y' });
  });

  it('item 22: query keys and values are decoded, + is a space, empty values are ""', () => {
    const event = apiGatewayEvent({
      method: 'GET',
      path: '/q?a=a+b&b=a%2Bb&url=https%3A%2F%2Fx.com%2Fa&empty=&my+key=1',
    });
    expect(event.queryStringParameters).toEqual({
      a: 'a b',
      b: 'a+b',
      url: 'https://x.com/a',
      empty: '',
      'my key': '1',
    });
  });

  it('item 23: an unencoded ; splits the query', () => {
    expect(parseQueryString('a=1;b=2').single).toEqual({ a: '1', b: '2' });
  });

  it('parseQueryString returns null maps for an empty query and tolerates a leading ?', () => {
    expect(parseQueryString('')).toEqual({ single: null, multi: null });
    expect(parseQueryString('?')).toEqual({ single: null, multi: null });
    expect(parseQueryString('?k=1&k=2')).toEqual({ single: { k: '2' }, multi: { k: ['1', '2'] } });
  });

  it('a __proto__ query key is an own property, not a prototype change', () => {
    const { single } = parseQueryString('__proto__=x');
    expect(Object.getPrototypeOf(single)).toBe(Object.prototype);
    expect(Object.keys(single ?? {})).toEqual(['__proto__']);
  });

  it('item 24: repeated header → multi-value array and last value in headers', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers: { 'X-Probe': ['first', 'second'] } });
    expect(event.multiValueHeaders['X-Probe']).toEqual(['first', 'second']);
    expect(event.headers['X-Probe']).toBe('second');
  });

  it('item 25: client header casing is preserved', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers: { 'X-Test': '1', accept: '*/*' } });
    expect(event.headers['X-Test']).toBe('1');
    expect(event.headers['x-test']).toBeUndefined();
    expect(event.headers.accept).toBe('*/*');
  });

  it('item 26: the gateway adds Host, X-Forwarded-* and X-Amzn-Trace-Id', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', sourceIp: '203.0.113.9', apiId: 'abc123defg' });
    expect(event.headers.Host).toBe('abc123defg.execute-api.us-east-1.amazonaws.com');
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.9');
    expect(event.headers['X-Forwarded-Port']).toBe('443');
    expect(event.headers['X-Forwarded-Proto']).toBe('https');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.multiValueHeaders['X-Forwarded-Port']).toEqual(['443']);
    expect(event.requestContext.domainName).toBe('abc123defg.execute-api.us-east-1.amazonaws.com');
    expect(event.requestContext.domainPrefix).toBe('abc123defg');
  });

  it('item 26: headers the caller sent are kept (case-insensitively) and re-cased to Title-Case', () => {
    const event = apiGatewayEvent({
      method: 'GET',
      path: '/',
      headers: { host: 'example.com', 'x-forwarded-for': '10.0.0.1', 'user-agent': 'curl/8' },
    });
    expect(event.headers.Host).toBe('example.com');
    // The gateway appends the address it saw (sourceIp, 127.0.0.1 by default) to the chain.
    expect(event.headers['X-Forwarded-For']).toBe('10.0.0.1, 127.0.0.1');
    expect(event.headers['User-Agent']).toBe('curl/8');
    expect(event.headers.host).toBeUndefined();
    expect(event.requestContext.domainName).toBe('example.com');
  });

  it('item 26: gatewayHeaders: false leaves the headers exactly as given', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers: { accept: 'text/html' }, gatewayHeaders: false });
    expect(event.headers).toEqual({ accept: 'text/html' });
    expect(event.multiValueHeaders).toEqual({ accept: ['text/html'] });
  });

  it('item 27: Cookie stays an ordinary header and there is no cookies field', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers: { Cookie: 'session=abc123; theme=dark' } });
    expect(event.headers.Cookie).toBe('session=abc123; theme=dark');
    expect(event).not.toHaveProperty('cookies');
  });

  it('item 28: requestContext has every REST key with the documented formats', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/v1/bounce', stage: 'dev', requestTime: at });
    const context = event.requestContext;
    expect(Object.keys(context).sort()).toEqual(
      [
        'accountId',
        'apiId',
        'domainName',
        'domainPrefix',
        'extendedRequestId',
        'httpMethod',
        'identity',
        'path',
        'protocol',
        'requestId',
        'requestTime',
        'requestTimeEpoch',
        'resourceId',
        'resourcePath',
        'stage',
      ].sort(),
    );
    expect(context.protocol).toBe('HTTP/1.1');
    expect(context.requestId).toMatch(UUID);
    expect(context.requestTime).toBe('10/Jul/2026:19:19:04 +0000');
    expect(context.requestTimeEpoch).toBe(at.getTime());
    expect(context.stage).toBe('dev');
  });

  it('item 9: requestContext.path includes the stage, event.path does not', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/v1/bounce', stage: 'prod' });
    expect(event.path).toBe('/v1/bounce');
    expect(event.requestContext.path).toBe('/prod/v1/bounce');
    expect(event.requestContext.stage).toBe('prod');
    expect(apiGatewayEvent({ method: 'GET', path: '/x' }).requestContext.path).toBe('/dev/x');
  });

  it('item 28: requestId is unique per event unless given', () => {
    const ids = new Set(Array.from({ length: 50 }, () => apiGatewayEvent({ method: 'GET', path: '/' }).requestContext.requestId));
    expect(ids.size).toBe(50);
    expect(apiGatewayEvent({ method: 'GET', path: '/', requestId: 'fixed' }).requestContext.requestId).toBe('fixed');
  });

  it('item 29: identity has sourceIp and userAgent, other fields null', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', headers: { 'User-Agent': 'vitest' }, sourceIp: '198.51.100.7' });
    const { sourceIp, userAgent, ...rest } = event.requestContext.identity;
    expect(sourceIp).toBe('198.51.100.7');
    expect(userAgent).toBe('vitest');
    expect(Object.keys(rest).length).toBeGreaterThan(5);
    for (const value of Object.values(rest)) expect(value).toBeNull();
    expect(apiGatewayEvent({ method: 'GET', path: '/' }).requestContext.identity.sourceIp).toBe('127.0.0.1');
  });

  it('item 30: authorizer is absent without one, and context values become strings with one', () => {
    expect(apiGatewayEvent({ method: 'GET', path: '/' }).requestContext).not.toHaveProperty('authorizer');
    const event = apiGatewayEvent({ method: 'GET', path: '/', authorizer: { principalId: 'u1', admin: true, level: 3 } });
    expect(event.requestContext.authorizer).toEqual({ principalId: 'u1', admin: 'true', level: '3' });
  });

  it('item 30: the integrationLatency API Gateway adds stays a number (obs CodeGenieApp/serverless-express#551)', () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/', authorizer: { principalId: 'u1', integrationLatency: 180 } });
    expect(event.requestContext.authorizer).toEqual({ principalId: 'u1', integrationLatency: 180 });
  });

  it('items 71–72: bodies are UTF-8 text unless Content-Type matches binaryMediaTypes', () => {
    const json = '{"a":"é"}';
    const plain = apiGatewayEvent({ method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: json });
    expect(plain.body).toBe(json);
    expect(plain.isBase64Encoded).toBe(false);

    const fromBuffer = apiGatewayEvent({ method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain' }, body: Buffer.from('hi') });
    expect(fromBuffer.body).toBe('hi');

    const cases: Array<[string, string[], boolean]> = [
      ['image/png', ['image/png'], true],
      ['image/png; q=1', ['image/*'], true],
      ['application/json', ['*/*'], true],
      ['application/json', ['application/json'], true],
      ['text/plain', ['image/*'], false],
      ['application/octet-stream', ['image/png'], false],
    ];
    for (const [contentType, binaryMediaTypes, binary] of cases) {
      const event = apiGatewayEvent({
        method: 'POST',
        path: '/',
        headers: { 'content-type': contentType },
        body: json,
        binaryMediaTypes,
      });
      expect(event.isBase64Encoded, `${contentType} vs ${binaryMediaTypes.join()}`).toBe(binary);
      expect(event.body).toBe(binary ? Buffer.from(json).toString('base64') : json);
    }
  });

  it('item 72: binary Buffer bodies survive base64 byte-for-byte', () => {
    const bytes = Buffer.from([0, 255, 128, 10, 13]);
    const event = apiGatewayEvent({
      method: 'PUT',
      path: '/upload',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
      binaryMediaTypes: ['application/octet-stream'],
    });
    expect(Buffer.from(event.body ?? '', 'base64').equals(bytes)).toBe(true);
  });
});

describe('httpApiEvent (payload 2.0)', () => {
  it('item 32: version 2.0 and none of the REST-only keys', () => {
    const event = httpApiEvent({ method: 'GET', path: '/pets' });
    expect(event.version).toBe('2.0');
    for (const key of ['multiValueHeaders', 'multiValueQueryStringParameters', 'resource', 'path', 'httpMethod']) {
      expect(event).not.toHaveProperty(key);
    }
  });

  it('item 33: absent parts are omitted keys, not null', () => {
    const event = httpApiEvent({ method: 'GET', path: '/pets', pathParameters: {}, stageVariables: {} });
    for (const key of ['queryStringParameters', 'body', 'cookies', 'pathParameters', 'stageVariables']) {
      expect(event).not.toHaveProperty(key);
    }
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('item 34: header names are lowercased and repeats comma-joined', () => {
    const event = httpApiEvent({
      method: 'GET',
      path: '/',
      headers: { 'X-Probe': ['first', 'second'], 'Content-Type': 'text/plain', 'x-probe': 'third' },
    });
    expect(event.headers['x-probe']).toBe('first,second,third');
    expect(event.headers['content-type']).toBe('text/plain');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('item 35: cookies are split out of the headers', () => {
    const event = httpApiEvent({
      method: 'GET',
      path: '/',
      headers: { Cookie: ['session=abc123; theme=dark', 'lang=en'] },
    });
    expect(event.cookies).toEqual(['session=abc123', 'theme=dark', 'lang=en']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('item 36: rawQueryString is raw, values decoded and repeats comma-joined', () => {
    const event = httpApiEvent({ method: 'GET', path: '/q?r=one&r=two&a=a+b&u=x%2Fy' });
    expect(event.rawQueryString).toBe('r=one&r=two&a=a+b&u=x%2Fy');
    expect(event.queryStringParameters).toEqual({ r: 'one,two', a: 'a b', u: 'x/y' });
  });

  it('item 36: the query option is appended to rawQueryString and merged', () => {
    const event = httpApiEvent({ method: 'GET', path: '/q?r=one', query: { r: 'two', s: 'a b' } });
    expect(event.rawQueryString).toBe('r=one&r=two&s=a%20b');
    expect(event.queryStringParameters).toEqual({ r: 'one,two', s: 'a b' });
  });

  it('items 12 & 37: rawPath is decoded and carries a named stage only', () => {
    const plain = httpApiEvent({ method: 'GET', path: '/capture/space%20value' });
    expect(plain.rawPath).toBe('/capture/space value');
    expect(plain.requestContext.http.path).toBe('/capture/space value');
    expect(plain.requestContext.stage).toBe('$default');

    const staged = httpApiEvent({ method: 'GET', path: '/capture/a%20b', stage: 'beta' });
    expect(staged.rawPath).toBe('/beta/capture/a b');
    expect(staged.requestContext.http.path).toBe('/beta/capture/a b');
    expect(staged.requestContext.stage).toBe('beta');
  });

  it('item 13: routeKey defaults to $default and appears at top level and in requestContext', () => {
    expect(httpApiEvent({ method: 'GET', path: '/' }).routeKey).toBe('$default');
    const event = httpApiEvent({ method: 'GET', path: '/pets/1', routeKey: 'GET /pets/{id}', pathParameters: { id: '1' } });
    expect(event.routeKey).toBe('GET /pets/{id}');
    expect(event.requestContext.routeKey).toBe('GET /pets/{id}');
    expect(event.pathParameters).toEqual({ id: '1' });
  });

  it('item 38: requestContext has http, a short requestId and CLF time', () => {
    const event = httpApiEvent({
      method: 'post',
      path: '/x',
      headers: { 'User-Agent': 'vitest' },
      sourceIp: '203.0.113.1',
      requestTime: at,
    });
    const context = event.requestContext;
    expect(context.http).toEqual({
      method: 'POST',
      path: '/x',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.1',
      userAgent: 'vitest',
    });
    expect(context.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(context.requestId).not.toBe(httpApiEvent({ method: 'GET', path: '/' }).requestContext.requestId);
    expect(context.time).toBe('10/Jul/2026:19:19:04 +0000');
    expect(context.timeEpoch).toBe(at.getTime());
  });

  it('item 39: gateway headers are added in lowercase, with content-length only for a body', () => {
    const get = httpApiEvent({ method: 'GET', path: '/', sourceIp: '203.0.113.1' });
    expect(get.headers['x-forwarded-for']).toBe('203.0.113.1');
    expect(get.headers['x-forwarded-port']).toBe('443');
    expect(get.headers['x-forwarded-proto']).toBe('https');
    expect(get.headers['x-amzn-trace-id']).toMatch(/^Root=1-/);
    expect(get.headers.host).toBe(get.requestContext.domainName);
    expect(get.headers).not.toHaveProperty('content-length');

    const post = httpApiEvent({ method: 'POST', path: '/', headers: { 'content-type': 'text/plain' }, body: 'héllo' });
    expect(post.headers['content-length']).toBe('6');
  });

  it('item 40: text/*, json, xml and javascript bodies are text; everything else is base64', () => {
    const body = 'a=1&b=2';
    const cases: Array<[string | undefined, boolean]> = [
      ['text/plain; charset=utf-8', false],
      ['text/html', false],
      ['application/json', false],
      ['application/xml', false],
      ['application/javascript', false],
      ['application/x-www-form-urlencoded', true],
      ['application/octet-stream', true],
      [undefined, true],
    ];
    for (const [contentType, base64] of cases) {
      const event = httpApiEvent({
        method: 'POST',
        path: '/',
        headers: contentType ? { 'Content-Type': contentType } : {},
        body,
      });
      expect(event.isBase64Encoded, String(contentType)).toBe(base64);
      expect(event.body).toBe(base64 ? Buffer.from(body).toString('base64') : body);
    }
  });
});

describe('non-HTTP events', () => {
  it('item 95: scheduled event shape with seconds-precision time and the rule ARN', () => {
    const event = scheduledEvent({ ruleName: 'nightly', region: 'eu-west-1', accountId: '111122223333', time: at });
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '111122223333',
      region: 'eu-west-1',
      time: '2026-07-10T19:19:04Z',
      resources: ['arn:aws:events:eu-west-1:111122223333:rule/nightly'],
      detail: {},
    });
    expect(event.id).toMatch(UUID);
  });

  it('item 97: SQS records carry string bodies, attributes and a real MD5', () => {
    const event = sqsEvent(['hello', { id: 7 }, { body: 'spec', messageAttributes: { kind: 'x', n: 2 } }], {
      queueName: 'jobs',
      region: 'eu-west-1',
      accountId: '111122223333',
      sentAt: at,
    });
    expect(event.Records.map((record) => record.body)).toEqual(['hello', '{"id":7}', 'spec']);
    const [first, , third] = event.Records;
    expect(first).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
      awsRegion: 'eu-west-1',
      messageAttributes: {},
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(at.getTime()) },
    });
    expect(first?.md5OfBody).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(third?.md5OfBody).toBe(createHash('md5').update('spec').digest('hex'));
    expect(first?.attributes).not.toHaveProperty('MessageGroupId');
    expect(third?.messageAttributes.kind).toEqual({ stringValue: 'x', stringListValues: [], binaryListValues: [], dataType: 'String' });
    expect(third?.messageAttributes.n?.dataType).toBe('Number');
    expect(new Set(event.Records.map((record) => record.messageId)).size).toBe(3);
  });

  it('item 97: an object with a body key plus other keys is a payload, not a spec', () => {
    const event = sqsEvent([{ body: 'x', other: 1 }]);
    expect(event.Records[0]?.body).toBe('{"body":"x","other":1}');
  });

  it('item 97: a .fifo queue adds the FIFO attributes', () => {
    const record = sqsEvent(['a'], { queueName: 'orders.fifo', messageGroupId: 'g1' }).Records[0];
    expect(record?.attributes.MessageGroupId).toBe('g1');
    expect(record?.attributes.SequenceNumber).toMatch(/^\d+$/);
    expect(record?.attributes.MessageDeduplicationId).toBeTypeOf('string');
  });

  it('item 98: SNS records have the notification shape', () => {
    const event = snsEvent(['hello', { message: 'hi', subject: 'S', messageAttributes: { kind: 'a' } }], {
      topicName: 'news',
      accountId: '111122223333',
    });
    const [first, second] = event.Records;
    expect(first).toMatchObject({ EventVersion: '1.0', EventSource: 'aws:sns' });
    expect(first?.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:111122223333:news:/);
    expect(first?.Sns).toMatchObject({
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:news',
      Subject: null,
      Message: 'hello',
      SignatureVersion: '1',
      MessageAttributes: {},
    });
    expect(first?.Sns.MessageId).toMatch(UUID);
    expect(second?.Sns.Subject).toBe('S');
    expect(second?.Sns.MessageAttributes).toEqual({ kind: { Type: 'String', Value: 'a' } });
  });

  it('item 99: S3 record with a URL-encoded key (space → +)', () => {
    const event = s3Event({ bucket: 'uploads', key: 'photos/my cat+dog.jpg', size: 12, region: 'eu-west-1' });
    const record = event.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'photos/my+cat%2Bdog.jpg', size: 12 },
      },
    });
    expect(record?.requestParameters.sourceIPAddress).toBeTypeOf('string');
    // Form encoding escapes what encodeURIComponent keeps: the local bucket events write keys the same way.
    expect(s3Event({ bucket: 'b', key: "in/it's (1)!~.png" }).Records[0]?.s3.object.key).toBe('in/it%27s+%281%29%21%7E.png');
    const removed = s3Event({ bucket: 'b', key: 'k', eventName: 'ObjectRemoved:Delete' }).Records[0];
    expect(removed?.s3.object).not.toHaveProperty('size');
  });
});
