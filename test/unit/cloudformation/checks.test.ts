// Build-time checks on what the templates ask of Lambda, API Gateway and CloudFormation: the
// environment's 4 KB, the 29 s integration timeout, dynamic references, and IAM references that
// must resolve where each function's role lives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildManifest } from '../../../src/build/types.js';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import type { IamStatement, ResolvedConfig, UserConfig } from '../../../src/config/types.js';
import { SlsError, type Diagnostic } from '../../../src/shared/errors.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, makeConfig, makeManifest, SMALL_APP } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

/** The manifest the build makes, with each statement's config path as plan.ts records it. */
function manifestFor(config: ResolvedConfig): BuildManifest {
  const manifest = makeManifest(config, SMALL_APP);
  for (const fn of manifest.functions) {
    const controller = fn.controller ? config.controllers[fn.controller] : undefined;
    const paths = (list: readonly IamStatement[] | undefined, prefix: string) => (list ?? []).map((_, index) => `${prefix}iam[${index}]`);
    fn.iamPaths = [...paths(config.iam, ''), ...paths(controller?.iam, `controllers.${fn.controller}.`)];
  }
  return manifest;
}

function generate(user: Partial<UserConfig>, options: { split?: 'always'; edit?: (manifest: BuildManifest) => void } = {}): GeneratedTemplates {
  const config = makeConfig(user);
  const manifest = manifestFor(config);
  options.edit?.(manifest);
  return generateTemplates({ config, manifest, ...(options.split ? { split: options.split } : {}) });
}

function errorsOf(run: () => unknown): Diagnostic[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SlsError);
    return (error as SlsError).diagnostics;
  }
  return [];
}

function functionResource(result: GeneratedTemplates, id: string): Record<string, any> {
  return allResources(result).get(id)!.resource;
}

describe("Lambda's 4 KB of environment variables", () => {
  // {"SLS_TS_STAGE":"dev"} plus `,"BIG":"…"` — sized so the JSON is exactly `total` bytes.
  const envOfSize = (total: number) => ({ BIG: 'x'.repeat(total - JSON.stringify({ SLS_TS_STAGE: 'dev', BIG: '' }).length) });

  it('accepts exactly 4,096 bytes, measured as Lambda does: the compact JSON of names and values', () => {
    expect(() => generate({ env: envOfSize(4096) })).not.toThrow();
  });

  it('fails past 4 KB naming the function and its largest variables, never their values', () => {
    const errors = errorsOf(() => generate({ env: { ...envOfSize(4097), SMALL: 'secret-value-123' } }));
    expect(errors.length).toBeGreaterThan(0);
    const posts = errors.find((d) => d.text.startsWith('PostsController'))!;
    expect(posts.text).toContain('blog-dev-posts-controller');
    expect(posts.text).toContain(`take ${4097 + ',"SMALL":"secret-value-123"'.length} bytes; Lambda allows 4096`);
    expect(posts.text).toMatch(/largest: BIG \(\d+ bytes\), SMALL \(26 bytes\), SLS_TS_STAGE \(20 bytes\)$/);
    expect(posts.hint).toContain('Secrets Manager');
    expect(JSON.stringify(errors)).not.toContain('secret-value-123');
  });

  it('counts multi-byte characters in bytes', () => {
    const errors = errorsOf(() => generate({ env: { BIG: 'é'.repeat(2040) } }));
    expect(errors.some((d) => d.text.includes('Lambda allows 4096'))).toBe(true);
  });
});

