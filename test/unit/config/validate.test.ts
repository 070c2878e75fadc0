import { describe, expect, it } from 'vitest';
import { validateUserConfig, type ConfigDiagnostic } from '../../../src/config/index.js';

const errorsOf = (config: unknown) => validateUserConfig(config).filter((d) => d.level !== 'warning');

/** The one error reported for `path`, checked to name the path and carry a hint. */
function errorAt(config: unknown, path: string): ConfigDiagnostic {
  const errors = errorsOf(config);
  const found = errors.filter((d) => d.path === path);
  expect(found, `errors: ${JSON.stringify(errors, null, 2)}`).toHaveLength(1);
  const diagnostic = found[0]!;
  expect(diagnostic.text.startsWith(`${path}: `)).toBe(true);
  expect(diagnostic.hint).toBeTruthy();
  expect(diagnostic.level).toBe('error');
  return diagnostic;
}

const app = (settings: Record<string, unknown>) => ({ name: 'blog', ...settings });

describe('validateUserConfig() accepts', () => {
  it('a config using every setting', () => {
    const config = {
      name: 'blog-2',
      region: 'eu-west-1',
      runtime: 'nodejs24.x',
      memory: 128,
      timeout: 900,
      architecture: 'x86_64',
      layout: 'action',
      env: { LOG_LEVEL: 'debug', PRIVATE_1: '1' },
      iam: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:Put*'], Resource: 'arn:aws:s3:::bucket/*' },
        { Sid: 'Table1', Action: 'dynamodb:*', Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '*'], Condition: {} },
      ],
      cors: { origins: ['https://example.com'], headers: ['X-Custom'], methods: ['GET', 'POST'], credentials: true, maxAge: 0 },
      binaryMediaTypes: ['image/*', '*/*', 'application/vnd.ms-excel'],
      logRetentionDays: 3653,
      tags: { team: 'web', 'cost-center': 'a/b:c=d+e@f' },
      controllers: { posts: { memory: 10240, actions: { show: { timeout: 1, description: 'Shows a post' } } }, 'admin/users': {} },
      jobs: { cleanup: { timeout: 300, iam: [] } },
      functions: { hello: { env: { AB: 'b' } } },
      build: { sizeBudgetKB: 1000.5, minify: false, sourcemap: false, keepNames: true, splitting: false, external: ['sharp'], typecheck: true },
      stages: { prod: { memory: 2048, cors: true, stages: undefined }, 'pr-42': {} },
    };
    expect(validateUserConfig(config)).toEqual([]);
  });

  it('undefined values as absent keys (memory: prod ? 2048 : undefined)', () => {
    expect(validateUserConfig(app({ memory: undefined, controllers: { posts: { timeout: undefined } } }))).toEqual([]);
  });

  it('cors: true and cors: false', () => {
    expect(validateUserConfig(app({ cors: true }))).toEqual([]);
    expect(validateUserConfig(app({ cors: false }))).toEqual([]);
  });
});

