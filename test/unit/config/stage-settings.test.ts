// `api` (access logs, throttle, metrics), `tracing`, and reserved / provisioned concurrency: what
// the config accepts, the one line naming the path of what it refuses, and what resolving fills in.
import { describe, expect, it } from 'vitest';
import { resolveConfig, validateUserConfig, type UserConfig } from '../../../src/index.js';
import { errorsOf, onlyErrorAt } from './support.js';

const app = (settings: Record<string, unknown>): Record<string, unknown> => ({ name: 'blog', ...settings });

describe('validateUserConfig() on stage settings and concurrency', () => {
  it('accepts every setting at the app, stage, controller, action, job and function level', () => {
    const config = app({
      api: { accessLogs: { retentionDays: 90, format: '$context.requestId $context.status' }, throttle: { rate: 0.5, burst: 0 }, metrics: true },
      tracing: true,
      reservedConcurrency: 100,
      provisionedConcurrency: 0,
      controllers: { posts: { reservedConcurrency: 20, provisionedConcurrency: 5, actions: { show: { provisionedConcurrency: 20 } } } },
      jobs: { cleanup: { reservedConcurrency: 0 } },
      functions: { hello: { provisionedConcurrency: 2 } },
      stages: { prod: { api: { accessLogs: true, throttle: { burst: 10 } }, tracing: false, provisionedConcurrency: 0 } },
    });
    expect(validateUserConfig({ ...config, api: { ...(config.api as object), throttle: { rate: 5 } }, stages: { prod: { api: { throttle: { burst: 10 } } } } })).toEqual([]);
    expect(validateUserConfig(app({ api: { accessLogs: false, throttle: { rate: 100 } } }))).toEqual([]);
    expect(errorsOf(config)).toEqual([]);
  });

  it.each([
    [{ reservedConcurrency: -1 }, 'reservedConcurrency', /whole number of 0 or more, got -1/],
    [{ controllers: { posts: { provisionedConcurrency: 2.5 } } }, 'controllers.posts.provisionedConcurrency', /got 2\.5/],
    [{ jobs: { cleanup: { reservedConcurrency: '5' } } }, 'jobs.cleanup.reservedConcurrency', /got "5"/],
    [{ controllers: { posts: { actions: { show: { reservedConcurrency: -3 } } } } }, 'controllers.posts.actions.show.reservedConcurrency', /got -3/],
    [{ api: { throttle: { rate: -1 } } }, 'api.throttle.rate', /requests per second, 0 or more, got -1/],
    [{ api: { throttle: { rate: 10, burst: 1.5 } } }, 'api.throttle.burst', /whole number/],
    [{ api: { throttle: { burst: 10 } } }, 'api.throttle.rate', /required when burst is set/],
    [{ api: { throttle: { rate: 1, brust: 2 } } }, 'api.throttle.brust', /burst/],
    [{ api: { accessLogs: { retentionDays: 13 } } }, 'api.accessLogs.retentionDays', /nearest: 14/],
    [{ api: { accessLogs: { format: '$context.status' } } }, 'api.accessLogs.format', /\$context\.requestId/],
    [{ api: { accessLogs: 'yes' } }, 'api.accessLogs', /true, false or an object/],
    [{ api: { metrics: 'true' } }, 'api.metrics', /true or false/],
    [{ api: true }, 'api', /must be 'rest', 'http' or an object, got true/],
    [{ tracing: 1 }, 'tracing', /true or false/],
    [{ stages: { prod: { api: { accessLogs: { retentionDays: 0 } } } } }, 'stages.prod.api.accessLogs.retentionDays', /CloudWatch Logs accepts/],
  ])('refuses %j at %s', (settings, path, text) => {
    expect(onlyErrorAt(app(settings), path)).toMatch(text);
  });

  it('refuses provisioned concurrency above the reserved one, where the two meet', () => {
    expect(onlyErrorAt(app({ reservedConcurrency: 5, provisionedConcurrency: 6 }), 'provisionedConcurrency')).toMatch(/\(6\) must not exceed reservedConcurrency \(5\)/);
    // Inherited from the app, the controller, or the controller by an action.
    expect(onlyErrorAt(app({ reservedConcurrency: 5, functions: { hello: { provisionedConcurrency: 8 } } }), 'functions.hello.provisionedConcurrency')).toMatch(/\(8\).*\(5\)/);
    expect(onlyErrorAt(app({ controllers: { posts: { reservedConcurrency: 3, actions: { show: { provisionedConcurrency: 4 } } } } }), 'controllers.posts.actions.show.provisionedConcurrency')).toMatch(/\(4\).*\(3\)/);
    // A stage breaking a pair the app keeps is named at the stage; one the app breaks is named once.
    expect(onlyErrorAt(app({ reservedConcurrency: 10, stages: { prod: { jobs: { cleanup: { provisionedConcurrency: 11 } } } } }), 'stages.prod.jobs.cleanup.provisionedConcurrency')).toMatch(/\(11\).*\(10\)/);
    expect(onlyErrorAt(app({ reservedConcurrency: 1, provisionedConcurrency: 2, stages: { prod: { memory: 512 } } }), 'provisionedConcurrency')).toBeTruthy();
    // …and a stage may fix it.
    expect(errorsOf(app({ reservedConcurrency: 10, functions: { hello: { provisionedConcurrency: 10 } }, stages: { dev: { functions: { hello: { provisionedConcurrency: 0 } } } } }))).toEqual([]);
  });

  it('checks a stage\'s burst against the rate it inherits', () => {
    expect(errorsOf(app({ api: { throttle: { rate: 50 } }, stages: { prod: { api: { throttle: { burst: 100 } } } } }))).toEqual([]);
    expect(onlyErrorAt(app({ stages: { prod: { api: { throttle: { burst: 100 } } } } }), 'stages.prod.api.throttle.rate')).toMatch(/required when burst is set/);
  });
});

