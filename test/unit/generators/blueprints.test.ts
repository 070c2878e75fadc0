import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planGenerator, renderApp, renderBlueprint, type GeneratorInput, type GeneratorKind, type RenderedFile } from '../../../src/generators/index.js';
import { blueprintsDir } from '../../../src/generators/package-info.js';

const appData = {
  name: '@acme/blog', appName: 'blog', template: 'api', slsTsSpec: 'file:/somewhere/sls-ts',
  install: 'npm install', dev: 'npm run dev', test: 'npm test', routes: 'npm run routes', build: 'npm run build', deploy: 'npm run deploy', exec: 'npx',
};

const generators: Array<[GeneratorKind, string, GeneratorInput]> = [
  ['controller', 'Pages', {}],
  ['controller', 'admin/Stats', { args: ['index', 'purge_all'] }],
  ['scaffold', 'blog_posts', { args: ['title', 'body:text', 'views:number', 'published:boolean', 'published_at:date'] }],
  ['scaffold', 'notes', { args: ['body:text'] }],
  ['job', 'Cleanup', {}],
  ['job', 'noon', { cron: '0 12 * * ? *' }],
  ['function', 'quiet', {}],
  ['function', 'hello', { route: '/hello/:name' }],
  ['authorizer', 'AdminAuthorizer', {}],
  ['channel', 'ChatChannel', {}],
];

function allTemplates(dir = blueprintsDir()): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allTemplates(path) : [relative(blueprintsDir(), path).split(sep).join('/')];
  });
}

function expectNoMarkers(files: Iterable<RenderedFile>): void {
  for (const file of files) {
    expect(file.path, file.path).not.toMatch(/\{\{|\}\}/);
    expect(file.contents, file.path).not.toMatch(/\{\{|\}\}|\[object Object\]/);
    expect(file.contents.endsWith('\n'), `${file.path} ends with a newline`).toBe(true);
  }
}

describe('blueprints', () => {
  it('hold only .hbs templates', () => {
    expect(allTemplates().filter((path) => !path.endsWith('.hbs'))).toEqual([]);
  });

  it.each(['app/api', 'app/full', 'controller', 'scaffold', 'job', 'function', 'authorizer', 'channel'])('%s is used', (blueprint) => {
    expect(allTemplates().some((path) => path.startsWith(`${blueprint}/`))).toBe(true);
  });

  it.each(['api', 'full'] as const)('the %s app renders without leftover markers', (template) => {
    const files = renderApp(template, { ...appData, template });
    expectNoMarkers([...files].map(([path, contents]) => ({ path, contents })));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['.gitignore', '.env', '.env.dev', 'package.json', 'tsconfig.json', 'sls-ts.config.ts', 'config/routes.ts', 'app/jobs/heartbeat-job.ts']));
  });

  it.each(generators)('%s %s %j renders without leftover markers', (kind, name, input) => {
    const plan = planGenerator(kind, name, input, 'generate');
    expectNoMarkers(renderBlueprint(plan.blueprint, plan.data));
  });

  it('between them render every template there is', () => {
    const rendered = new Set<string>();
    for (const blueprint of ['app/api', 'app/full']) {
      for (const file of allTemplates().filter((path) => path.startsWith(`${blueprint}/`))) rendered.add(file);
      expect(renderBlueprint(blueprint, appData).length).toBe(allTemplates().filter((path) => path.startsWith(`${blueprint}/`)).length);
    }
    for (const [kind, name, input] of generators) {
      const plan = planGenerator(kind, name, input, 'generate');
      expect(renderBlueprint(plan.blueprint, plan.data).length).toBeGreaterThan(0);
      for (const file of allTemplates().filter((path) => path.startsWith(`${plan.blueprint}/`))) rendered.add(file);
    }
    expect([...rendered].sort()).toEqual(allTemplates().sort());
  });

  it('write package.json as valid JSON with the values escaped', () => {
    const files = renderApp('api', { ...appData, slsTsSpec: 'file:C:\\Users\\"me"\\sls-ts' });
    const pkg = JSON.parse(files.get('package.json')!) as { name: string; dependencies: Record<string, string> };
    expect(pkg.name).toBe('@acme/blog');
    expect(pkg.dependencies['sls-ts']).toBe('file:C:\\Users\\"me"\\sls-ts');
  });

  it('normalise names through the helpers: kebab files, Pascal classes, camel members, plural and singular', () => {
    const plan = planGenerator('scaffold', 'BlogPosts', { args: ['title', 'published_at:date'] }, 'generate');
    const files = Object.fromEntries(renderBlueprint(plan.blueprint, plan.data).map((file) => [file.path, file.contents]));
    expect(Object.keys(files)).toEqual(['app/controllers/blog-posts-controller.ts', 'app/models/blog-post-store.ts', 'test/blog-posts.test.ts']);
    expect(files['app/controllers/blog-posts-controller.ts']).toContain('export default class BlogPostsController extends ApplicationController');
    expect(files['app/controllers/blog-posts-controller.ts']).toContain("this.before('loadBlogPost', { only: ['show', 'update', 'destroy'] });");
    expect(files['app/controllers/blog-posts-controller.ts']).toContain("throw new HttpError(422, 'Invalid blog post'");
    expect(files['app/models/blog-post-store.ts']).toContain('export const blogPosts: BlogPostStore = new DynamoBlogPostStore();');
    expect(files['app/models/blog-post-store.ts']).toContain('return resources.blogPosts.name;');
    expect(plan.config).toEqual({ resource: 'blogPosts', controller: 'blog-posts' });
    expect(files['app/models/blog-post-store.ts']).toContain("export type BlogPostInput = Pick<BlogPost, 'title' | 'publishedAt'>;");
    expect(files['test/blog-posts.test.ts']).toContain(".send('blogPost[title]=Hello&blogPost[publishedAt]=2024-05-01T00%3A00%3A00.000Z')");
  });
});