describe('validateUserConfig() reports', () => {
  it('a default export that is not an object', () => {
    expect(errorAt(42, 'default export').hint).toContain('defineConfig');
    errorAt([], 'default export');
  });

  it('name: missing, wrong type, wrong shape, too long', () => {
    expect(errorAt({}, 'name').text).toContain('is required');
    errorAt({ name: 5 }, 'name');
    expect(errorAt({ name: 'My_Blog App' }, 'name').hint).toBe("try name: 'my-blog-app'");
    errorAt({ name: '1blog' }, 'name');
    expect(errorAt({ name: `a${'b'.repeat(40)}` }, 'name').text).toContain('at most 40 characters');
  });

  it('unknown keys, suggesting the closest known key', () => {
    expect(errorAt(app({ memroy: 512 }), 'memroy').hint).toBe('did you mean `memory`?');
    expect(errorAt(app({ Timeout: 5 }), 'Timeout').hint).toBe('did you mean `timeout`?');
    expect(errorAt(app({ stagse: {} }), 'stagse').hint).toBe('did you mean `stages`?');
    const far = errorAt(app({ database: 'pg' }), 'database');
    expect(far.text).toContain('unknown config key');
    expect(far.hint).toContain('known config keys: name, stages, region');
  });

  it('memory: wrong type, out of range, not whole', () => {
    expect(errorAt(app({ memory: '1024' }), 'memory').hint).toBe('write it without quotes: memory: 1024');
    expect(errorAt(app({ memory: 64 }), 'memory').text).toBe('memory: must be a whole number of MB from 128 to 10240, got 64');
    errorAt(app({ memory: 10241 }), 'memory');
    errorAt(app({ memory: 1024.5 }), 'memory');
  });

  it('timeout: wrong type, out of range', () => {
    errorAt(app({ timeout: 'slow' }), 'timeout');
    expect(errorAt(app({ timeout: 0 }), 'timeout').text).toContain('from 1 to 900');
    expect(errorAt(app({ timeout: 901 }), 'timeout').hint).toContain('900 seconds');
  });

  it('runtime, architecture and layout outside their values', () => {
    expect(errorAt(app({ runtime: 'nodejs18.x' }), 'runtime').text).toContain('must be one of nodejs22.x, nodejs24.x, nodejs20.x');
    expect(errorAt(app({ runtime: 'nodejs22' }), 'runtime').hint).toContain("did you mean 'nodejs22.x'?");
    errorAt(app({ architecture: 'arm' }), 'architecture');
    expect(errorAt(app({ layout: 'controllers' }), 'layout').hint).toContain("did you mean 'controller'?");
  });

  it('stacks and iamRoles outside their values', () => {
    expect(errorAt(app({ stacks: 'always' }), 'stacks').text).toContain('must be one of auto, nested');
    expect(errorAt(app({ iamRoles: 'controllers' }), 'iamRoles').hint).toContain("did you mean 'controller'?");
    expect(errorsOf(app({ stacks: 'nested', iamRoles: 'app' }))).toEqual([]);
  });

  it('region not shaped like a region', () => {
    expect(errorAt(app({ region: 'useast1' }), 'region').hint).toContain('us-east-1');
    errorAt(app({ region: 1 }), 'region');
    expect(errorsOf(app({ region: 'us-gov-west-1' }))).toEqual([]);
  });

  it('env: not an object, bad names, non-string values, unset values', () => {
    errorAt(app({ env: ['A=1'] }), 'env');
    errorAt(app({ env: { 'MY-VAR': 'x' } }), 'env.MY-VAR');
    errorAt(app({ env: { '1ABC': 'x' } }), 'env.1ABC');
    expect(errorAt(app({ env: { PORT: 3000 } }), 'env.PORT').hint).toContain("PORT: '3000'");
    errorAt(app({ env: { DEBUG: true } }), 'env.DEBUG');
    expect(errorAt(app({ env: { SECRET: undefined } }), 'env.SECRET').hint).toContain('process.env');
  });

  it.each([
    'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_EXECUTION_ENV',
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
    '_HANDLER', '_X_AMZN_TRACE_ID', 'TZ', 'AWS_XRAY_CONTEXT_MISSING',
  ])('env: %s is reserved by Lambda', (name) => {
    const diagnostic = errorAt(app({ env: { [name]: 'x' } }), `env.${name}`);
    expect(diagnostic.text).toContain('reserved by Lambda');
  });

  it('env: credentials get a hint towards iam', () => {
    expect(errorAt(app({ env: { AWS_ACCESS_KEY_ID: 'x' } }), 'env.AWS_ACCESS_KEY_ID').hint).toContain('iam');
  });

  it('iam: not an array, not statements', () => {
    errorAt(app({ iam: { Action: 's3:*', Resource: '*' } }), 'iam');
    errorAt(app({ iam: ['s3:*'] }), 'iam[0]');
  });

  it('iam: statements without Action or Resource, or with a wrong Effect', () => {
    const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    expect(errorAt(app({ iam: [{ ...statement, Action: undefined }] }), 'iam[0].Action').text).toBe('iam[0].Action: is required');
    errorAt(app({ iam: [statement, { ...statement, Resource: undefined }] }), 'iam[1].Resource');
    expect(errorAt(app({ iam: [{ ...statement, Effect: 'allow' }] }), 'iam[0].Effect').text).toContain("'Allow' or 'Deny'");
  });

  it('iam: malformed actions and resources, unknown keys, Sid, Condition', () => {
    const statement = { Action: 's3:GetObject', Resource: '*' };
    errorAt(app({ iam: [{ ...statement, Action: 's3GetObject' }] }), 'iam[0].Action');
    errorAt(app({ iam: [{ ...statement, Action: ['s3:GetObject', 5] }] }), 'iam[0].Action[1]');
    errorAt(app({ iam: [{ ...statement, Action: [] }] }), 'iam[0].Action');
    errorAt(app({ iam: [{ ...statement, Resource: 'my-bucket' }] }), 'iam[0].Resource');
    errorAt(app({ iam: [{ ...statement, Resource: ['*', { Bucket: 'x' }] }] }), 'iam[0].Resource[1]');
    expect(errorAt(app({ iam: [{ Resource: '*', action: 's3:*' }] }), 'iam[0].action').hint).toBe('did you mean `Action`?');
    errorAt(app({ iam: [{ ...statement, Sid: 'my-sid' }] }), 'iam[0].Sid');
    errorAt(app({ iam: [{ ...statement, Condition: 'x' }] }), 'iam[0].Condition');
  });

  it('cors: wrong type, unknown keys, malformed origins, methods, credentials and maxAge', () => {
    errorAt(app({ cors: 'yes' }), 'cors');
    expect(errorAt(app({ cors: { origin: '*' } }), 'cors.origin').hint).toBe('did you mean `origins`?');
    errorAt(app({ cors: { origins: 'https://example.com' } }), 'cors.origins');
    expect(errorAt(app({ cors: { origins: ['https://example.com/'] } }), 'cors.origins[0]').hint).toContain("write 'https://example.com'");
    errorAt(app({ cors: { origins: ['example.com'] } }), 'cors.origins[0]');
    // An empty list would leave preflights and gateway errors no origin to name (they fell back to '*').
    expect(errorAt(app({ cors: { origins: [] } }), 'cors.origins').text).toContain('at least one origin');
    errorAt(app({ cors: { headers: 'Content-Type' } }), 'cors.headers');
    errorAt(app({ cors: { methods: ['get'] } }), 'cors.methods[0]');
    errorAt(app({ cors: { credentials: 'true', origins: ['https://a.com'] } }), 'cors.credentials');
    errorAt(app({ cors: { maxAge: -1 } }), 'cors.maxAge');
  });

  it("cors: credentials with a wildcard origin, at the app and across a stage's overrides", () => {
    expect(errorAt(app({ cors: { credentials: true } }), 'cors.credentials').text).toContain("origins is '*'");
    errorAt(app({ cors: { origins: '*' }, stages: { prod: { cors: { credentials: true } } } }), 'stages.prod.cors.credentials');
    expect(errorsOf(app({ cors: { origins: ['https://a.com'] }, stages: { prod: { cors: { credentials: true } } } }))).toEqual([]);
  });

  it('binaryMediaTypes: not an array, not media types', () => {
    errorAt(app({ binaryMediaTypes: 'image/png' }), 'binaryMediaTypes');
    expect(errorAt(app({ binaryMediaTypes: ['image/png', 'png'] }), 'binaryMediaTypes[1]').text).toContain('type/subtype');
    errorAt(app({ binaryMediaTypes: [5] }), 'binaryMediaTypes[0]');
  });

  it('logRetentionDays: a value CloudWatch does not accept, naming the nearest', () => {
    const diagnostic = errorAt(app({ logRetentionDays: 10 }), 'logRetentionDays');
    expect(diagnostic.hint).toContain('1, 3, 5, 7, 14, 30');
    expect(diagnostic.hint).toContain('(nearest: 7)');
    errorAt(app({ logRetentionDays: '30' }), 'logRetentionDays');
  });

  it('tags: not an object, too many, aws: prefix, too long, not strings, bad characters', () => {
    errorAt(app({ tags: ['team'] }), 'tags');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag${i}`, 'x']));
    expect(errorAt(app({ tags: many }), 'tags').text).toContain('at most 50');
    expect(errorAt(app({ tags: { 'aws:team': 'x' } }), 'tags["aws:team"]').hint).toContain('aws: prefix');
    errorAt(app({ tags: { ['k'.repeat(129)]: 'x' } }), `tags.${'k'.repeat(129)}`);
    errorAt(app({ tags: { team: 'v'.repeat(257) } }), 'tags.team');
    errorAt(app({ tags: { team: 5 } }), 'tags.team');
    errorAt(app({ tags: { 'team#1': 'x' } }), 'tags["team#1"]');
  });

  it('controllers, actions, jobs and functions: nested paths', () => {
    errorAt(app({ controllers: [] }), 'controllers');
    errorAt(app({ controllers: { posts: { memory: 5 } } }), 'controllers.posts.memory');
    errorAt(app({ controllers: { posts: { actions: { show: { timeout: 1000 } } } } }), 'controllers.posts.actions.show.timeout');
    errorAt(app({ controllers: { posts: { actions: 'show' } } }), 'controllers.posts.actions');
    expect(errorAt(app({ controllers: { 'admin/users': { memroy: 1 } } }), 'controllers["admin/users"].memroy').hint).toBe('did you mean `memory`?');
    errorAt(app({ controllers: { posts: 'fast' } }), 'controllers.posts');
    errorAt(app({ jobs: { cleanup: { timeout: 'x' } } }), 'jobs.cleanup.timeout');
    errorAt(app({ functions: { hello: { description: 'd'.repeat(257) } } }), 'functions.hello.description');
    errorAt(app({ functions: { hello: { env: { AWS_REGION: 'x' } } } }), 'functions.hello.env.AWS_REGION');
    errorAt(app({ jobs: { cleanup: { iam: [{ Action: 's3:*' }] } } }), 'jobs.cleanup.iam[0].Resource');
  });

  it('build: wrong types and unknown keys', () => {
    errorAt(app({ build: true }), 'build');
    errorAt(app({ build: { sizeBudgetKB: 0 } }), 'build.sizeBudgetKB');
    errorAt(app({ build: { minify: 'yes' } }), 'build.minify');
    errorAt(app({ build: { sourcemap: 1 } }), 'build.sourcemap');
    errorAt(app({ build: { keepNames: 'yes' } }), 'build.keepNames');
    errorAt(app({ build: { splitting: 1 } }), 'build.splitting');
    errorAt(app({ build: { external: 'sharp' } }), 'build.external');
    errorAt(app({ build: { typecheck: 'yes' } }), 'build.typecheck');
    expect(errorAt(app({ build: { extrenal: [] } }), 'build.extrenal').hint).toBe('did you mean `external`?');
  });

  it('stages: wrong types, bad names, forbidden keys, and overrides checked with the same rules', () => {
    errorAt(app({ stages: ['prod'] }), 'stages');
    expect(errorAt(app({ stages: { prod_eu: {} } }), 'stages.prod_eu').text).toContain('letters, digits and hyphens');
    errorAt(app({ stages: { prod: 2048 } }), 'stages.prod');
    expect(errorAt(app({ stages: { prod: { name: 'other' } } }), 'stages.prod.name').text).toContain('a stage cannot set `name`');
    errorAt(app({ stages: { prod: { stages: {} } } }), 'stages.prod.stages');
    expect(errorAt(app({ stages: { prod: { constructor: 1 } } }), 'stages.prod.constructor').text).toContain('unknown stage key');
    errorAt(app({ stages: { prod: { memory: 64 } } }), 'stages.prod.memory');
    expect(errorAt(app({ stages: { prod: { memroy: 64 } } }), 'stages.prod.memroy').hint).toBe('did you mean `memory`?');
    errorAt(app({ stages: { prod: { env: { AWS_REGION: 'x' } } } }), 'stages.prod.env.AWS_REGION');
    errorAt(app({ stages: { prod: { controllers: { posts: { actions: { show: { timeout: 0 } } } } } } }), 'stages.prod.controllers.posts.actions.show.timeout');
  });

  it('every problem at once, not only the first', () => {
    const diagnostics = validateUserConfig({
      memory: 64,
      timeout: 0,
      memroy: 1,
      env: { AWS_REGION: 'x' },
      stages: { prod: { layout: 'all' } },
    });
    expect(diagnostics.map((d) => d.path).sort()).toEqual(['env.AWS_REGION', 'memory', 'memroy', 'name', 'stages.prod.layout', 'timeout']);
  });

  it('the config file in every diagnostic', () => {
    const diagnostics = validateUserConfig({ memory: 1, runtime: 'nodejs20.x' }, '/app/sls-ts.config.ts');
    expect(diagnostics.length).toBeGreaterThan(2);
    for (const d of diagnostics) expect(d.file).toBe('/app/sls-ts.config.ts');
  });
});

describe('validateUserConfig() warns', () => {
  it('that nodejs20.x is deprecated, at the app or in a stage, without an error', () => {
    const diagnostics = validateUserConfig(app({ runtime: 'nodejs20.x', stages: { legacy: { runtime: 'nodejs20.x' } } }));
    expect(diagnostics).toHaveLength(2);
    for (const d of diagnostics) {
      expect(d.level).toBe('warning');
      expect(d.text).toContain('AWS has deprecated nodejs20.x; use nodejs22.x');
      expect(d.hint).toBeTruthy();
    }
    expect(diagnostics.map((d) => d.path)).toEqual(['runtime', 'stages.legacy.runtime']);
  });
});
