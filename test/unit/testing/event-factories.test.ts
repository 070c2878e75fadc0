// sls-ts/testing's event factories against AWS's own sample events (shared/reference/aws-events):
// every factory must build the same keys, at every depth, as the event AWS documents, so a handler
// tested with a factory's event meets nothing new on AWS. Maps whose keys are data (headers,
// query, attributes…) compare their entries' shapes, not their names.
import { describe, expect, it } from 'vitest';
import { apiGatewayEvent, httpApiEvent, s3Event, scheduledEvent, snsEvent, sqsEvent } from '../../../src/testing/index.js';
import { awsSample } from '../runtime/aws-samples.js';

/** Every key path in `value`: `Records[].s3.bucket.name`; under a data-keyed map, `headers.*`. */
function keyPaths(value: unknown, maps: readonly string[], path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) keyPaths(item, maps, `${path}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = maps.includes(path) ? `${path}.*` : `${path}.${key}`;
      out.add(childPath);
      keyPaths(child, maps, childPath, out);
    }
  }
  return out;
}

/** The paths only one side has: both lists empty means the same shape. */
function shapeDiff(built: unknown, sample: unknown, maps: readonly string[]) {
  const mine = keyPaths(built, maps);
  const theirs = keyPaths(sample, maps);
  return { onlyFactory: [...mine].filter((path) => !theirs.has(path)).sort(), onlySample: [...theirs].filter((path) => !mine.has(path)).sort() };
}

describe('event factories build the keys of AWS’s sample events', () => {
  it('apiGatewayEvent ↔ apigw-request.json (REST v1 proxy)', () => {
    const sample = awsSample('apigw-request.json');
    const built = apiGatewayEvent({
      method: 'POST',
      path: '/hello/world?name=me',
      resource: '/{proxy+}',
      pathParameters: { proxy: 'hello/world' },
      stageVariables: { stageVariableName: 'stageVariableValue' },
      headers: { 'Content-Type': 'application/json' },
      body: '{"a": 1}',
      authorizer: sample.requestContext.authorizer,
      identity: sample.requestContext.identity,
    });
    expect(shapeDiff(built, sample, ['.headers', '.multiValueHeaders', '.queryStringParameters', '.multiValueQueryStringParameters', '.pathParameters', '.stageVariables', '.requestContext.authorizer'])).toEqual({
      // Real events carry both (item 15 lists isBase64Encoded; DefinitelyTyped's
      // APIGatewayEventIdentity has principalOrgId); AWS's sample predates them.
      onlyFactory: ['.isBase64Encoded', '.requestContext.identity.principalOrgId'],
      onlySample: [],
    });
  });

  it('httpApiEvent ↔ apigw-v2-request.json (HTTP API 2.0)', () => {
    const sample = awsSample('apigw-v2-request.json');
    const built = httpApiEvent({
      method: 'GET',
      path: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
      pathParameters: { proxy: 'hello/world' },
      stageVariables: { stageVariable1: 'value1' },
      headers: { Header1: 'value1', Cookie: 'cookie1=a; cookie2=b' },
      body: '{"a": 1}',
      authorizer: sample.requestContext.authorizer,
    });
    expect(shapeDiff(built, sample, ['.headers', '.queryStringParameters', '.pathParameters', '.stageVariables', '.requestContext.authorizer.jwt.claims'])).toEqual({ onlyFactory: [], onlySample: [] });
  });

  it('sqsEvent ↔ sqs-event.json, attributes of every type included', () => {
    const built = sqsEvent([{ body: 'Message Body', messageAttributes: { Attribute1: 'AttributeValue1', Attribute2: 123, Attribute3: Buffer.from('1100') } }]);
    expect(shapeDiff(built, awsSample('sqs-event.json'), ['.Records[].messageAttributes'])).toEqual({ onlyFactory: [], onlySample: [] });
  });

  it('snsEvent ↔ sns-event.json', () => {
    const built = snsEvent([{ message: 'Hello from SNS!', subject: 'TestInvoke', messageAttributes: { Test: 'TestString' } }]);
    expect(shapeDiff(built, awsSample('sns-event.json'), ['.Records[].Sns.MessageAttributes'])).toEqual({ onlyFactory: [], onlySample: [] });
  });

  it('s3Event ↔ s3-event.json (a versioned bucket’s object)', () => {
    const built = s3Event({ bucket: 'sourcebucket', key: 'Happy Face.jpg', size: 1024, versionId: 'version' });
    expect(shapeDiff(built, awsSample('s3-event.json'), [])).toEqual({ onlyFactory: [], onlySample: [] });
    // Without versioning S3 sends no versionId at all.
    expect(s3Event({ bucket: 'b', key: 'k' }).Records[0]!.s3.object).not.toHaveProperty('versionId');
  });

  it('scheduledEvent ↔ cloudwatch-scheduled-event.json', () => {
    expect(shapeDiff(scheduledEvent(), awsSample('cloudwatch-scheduled-event.json'), ['.detail'])).toEqual({ onlyFactory: [], onlySample: [] });
  });
});

describe('sqsEvent md5OfMessageAttributes', () => {
  // AWS's sample carries placeholder digests (its md5OfBody is not even the MD5 of its body), so
  // the algorithm is checked against the vectors SQS client libraries test with instead.
  it.each([
    ['a Number and a String (sqslite)', { ordinal: 1, category: 'test' }, 'd21ae90c49061e927f57df5f5d72be1f'],
    ['one Number (LocalStack)', { timestamp: { dataType: 'Number', stringValue: '1493147359900', stringListValues: [], binaryListValues: [] } }, '235c5c510d26fb653d073faed50ae77c'],
    ['one String (AWS docs example)', { SellerName: 'Example Store' }, 'cd28f3b68aeee4b2eac9c66f2f694b58'],
    ['two Strings, given out of order (YDB)', { test_attribute_name_2: 'test_attribute_value_2', test_attribute_name_1: 'test_attribute_value_1' }, 'd53f3b558fe951154770f25cb63dbba9'],
    ['one Binary (YDB)', { test_attribute_name: Buffer.from('test_attribute_value') }, '23f6bd27ea87aab7dfeadcc9aebee495'],
  ])('%s', (_name, messageAttributes, md5) => {
    const [record] = sqsEvent([{ body: 'x', messageAttributes }]).Records;
    expect(record!.md5OfMessageAttributes).toBe(md5);
  });

  it('a message without attributes has no md5OfMessageAttributes key, as SQS sends it', () => {
    expect(sqsEvent(['plain']).Records[0]).not.toHaveProperty('md5OfMessageAttributes');
  });

  it('a Buffer attribute is a Binary attribute sent as base64', () => {
    expect(sqsEvent([{ body: 'x', messageAttributes: { raw: Buffer.from('1100') } }]).Records[0]!.messageAttributes.raw).toEqual({ binaryValue: 'MTEwMA==', stringListValues: [], binaryListValues: [], dataType: 'Binary' });
  });
});
