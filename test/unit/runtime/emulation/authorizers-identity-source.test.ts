import { describe, expect, it } from 'vitest';
import { parseIdentitySource, readIdentitySource, type EmulatedAuthorizer, type EmulatedMethodAuth } from '../../../../src/runtime/emulation/index.js';
import type { AuthorizerSpec, MethodAuth } from '../../../../src/build/types.js';
import { request } from './authorizer-fixtures.js';

function read(text: string, event = request({ headers: { 'X-Tenant': 'acme' }, query: { key: 'q1' }, stageVariables: { realm: 'blue' } })) {
  const source = parseIdentitySource(text);
  if (typeof source === 'string') throw new Error(source);
  return readIdentitySource(source, event);
}

describe('identity source expressions (doc API Reference Authorizer.identitySource)', () => {
  it('parses the four REST forms', () => {
    expect(parseIdentitySource('method.request.header.Authorization')).toEqual({ kind: 'header', name: 'Authorization', text: 'method.request.header.Authorization' });
    expect(parseIdentitySource('method.request.querystring.token')).toMatchObject({ kind: 'querystring', name: 'token' });
    expect(parseIdentitySource('stageVariables.realm')).toMatchObject({ kind: 'stageVariable', name: 'realm' });
    expect(parseIdentitySource('context.identity.sourceIp')).toMatchObject({ kind: 'context', path: ['identity', 'sourceIp'] });
  });

  it('rejects anything else with one line naming the expression and the forms allowed', () => {
    expect(parseIdentitySource('Authorization')).toBe(
      'identity source "Authorization" is not an API Gateway mapping expression; use method.request.header.<Name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>',
    );
    expect(parseIdentitySource('$request.header.Authorization')).toMatch(/not an API Gateway mapping expression/);
    expect(parseIdentitySource('method.request.header.')).toMatch(/does not name a valid header/);
    expect(parseIdentitySource('method.request.header.Bad Name')).toMatch(/does not name a valid header/);
    expect(parseIdentitySource('method.request.path.id')).toMatch(/path parameters cannot be identity sources/);
    expect(parseIdentitySource('stageVariables.bad-name')).toMatch(/letters, digits, _/);
    expect(parseIdentitySource('context.')).toMatch(/does not name a context variable/);
  });

  it("a TOKEN or Cognito authorizer's source must be a header", () => {
    expect(parseIdentitySource('method.request.header.Auth', 'token')).toMatchObject({ kind: 'header', name: 'Auth' });
    expect(parseIdentitySource('method.request.querystring.token', 'token')).toBe(
      'identity source "method.request.querystring.token": a TOKEN or Cognito authorizer reads its token from a header; use method.request.header.<Name>',
    );
    expect(parseIdentitySource('nonsense', 'token')).toMatch(/not an API Gateway mapping expression/);
  });

  it('reads headers case-insensitively, query strings, stage variables and requestContext fields', () => {
    expect(read('method.request.header.x-tenant')).toBe('acme');
    expect(read('method.request.querystring.key')).toBe('q1');
    expect(read('method.request.querystring.KEY')).toBeUndefined();
    expect(read('stageVariables.realm')).toBe('blue');
    expect(read('context.identity.sourceIp')).toBe('127.0.0.1');
    expect(read('context.stage')).toBe('dev');
    expect(read('context.identity.apiKey')).toBeUndefined();
    expect(read('context.nothing.here')).toBeUndefined();
  });
});

describe("the emulator's types accept the manifest's", () => {
  it('MethodAuth and AuthorizerSpec of src/build/types.ts fit EmulatedMethodAuth / EmulatedAuthorizer (checked by tsc)', () => {
    const auth: MethodAuth = { type: 'cognito', authorizer: 'users', scopes: ['a'] };
    const spec: AuthorizerSpec = { type: 'token', name: 'jwt', functionKey: 'jwt-authorizer', identitySource: 'method.request.header.Authorization', ttl: 300, source: 'app/authorizers/jwt-authorizer.ts' };
    const emulatedAuth: EmulatedMethodAuth = auth;
    const emulated: EmulatedAuthorizer[] = [spec];
    expect([emulatedAuth.type, emulated[0]?.name]).toEqual(['cognito', 'jwt']);
  });
});
