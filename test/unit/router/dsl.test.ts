import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it, expect } from 'vitest';
import { compileRoutes, defineRoutes, validateRoutes, RouteError, type RouteBuilder, type RouteSet, type RouteTarget } from '../../../src/router/index.js';

const thisFile = fileURLToPath(import.meta.url);

/** The file and line of whoever calls `here()`, read from the V8 stack the same way a reader of errors would. */
function here(): { file: string; line: number } {
  const frame = new Error().stack?.split('\n')[2]?.trim() ?? '';
  const match = /\(?(?:file:\/\/)?([^\s()]+?):(\d+):\d+\)?$/.exec(frame);
  if (!match?.[1]) throw new Error(`cannot read a stack frame from "${frame}"`);
  return { file: match[1], line: Number(match[2]) };
}

/** The 1-based line of this file ending with `marker`, read from the source text (independent of stacks). */
function lineOf(marker: string): number {
  const lines = readFileSync(thisFile, 'utf8').split('\n');
  const found = lines.filter((line) => line.trimEnd().endsWith(marker));
  if (found.length !== 1) throw new Error(`marker ${marker} found ${found.length} times`);
  return lines.findIndex((line) => line.trimEnd().endsWith(marker)) + 1;
}

function name(target: RouteTarget): string {
  return 'function' in target ? `function:${target.function}` : `${target.controller}#${target.action}`;
}

/** `GET /posts/:id → posts#show` for each recorded route, in order. */
function table(set: RouteSet): string[] {
  return set.definitions.map((d) => `${d.method} ${d.path} → ${name(d.target)}`);
}

describe('verbs', () => {
  it('records every verb helper with its method, path and target', () => {
    const set = defineRoutes((r) => {
      r.get('/a', 'things#a');
      r.post('/b', 'things#b');
      r.put('/c', 'things#c');
      r.patch('/d', 'things#d');
      r.delete('/e', 'things#e');
      r.head('/f', 'things#f');
      r.options('/g', 'things#g');
      r.any('/h', 'things#h');
    });
    expect(table(set)).toEqual([
      'GET /a → things#a',
      'POST /b → things#b',
      'PUT /c → things#c',
      'PATCH /d → things#d',
      'DELETE /e → things#e',
      'HEAD /f → things#f',
      'OPTIONS /g → things#g',
      'ANY /h → things#h',
    ]);
    expect(set.problems).toEqual([]);
    expect(set.kind).toBe('sls-ts.routes');
  });

  it('chains: every helper returns the builder', () => {
    const set = defineRoutes((r) => {
      r.get('/x', 'x#show').post('/x', 'x#create').root('home#index');
    });
    expect(table(set)).toEqual(['GET /x → x#show', 'POST /x → x#create', 'GET / → home#index']);
  });

  it('root is GET /', () => {
    const set = defineRoutes((r) => {
      r.root('home#index');
    });
    expect(set.definitions).toHaveLength(1);
    expect(set.definitions[0]).toMatchObject({ method: 'GET', path: '/', target: { controller: 'home', action: 'index' } });
  });

  it('normalises paths: a missing leading slash is added, a trailing slash and doubled slashes are dropped', () => {
    const set = defineRoutes((r) => {
      r.get('posts', 'posts#index');
      r.get('/drafts/', 'drafts#index');
      r.get('//a//b', 'a#b');
    });
    expect(set.definitions.map((d) => d.path)).toEqual(['/posts', '/drafts', '/a/b']);
  });

  it('keeps :param and *greedy segments as written and compiles them to API Gateway templates', () => {
    const set = defineRoutes((r) => {
      r.get('/posts/:id', 'posts#show');
      r.get('/files/*path', 'files#show');
    });
    expect(set.definitions.map((d) => d.path)).toEqual(['/posts/:id', '/files/*path']);
    expect(compileRoutes(set).routes.map((route) => route.resource)).toEqual(['/posts/{id}', '/files/{path+}']);
  });
});

