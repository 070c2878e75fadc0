// The runtime's `resources` accessor: it reads what the template puts in a linking function's
// environment (the variable names come from the generated template here, so the two cannot drift
// apart), at access time, and says clearly what is not linked. It costs a function nothing unless
// imported.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import { bucket, cloudformation, queue, table, topic } from '../../../src/config/define-config.js';
import { resources } from '../../../src/runtime/index.js';
import { makeConfig, makeManifest } from '../cloudformation/fixtures.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** What CloudFormation would resolve each Ref / Fn::GetAtt to, for a fake deploy. */
function resolve(value: unknown): string {
  const record = value as Record<string, unknown>;
  if (typeof value === 'string') return value;
  if ('Ref' in record) return `ref:${String(record['Ref'])}`;
  const [id, attribute] = record['Fn::GetAtt'] as [string, string];
  return `${attribute}:${id}`;
}

/** The environment a function linking `link` gets in the generated template, resolved. */
function deployedEnvironment(link: string[]): Record<string, string> {
  const config = makeConfig({
    resources: {
      posts: table({ key: 'id' }),
      userUploads: bucket(),
      emails: queue(),
      alerts: topic(),
      signingKey: cloudformation({ Type: 'AWS::KMS::Key', Properties: {} }),
    },
    functions: { worker: { link } },
  });
  const { root } = generateTemplates({ config, manifest: makeManifest(config, { routes: [], functions: ['worker'] }) });
  const variables = (root.Resources['WorkerFunction']!.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)]));
}

function stubEnvironment(environment: Record<string, string>): void {
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
}

describe('resources', () => {
  it('gives each linked resource its name and ARN, a queue its URL, as the template passes them', () => {
    stubEnvironment(deployedEnvironment(['posts', 'userUploads', 'emails', 'alerts', 'signingKey']));
    expect({ name: resources.posts!.name, arn: resources.posts!.arn }).toEqual({ name: 'ref:PostsTable', arn: 'Arn:PostsTable' });
    expect({ name: resources.userUploads!.name, arn: resources.userUploads!.arn }).toEqual({ name: 'ref:UserUploadsBucket', arn: 'Arn:UserUploadsBucket' });
    expect({ name: resources.emails!.name, arn: resources.emails!.arn, url: resources.emails!.url }).toEqual({ name: 'QueueName:EmailsQueue', arn: 'Arn:EmailsQueue', url: 'ref:EmailsQueue' });
    expect({ name: resources.alerts!.name, arn: resources.alerts!.arn }).toEqual({ name: 'TopicName:AlertsTopic', arn: 'ref:AlertsTopic' });
    expect(resources.signingKey!.name).toBe('ref:SigningKey');
    expect('posts' in resources).toBe(true);
  });

  it('reads the environment at access time, not at import', () => {
    const posts = () => resources.posts!.name;
    expect(posts).toThrow(/posts is not linked/);
    vi.stubEnv('SLS_TS_RESOURCE_POSTS_NAME', 'blog-dev-posts');
    expect(posts()).toBe('blog-dev-posts');
    vi.stubEnv('SLS_TS_RESOURCE_POSTS_NAME', 'blog-test-posts');
    expect(posts()).toBe('blog-test-posts');
  });

  it('names a resource this function does not link, how to link it, and what it does link', () => {
    stubEnvironment(deployedEnvironment(['emails', 'userUploads']));
    // Linked names are listed as the config writes them.
    expect(() => resources.posts).toThrowError("posts is not linked to this function: add link: ['posts'] to its controller, action, job or function (or the app) in sls-ts.config.ts (linked here: emails, userUploads)");
    vi.unstubAllEnvs();
    expect(() => resources.userUploads).toThrowError(/^userUploads is not linked .*\(linked here: nothing\)$/);
    expect('posts' in resources).toBe(false);
  });

  it('says which value a resource does not have: a URL of a table, the ARN of a raw resource', () => {
    stubEnvironment(deployedEnvironment(['posts', 'signingKey']));
    expect(() => resources.posts!.url).toThrowError(/resources\.posts\.url is not set \(SLS_TS_RESOURCE_POSTS_URL\): only queues have a url/);
    expect(() => resources.signingKey!.arn).toThrowError(/resources\.signingKey\.arn is not set .*raw cloudformation resources a name only/);
  });

  it('is no thenable and survives being printed (probes are not resource names)', async () => {
    expect((resources as Record<string, unknown>)['then']).toBeUndefined();
    await expect(Promise.resolve(resources)).resolves.toBe(resources);
    expect(JSON.stringify(resources)).toBe('{}');
  });
});

describe('bundle cost', () => {
  const runtime = fileURLToPath(new URL('../../../src/runtime/index.ts', import.meta.url));
  const bundle = async (source: string) => {
    const result = await build({ stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, write: false, minify: true, format: 'esm', platform: 'node', logLevel: 'silent' });
    return result.outputFiles[0]!.text;
  };

  it('is left out of a function that does not import it, and stays small in one that does', async () => {
    const without = await bundle(`export { createRouteHandler } from ${JSON.stringify(runtime)};`);
    const withIt = await bundle(`export { createRouteHandler, resources } from ${JSON.stringify(runtime)};`);
    expect(without).not.toContain('SLS_TS_RESOURCE_');
    expect(withIt).toContain('SLS_TS_RESOURCE_');
    expect(Buffer.byteLength(withIt) - Buffer.byteLength(without)).toBeLessThan(1300);
  });
});
