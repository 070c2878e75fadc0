// generate and destroy as the programmatic API (src/index.ts) offers them: checked against the
// route check on the app as the change would leave it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { destroy, generate } from '../../../src/index.js';
import { copyApp, createScratch, exampleApp } from '../build/support.js';
import { messages, slsError } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const ROUTES = 'config/routes.ts';

describe('the programmatic generate and destroy', () => {
  it('refuse a clashing route, even in a dry run, writing nothing', async () => {
    const root = copyApp(exampleApp, scratch.dir);
    const routes = readFileSync(join(root, ROUTES), 'utf8');
    for (const dryRun of [true, false]) {
      const error = await slsError(() => generate('function', 'hook', { root, route: '/posts/:post_id/x', dryRun }));
      expect(error.diagnostics).toHaveLength(2);
      expect(error.diagnostics[0]).toMatchObject({ file: join(root, ROUTES), line: 17 });
      expect(messages(error)).toContain('path variable "{post_id}" conflicts with "{id}" at the same level in GET /posts/:id');
    }
    expect(readFileSync(join(root, ROUTES), 'utf8')).toBe(routes);
  });

  it('let a change the route check accepts through, and undo it', async () => {
    const root = copyApp(exampleApp, scratch.dir);
    const routes = readFileSync(join(root, ROUTES), 'utf8');
    await generate('function', 'hook', { root, route: '/posts/:id/hook', method: 'post' });
    expect(readFileSync(join(root, ROUTES), 'utf8')).toContain("r.post('/posts/:id/hook', { function: 'hook' });");
    await destroy('function', 'hook', { root });
    expect(readFileSync(join(root, ROUTES), 'utf8')).toBe(routes);
  });
});