describe('resources', () => {
  it('declares the six REST routes in order, update as both PATCH and PUT', () => {
    const set = defineRoutes((r) => {
      r.resources('posts');
    });
    expect(table(set)).toEqual([
      'GET /posts → posts#index',
      'POST /posts → posts#create',
      'GET /posts/:id → posts#show',
      'PATCH /posts/:id → posts#update',
      'PUT /posts/:id → posts#update',
      'DELETE /posts/:id → posts#destroy',
    ]);
    expect(set.definitions.every((d) => d.paramAliases === undefined)).toBe(true);
  });

  it('only keeps the listed actions (update keeps both verbs)', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { only: ['index', 'show'] });
      r.resources('photos', { only: ['update'] });
    });
    expect(table(set)).toEqual([
      'GET /posts → posts#index',
      'GET /posts/:id → posts#show',
      'PATCH /photos/:id → photos#update',
      'PUT /photos/:id → photos#update',
    ]);
  });

  it('except drops the listed actions', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { except: ['update', 'destroy'] });
    });
    expect(table(set)).toEqual(['GET /posts → posts#index', 'POST /posts → posts#create', 'GET /posts/:id → posts#show']);
  });

  it('controller routes to another controller, kebab-cased, without changing the path', () => {
    const set = defineRoutes((r) => {
      r.resources('photos', { controller: 'images', only: ['index', 'show'] });
      r.resources('articles', { controller: 'blogPosts', only: ['index'] });
    });
    expect(table(set)).toEqual(['GET /photos → images#index', 'GET /photos/:id → images#show', 'GET /articles → blog-posts#index']);
  });

  it('param renames the member parameter without an id alias (the action reads params.slug)', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { param: 'slug', only: ['index', 'show', 'destroy'] });
    });
    expect(table(set)).toEqual(['GET /posts → posts#index', 'GET /posts/:slug → posts#show', 'DELETE /posts/:slug → posts#destroy']);
    expect(set.definitions.map((d) => d.paramAliases)).toEqual([undefined, undefined, undefined]);
  });

  it('nests children under /<parent>/:<singular>_id and gives the parent member routes the same name, aliased to id', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', (r) => {
        r.resources('comments');
      });
    });
    expect(table(set)).toEqual([
      'GET /posts → posts#index',
      'POST /posts → posts#create',
      'GET /posts/:post_id → posts#show',
      'PATCH /posts/:post_id → posts#update',
      'PUT /posts/:post_id → posts#update',
      'DELETE /posts/:post_id → posts#destroy',
      'GET /posts/:post_id/comments → comments#index',
      'POST /posts/:post_id/comments → comments#create',
      'GET /posts/:post_id/comments/:id → comments#show',
      'PATCH /posts/:post_id/comments/:id → comments#update',
      'PUT /posts/:post_id/comments/:id → comments#update',
      'DELETE /posts/:post_id/comments/:id → comments#destroy',
    ]);
    const aliases = set.definitions.map((d) => d.paramAliases);
    expect(aliases.slice(0, 2)).toEqual([undefined, undefined]);
    expect(aliases.slice(2, 6)).toEqual(Array(4).fill({ id: 'post_id' }));
    expect(aliases.slice(6)).toEqual(Array(6).fill(undefined));
    // The point of the alias: the whole set satisfies API Gateway's one-name-per-level rule.
    expect(validateRoutes(set)).toEqual([]);
  });

  it('accepts options and a nest callback together, and singularises the parent name for the parameter', () => {
    const set = defineRoutes((r) => {
      r.resources('categories', { only: ['show'] }, (r) => {
        r.resources('boxes', { only: ['index'] });
      });
    });
    expect(table(set)).toEqual(['GET /categories/:category_id → categories#show', 'GET /categories/:category_id/boxes → boxes#index']);
    expect(set.definitions[0]?.paramAliases).toEqual({ id: 'category_id' });
  });

  it('uses param for both the member routes and the nested prefix', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { param: 'slug', only: ['show'] }, (r) => {
        r.get('/stats', 'stats#show');
      });
    });
    expect(table(set)).toEqual(['GET /posts/:slug → posts#show', 'GET /posts/:slug/stats → stats#show']);
    expect(validateRoutes(set)).toEqual([]);
  });

  it('nests two levels deep', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { only: ['show'] }, (r) => {
        r.resources('comments', { only: ['index', 'show'] }, (r) => {
          r.resources('likes', { only: ['index', 'destroy'] });
        });
      });
    });
    expect(table(set)).toEqual([
      'GET /posts/:post_id → posts#show',
      'GET /posts/:post_id/comments → comments#index',
      'GET /posts/:post_id/comments/:comment_id → comments#show',
      'GET /posts/:post_id/comments/:comment_id/likes → likes#index',
      'DELETE /posts/:post_id/comments/:comment_id/likes/:id → likes#destroy',
    ]);
    expect(set.definitions.map((d) => d.paramAliases)).toEqual([{ id: 'post_id' }, undefined, { id: 'comment_id' }, undefined, undefined]);
    expect(validateRoutes(set)).toEqual([]);
  });
});

