// The `domain` setting through the config's public entry points: validateUserConfig (each key,
// per stage as merged), resolveConfig, and loadConfig (the certificate's region, known only then).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig, validateUserConfig, type ConfigDiagnostic, type UserConfig } from '../../../src/config/index.js';
import { SlsError } from '../../../src/shared/errors.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
const app = (domain: unknown, more: Record<string, unknown> = {}) => ({ name: 'blog', domain, ...more });
const errorsOf = (config: unknown) => validateUserConfig(config).filter((d) => d.level !== 'warning');

/** The one error at `path`: it names the path, says what is wrong on one line, and has a hint. */
function errorAt(config: unknown, path: string): ConfigDiagnostic {
  const errors = errorsOf(config);
  const found = errors.filter((d) => d.path === path);
  expect(found, `errors: ${JSON.stringify(errors, null, 2)}`).toHaveLength(1);
  const diagnostic = found[0]!;
  expect(diagnostic.text.startsWith(`${path}: `)).toBe(true);
  expect(diagnostic.text).not.toContain('\n');
  expect(diagnostic.hint).toBeTruthy();
  return diagnostic;
}

describe('domain: accepted', () => {
  it.each([
    ['a certificate', { name: 'api.example.com', certificateArn: CERT }],
    ['a certificate and a zone name', { name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.com.' }],
    ['a zone name without its dot', { name: 'example.com', certificateArn: CERT, hostedZone: 'example.com' }],
    ['a zone id (the stack requests the certificate)', { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' }],
    ['a multi-level base path', { name: 'a-1.b.example.co.uk', certificateArn: CERT, basePath: "v1/$x_.+!*'()-" }],
    ['a 63-character label', { name: `${'a'.repeat(63)}.example.com`, certificateArn: CERT }],
    ['a China-region certificate', { name: 'api.example.cn', certificateArn: 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc-123' }],
  ])('%s', (_, domain) => {
    expect(errorsOf(app(domain))).toEqual([]);
  });

  it('a stage completing the app\'s domain, and a stage dropping it with false', () => {
    expect(errorsOf(app({ name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' }, {
      stages: { staging: { domain: { name: 'staging-api.example.com' } }, dev: { domain: false }, prod: { domain: { basePath: 'v2' } } },
    }))).toEqual([]);
    expect(errorsOf({ name: 'blog', stages: { prod: { domain: { name: 'api.example.com', certificateArn: CERT } } } })).toEqual([]);
  });
});

describe('domain: refused, one line naming the key', () => {
  it.each([
    ['underscores', 'api_v1.example.com', /underscores/],
    ['a trailing dot', 'api.example.com.', /must not end with a dot/],
    ['a scheme', 'https://api.example.com', /without scheme/],
    ['a single label', 'localhost', /fully qualified/],
    ['an empty label', 'api..example.com', /empty label/],
    ['a 64-character label', `${'a'.repeat(64)}.example.com`, /label of 64 characters/],
    ['a label ending in a hyphen', 'api-.example.com', /invalid label "api-"/],
    ['more than 253 characters', `${'abcdefghi.'.repeat(25)}example.com`, /at most 253 characters, got 261/],
  ])('a name with %s', (_, name, message) => {
    expect(errorAt(app({ name, certificateArn: CERT }), 'domain.name').text).toMatch(message);
  });

  it('a name written as a URL gets the hostname as its hint', () => {
    expect(errorAt(app({ name: 'https://api.example.com/', certificateArn: CERT }), 'domain.name').hint).toBe("write name: 'api.example.com'");
  });

  it('no name', () => {
    expect(errorAt(app({ certificateArn: CERT }), 'domain.name').text).toBe('domain.name: is required');
  });

  it.each([
    ['an IAM server certificate', 'arn:aws:iam::123456789012:server-certificate/x', /import the certificate into ACM/],
    ['not an ARN', 'my-cert', /ACM certificate ARN like/],
    ['another service', 'arn:aws:s3:::bucket', /ACM certificate ARN like/],
  ])('a certificate that is %s', (_, certificateArn, hint) => {
    const diagnostic = errorAt(app({ name: 'api.example.com', certificateArn }), 'domain.certificateArn');
    expect(diagnostic.text).toMatch(/must be an ACM certificate ARN/);
    expect(diagnostic.hint).toMatch(hint);
  });

  it('neither a certificate nor a zone to request one in', () => {
    const diagnostic = errorAt(app({ name: 'api.example.com' }), 'domain.certificateArn');
    expect(diagnostic.text).toMatch(/is required when hostedZone is not set/);
  });

  it('a zone given by name when the stack must request the certificate (validation needs the id)', () => {
    expect(errorAt(app({ name: 'api.example.com', hostedZone: 'example.com.' }), 'domain.hostedZone').text).toMatch(/must be the zone's id/);
  });

  it.each([
    ['a zone ARN-ish path', '/hostedzone/Z1D633PJN98FT9', "write hostedZone: 'Z1D633PJN98FT9'"],
    ['a lower-case id', 'z1d633', undefined],
    ['a URL', 'https://example.com', undefined],
  ])('a hostedZone that is %s', (_, hostedZone, hint) => {
    const diagnostic = errorAt(app({ name: 'api.example.com', certificateArn: CERT, hostedZone }), 'domain.hostedZone');
    expect(diagnostic.text).toMatch(/must be a Route 53 zone name like 'example.com.' or a zone id/);
    if (hint) expect(diagnostic.hint).toBe(hint);
  });

  it('a zone that does not hold the name', () => {
    expect(errorAt(app({ name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.org.' }), 'domain.hostedZone').text).toBe('domain.hostedZone: "example.org." does not hold api.example.com');
  });

  it.each([['a space', 'v 1'], ['a query', 'v1?x=1'], ['an empty level', 'v1//beta'], ['a non-string', 1]])('a basePath with %s', (_, basePath) => {
    errorAt(app({ name: 'api.example.com', certificateArn: CERT, basePath }), 'domain.basePath');
  });

  it('an unknown key, and a domain that is not an object', () => {
    expect(errorAt(app({ name: 'api.example.com', certificateArn: CERT, zone: 'x' }), 'domain.zone').hint).toMatch(/hostedZone/);
    errorAt(app('api.example.com'), 'domain');
  });

  it('in a stage, named by the stage\'s path, checking what the stage makes of the app\'s domain', () => {
    expect(errorAt({ name: 'blog', stages: { prod: { domain: { name: 'api_x.example.com', certificateArn: CERT } } } }, 'stages.prod.domain.name').text).toMatch(/underscores/);
    // The app's domain is complete; the stage replaces the certificate by nothing it can use.
    const merged = app({ name: 'api.example.com', hostedZone: 'example.com.', certificateArn: CERT }, { stages: { prod: { domain: { name: 'api.example.org' } } } });
    expect(errorAt(merged, 'stages.prod.domain.hostedZone').text).toMatch(/does not hold api.example.org/);
  });
});

describe('domain: resolved', () => {
  const resolve = (user: Partial<UserConfig>, stage = 'dev') => resolveConfig({ name: 'blog', ...user }, { stage, root: '/app', processEnv: {} });

  it('normalizes the zone and the base path, lower-cases the name', () => {
    expect(resolve({ domain: { name: 'API.Example.com', certificateArn: CERT, hostedZone: 'Example.com', basePath: '/v1/' } }).domain)
      .toEqual({ name: 'api.example.com', certificateArn: CERT, hostedZone: { name: 'example.com.' }, basePath: 'v1' });
    expect(resolve({ domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9', basePath: '/' } }).domain)
      .toEqual({ name: 'api.example.com', hostedZone: { id: 'Z1D633PJN98FT9' } });
  });

  it('per stage: merged over the app\'s, or dropped by false', () => {
    const user: Partial<UserConfig> = {
      domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9' },
      stages: { staging: { domain: { name: 'staging.example.com' } }, dev: { domain: false } },
    };
    expect(resolve(user, 'staging').domain).toEqual({ name: 'staging.example.com', hostedZone: { id: 'Z1D633PJN98FT9' } });
    expect(resolve(user, 'dev').domain).toBeUndefined();
    expect(resolve(user, 'prod').domain?.name).toBe('api.example.com');
    expect(resolve({}).domain).toBeUndefined();
  });
});

describe('loadConfig(): the certificate must be in the stack\'s region', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  function appWith(config: string): string {
    const root = mkdtempSync(join(tmpdir(), 'sls-ts-domain-'));
    roots.push(root);
    writeFileSync(join(root, 'sls-ts.config.mjs'), `export default ${config};\n`);
    return root;
  }
  async function loadError(root: string, options: { stage?: string; region?: string }): Promise<SlsError> {
    const error: unknown = await loadConfig({ root, processEnv: {}, ...options }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    return error as SlsError;
  }
  const WEST = CERT.replace('us-east-1', 'eu-west-1');

  it('refuses a certificate from another region, naming where it was written and both regions', async () => {
    const root = appWith(`{ name: 'blog', domain: { name: 'api.example.com', certificateArn: '${WEST}' }, stages: { prod: { domain: { certificateArn: '${CERT}' } } } }`);
    const dev = await loadError(root, {});
    expect(dev.diagnostics).toHaveLength(1);
    expect(dev.diagnostics[0]!.text).toBe('domain.certificateArn: the certificate is in eu-west-1, but the stack deploys to us-east-1; a regional API domain needs its certificate in the same region');
    expect(dev.diagnostics[0]!.hint).toMatch(/in us-east-1/);
    const prod = await loadError(root, { stage: 'prod', region: 'eu-west-1' });
    expect(prod.diagnostics[0]!.text).toMatch(/^stages\.prod\.domain\.certificateArn: the certificate is in us-east-1, but the stack deploys to eu-west-1/);
  });

  it('loads one in the stack\'s region, whichever setting chose the region', async () => {
    const root = appWith(`{ name: 'blog', domain: { name: 'api.example.com', certificateArn: '${WEST}' } }`);
    const { config } = await loadConfig({ root, region: 'eu-west-1', processEnv: {} });
    expect(config.domain).toEqual({ name: 'api.example.com', certificateArn: WEST });
    expect((await loadConfig({ root, processEnv: { AWS_REGION: 'eu-west-1' } })).config.region).toBe('eu-west-1');
  });
});
