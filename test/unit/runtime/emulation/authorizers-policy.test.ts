import { describe, expect, it } from 'vitest';
import { accessDenied, authorizerConfigurationError, evaluatePolicy, forbidden, parseAuthorizerAnswer, unauthorized } from '../../../../src/runtime/emulation/index.js';

const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/GET/posts/42';

function decide(statement: unknown, arn = ARN) {
  const answer = parseAuthorizerAnswer(JSON.stringify({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: statement } }));
  if (typeof answer === 'string') throw new Error(answer);
  return evaluatePolicy(answer.statements, arn);
}

const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Effect: 'Allow', Action, Resource });
const deny = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Effect: 'Deny', Action, Resource });

describe('policy evaluation against the methodArn (doc IAM "Policy evaluation logic")', () => {
  it('Statement may be one object or a list; Resource and Action a string or a list', () => {
    expect(decide(allow(ARN))).toBe('allow');
    expect(decide([allow([ARN])])).toBe('allow');
    expect(decide([allow(['arn:other', ARN], ['s3:GetObject', 'execute-api:Invoke'])])).toBe('allow');
  });

  it('Resource wildcards: * spans / and :, ? is one character; matching is case-sensitive', () => {
    expect(decide(allow('*'))).toBe('allow');
    expect(decide(allow('arn:aws:execute-api:*'))).toBe('allow');
    expect(decide(allow('arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/*/*'))).toBe('allow');
    expect(decide(allow('arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/GET/posts/4?'))).toBe('allow');
    expect(decide(allow('arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/GET/posts/4'))).toBe('implicit-deny');
    expect(decide(allow('arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/POST/*'))).toBe('implicit-deny');
    expect(decide(allow(ARN.replace('posts', 'Posts')))).toBe('implicit-deny');
    // A regex metacharacter in the pattern is literal.
    expect(decide(allow('arn:aws:execute-api:eu-west-1:123456789012:localapi01/dev/GET/posts/4.'))).toBe('implicit-deny');
  });

  it('Action: execute-api:Invoke, execute-api:*, *, any case; another service does not cover it', () => {
    for (const action of ['execute-api:Invoke', 'execute-api:invoke', 'execute-api:*', '*', 'execute-api:Inv*']) expect(decide(allow('*', action)), action).toBe('allow');
    for (const action of ['execute-api:ManageConnections', 's3:*', 'lambda:InvokeFunction']) expect(decide(allow('*', action)), action).toBe('implicit-deny');
  });

  it('an explicit Deny wins over any Allow, whatever their order', () => {
    expect(decide([allow('*'), deny(ARN)])).toBe('explicit-deny');
    expect(decide([deny('arn:aws:execute-api:*/GET/*'), allow(ARN)])).toBe('explicit-deny');
    expect(decide([allow('*'), deny('arn:aws:execute-api:*/POST/*')])).toBe('allow');
  });

  it('no statement covering the method is an implicit deny', () => {
    expect(decide([])).toBe('implicit-deny');
    expect(decide(deny('arn:other'))).toBe('implicit-deny');
  });

  it('NotResource and NotAction cover everything they do not list (aws/aws-lambda-dotnet#2165)', () => {
    expect(decide({ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:execute-api:*/GET/posts/*' })).toBe('implicit-deny');
    expect(decide([allow('*'), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:execute-api:*/GET/health' }])).toBe('explicit-deny');
    expect(decide({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' })).toBe('allow');
  });
});

describe('the responses a guard sends, byte for byte', () => {
  it('403 ACCESS_DENIED: capital "Message", AccessDeniedException, 82 bytes when explicit (doc KC api-gateway-403-error-lambda-authorizer; obs curl -v captures)', () => {
    const explicit = accessDenied(true);
    expect([explicit.status, explicit.body.toString(), explicit.body.length]).toEqual([403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 82]);
    expect(explicit.headers).toEqual([['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'AccessDeniedException']]);
    expect(accessDenied(false).body.toString()).toBe('{"Message":"User is not authorized to access this resource"}');
  });

  it('401 UNAUTHORIZED is 26 bytes; 500 AUTHORIZER_CONFIGURATION_ERROR has a null message; 403 INVALID_API_KEY is 23 bytes', () => {
    expect([unauthorized().status, unauthorized().body.length]).toEqual([401, 26]);
    expect(unauthorized().headers).toContainEqual(['x-amzn-ErrorType', 'UnauthorizedException']);
    expect([authorizerConfigurationError().status, authorizerConfigurationError().body.toString()]).toEqual([500, '{"message":null}']);
    expect([forbidden().status, forbidden().body.toString(), forbidden().body.length]).toEqual([403, '{"message":"Forbidden"}', 23]);
    expect(forbidden().headers).toContainEqual(['x-amzn-ErrorType', 'ForbiddenException']);
  });
});
