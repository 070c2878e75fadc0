// `api: 'http'` in the config: the forms it takes, what resolving makes of them (stages included),
// and the one line naming the path of each setting an HTTP API has no place for.
import { describe, expect, it } from 'vitest';
import { resolveConfig, validateUserConfig, type UserConfig } from '../../../src/index.js';

const app = (settings: Record<string, unknown>): Record<string, unknown> => ({ name: 'blog', ...settings });
const resolve = (user: Record<string, unknown>, stage = 'dev') => resolveConfig(user as unknown as UserConfig, { stage, root: '/app', processEnv: {} });
const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123';
const cognito = (extra: Record<string, unknown> = {}) => ({ type: 'cognito', userPoolArns: [POOL], ...extra });

function diagnosticsAt(config: unknown): Array<[string, string]> {
  return validateUserConfig(config).map((d) => [d.path, d.level ?? 'error']);
}

describe('validateUserConfig() on api types', () => {
  it("accepts 'rest', 'http' and { type } beside the stage settings, at the app and in stages", () => {
    expect(validateUserConfig(app({ api: 'http' }))).toEqual([]);
    expect(validateUserConfig(app({ api: 'rest' }))).toEqual([]);
    expect(validateUserConfig(app({ api: { type: 'http', accessLogs: true, throttle: { rate: 10, burst: 20 }, metrics: true } }))).toEqual([]);
    expect(validateUserConfig(app({ api: { accessLogs: true }, stages: { prod: { api: 'http' } } }))).toEqual([]);
  });

  it.each([
    [{ api: 'graphql' }, 'api', /must be 'rest', 'http' or an object, got "graphql"/],
    [{ api: { type: 'websocket' } }, 'api.type', /must be 'rest' or 'http', got "websocket"/],
    [{ api: 42 }, 'api', /got 42/],
    [{ stages: { prod: { api: 'HTTP' } } }, 'stages.prod.api', /got "HTTP"/],
  ])('refuses %j at %s', (config, path, message) => {
    const errors = validateUserConfig(app(config));
    expect(errors.map((d) => d.path)).toEqual([path]);
    expect(errors[0]!.text).toMatch(message);
    expect(errors[0]!.hint).toBeTruthy();
  });

  it('refuses usage plans and warns about binary media types and tracing on an HTTP API, each once, where written', () => {
    const config = app({ api: 'http', binaryMediaTypes: ['image/png'], tracing: true, usagePlans: { free: { keys: ['a'] } } });
    expect(diagnosticsAt(config)).toEqual([['binaryMediaTypes', 'warning'], ['tracing', 'warning'], ['usagePlans', 'error']]);
    const [binary, , plans] = validateUserConfig(config);
    expect(binary!.text).toMatch(/^binaryMediaTypes: has no effect with api: 'http'/);
    expect(plans!.text).toMatch(/^usagePlans: cannot be used with api: 'http': HTTP APIs have no API keys or usage plans/);
    expect(plans!.hint).toMatch(/api: 'rest'/);
    // The same settings on a REST API are fine.
    expect(diagnosticsAt({ ...config, api: 'rest' })).toEqual([]);
  });

  it('reports a setting of the app when only a stage switches to http, naming the stage; a stage value at its own path', () => {
    const config = app({ usagePlans: { free: { keys: ['a'] } }, stages: { prod: { api: 'http', binaryMediaTypes: ['*/*'] }, dev: {} } });
    const found = validateUserConfig(config);
    expect(found.map((d) => [d.path, d.level])).toEqual([['stages.prod.binaryMediaTypes', 'warning'], ['usagePlans', 'error']]);
    expect(found[1]!.text).toMatch(/\(stage prod uses an HTTP API\)$/);
    // A stage back on REST leaves the app's HTTP settings checked once, at the app.
    expect(diagnosticsAt(app({ api: 'http', tracing: true, stages: { a: {}, b: { tracing: true } } }))).toEqual([['tracing', 'warning'], ['stages.b.tracing', 'warning']]);
  });

  it("requires a Cognito authorizer's audience, and one user pool, on an HTTP API", () => {
    expect(diagnosticsAt(app({ api: 'http', authorizers: { users: cognito() } }))).toEqual([['authorizers.users.audience', 'error']]);
    expect(diagnosticsAt(app({ api: 'http', authorizers: { users: cognito({ audience: [] }) } }))).toEqual([['authorizers.users.audience', 'error']]);
    expect(diagnosticsAt(app({ api: 'http', authorizers: { users: cognito({ audience: ['client1'], userPoolArns: [POOL, `${POOL}x`] }) } }))).toEqual([['authorizers.users.userPoolArns', 'error']]);
    expect(diagnosticsAt(app({ api: 'http', authorizers: { users: cognito({ audience: ['client1'] }) } }))).toEqual([]);
    // A stage completing the app's authorizer is fine; REST never asks for the audience.
    expect(diagnosticsAt(app({ authorizers: { users: cognito() }, stages: { prod: { api: 'http', authorizers: { users: { audience: ['c'] } } } } }))).toEqual([]);
    expect(diagnosticsAt(app({ authorizers: { users: cognito() } }))).toEqual([]);
  });
});

describe('resolveConfig() on api types', () => {
  it('defaults to rest, reads every form, and keeps the stage settings beside the type', () => {
    expect(resolve(app({})).apiType).toBe('rest');
    expect(resolve(app({ api: 'http' })).apiType).toBe('http');
    const both = resolve(app({ api: { type: 'http', throttle: { rate: 5 } } }));
    expect(both.apiType).toBe('http');
    expect(both.api.throttle).toEqual({ rate: 5 });
  });

  it("lets a stage switch with api: 'http' and keep the app's access logs, or switch back", () => {
    const user = app({ api: { accessLogs: true }, stages: { prod: { api: 'http' }, old: { api: { type: 'rest' } } } });
    const prod = resolve(user, 'prod');
    expect(prod.apiType).toBe('http');
    expect(prod.api.accessLogs).toMatchObject({ retentionDays: expect.any(Number) });
    expect(resolve(user, 'dev').apiType).toBe('rest');
    expect(resolve(app({ api: 'http', stages: { old: { api: 'rest' } } }), 'old').apiType).toBe('rest');
  });

  it("keeps a Cognito authorizer's audience", () => {
    const config = resolve(app({ api: 'http', authorizers: { users: cognito({ audience: ['c1', 'c2'] }) } }));
    expect(config.authorizers[0]).toMatchObject({ name: 'users', audience: ['c1', 'c2'] });
    expect(resolve(app({ authorizers: { users: cognito() } })).authorizers[0]).not.toHaveProperty('audience');
  });
});
