// `generate scaffold` declares its table in sls-ts.config.ts and links it to the controller;
// `destroy scaffold` takes both out again. Configs of other shapes than the one `new` writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { destroy, generate } from '../../../src/generators/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { messages, newApp, slsError, snapshot } from './support.js';

const CONFIG = 'sls-ts.config.ts';

async function appWithConfig(config: string): Promise<string> {
  const root = await newApp();
  writeFileSync(join(root, CONFIG), config);
  return root;
}

const read = (root: string) => readFileSync(join(root, CONFIG), 'utf8');

describe('scaffold config edits', () => {
  it('adds to existing resources and controller settings, and destroy gives the file back as it was', async () => {
    const config = [
      "import { bucket, defineConfig } from 'sls-ts/config';",
      '',
      'export default defineConfig({',
      "  name: 'blog',",
      '  resources: {',
      '    uploads: bucket(), // user files',
      '  },',
      '  controllers: {',
      '    posts: { memory: 1024 },',
      "    home: { link: ['uploads'] }",
      '  },',
      '});',
      '',
    ].join('\n');
    const root = await appWithConfig(config);
    const before = snapshot(root);

    await generate('scaffold', 'posts', { root, args: ['title'] });
    expect(read(root)).toBe([
      "import { bucket, defineConfig, table } from 'sls-ts/config';",
      '',
      'export default defineConfig({',
      "  name: 'blog',",
      '  resources: {',
      '    uploads: bucket(), // user files',
      "    posts: table({ key: 'id' }),",
      '  },',
      '  controllers: {',
      "    posts: { memory: 1024, link: ['posts'] },",
      "    home: { link: ['uploads'] }",
      '  },',
      '});',
      '',
    ].join('\n'));
    const { config: resolved } = await loadConfig({ root, stage: 'dev' });
    expect(resolved.resources.map((resource) => [resource.name, resource.kind])).toEqual([['uploads', 'bucket'], ['posts', 'table']]);
    expect(resolved.controllers.posts?.link).toEqual(['posts']);

    await destroy('scaffold', 'posts', { root });
    expect(snapshot(root)).toEqual(before);
  });

  it('names a multi-word resource in camelCase and quotes the controller key', async () => {
    const root = await newApp();
    const before = snapshot(root);
    await generate('scaffold', 'blog_posts', { root, args: ['title'] });
    expect(read(root)).toContain("  resources: {\n    blogPosts: table({ key: 'id' }),\n  },\n  controllers: {\n    'blog-posts': { link: ['blogPosts'] },\n  },\n");
    expect(readFileSync(join(root, 'app/models/blog-post-store.ts'), 'utf8')).toContain('resources.blogPosts.name');
    const { config } = await loadConfig({ root, stage: 'dev' });
    expect(config.controllers['blog-posts']?.link).toEqual(['blogPosts']);

    await destroy('scaffold', 'blog_posts', { root });
    expect(snapshot(root)).toEqual({ ...before, 'app/models/record-not-found.ts': expect.any(String) });
  });

  it('adds the table to a link list the controller already has, and destroy keeps the rest', async () => {
    const root = await appWithConfig([
      'import { bucket, defineConfig } from "sls-ts/config"',
      '',
      'export default defineConfig({',
      '  name: "blog",',
      '  resources: { uploads: bucket() },',
      '  controllers: { posts: { link: ["uploads"] } },',
      '})',
      '',
    ].join('\n'));
    await generate('scaffold', 'posts', { root, args: ['title'] });
    expect(read(root)).toContain('import { bucket, defineConfig, table } from "sls-ts/config"');
    expect(read(root)).toContain('  resources: { uploads: bucket(), posts: table({ key: "id" }) },\n  controllers: { posts: { link: ["uploads", "posts"] } },\n');

    await destroy('scaffold', 'posts', { root });
    expect(read(root)).toContain('import { bucket, defineConfig } from "sls-ts/config"');
    expect(read(root)).toContain('  resources: { uploads: bucket() },\n  controllers: { posts: { link: ["uploads"] } },\n');
  });

  it('skips a table and link that are already there', async () => {
    const root = await newApp();
    await generate('scaffold', 'posts', { root, args: ['title'] });
    const changes = await generate('scaffold', 'posts', { root, args: ['title'] });
    expect(changes).toContainEqual({ path: CONFIG, action: 'skip', note: 'table and link already there' });
  });

  it('refuses a config it cannot read with confidence, naming the file and writing nothing', async () => {
    const root = await appWithConfig("import { defineConfig } from 'sls-ts/config';\nimport base from './base';\n\nexport default defineConfig(base);\n");
    const before = snapshot(root);
    const error = await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }));
    expect(messages(error)).toBe(`cannot find where to add resources.posts in ${CONFIG} — it needs \`export default defineConfig({ … })\` with object literals for resources and controllers: fix the file, or make the change yourself`);
    expect(snapshot(root)).toEqual(before);

    writeFileSync(join(root, CONFIG), "import { defineConfig } from 'sls-ts/config';\nimport { shared } from './shared';\n\nexport default defineConfig({\n  name: 'blog',\n  resources: shared,\n});\n");
    expect((await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }))).message).toBe(`cannot find where to add resources.posts in ${CONFIG}`);
  });

  it('refuses a resource of that name that is not a table', async () => {
    const root = await appWithConfig("import { bucket, defineConfig } from 'sls-ts/config';\n\nexport default defineConfig({\n  name: 'blog',\n  resources: {\n    posts: bucket(),\n  },\n});\n");
    const before = snapshot(root);
    const error = await slsError(() => generate('scaffold', 'posts', { root, args: ['title'] }));
    expect(messages(error)).toBe(`resources.posts in ${CONFIG} is already declared, and not as a table — rename that resource, or choose another scaffold name`);
    expect(snapshot(root)).toEqual(before);
  });

  it('destroy leaves a resource of that name that is not a table, and the table import while another table uses it', async () => {
    const config = [
      "import { bucket, defineConfig, table } from 'sls-ts/config';",
      '',
      'export default defineConfig({',
      "  name: 'blog',",
      '  resources: {',
      "    posts: table({ key: 'id' }),",
      "    comments: table({ key: 'id' }),",
      '    uploads: bucket(),',
      '  },',
      '});',
      '',
    ].join('\n');
    const root = await appWithConfig(config);
    await generate('scaffold', 'comments', { root, args: ['body:text'] });
    await destroy('scaffold', 'comments', { root });
    expect(read(root)).toBe(config.replace("    comments: table({ key: 'id' }),\n", ''));
  });
});
