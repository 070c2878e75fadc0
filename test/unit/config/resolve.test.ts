import { describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig, type UserConfig } from '../../../src/config/index.js';

const noEnv = {};
const resolve = (user: UserConfig, stage = 'dev', extra: Partial<Parameters<typeof resolveConfig>[1]> = {}): ResolvedConfig =>
  resolveConfig(user, { stage, root: '/apps/blog', processEnv: noEnv, ...extra });

describe('resolveConfig() defaults', () => {
  it('fills every setting', () => {
    expect(resolve({ name: 'blog' })).toEqual({
      name: 'blog',
      stage: 'dev',
      root: '/apps/blog',
      region: 'us-east-1',
      runtime: 'nodejs22.x',
      memory: 1024,
      timeout: 10,
      architecture: 'arm64',
      layout: 'controller',
      stacks: 'auto',
      iamRoles: 'function',
      env: {},
      iam: [],
      cors: false,
      binaryMediaTypes: [],
      logRetentionDays: 30,
      tags: {},
      controllers: {},
      jobs: {},
      functions: {},
      build: { sizeBudgetKB: 5120, minify: true, sourcemap: true, keepNames: false, splitting: true, external: [], typecheck: false },
      resources: [],
      link: [],
      removal: 'destroy',
      apiType: 'rest',
      api: { accessLogs: false, metrics: false },
      tracing: false,
      authorizers: [],
      usagePlans: [],
    });
  });

  it('makes root and configFile absolute', () => {
    const config = resolveConfig({ name: 'blog' }, { stage: 'dev', root: 'apps/blog', configFile: 'apps/blog/sls-ts.config.ts' });
    expect(config.root).toBe(`${process.cwd()}/apps/blog`);
    expect(config.configFile).toBe(`${process.cwd()}/apps/blog/sls-ts.config.ts`);
  });

  it('takes the region from --region, then the stage, the config, AWS_REGION, AWS_DEFAULT_REGION', () => {
    const user: UserConfig = { name: 'blog', region: 'eu-west-1', stages: { prod: { region: 'eu-central-1' } } };
    const processEnv = { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' };
    expect(resolve(user, 'prod', { region: 'us-west-2', processEnv }).region).toBe('us-west-2');
    expect(resolve(user, 'prod', { processEnv }).region).toBe('eu-central-1');
    expect(resolve(user, 'dev', { processEnv }).region).toBe('eu-west-1');
    expect(resolve({ name: 'blog' }, 'dev', { processEnv }).region).toBe('ap-south-1');
    expect(resolve({ name: 'blog' }, 'dev', { processEnv: { AWS_REGION: '', AWS_DEFAULT_REGION: 'sa-east-1' } }).region).toBe('sa-east-1');
    expect(resolve({ name: 'blog' }, 'dev', { processEnv: {} }).region).toBe('us-east-1');
  });

  it('expands cors: true to the defaults, and fills a partial cors object', () => {
    expect(resolve({ name: 'blog', cors: true }).cors).toEqual({
      origins: '*',
      headers: ['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Api-Key', 'X-Amz-Security-Token'],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      credentials: false,
      maxAge: 600,
    });
    const partial = resolve({ name: 'blog', cors: { origins: ['https://a.com'], credentials: true } }).cors;
    expect(partial).toMatchObject({ origins: ['https://a.com'], credentials: true, maxAge: 600, methods: expect.arrayContaining(['OPTIONS']) });
    expect(resolve({ name: 'blog', cors: false }).cors).toBe(false);
  });

  it('lays the config env over the .env values: the config wins', () => {
    const config = resolve({ name: 'blog', env: { LOG_LEVEL: 'debug' } }, 'dev', { dotenv: { LOG_LEVEL: 'info', SECRET: 's' } });
    expect(config.env).toEqual({ LOG_LEVEL: 'debug', SECRET: 's' });
  });
});

describe('resolveConfig() stages', () => {
  const user: UserConfig = {
    name: 'blog',
    memory: 512,
    binaryMediaTypes: ['image/png'],
    env: { A: 'app', B: 'app' },
    tags: { team: 'web' },
    iam: [{ Action: 's3:GetObject', Resource: '*' }],
    controllers: { posts: { memory: 256, iam: [{ Action: 'sqs:SendMessage', Resource: '*' }], actions: { show: { timeout: 5 } } } },
    jobs: { cleanup: { timeout: 60 } },
    build: { external: ['sharp'], minify: false },
    stages: {
      prod: {
        memory: 2048,
        binaryMediaTypes: ['*/*'],
        env: { B: 'prod', C: 'prod' },
        tags: { env: 'production' },
        iam: [{ Action: 'dynamodb:GetItem', Resource: '*' }],
        controllers: { posts: { iam: [{ Action: 'sns:Publish', Resource: '*' }], actions: { show: { memory: 3008 } } }, users: { timeout: 20 } },
        jobs: { cleanup: { memory: 128 } },
        build: { external: ['canvas'] },
      },
    },
  };

  it('leaves the app settings alone for a stage without overrides', () => {
    const dev = resolve(user, 'dev');
    expect(dev.memory).toBe(512);
    expect(dev.env).toEqual({ A: 'app', B: 'app' });
    expect(dev.iam).toHaveLength(1);
  });

  it('replaces values and arrays, and merges objects key by key all the way down', () => {
    const prod = resolve(user, 'prod');
    expect(prod.memory).toBe(2048);
    expect(prod.binaryMediaTypes).toEqual(['*/*']);
    expect(prod.env).toEqual({ A: 'app', B: 'prod', C: 'prod' });
    expect(prod.tags).toEqual({ team: 'web', env: 'production' });
    expect(prod.controllers.posts).toMatchObject({ memory: 256, actions: { show: { timeout: 5, memory: 3008 } } });
    expect(prod.controllers.users).toEqual({ timeout: 20 });
    expect(prod.jobs.cleanup).toEqual({ timeout: 60, memory: 128 });
    expect(prod.build).toEqual({ sizeBudgetKB: 5120, minify: false, sourcemap: true, keepNames: false, splitting: true, external: ['canvas'], typecheck: false });
  });

  it('concatenates iam statements, the app first, at the app and controller level', () => {
    const prod = resolve(user, 'prod');
    expect(prod.iam.map((s) => s.Action)).toEqual(['s3:GetObject', 'dynamodb:GetItem']);
    expect(prod.controllers.posts?.iam?.map((s) => s.Action)).toEqual(['sqs:SendMessage', 'sns:Publish']);
  });

  it('ignores undefined overrides and never reads stages from the prototype', () => {
    expect(resolve({ name: 'blog', memory: 512, stages: { prod: { memory: undefined } } }, 'prod').memory).toBe(512);
    expect(resolve({ name: 'blog', stages: {} }, 'constructor').memory).toBe(1024);
  });
});

describe('resolveConfig() result', () => {
  it('is frozen all the way down', () => {
    const config = resolve({ name: 'blog', env: { A: 'a' }, iam: [{ Action: ['s3:*'], Resource: '*' }], controllers: { posts: { actions: { show: {} } } } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.env)).toBe(true);
    expect(Object.isFrozen(config.iam[0]!.Action)).toBe(true);
    expect(Object.isFrozen(config.controllers.posts!.actions!.show)).toBe(true);
    expect(Object.isFrozen(config.build.external)).toBe(true);
    expect(() => {
      (config as { memory: number }).memory = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.env as Record<string, string>).B = 'b';
    }).toThrow(TypeError);
  });

  it('leaves the user config unfrozen and unchanged', () => {
    const user: UserConfig = { name: 'blog', env: { A: 'a' }, iam: [{ Action: 's3:*', Resource: '*' }], stages: { prod: { env: { B: 'b' }, iam: [{ Action: 'sqs:*', Resource: '*' }] } } };
    const before = structuredClone(user);
    resolve(user, 'prod');
    expect(user).toEqual(before);
    expect(Object.isFrozen(user.env)).toBe(false);
    expect(Object.isFrozen(user.iam![0])).toBe(false);
  });
});