describe('namespace', () => {
  it('prefixes the path and the controller', () => {
    const set = defineRoutes((r) => {
      r.namespace('admin', (r) => {
        r.get('/stats', 'stats#show');
        r.root('dashboard#index');
      });
      r.get('/stats', 'stats#show');
    });
    expect(table(set)).toEqual(['GET /admin/stats → admin/stats#show', 'GET /admin → admin/dashboard#index', 'GET /stats → stats#show']);
  });

  it('nests namespaces', () => {
    const set = defineRoutes((r) => {
      r.namespace('api', (r) => {
        r.namespace('v1', (r) => {
          r.get('/ping', 'health#ping');
        });
      });
    });
    expect(table(set)).toEqual(['GET /api/v1/ping → api/v1/health#ping']);
  });

  it('applies to resources inside it, including nested ones', () => {
    const set = defineRoutes((r) => {
      r.namespace('admin', (r) => {
        r.resources('users', { only: ['index', 'show'] });
        r.resources('posts', { only: [] }, (r) => {
          r.resources('comments', { only: ['index'] });
        });
      });
    });
    expect(table(set)).toEqual([
      'GET /admin/users → admin/users#index',
      'GET /admin/users/:id → admin/users#show',
      'GET /admin/posts/:post_id/comments → admin/comments#index',
    ]);
  });

  it('prefixes object targets but not function targets', () => {
    const set = defineRoutes((r) => {
      r.namespace('admin', (r) => {
        r.get('/a', { controller: 'reports', action: 'daily' });
        r.get('/b', { function: 'cleanup' });
      });
    });
    expect(table(set)).toEqual(['GET /admin/a → admin/reports#daily', 'GET /admin/b → function:cleanup']);
  });
});

describe('targets', () => {
  it('accepts { function } targets, including folder names', () => {
    const set = defineRoutes((r) => {
      r.get('/hello', { function: 'hello' });
      r.post('/reports', { function: 'reports/daily_report-v2' });
    });
    expect(set.definitions.map((d) => d.target)).toEqual([{ function: 'hello' }, { function: 'reports/daily_report-v2' }]);
    expect(set.problems).toEqual([]);
  });

  it('accepts { controller, action } targets and normalises the controller', () => {
    const set = defineRoutes((r) => {
      r.get('/a', { controller: 'posts', action: 'show' });
      r.get('/b', { controller: 'BlogPosts', action: 'index' });
    });
    expect(set.definitions.map((d) => d.target)).toEqual([
      { controller: 'posts', action: 'show' },
      { controller: 'blog-posts', action: 'index' },
    ]);
  });

  it('normalises controller keys to kebab-case and keeps the action as written', () => {
    const set = defineRoutes((r) => {
      r.get('/a', 'blogPosts#index');
      r.get('/b', 'BlogPosts#index');
      r.get('/c', 'blog_posts#index');
      r.get('/d', 'admin/blogPosts#showAll');
    });
    expect(set.definitions.map((d) => d.target)).toEqual([
      { controller: 'blog-posts', action: 'index' },
      { controller: 'blog-posts', action: 'index' },
      { controller: 'blog-posts', action: 'index' },
      { controller: 'admin/blog-posts', action: 'showAll' },
    ]);
  });

  it.each([
    ['a string without #', 'posts', 'invalid target "posts"'],
    ['an empty action', 'posts#', 'invalid target "posts#"'],
    ['an empty controller', '#index', 'invalid target "#index"'],
    ['an action that is not an identifier', 'posts#1st', 'invalid target "posts#1st"'],
    ['two #', 'posts#show#x', 'invalid target "posts#show#x"'],
    ['a function name with a space', { function: 'bad name' }, 'invalid function name "bad name"'],
    ['a function name climbing out of app/functions', { function: '../secrets' }, 'invalid function name "../secrets"'],
    ['an empty function name', { function: '' }, 'invalid function name ""'],
  ] as const)('reports %s as a problem with a hint, and records no route', (_label, target, message) => {
    let at = { file: '', line: 0 };
    const set = defineRoutes((r) => {
      r.get('/ok', 'ok#index');
      r.get('/x', target); at = here();
    });
    expect(table(set)).toEqual(['GET /ok → ok#index']);
    expect(set.problems).toEqual([
      {
        text: `GET /x: ${message}`,
        route: 'GET /x',
        file: thisFile,
        line: at.line,
        hint: "write the target as 'controller#action' (e.g. 'posts#show') or { function: 'name' }",
      },
    ]);
  });

  it('rejects an object target without an action instead of routing to "undefined"', () => {
    const set = defineRoutes((r) => {
      r.get('/x', { controller: 'posts' } as unknown as RouteTarget);
    });
    expect(set.definitions).toEqual([]);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]?.text).toBe('GET /x: invalid target {"controller":"posts"}');
    expect(set.problems[0]?.hint).toContain("'controller#action'");
  });

  it('carries target problems into validateRoutes and compileRoutes, with the path as scoped', () => {
    const set = defineRoutes((r) => {
      r.namespace('admin', (r) => {
        r.get('/x', 'nohash');
      });
    });
    expect(validateRoutes(set)).toEqual(set.problems);
    expect(set.problems[0]?.route).toBe('GET /admin/x');
    expect(() => compileRoutes(set)).toThrow(RouteError);
  });

  it('reports invalid targets inside resources once per generated route', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { controller: 'bad controller', only: ['index', 'show'] });
    });
    expect(set.definitions).toEqual([]);
    expect(set.problems.map((p) => p.text)).toEqual([
      'GET /posts: invalid target "bad controller#index"',
      'GET /posts/:id: invalid target "bad controller#show"',
    ]);
  });
});

