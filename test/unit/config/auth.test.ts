// `auth`, `authorizers` (Cognito) and `usagePlans`: what the config accepts, the one line naming the
// path of what it refuses (at the app and in a stage), and what resolving fills in.
import { describe, expect, it } from 'vitest';
import { cognito, resolveConfig, validateUserConfig, type UserConfig } from '../../../src/index.js';
import { cognito as cognitoFromConfig } from '../../../src/config/define-config.js';
import { errorsOf, onlyErrorAt } from './support.js';

const POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123';
const app = (settings: Record<string, unknown>): Record<string, unknown> => ({ name: 'blog', ...settings });

describe('cognito()', () => {
  it('fills the type, from sls-ts/config and the programmatic API alike', () => {
    expect(cognito({ userPoolArns: [POOL], ttl: 0 })).toEqual({ type: 'cognito', userPoolArns: [POOL], ttl: 0 });
    expect(cognitoFromConfig).toBe(cognito);
  });
});

describe('validateUserConfig() on auth, authorizers and usage plans', () => {
  it('accepts every setting at the app and in a stage', () => {
    const config = app({
      auth: 'users',
      authorizers: {
        users: cognito({ userPoolArns: [POOL, 'arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_x1'], identitySource: 'method.request.header.X-Token', ttl: 3600, local: { jwks: 'config/jwks.json' } }),
        staff_pool: cognito({ userPoolArns: [POOL], ttl: 0, local: { unverified: true } }),
      },
      usagePlans: {
        free: { keys: ['acme', 'globex_2'], throttle: { rate: 0.5, burst: 0 }, quota: { limit: 1000, period: 'DAY', offset: 0 }, description: 'Try it' },
        pro: { keys: ['initech'], throttle: { rate: 100 }, quota: { limit: 1, period: 'MONTH', offset: 27 } },
        weekly: { keys: ['Hooli-1'], quota: { limit: 2_147_483_647, period: 'WEEK', offset: 6 } },
      },
      stages: { dev: { auth: false, authorizers: { users: { local: { jwks: 'config/dev-jwks.json' } } } }, prod: { auth: 'iam', usagePlans: { free: { quota: { limit: 10 } } } } },
    });
    expect(validateUserConfig(config)).toEqual([]);
    expect(validateUserConfig(app({ auth: false }))).toEqual([]);
  });

  it.each([
    [{ auth: true }, 'auth', /authorizer's name, 'iam' or false, got true.*true names no guard/],
    [{ auth: 'IAM' }, 'auth', /lowercase.*auth: 'iam'/],
    [{ auth: 'my admin' }, 'auth', /got "my admin"/],
    [{ authorizers: [] }, 'authorizers', /object keyed by authorizer name/],
    [{ authorizers: { iam: cognito({ userPoolArns: [POOL] }) } }, 'authorizers.iam', /reserved.*AWS_IAM/],
    [{ authorizers: { 'user pool': cognito({ userPoolArns: [POOL] }) } }, 'authorizers["user pool"]', /not a usable authorizer name/],
    [{ authorizers: { users: { type: 'token', userPoolArns: [POOL] } } }, 'authorizers.users.type', /must be 'cognito'.*app\/authorizers/],
    [{ authorizers: { users: { userPoolArns: [POOL] } } }, 'authorizers.users.type', /is required.*cognito\(/],
    [{ authorizers: { users: { type: 'cognito' } } }, 'authorizers.users.userPoolArns', /is required/],
    [{ authorizers: { users: cognito({ userPoolArns: [] }) } }, 'authorizers.users.userPoolArns', /non-empty array/],
    [{ authorizers: { users: cognito({ userPoolArns: ['eu-west-1_AbCdEf123'] }) } }, 'authorizers.users.userPoolArns[0]', /pool's id: write its ARN.*userpool\/eu-west-1_AbCdEf123/],
    [{ authorizers: { users: cognito({ userPoolArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC'] }) } }, 'authorizers.users.userPoolArns[0]', /pool of us-east-1 in an ARN of eu-west-1/],
    [{ authorizers: { users: cognito({ userPoolArns: ['arn:aws:cognito-idp:eu-west-1:1234:userpool/eu-west-1_AbC'] }) } }, 'authorizers.users.userPoolArns[0]', /Cognito user pool ARN/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], identitySource: 'Authorization' }) } }, 'authorizers.users.identitySource', /write identitySource: 'method\.request\.header\.Authorization'/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], identitySource: 'method.request.querystring.token' }) } }, 'authorizers.users.identitySource', /request header only/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], ttl: 3601 }) } }, 'authorizers.users.ttl', /0 to 3600, got 3601/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], ttl: '60' as unknown as number }) } }, 'authorizers.users.ttl', /without quotes/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], local: { jwks: '' } }) } }, 'authorizers.users.local.jwks', /file path/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], local: { jwks: 'k.json', unverified: true } }) } }, 'authorizers.users.local.unverified', /cannot be true while jwks is set/],
    [{ authorizers: { users: cognito({ userPoolArns: [POOL], local: { verify: false } as never }) } }, 'authorizers.users.local.verify', /unknown local key/],
    [{ usagePlans: { free: {} } }, 'usagePlans.free.keys', /is required/],
    [{ usagePlans: { free: { keys: [] } } }, 'usagePlans.free.keys', /non-empty array/],
    [{ usagePlans: { free: { keys: ['acme', 'ac me'] } } }, 'usagePlans.free.keys[1]', /must be a key name, got "ac me"/],
    [{ usagePlans: { free: { keys: ['acme', 'acme'] } } }, 'usagePlans.free.keys[1]', /repeats key "acme"/],
    [{ usagePlans: { free: { keys: ['acme'] }, pro: { keys: ['initech', 'acme'] } } }, 'usagePlans.pro.keys[1]', /key "acme" is already in plan "free".*two usage plans/],
    [{ usagePlans: { 'free tier': { keys: ['acme'] } } }, 'usagePlans["free tier"]', /not a usable usage plan name/],
    [{ usagePlans: { free: { keys: ['acme'], throttle: { rate: -1 } } } }, 'usagePlans.free.throttle.rate', /0 or more, got -1/],
    [{ usagePlans: { free: { keys: ['acme'], throttle: { rate: 1, burst: 2.5 } } } }, 'usagePlans.free.throttle.burst', /whole number/],
    [{ usagePlans: { free: { keys: ['acme'], throttle: { burst: 5 } } } }, 'usagePlans.free.throttle.rate', /required when burst is set/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 0, period: 'DAY' } } } }, 'usagePlans.free.quota.limit', /from 1 to 2147483647, got 0/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'YEAR' } } } }, 'usagePlans.free.quota.period', /one of DAY, WEEK, MONTH, got "YEAR"/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'day' } } } }, 'usagePlans.free.quota.period', /did you mean 'DAY'/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { period: 'DAY' } } } }, 'usagePlans.free.quota.limit', /is required/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10 } } } }, 'usagePlans.free.quota.period', /is required/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'DAY', offset: 1 } } } }, 'usagePlans.free.quota.offset', /must be 0 for period DAY, got 1/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'WEEK', offset: 7 } } } }, 'usagePlans.free.quota.offset', /0 to 6 for period WEEK, got 7/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'MONTH', offset: 28 } } } }, 'usagePlans.free.quota.offset', /0 to 27 for period MONTH, got 28/],
    [{ usagePlans: { free: { keys: ['acme'], quota: { limit: 10, period: 'MONTH', offset: -1 } } } }, 'usagePlans.free.quota.offset', /whole number of 0 or more/],
    [{ usagePlans: { free: { keys: ['acme'], description: 5 } } }, 'usagePlans.free.description', /must be a string/],
    [{ usagePlans: { free: { keys: ['acme'], quotas: {} } } }, 'usagePlans.free.quotas', /did you mean `quota`/],
    [{ stages: { prod: { auth: true } } }, 'stages.prod.auth', /'iam' or false/],
    [{ stages: { prod: { authorizers: { users: { type: 'cognito' } } } } }, 'stages.prod.authorizers.users.userPoolArns', /is required/],
  ])('refuses %j at %s', (settings, path, text) => {
    expect(onlyErrorAt(app(settings), path)).toMatch(text);
  });

  it("checks what a stage's plans and authorizers end up with, naming the stage once", () => {
    const plans = { free: { keys: ['acme'], quota: { limit: 10, period: 'MONTH' } }, pro: { keys: ['initech'] } };
    // An offset valid for MONTH breaks once a stage turns the period to WEEK.
    expect(errorsOf(app({ usagePlans: { ...plans, free: { ...plans.free, quota: { ...plans.free.quota, offset: 20 } } } }))).toEqual([]);
    expect(onlyErrorAt(app({ usagePlans: { ...plans, free: { ...plans.free, quota: { ...plans.free.quota, offset: 20 } } }, stages: { prod: { usagePlans: { free: { quota: { period: 'WEEK' } } } } } }), 'stages.prod.usagePlans.free.quota.offset')).toMatch(/0 to 6 for period WEEK, got 20/);
    // A stage giving a key to a second plan, or completing an authorizer the app declares.
    expect(onlyErrorAt(app({ usagePlans: plans, stages: { prod: { usagePlans: { pro: { keys: ['initech', 'acme'] } } } } }), 'stages.prod.usagePlans.pro.keys[1]')).toMatch(/already in plan "free"/);
    expect(errorsOf(app({ authorizers: { users: cognito({ userPoolArns: [POOL] }) }, stages: { dev: { authorizers: { users: { ttl: 0 } } } } }))).toEqual([]);
    expect(onlyErrorAt(app({ authorizers: { users: cognito({ userPoolArns: [POOL], local: { jwks: 'k.json' } }) }, stages: { dev: { authorizers: { users: { local: { unverified: true } } } } } }), 'stages.dev.authorizers.users.local.unverified')).toMatch(/jwks/);
    // What the app gets wrong is named once, not again in each stage.
    expect(onlyErrorAt(app({ usagePlans: { free: { keys: ['a'] }, pro: { keys: ['a'] } }, stages: { prod: { usagePlans: { free: { description: 'x' } } }, dev: { memory: 512 } } }), 'usagePlans.pro.keys[0]')).toBeTruthy();
  });
});