describe('resolveConfig() on stage settings', () => {
  const resolve = (user: Partial<UserConfig>, stage = 'dev') => resolveConfig({ name: 'blog', ...user }, { stage, root: '/app', processEnv: {} });

  it('leaves everything off by default', () => {
    const config = resolve({});
    expect(config.api).toEqual({ accessLogs: false, metrics: false });
    expect(config.tracing).toBe(false);
    expect(config.reservedConcurrency).toBeUndefined();
    expect(config.provisionedConcurrency).toBeUndefined();
  });

  it('gives access logs the app\'s retention and a JSON line with the request\'s main $context variables', () => {
    const config = resolve({ logRetentionDays: 90, api: { accessLogs: true } });
    expect(config.api.accessLogs).toMatchObject({ retentionDays: 90 });
    const format = JSON.parse((config.api.accessLogs as { format: string }).format);
    expect(format).toEqual({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationLatency: '$context.integrationLatency',
    });
    expect(resolve({ api: { accessLogs: { retentionDays: 7, format: '$context.requestId' } } }).api.accessLogs).toEqual({ retentionDays: 7, format: '$context.requestId' });
  });

  it('applies a stage\'s overrides key by key', () => {
    const user: Partial<UserConfig> = {
      api: { throttle: { rate: 10 }, accessLogs: { retentionDays: 14 } },
      reservedConcurrency: 50,
      stages: { prod: { api: { throttle: { rate: 10, burst: 20 }, metrics: true, accessLogs: { format: '$context.requestId' } }, tracing: true, provisionedConcurrency: 5 } },
    };
    expect(resolve(user).api).toEqual({ accessLogs: expect.objectContaining({ retentionDays: 14 }), throttle: { rate: 10 }, metrics: false });
    const prod = resolve(user, 'prod');
    expect(prod.api).toEqual({ accessLogs: { retentionDays: 14, format: '$context.requestId' }, throttle: { rate: 10, burst: 20 }, metrics: true });
    expect(prod).toMatchObject({ tracing: true, reservedConcurrency: 50, provisionedConcurrency: 5 });
    expect(resolve({ api: { accessLogs: true }, stages: { dev: { api: { accessLogs: false } } } }).api.accessLogs).toBe(false);
  });
});
