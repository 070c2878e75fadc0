import { describe, expect, it } from 'vitest';
import { checkAppName, planGenerator, type GeneratorInput, type GeneratorKind } from '../../../src/generators/index.js';
import { messages, slsError } from './support.js';

const plan = (kind: GeneratorKind, name: string, input: GeneratorInput = {}) => planGenerator(kind, name, input, 'generate');
const failure = async (kind: GeneratorKind, name: string, input: GeneratorInput = {}) => messages(await slsError(() => plan(kind, name, input)));

describe('app names (sls-ts new)', () => {
  it.each([
    ['Blog', 'name can no longer contain capital letters'],
    ['my blog', 'name can only contain URL-friendly characters'],
    ['_blog', 'name cannot start with an underscore'],
    ['.blog', 'name cannot start with a period'],
    ['', 'name length must be greater than zero'],
    ['node_modules', 'node_modules is not a valid package name'],
    ['http', 'http is a core module name'],
    ['blog!', 'name can no longer contain special characters'],
    ['a'.repeat(215), 'name can no longer contain more than 214 characters'],
  ])('refuses %j, naming the npm rule it breaks', async (name, rule) => {
    const text = messages(await slsError(() => checkAppName(name)));
    expect(text).toContain('is not a valid npm package name');
    expect(text).toContain(rule);
    expect(text).toContain('e.g. my-blog');
  });

  it.each(['123', '2fast', '@9/app'])('refuses %j, which would not start a stack name with a letter, suggesting one that does', async (name) => {
    const text = messages(await slsError(() => checkAppName(name)));
    expect(text).toContain(`${JSON.stringify(name)} cannot name an sls-ts app: the name prefixes CloudFormation stack names, which must start with a letter`);
    expect(text).toMatch(/e\.g\. app-[a-z0-9-]+$/);
  });

  it('derives the folder and the config name (stack-safe) from the package name, saying why it differs', () => {
    expect(checkAppName('blog')).toEqual({ name: 'blog', appName: 'blog', folder: 'blog' });
    expect(checkAppName('@acme/my.shop_v2')).toEqual({
      name: '@acme/my.shop_v2', appName: 'acme-my-shop-v2', folder: 'my.shop_v2',
      derivedBecause: 'the scope is kept so that apps of different scopes get different stacks; stack and function names allow only a-z, 0-9 and -',
    });
    expect(checkAppName(`a${'-b'.repeat(30)}`)).toMatchObject({ appName: expect.stringMatching(/^a(-b){19}$/) as unknown, derivedBecause: 'it is cut to 40 characters' });
  });

  it('gives apps of different scopes different config names', () => {
    expect(checkAppName('@a/app').appName).not.toBe(checkAppName('@b/app').appName);
  });
});

describe('identifiers (every generator)', () => {
  it.each<[GeneratorKind, string, string]>([
    ['controller', 'bad name', 'controller name'],
    ['controller', '9lives', 'controller name'],
    ['scaffold', 'posts!', 'resource name'],
    ['job', 'clean.up', 'job name'],
    ['function', 'hello world', 'function name'],
  ])('%s %j: lists the rule', async (kind, name, what) => {
    const text = await failure(kind, name, kind === 'scaffold' ? { args: ['title'] } : {});
    expect(text).toContain(`is not a valid ${what}: it must start with a letter, then letters, digits, hyphens or underscores`);
  });

  it('suggests a fixed name', async () => {
    expect(await failure('controller', 'bad name')).toContain('try bad-name');
  });

  it('refuses doubled or trailing separators', async () => {
    expect(await failure('job', 'clean--up')).toContain('hyphens and underscores must separate words');
    expect(await failure('function', 'hello_')).toContain('hyphens and underscores must separate words');
  });

  it('refuses an empty part of a namespaced controller', async () => {
    expect(await failure('controller', 'admin//stats')).toContain('the controller name is empty');
  });
});