describe('ssm: and secret: environment values', () => {
  const env = {
    DB_HOST: 'ssm:/blog/db-host',
    DB_PORT: 'ssm:/blog/db-port:3',
    DB_PASSWORD: 'secret:blog/db:password',
    API_TOKEN: 'secret:arn:aws:secretsmanager:us-east-1:123456789012:secret:blog/api-AbCdEf:token:AWSPREVIOUS',
    WHOLE: 'secret:blog/whole',
    PLAIN: 'plain value',
  };

  it('become dynamic references CloudFormation resolves at deploy time', () => {
    const result = generate({ env });
    assertAllValid(result);
    expect(functionResource(result, 'PostsControllerFunction').Properties.Environment.Variables).toEqual({
      API_TOKEN: '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:blog/api-AbCdEf:SecretString:token:AWSPREVIOUS}}',
      DB_HOST: '{{resolve:ssm:/blog/db-host}}',
      DB_PASSWORD: '{{resolve:secretsmanager:blog/db:SecretString:password}}',
      DB_PORT: '{{resolve:ssm:/blog/db-port:3}}',
      PLAIN: 'plain value',
      SLS_TS_STAGE: 'dev',
      WHOLE: '{{resolve:secretsmanager:blog/whole}}',
    });
    // Resolved by CloudFormation with the deployer's permissions: the function's role gains nothing.
    const role = functionResource(result, 'PostsControllerRole');
    expect(role.Properties.Policies.map((policy: any) => policy.PolicyName)).toEqual(['logs']);
  });

  it("pass AWS's cfn-lint", () => {
    const result = generate({ env });
    const dir = mkdtempSync(join(tmpdir(), 'sls-ts-refs-lint-'));
    try {
      const file = join(dir, 'template.json');
      writeFileSync(file, JSON.stringify(result.root));
      expect(() => execFileSync('cfn-lint', ['--non-zero-exit-code', 'warning', file], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails when a template would hold more than the 60 references CloudFormation resolves', () => {
    // Eight functions in the root template, eight references each.
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`REF_${i}`, `ssm:/blog/p${i}`]));
    const errors = errorsOf(() => generate({ env: many }));
    expect(errors).toEqual([expect.objectContaining({ text: 'the template holds 64 ssm:/secret: references; CloudFormation resolves at most 60 per template' })]);
  });
});

describe("API Gateway's 29 s integration timeout", () => {
  it('warns for a routed function that may run longer, naming it and its routes', () => {
    const result = generate({ timeout: 10, controllers: { health: { timeout: 30 } }, jobs: { cleanup: { timeout: 900 } } }, {
      edit: (manifest) => {
        for (const fn of manifest.functions) if (fn.key === 'health-controller' || fn.key === 'cleanup-job') fn.timeout = fn.key === 'cleanup-job' ? 900 : 30;
      },
    });
    const warnings = result.warnings.filter((d) => d.text.includes('504'));
    expect(warnings).toEqual([{
      level: 'warning',
      text: 'HealthController (blog-dev-health-controller) may run 30 s, but API Gateway answers its routes (GET /health) with 504 after 29 s',
      hint: expect.stringContaining('job'),
    }]);
  });
});

