// The real `sls-ts` binary against a local AWS double (AWS_ENDPOINT_URL): proves what goes out on
// the wire — CloudFormation's query protocol, path-style S3, API Gateway, Lambda and Logs — with
// no real AWS anywhere.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsDouble, type AwsDouble } from '../support/aws-double/index.js';
import { copyApp, createScratch, exampleApp } from '../unit/build/support.js';

const bin = fileURLToPath(new URL('../../bin/sls-ts.js', import.meta.url));
let double: AwsDouble;
let scratch: { dir: string; cleanup: () => void };
let appDir: string;

beforeAll(async () => {
  double = await startAwsDouble();
  scratch = createScratch();
  appDir = copyApp(exampleApp, scratch.dir, 'example-app');
});
afterAll(async () => {
  await double.close();
  scratch.cleanup();
});

// A host name, not an IP: the SDK would address a bucket as <bucket>.localhost unless path-style is forced.
const endpoint = () => double.url.replace('127.0.0.1', 'localhost');

/** A clean environment: fake keys, the double as the endpoint, nothing from the machine's AWS setup. */
function awsEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  const nowhere = join(mkdtempSync(join(tmpdir(), 'sls-ts-aws-')), 'none');
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint(),
    AWS_ACCESS_KEY_ID: 'AKIDE2ETEST',
    AWS_SECRET_ACCESS_KEY: 'e2e-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TS_POLL_MS: '20',
    NO_COLOR: '1',
    CI: 'true',
    ...extra,
  };
}