describe('source locations', () => {
  it('records this file and the line of each verb call', () => {
    const lines: number[] = [];
    const set = defineRoutes((r) => {
      r.get('/a', 'a#a'); lines.push(here().line);
      r.post('/b', 'b#b'); lines.push(here().line);
      r.any('/c', { function: 'c' }); lines.push(here().line);
      r.root('home#index'); lines.push(here().line);
    });
    expect(set.definitions.map((d) => d.source?.file)).toEqual(Array(4).fill(thisFile));
    expect(set.definitions.map((d) => d.source?.line)).toEqual(lines);
    expect(new Set(lines).size).toBe(4);
  });

  it('matches the line in the source text, not only the stack', () => {
    const set = defineRoutes((r) => {
      r.get('/marked', 'marked#index'); // source-marker-get
    });
    expect(set.definitions[0]?.source).toMatchObject({ file: thisFile, line: lineOf('// source-marker-get') });
    expect(set.definitions[0]?.source?.column).toBeGreaterThan(0);
  });

  it('gives every route of a resources call the line of that call, and nested routes their own line', () => {
    let outer = 0;
    let inner = 0;
    let namespaced = 0;
    const set = defineRoutes((r) => {
      const nest = (r: RouteBuilder): void => { r.resources('comments', { only: ['index'] }); inner = here().line; };
      r.resources('posts', { only: ['index', 'show'] }, nest); outer = here().line;
      r.namespace('admin', (r) => {
        r.get('/stats', 'stats#show'); namespaced = here().line;
      });
    });
    expect(set.definitions.map((d) => d.source?.line)).toEqual([outer, outer, inner, namespaced]);
    expect(new Set([outer, inner, namespaced]).size).toBe(3);
    expect(set.definitions.every((d) => d.source?.file === thisFile)).toBe(true);
  });

  it('keeps the whole path when the project directory has spaces in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'my routes '));
    try {
      const file = join(dir, 'routes.ts');
      const router = fileURLToPath(new URL('../../../src/router/index.ts', import.meta.url));
      writeFileSync(file, `import { defineRoutes } from ${JSON.stringify(router)};\nexport default defineRoutes((r) => {\n  r.get('/a', 'a#b');\n});\n`);
      const { default: set } = (await import(file)) as { default: RouteSet };
      expect(set.definitions[0]?.source).toMatchObject({ file, line: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns a file URL frame (plain Node ESM, as the built CLI runs) back into a path', () => {
    // Plain Node prints ESM frames as file:// URLs with %20 for spaces; this runs the built router (test/global-setup.ts builds dist/).
    const dir = mkdtempSync(join(tmpdir(), 'my routes '));
    try {
      const file = join(dir, 'routes.mjs');
      const router = pathToFileURL(fileURLToPath(new URL('../../../dist/router/index.js', import.meta.url))).href;
      writeFileSync(file, `import { defineRoutes } from ${JSON.stringify(router)};\nconst set = defineRoutes((r) => {\n  r.get('/a', 'a#b');\n});\nconsole.log(JSON.stringify(set.definitions[0].source));\n`);
      const source = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })) as unknown;
      expect(source).toMatchObject({ file, line: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