describe('resolveConfig() on auth, authorizers and usage plans', () => {
  const resolve = (user: Partial<UserConfig>, stage = 'dev') => resolveConfig({ name: 'blog', ...user }, { stage, root: '/app', processEnv: {} });

  it('fills defaults, sorts by name and applies a stage', () => {
    const user: Partial<UserConfig> = {
      auth: 'users',
      authorizers: { users: cognito({ userPoolArns: [POOL] }), admins: cognito({ userPoolArns: [POOL], ttl: 0, local: { unverified: true } }) },
      usagePlans: { pro: { keys: ['initech'], throttle: { rate: 10, burst: 20 } }, free: { keys: ['acme'], quota: { limit: 100, period: 'DAY' } } },
      stages: { prod: { auth: 'iam', usagePlans: { free: { keys: ['acme'], quota: { limit: 1000, period: 'DAY' } } } } },
    };
    const dev = resolve(user);
    expect(dev.auth).toBe('users');
    expect(dev.authorizers).toEqual([
      { name: 'admins', type: 'cognito', userPoolArns: [POOL], identitySource: 'method.request.header.Authorization', ttl: 0, local: { unverified: true } },
      { name: 'users', type: 'cognito', userPoolArns: [POOL], identitySource: 'method.request.header.Authorization', ttl: 300, local: { unverified: false } },
    ]);
    expect(dev.usagePlans.map((plan) => plan.name)).toEqual(['free', 'pro']);
    const prod = resolve(user, 'prod');
    expect(prod.auth).toBe('iam');
    expect(prod.usagePlans[0]).toEqual({ name: 'free', keys: ['acme'], quota: { limit: 1000, period: 'DAY' } });
    expect(resolve({}).authorizers).toEqual([]);
    expect(resolve({}).auth).toBeUndefined();
  });
});