/** Spawns asynchronously: the double answers from this process, so it must not be blocked. */
function slsTs(args: string[], env = awsEnv()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, cwd: scratch.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

describe('sls-ts deploy against a local AWS endpoint', () => {
  let bucket = '';

  it('first deploy: bootstrap stack, path-style uploads, change set by TemplateURL, execute; prints the API URL', async () => {
    const result = await slsTs(['deploy', '-C', appDir, '--yes']);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(0);
    const restApi = [...double.state.stacks.values()][0]!.resources.get('RestApi')!.physicalId;
    const apiUrl = `https://${restApi}.execute-api.us-east-1.amazonaws.com/dev`;
    expect(result.stdout).toContain(`API  ${apiUrl}`);
    expect(result.stdout).toContain(`${apiUrl}/posts/{id}`);
    expect(result.stdout).toMatch(/✓ deployed example-app-dev in /);

    // CloudFormation: the query protocol — form-encoded POSTs to / with Action and Version.
    const cfn = double.calls('cloudformation');
    for (const request of cfn) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/');
      expect(String(request.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/);
      expect(request.params!.get('Version')).toBe('2010-05-15');
    }
    const actions = cfn.map((request) => request.operation);
    expect(actions[0]).toBe('DescribeStacks');
    for (const action of ['CreateStack', 'DescribeStackEvents', 'CreateChangeSet', 'DescribeChangeSet', 'ExecuteChangeSet']) expect(actions).toContain(action);
    expect(actions.indexOf('CreateStack')).toBeLessThan(actions.indexOf('CreateChangeSet'));
    expect(actions.indexOf('CreateChangeSet')).toBeLessThan(actions.indexOf('ExecuteChangeSet'));

    bucket = [...double.state.buckets.keys()][0]!;
    const changeSet = double.calls('cloudformation', 'CreateChangeSet')[0]!.params!;
    expect(changeSet.get('TemplateURL')).toMatch(new RegExp(`^${endpoint()}/${bucket}/templates/[0-9a-f]{64}\\.json$`));
    expect(changeSet.get('ChangeSetType')).toBe('UPDATE');
    expect(changeSet.get('StackName')).toBe('example-app-dev');
    expect([1, 2, 3].map((n) => changeSet.get(`Capabilities.member.${n}`))).toEqual(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect([changeSet.get('Tags.member.1.Key'), changeSet.get('Tags.member.1.Value')]).toEqual(['project', 'sls-ts-example']);

    // S3: path-style (`/<bucket>/<key>` on the endpoint's host), HEAD before every PUT, content-addressed keys.
    const s3 = double.calls('s3');
    for (const request of s3) {
      expect(request.headers.host).toBe(new URL(endpoint()).host);
      expect(request.path.startsWith(`/${bucket}/`)).toBe(true);
    }
    const puts = s3.filter((request) => request.method === 'PUT');
    // example-app's 13 zips (its admin authorizer and chat channel included) and the template.
    expect(puts.length).toBe(14);
    for (const put of puts) {
      const key = put.path.slice(bucket.length + 2);
      expect(key).toMatch(/^(artifacts\/[0-9a-f]{64}\.zip|templates\/[0-9a-f]{64}\.json)$/);
      expect(s3.some((request) => request.method === 'HEAD' && request.path === put.path)).toBe(true);
      // The bytes that arrived hash to the key they were stored under.
      expect(key).toContain(sha256(double.state.latest(bucket, key)!.body));
    }

    // API Gateway: the stage's deployment was checked against the route hash.
    expect(double.calls('apigateway').map((request) => request.operation)).toEqual([`GET /restapis/${restApi}/stages/dev`, expect.stringMatching(`^GET /restapis/${restApi}/deployments/`)]);
  });

  it('second deploy with no changes uploads and executes nothing', async () => {
    const before = double.requests.length;
    const result = await slsTs(['deploy', '-C', appDir, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ example-app-dev is up to date in /);
    expect(result.stderr).toContain('✓ no changes');
    const requests = double.requests.slice(before);
    expect(requests.filter((request) => request.service === 's3' && request.method === 'PUT')).toHaveLength(0);
    expect(requests.map((request) => request.operation)).not.toContain('ExecuteChangeSet');
    expect(requests.map((request) => request.operation)).toContain('DeleteChangeSet');
  });

  it('status and url answer as JSON', async () => {
    const status = await slsTs(['status', '-C', appDir, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ stackName: 'example-app-dev', exists: true, status: 'UPDATE_COMPLETE', drift: [], outputs: { ArtifactsBucketName: bucket } });
    const url = await slsTs(['url', '-C', appDir, '--json']);
    expect(JSON.parse(url.stdout)).toMatchObject({ stackName: 'example-app-dev', from: 'outputs', url: expect.stringMatching(/^https:\/\/.+\.execute-api\.us-east-1\.amazonaws\.com\/dev$/) });
  });

  it('code-only deploy and invoke --remote go through Lambda; logs through CloudWatch Logs', async () => {
    appendFileSync(join(appDir, 'app', 'functions', 'hello.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'e2e';\n");
    const code = await slsTs(['deploy', 'function', 'hello', '-C', appDir]);
    expect(code.code).toBe(0);
    expect(double.calls('lambda').map((request) => request.operation)).toContain('PUT /2015-03-31/functions/example-app-dev-hello/code');
    expect(JSON.parse(double.state.latest(bucket, 'state/dev.json')!.body.toString('utf8'))).toMatchObject({ hotSwapped: { hello: { functionName: 'example-app-dev-hello' } } });

    double.state.functions.get('example-app-dev-hello')!.respond = () => ({ payload: { statusCode: 200, body: 'hi' }, log: 'START\nsaid hi\nEND\n' });
    const invoke = await slsTs(['invoke', 'hello', '--remote', '-C', appDir]);
    expect(invoke.code).toBe(0);
    expect(JSON.parse(invoke.stdout)).toEqual({ statusCode: 200, body: 'hi' });
    expect(invoke.stderr).toContain('said hi');

    double.state.logGroups.set('/aws/lambda/example-app-dev-hello', [1, 2, 3].map((n) => ({ eventId: `e${n}`, timestamp: Date.now() - 1000 + n, message: `line ${n}\n`, logStreamName: 's' })));
    const logs = await slsTs(['logs', 'hello', '-C', appDir]);
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').map((line) => line.split(' ').slice(-2).join(' '))).toEqual(['line 1', 'line 2', 'line 3']);
    expect(double.calls('logs', 'FilterLogEvents').length).toBeGreaterThanOrEqual(2);
  });

  it('delete empties the bucket (all versions) and deletes the stack', async () => {
    const result = await slsTs(['delete', '-C', appDir, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ deleted example-app-dev in /);
    expect(double.calls('s3').some((request) => request.method === 'GET' && request.url.includes('versions'))).toBe(true);
    expect(double.calls('s3').some((request) => request.method === 'POST' && request.url.includes('delete'))).toBe(true);
    expect(double.calls('cloudformation', 'DeleteStack')).toHaveLength(1);
    expect(double.state.buckets.has(bucket)).toBe(false);
    const again = await slsTs(['delete', '-C', appDir, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to delete');
  });

  it('missing credentials: one error line, exit 1, nothing sent', async () => {
    const before = double.requests.length;
    const env = awsEnv();
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const result = await slsTs(['deploy', '-C', appDir, '--yes'], env);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error no AWS credentials found \(deploy\): .* — set AWS_PROFILE or pass --profile/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(double.requests.length).toBe(before);
  });
});

describe('sls-ts deploy of a nested app against a local AWS endpoint', () => {
  let nestedDir = '';

  beforeAll(() => {
    nestedDir = copyApp(exampleApp, scratch.dir, 'nested-app');
    const config = join(nestedDir, 'sls-ts.config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace("name: 'example-app',", "name: 'nested-app',\n  stacks: 'nested',"));
  });

  it('a redeploy of the same code says no changes and creates no change set, though AWS would list every nested stack', async () => {
    const first = await slsTs(['deploy', '-C', nestedDir, '--yes']);
    expect(first.stderr).not.toMatch(/^\s+at /m);
    expect(first.code).toBe(0);
    const stack = double.state.findStack('nested-app-dev')!;
    expect([...stack.resources.values()].filter((resource) => resource.type === 'AWS::CloudFormation::Stack').length).toBeGreaterThan(1);

    const before = double.requests.length;
    const again = await slsTs(['deploy', '-C', nestedDir, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/✓ nested-app-dev is up to date in /);
    const operations = double.requests.slice(before).map((request) => request.operation);
    expect(operations).toContain('GetTemplate');
    expect(operations).not.toContain('CreateChangeSet');
    expect(operations).not.toContain('ExecuteChangeSet');
  }, 60_000);

  it('a plan after changing one controller lists only its nested stack, not those AWS lists as modified automatically', async () => {
    appendFileSync(join(nestedDir, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'nested plan';\n");
    const before = double.requests.length;
    const result = await slsTs(['deploy', '-C', nestedDir, '--plan']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Changes: 2 to modify');
    const stackRows = result.stderr.split('\n').filter((line) => line.includes('AWS::CloudFormation::Stack'));
    expect(stackRows).toEqual([expect.stringMatching(/^\s+~ Modify\s+PostsControllerStack\s+AWS::CloudFormation::Stack/)]);
    expect(result.stderr).toMatch(/PostsControllerStack › PostsControllerFunction\s+AWS::Lambda::Function/);
    const operations = double.requests.slice(before).map((request) => request.operation);
    expect(operations).toContain('CreateChangeSet');
    expect(operations).not.toContain('ExecuteChangeSet');
  }, 60_000);

  it('a nested template CloudFormation rejects: the error names the nested stack and its reason, with the hint', async () => {
    appendFileSync(join(nestedDir, 'app', 'controllers', 'posts-controller.ts'), "\n;(globalThis as Record<string, unknown>).marker = 'nested e2e';\n");
    double.state.rejectNested = { logicalId: 'PostsControllerStack', reason: 'Template format error: Unresolved resource dependencies [PostsControllerRole] in the Resources block of the template' };
    const before = double.requests.length;
    try {
      const result = await slsTs(['deploy', '-C', nestedDir, '--yes']);
      expect(result.code).toBe(1);
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
      expect(errors).toEqual([
        expect.stringMatching(/^error CloudFormation rejected the change set of nested stack PostsControllerStack \(nested-app-dev-PostsControllerStack-\w+\): Template format error: Unresolved resource dependencies \[PostsControllerRole\] in the Resources block of the template — the generated template is invalid/),
      ]);
      const operations = double.requests.slice(before).map((request) => request.operation);
      expect(operations).toContain('CreateChangeSet');
      expect(operations).not.toContain('ExecuteChangeSet');
    } finally {
      double.state.rejectNested = undefined;
    }
  }, 60_000);
});

/** A copy of example-app's code with declared resources; `posts` and `ledger` come and go between deploys. */
function dataConfig(options: { postsKey?: string; withPosts?: boolean; withLedger?: boolean; withScratch?: boolean; media?: string } = {}): string {
  const { postsKey = 'id', withPosts = true, withLedger = true, withScratch = true, media = 'data-app-dev-media-1' } = options;
  return `import { bucket, cloudformation, defineConfig, queue, table, topic } from 'sls-ts/config';

export default defineConfig({
  name: 'data-app',
  region: 'us-east-1',
  resources: {
    ${withPosts ? `posts: table({ key: '${postsKey}' }),` : ''}
    ${withLedger ? "ledger: table({ key: 'id', removal: 'retain' })," : ''}
    uploads: bucket({ versioned: true }),
    archive: bucket({ removal: 'retain' }),
    ${withScratch ? 'scratch: bucket(),' : ''}
    emails: queue(),
    alerts: topic(),
    media: cloudformation({ Type: 'AWS::S3::Bucket', Properties: { BucketName: '${media}' } }),
  },
  link: [{ name: 'alerts', readOnly: true }],
  controllers: { posts: { link: [${withPosts ? "'posts', " : ''}'uploads'] } },
  functions: { hello: { link: ['emails'] } },
});
`;
}

describe('declared resources on the AWS double: resources, data safety, delete', () => {
  const stack = 'data-app-dev';
  let dataDir = '';
  const configure = (options?: Parameters<typeof dataConfig>[0]) => writeFileSync(join(dataDir, 'sls-ts.config.ts'), dataConfig(options));
  const physicalId = (logicalId: string) => double.state.findStack(stack)!.resources.get(logicalId)?.physicalId;
  const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error '));

  beforeAll(() => {
    dataDir = copyApp(exampleApp, scratch.dir, 'data-app');
    // The chat channel tracks its connections in a table this config does not declare.
    rmSync(join(dataDir, 'app', 'channels'), { recursive: true });
    configure();
  });

  it('before any deploy, `resources` lists the declarations and their links, each not deployed', async () => {
    const result = await slsTs(['resources', '-C', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('data-app-dev is not deployed in us-east-1');
    const posts = result.stdout.split('\n').find((line) => line.trim().startsWith('posts '));
    expect(posts).toMatch(/posts\s+table\s+key id, removal destroy\s+not deployed\s+posts-controller$/);
    const alerts = result.stdout.split('\n').find((line) => line.trim().startsWith('alerts '));
    // App-wide links reach every function, read-only here.
    expect(alerts).toMatch(/alerts\s+topic\s+standard\s+not deployed\s+.*hello \(read-only\)/);
  });

  it('a deploy creates them as AWS names them; `resources --json` reads their names, ARNs and URLs from the stack', async () => {
    const deployed = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(deployed.stderr).not.toMatch(/^error /m);
    expect(deployed.code).toBe(0);
    expect(double.state.dataResources.get(`${stack}-posts`)?.type).toBe('AWS::DynamoDB::Table');
    expect(double.state.dataResources.has(`https://sqs.us-east-1.amazonaws.com/123456789012/${stack}-emails`)).toBe(true);
    expect(double.state.dataResources.has(`arn:aws:sns:us-east-1:123456789012:${stack}-alerts`)).toBe(true);

    const result = await slsTs(['resources', '-C', dataDir, '--json']);
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as { deployed: boolean; resources: Array<{ name: string; deployed?: Record<string, string>; linkedBy: unknown[] }> };
    expect(listing.deployed).toBe(true);
    const byName = new Map(listing.resources.map((resource) => [resource.name, resource]));
    expect(byName.get('posts')!.deployed).toEqual({ name: `${stack}-posts`, arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${stack}-posts` });
    expect(byName.get('uploads')!.deployed).toEqual({ name: physicalId('UploadsBucket'), arn: `arn:aws:s3:::${physicalId('UploadsBucket')}` });
    expect(byName.get('emails')!.deployed).toMatchObject({ name: `${stack}-emails`, url: `https://sqs.us-east-1.amazonaws.com/123456789012/${stack}-emails`, arn: `arn:aws:sqs:us-east-1:123456789012:${stack}-emails` });
    expect(byName.get('alerts')!.deployed).toEqual({ name: `${stack}-alerts`, arn: `arn:aws:sns:us-east-1:123456789012:${stack}-alerts` });
    expect(byName.get('emails')!.linkedBy).toEqual([{ function: 'hello', access: 'read-write' }]);

    const text = await slsTs(['resources', '-C', dataDir]);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('data-app-dev (us-east-1)');
    expect(lines.find((line) => line.trim().startsWith('emails '))).toMatch(/emails\s+queue\s+visibility 30 s, dead-letter after 3 receives\s+data-app-dev-emails\s+hello$/);
    const verbose = await slsTs(['resources', '-C', dataDir, '--verbose']);
    expect(verbose.stdout).toContain(`data-app-dev-emails arn:aws:sqs:us-east-1:123456789012:data-app-dev-emails https://sqs.us-east-1.amazonaws.com/123456789012/data-app-dev-emails`);
  }, 60_000);

  it("a table's key change would replace the named table, which CloudFormation refuses: called out in the plan, refused even with --yes", async () => {
    configure({ postsKey: 'slug' });
    const plan = await slsTs(['deploy', '-C', dataDir, '--plan']);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(/± Replace\s+PostsTable\s+AWS::DynamoDB::Table/);
    expect(plan.stderr).toContain('! posts table would be replaced by a new, empty one, which CloudFormation refuses under the same name (data-app-dev-posts)');

    const before = double.requests.length;
    const forced = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(forced.code).toBe(1);
    expect(errorLines(forced.stderr)).toEqual([
      expect.stringMatching(/^error resources\.posts: posts table would be replaced .*: a change to resources\.posts requires a new table; nothing was deployed — a table's key \(or a resource's name\) cannot change in place/),
    ]);
    expect(double.requests.slice(before).map((request) => request.operation)).not.toContain('ExecuteChangeSet');
    expect((double.state.dataResources.get(`${stack}-posts`)?.properties.KeySchema as unknown[])[0]).toEqual({ AttributeName: 'id', KeyType: 'HASH' });
  }, 60_000);

  it('a bucket whose name changes is replaced: refused without --yes, then the new bucket is made and the old one deleted', async () => {
    configure({ media: 'data-app-dev-media-2' });
    const refused = await slsTs(['deploy', '-C', dataDir]);
    expect(refused.code).toBe(1);
    expect(errorLines(refused.stderr)[0]).toMatch(/^error resources\.media: media bucket is replaced by a new, empty one: data-app-dev-media-1 is deleted with its data .* — run `sls-ts deploy --yes` if the data may go/);
    expect(double.state.buckets.has('data-app-dev-media-2')).toBe(false);

    const result = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    expect(physicalId('Media')).toBe('data-app-dev-media-2');
    expect(double.state.buckets.has('data-app-dev-media-2')).toBe(true);
    expect(double.state.buckets.has('data-app-dev-media-1')).toBe(false);
  }, 60_000);

  it('removing a retained table keeps it in the account (said in one line); removing a destroy one deletes it; both need --yes', async () => {
    configure({ withPosts: false, withLedger: false, media: 'data-app-dev-media-2' });
    const refused = await slsTs(['deploy', '-C', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('! ledger table is retained: it stays in the account as data-app-dev-ledger, no longer part of the stack');
    expect(errorLines(refused.stderr)[0]).toMatch(/^error resources\.posts: posts table is deleted with its data: data-app-dev-posts is no longer declared \(and 1 more table or bucket\); nothing was deployed/);
    expect(physicalId('LedgerTable')).toBe(`${stack}-ledger`);

    const result = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    expect(physicalId('LedgerTable')).toBeUndefined();
    expect(double.state.dataResources.has(`${stack}-ledger`)).toBe(true);
    expect(double.state.dataResources.has(`${stack}-posts`)).toBe(false);
  }, 60_000);

  it('a destroy bucket holding objects that leaves the config: CloudFormation cannot delete it, the update completes, the bucket stays out of the stack', async () => {
    const scratchBucket = physicalId('ScratchBucket')!;
    double.state.putObject(scratchBucket, 'draft.txt', Buffer.from('draft'));
    configure({ withPosts: false, withLedger: false, withScratch: false, media: 'data-app-dev-media-2' });
    const result = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`! scratch bucket is deleted: ${scratchBucket} is no longer declared (CloudFormation deletes an empty bucket only`);
    expect(result.stderr).toMatch(/DELETE_FAILED ScratchBucket \(AWS::S3::Bucket\): The bucket you tried to delete is not empty/);
    expect(physicalId('ScratchBucket')).toBeUndefined();
    expect(double.state.latest(scratchBucket, 'draft.txt')?.body.toString()).toBe('draft');
  }, 60_000);

  it('delete empties the destroy buckets (every version) and never a retained one, which stays with its objects', async () => {
    const uploads = physicalId('UploadsBucket')!;
    const archive = physicalId('ArchiveBucket')!;
    double.state.putObject(uploads, 'a.txt', Buffer.from('1'));
    double.state.putObject(uploads, 'a.txt', Buffer.from('2'));
    double.state.putObject(archive, 'kept.txt', Buffer.from('keep me'));

    const result = await slsTs(['delete', '-C', dataDir, '--yes']);
    expect(result.stderr).not.toMatch(/^error /m);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`✓ emptied ${uploads} (2 objects)`);
    expect(result.stderr).not.toContain(`emptied ${archive}`);
    expect(result.stderr).toContain(`! archive bucket is retained: it stays in the account as ${archive}`);
    expect(double.state.buckets.has(uploads)).toBe(false);
    expect(double.state.latest(archive, 'kept.txt')?.body.toString()).toBe('keep me');
    expect(double.state.dataResources.has(`https://sqs.us-east-1.amazonaws.com/123456789012/${stack}-emails`)).toBe(false);
  }, 60_000);

  it('a retained table still in the account blocks declaring it again: the deploy fails naming it, with the way out', async () => {
    configure({ withPosts: false, withLedger: true, withScratch: false, media: 'data-app-dev-media-2' });
    const result = await slsTs(['deploy', '-C', dataDir, '--yes']);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)[0]).toMatch(/LedgerTable \(AWS::DynamoDB::Table, from table ledger \(resources\.ledger\)\) CREATE_FAILED: .*'data-app-dev-ledger' already exists\. — .*kept by removal: 'retain' when it left the config/);
    expect(double.state.dataResources.has(`${stack}-ledger`)).toBe(true);
  }, 60_000);
});