describe('controllers', () => {
  it('normalises names: kebab files and keys, Pascal classes, camel actions', () => {
    const controller = plan('controller', 'Admin/BlogPosts', { args: ['index', 'purge_all'] });
    expect(controller.data).toMatchObject({ controller: 'admin/blog-posts', name: 'blog-posts', namespace: 'admin/', toControllers: '../', toRoot: '../../' });
    expect(controller.routes).toEqual(["get('/admin/blog-posts', 'admin/blog-posts#index')", "get('/admin/blog-posts/purge-all', 'admin/blog-posts#purgeAll')"]);
    expect(plan('controller', 'PagesController').data).toMatchObject({ controller: 'pages', actions: [{ method: 'index', path: '/pages' }] });
  });

  it('refuses ApplicationController', async () => {
    expect(await failure('controller', 'Application')).toContain('ApplicationController already exists');
  });

  it.each(['json', 'params', 'request', 'constructor', 'toString', 'set_header'])('refuses the action %j that would shadow Controller', async (action) => {
    expect(await failure('controller', 'pages', { args: [action] })).toMatch(/cannot be an action name: it would shadow Controller#\w+/);
  });

  it('refuses an action given twice (after normalisation)', async () => {
    expect(await failure('controller', 'pages', { args: ['about_us', 'aboutUs'] })).toContain('action "aboutUs" is given twice');
  });

  it('refuses an invalid action name', async () => {
    expect(await failure('controller', 'pages', { args: ['about us'] })).toContain('is not a valid action name');
  });
});

describe('scaffolds', () => {
  it('normalises a resource to plural and singular forms', () => {
    for (const name of ['blog_post', 'BlogPosts', 'blog-posts']) {
      expect(plan('scaffold', name, { args: ['title'] }).data).toMatchObject({ plural: 'blog-posts', singular: 'blog-post' });
    }
    expect(plan('scaffold', 'people', { args: ['name'] }).data).toMatchObject({ plural: 'people', singular: 'person' });
    expect(plan('scaffold', 'posts', { args: ['title'] }).routes).toEqual(["resources('posts')"]);
  });

  it('parses fields: camelCase names, string by default', () => {
    const data = plan('scaffold', 'posts', { args: ['title', 'published_at:date', 'views:number'] }).data as { fields: Array<{ name: string; type: string }> };
    expect(data.fields.map(({ name, type }) => [name, type])).toEqual([['title', 'string'], ['publishedAt', 'date'], ['views', 'number']]);
  });

  it('needs at least one field', async () => {
    expect(await failure('scaffold', 'posts')).toContain('a scaffold needs at least one field');
  });

  it('refuses an unknown field type, listing the types and the likely one', async () => {
    const text = await failure('scaffold', 'posts', { args: ['title:strng'] });
    expect(text).toContain('field "title" has an unknown type "strng"');
    expect(text).toContain('did you mean string?');
    expect(text).toContain('types: string, text, number, boolean, date');
    expect(await failure('scaffold', 'posts', { args: ['title:varchar'] })).not.toContain('did you mean');
  });

  it('refuses a malformed field', async () => {
    expect(await failure('scaffold', 'posts', { args: ['title:string:unique'] })).toContain('"title:string:unique" is not a field: write name:type');
  });

  it('refuses an invalid field name', async () => {
    expect(await failure('scaffold', 'posts', { args: ['1st:string'] })).toContain('is not a valid field name');
  });

  it.each(['id', 'created_at', 'updatedAt'])('refuses the field %j every record has', async (field) => {
    expect(await failure('scaffold', 'posts', { args: [field] })).toContain('every record has id, createdAt, updatedAt already');
  });

  it('refuses a field given twice', async () => {
    expect(await failure('scaffold', 'posts', { args: ['title', 'title:text'] })).toContain('field "title" is given twice');
  });

  it('refuses a name whose singular and plural are the same', async () => {
    expect(await failure('scaffold', 'news', { args: ['title'] })).toContain('has the same singular and plural form');
  });

  it('refuses a name that would shadow a Controller member or a generated type', async () => {
    expect(await failure('scaffold', 'requests', { args: ['title'] })).toContain('would shadow Controller#request');
    expect(await failure('scaffold', 'http_errors', { args: ['title'] })).toContain('would shadow HttpError');
  });
});

describe('jobs', () => {
  it('strips a Job suffix and defaults to rate(1 day)', () => {
    expect(plan('job', 'CleanupJob').data).toEqual({ name: 'cleanup', schedule: { kind: 'rate', expression: '1 day' } });
    expect(plan('job', 'nightly_report', { rate: 'rate(5 minutes)' }).data).toEqual({ name: 'nightly-report', schedule: { kind: 'rate', expression: '5 minutes' } });
    expect(plan('job', 'noon', { cron: '0 12 * * ? *' }).data).toMatchObject({ schedule: { kind: 'cron', expression: '0 12 * * ? *' } });
  });

  it.each(['2 day', '1 days', '0 minutes', 'every hour', '5 seconds'])('refuses --rate %j', async (rate) => {
    expect(await failure('job', 'cleanup', { rate })).toContain('is not a rate');
  });

  it.each(['0 12 * * ?', '* * * * * * *', "0 12 * * ? '*'"])('refuses --cron %j', async (cron) => {
    expect(await failure('job', 'cleanup', { cron })).toContain('is not an EventBridge cron expression');
  });

  it('refuses --rate with --cron', async () => {
    expect(await failure('job', 'cleanup', { rate: '1 day', cron: '0 12 * * ? *' })).toContain('a job takes --rate or --cron, not both');
  });
});

describe('functions', () => {
  it('routes GET /<name> with --route, or the given path', () => {
    expect(plan('function', 'Webhook', { route: true }).routes).toEqual(["get('/webhook', { function: 'webhook' })"]);
    expect(plan('function', 'hello', { route: '/hello/:name' }).data).toMatchObject({ testPath: '/hello/example' });
    expect(plan('function', 'hello').routes).toEqual([]);
  });

  it.each(['hello', '/hello world', "/it's", '/a/:1x', '/a//b'])('refuses the route path %j', async (route) => {
    expect(await failure('function', 'hello', { route })).toContain('is not a route path');
  });
});

describe('authorizers', () => {
  it('strips an Authorizer suffix; the token comes from <NAME>_TOKEN', () => {
    expect(plan('authorizer', 'AdminAuthorizer').data).toEqual({ name: 'admin', envName: 'ADMIN_TOKEN' });
    expect(plan('authorizer', 'partner_api').data).toEqual({ name: 'partner-api', envName: 'PARTNER_API_TOKEN' });
  });

  it('refuses "iam", the name routes use for AWS_IAM', async () => {
    expect(await failure('authorizer', 'iam')).toContain('an authorizer cannot be named "iam"');
  });
});

describe('channels', () => {
  it('strips a Channel suffix: the name is the channel\'s path', () => {
    expect(plan('channel', 'ChatChannel').data).toEqual({ name: 'chat' });
    expect(plan('channel', 'live_scores').data).toEqual({ name: 'live-scores' });
  });
});
