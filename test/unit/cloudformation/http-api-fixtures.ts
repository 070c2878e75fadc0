// Inputs shared by the HTTP API template tests: a guarded SMALL_APP and an HTTP API config.
import type { BuildManifest, BuiltFunction } from '../../../src/build/types.js';
import type { ResolvedConfig, UserConfig } from '../../../src/config/types.js';
import { builtFunction, makeManifest, SMALL_APP } from './fixtures.js';

export const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

/** SMALL_APP with the admin routes behind a TOKEN authorizer, `/posts` writes behind Cognito, and `/hello` behind IAM. */
export function guardedManifest(config: ResolvedConfig, layout = config.layout): BuildManifest {
  const manifest = makeManifest(config, SMALL_APP, layout);
  for (const fn of manifest.functions) {
    for (const route of fn.routes) {
      if (route.path.startsWith('/admin')) route.auth = { type: 'lambda', authorizer: 'admin' };
      else if (route.path.startsWith('/posts') && route.method !== 'GET') route.auth = { type: 'cognito', authorizer: 'users', scopes: ['posts/write'] };
      else if (route.path.startsWith('/hello')) route.auth = { type: 'iam' };
    }
  }
  const authorizerFn: BuiltFunction = { ...builtFunction(config, { key: 'admin-authorizer', kind: 'authorizer', source: 'AdminAuthorizer' }), authorizer: 'admin' };
  manifest.functions.push(authorizerFn);
  manifest.authorizers = [
    { type: 'token', name: 'admin', functionKey: 'admin-authorizer', identitySource: 'method.request.header.Authorization', ttl: 300, validation: '^Bearer .+$', source: 'app/authorizers/admin-authorizer.ts' },
    { type: 'cognito', name: 'users', userPoolArns: [POOL], identitySource: 'method.request.header.Authorization', ttl: 300, source: 'sls-ts.config.ts' },
  ];
  return manifest;
}

export const HTTP_USER: Partial<UserConfig> = {
  api: { type: 'http', accessLogs: true, throttle: { rate: 50, burst: 100 }, metrics: true },
  cors: { origins: ['https://app.example.com', 'https://admin.example.com'], credentials: true },
  authorizers: { users: { type: 'cognito', userPoolArns: [POOL], audience: ['client-one'] } },
  tags: { team: 'web' },
};