describe('IAM statements naming template resources', () => {
  const statement = (Resource: unknown): IamStatement => ({ Action: 'lambda:InvokeFunction', Resource: Resource as IamStatement['Resource'] });

  it('accept pseudo parameters, imports, ARNs and resources of the templates', () => {
    const iam = [
      statement('arn:aws:s3:::uploads/*'),
      statement({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::uploads-${AWS::AccountId}-${AWS::Region}/*' }),
      statement({ 'Fn::ImportValue': 'shared-table-arn' }),
      statement({ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'ArtifactsBucket' }, '/*']] }),
      statement({ 'Fn::Sub': ['arn:aws:s3:::${Name}/*', { Name: 'x' }] }),
    ];
    const result = generate({ controllers: { posts: { iam: [...iam, statement({ 'Fn::GetAtt': ['CleanupJobFunction', 'Arn'] })] } } });
    assertAllValid(result);
  });

  it('a resource of another nested stack is passed in, and the templates stay valid', () => {
    const result = generate({ controllers: { posts: { iam: [statement({ 'Fn::GetAtt': ['CleanupJobFunction', 'Arn'] }), statement({ 'Fn::Sub': '${ArtifactsBucket.Arn}/*' })] } } }, { split: 'always' });
    assertAllValid(result);
    const role = allResources(result).get('PostsControllerRole')!;
    expect(role.template).not.toBe('root');
    expect(JSON.stringify(role.resource)).toContain('CleanupJobFunctionArn');
  });

  it('reject a logical id no template contains, naming the config path and a near id', () => {
    const errors = errorsOf(() => generate({ controllers: { posts: { iam: [statement('arn:aws:s3:::ok'), statement(['arn:aws:s3:::a', { 'Fn::GetAtt': ['CleanupJobFuntion', 'Arn'] }])] } } }));
    expect(errors).toEqual([{
      text: 'controllers.posts.iam[1].Resource[1]: names CleanupJobFuntion, which is not a resource of the generated templates (CloudFormation would fail with "Unresolved resource dependencies") (PostsController)',
      hint: expect.stringMatching(/^did you mean CleanupJobFunction\? write an ARN string, .*Fn::ImportValue.*AWS::Partition/),
    }]);
  });

  it('reject a logical id no template contains in a nested app too (assembling it failed with a plain Error)', () => {
    const errors = errorsOf(() => generate({ controllers: { posts: { iam: [statement({ 'Fn::GetAtt': ['PostsTable', 'Arn'] })] } } }, { split: 'always' }));
    expect(errors.map((d) => d.text)).toEqual([expect.stringMatching(/^controllers\.posts\.iam\[0\]\.Resource: names PostsTable, which is not a resource/)]);
  });

  it('reject an app-wide statement once, and names in Fn::Sub and Ref', () => {
    const errors = errorsOf(() => generate({ iam: [statement({ 'Fn::Sub': 'arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}' }), statement({ Ref: 'AWS::NoValue' })] }));
    expect(errors.map((d) => d.text.split(':')[0])).toEqual(['iam[0].Resource', 'iam[1].Resource']);
    expect(errors[0]!.text).toContain('names Table, which is not a resource');
    expect(errors[1]!.text).toContain('AWS::NoValue is not a pseudo parameter');
  });

  it("reject a reference to the function's own function: a circular dependency", () => {
    const errors = errorsOf(() => generate({ controllers: { posts: { iam: [statement({ 'Fn::GetAtt': ['PostsControllerFunction', 'Arn'] })] } } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.text).toMatch(/^controllers\.posts\.iam\[0\]\.Resource: names PostsControllerFunction, which needs this function's role PostsControllerRole first/);
    expect(errors[0]!.hint).toContain("'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:blog-dev-posts-controller'");
  });

  it('reject references that make nested stacks need each other', () => {
    const user: Partial<UserConfig> = {
      controllers: {
        posts: { iam: [statement({ 'Fn::GetAtt': ['HealthControllerFunction', 'Arn'] })] },
        health: { iam: [statement({ 'Fn::GetAtt': ['PostsControllerLogGroup', 'Arn'] })] },
      },
    };
    // In one template the resources themselves form no circle.
    expect(() => generate(user)).not.toThrow();
    const errors = errorsOf(() => generate(user, { split: 'always' }));
    expect(errors.map((d) => d.text.split(':')[0]).sort()).toEqual(['controllers.health.iam[0].Resource', 'controllers.posts.iam[0].Resource']);
    expect(errors[0]!.text).toContain('(through its nested stack)');
  });
});

describe('action settings one function cannot honour', () => {
  const user: Partial<UserConfig> = {
    controllers: { posts: { env: { FROM_POSTS: '1' }, actions: { create: { env: { ONLY_CREATE: '1' }, description: 'creates', timeout: 20 } } } },
  };
  const notUsed = (result: GeneratedTemplates) => result.warnings.filter((d) => d.text.includes('is not used')).map((d) => d.text.split(' is not used')[0]);

  it("warns that an action's env and description apply only in the action layout", () => {
    const config = makeConfig(user);
    expect(notUsed(generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'controller') }))).toEqual(['controllers.posts.actions.create.env', 'controllers.posts.actions.create.description']);
    expect(notUsed(generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'action') }))).toEqual([]);
  });

  it('names a namespaced controller as the config writes it', () => {
    const config = makeConfig({ controllers: { 'admin/stats': { actions: { index: { env: { ONLY_INDEX: '1' } } } } } });
    const [warning] = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'controller') }).warnings.filter((d) => d.text.includes('is not used'));
    expect(warning?.text).toMatch(/^controllers\["admin\/stats"\]\.actions\.index\.env is not used/);
    expect(warning?.hint).toContain('controllers["admin/stats"]');
  });

  it("warns in the single layout about controllers' env too", () => {
    const config = makeConfig(user);
    const warnings = notUsed(generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, 'single') }));
    expect(warnings.sort()).toEqual(['controllers.posts.actions.create.description', 'controllers.posts.actions.create.env', 'controllers.posts.env']);
  });
});
