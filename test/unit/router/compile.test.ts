import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import {
  compileRoutes,
  defineRoutes,
  validateRoutes,
  RouteError,
  type RouteDefinition,
  type RouteDiagnostic,
  type RouteSet,
} from '../../../src/router/index.js';

const thisFile = fileURLToPath(import.meta.url);

/** The line of whoever calls `here()`. */
function here(): number {
  const frame = new Error().stack?.split('\n')[2]?.trim() ?? '';
  const match = /:(\d+):\d+\)?$/.exec(frame);
  if (!match?.[1]) throw new Error(`cannot read a stack frame from "${frame}"`);
  return Number(match[1]);
}

/** How every message names a route declared in this file. */
function label(method: string, path: string, target: string, line: number): string {
  return `${method} ${path} → ${target} (${thisFile}:${line})`;
}

/** A RouteSet built by hand, for paths the DSL would normalise away. */
function rawSet(...definitions: RouteDefinition[]): RouteSet {
  return { kind: 'sls-ts.routes', definitions, problems: [] };
}

function only(problems: RouteDiagnostic[]): RouteDiagnostic {
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe('resource templates and labels', () => {
  it('turns Rails paths into API Gateway resource templates', () => {
    const table = compileRoutes(defineRoutes((r) => {
      r.root('home#index');
      r.get('/posts', 'posts#index');
      r.get('/posts/:id', 'posts#show');
      r.get('/posts/:id/comments/:comment_id', 'comments#show');
      r.get('/files/*path', 'files#show');
      r.any('/*proxy', { function: 'fallback' });
      r.get('/.well-known/a_b.c-d', 'well_known#show');
    }));
    expect(table.routes.map((route) => route.resource)).toEqual([
      '/',
      '/posts',
      '/posts/{id}',
      '/posts/{id}/comments/{comment_id}',
      '/files/{path+}',
      '/{proxy+}',
      '/.well-known/a_b.c-d',
    ]);
  });

  it('indexes routes by "METHOD resource" and names them with a label carrying file and line', () => {
    let line = 0;
    const table = compileRoutes(defineRoutes((r) => {
      r.get('/posts/:id', 'posts#show'); line = here();
      r.post('/hello', { function: 'hello' });
    }));
    const show = table.byResource.get('GET /posts/{id}');
    expect(show).toBe(table.routes[0]);
    expect(show).toMatchObject({ method: 'GET', path: '/posts/:id', targetName: 'posts#show', label: label('GET', '/posts/:id', 'posts#show', line) });
    expect(table.byResource.get('POST /hello')).toMatchObject({ targetName: 'function:hello', label: label('POST', '/hello', 'function:hello', line + 1) });
    expect(table.byResource.has('GET /posts/:id')).toBe(false);
    expect([...table.byResource.keys()]).toEqual(['GET /posts/{id}', 'POST /hello']);
  });

  it('labels a route without a source location by method, path and target only', () => {
    const table = compileRoutes(rawSet({ method: 'DELETE', path: '/posts/:id', target: { controller: 'posts', action: 'destroy' } }));
    expect(table.routes[0]?.label).toBe('DELETE /posts/:id → posts#destroy');
  });

  it('keeps paramAliases on compiled routes', () => {
    const table = compileRoutes(defineRoutes((r) => {
      r.resources('posts', { only: ['show'] }, (r) => r.resources('comments', { only: ['index'] }));
    }));
    expect(table.byResource.get('GET /posts/{post_id}')?.paramAliases).toEqual({ id: 'post_id' });
    expect(table.byResource.get('GET /posts/{post_id}/comments')?.paramAliases).toBeUndefined();
  });

  it('accepts the same variable name reused at the same level', () => {
    const set = defineRoutes((r) => {
      r.get('/posts/:id', 'posts#show');
      r.get('/posts/:id/comments', 'comments#index');
      r.get('/posts/:id/comments/*rest', 'comments#rest');
    });
    expect(validateRoutes(set)).toEqual([]);
    expect(compileRoutes(set).routes).toHaveLength(3);
  });

  it('allows ANY and GET on the same path', () => {
    const set = defineRoutes((r) => {
      r.any('/things', 'things#any');
      r.get('/things', 'things#index');
    });
    expect(validateRoutes(set)).toEqual([]);
    const table = compileRoutes(set);
    expect(table.byResource.get('ANY /things')?.targetName).toBe('things#any');
    expect(table.byResource.get('GET /things')?.targetName).toBe('things#index');
  });
});

describe('API Gateway path rules', () => {
  it('rejects two variable names at the same level, naming both routes', () => {
    const lines: number[] = [];
    const set = defineRoutes((r) => {
      r.get('/posts/:id', 'posts#show'); lines.push(here());
      r.get('/posts/:post_id/comments', 'comments#index'); lines.push(here());
    });
    const problem = only(validateRoutes(set));
    const mine = label('GET', '/posts/:post_id/comments', 'comments#index', lines[1]!);
    const theirs = label('GET', '/posts/:id', 'posts#show', lines[0]!);
    expect(problem.text).toBe(`${mine}: path variable "{post_id}" conflicts with "{id}" at the same level in ${theirs}`);
    expect(problem.route).toBe(mine);
    expect(problem.hint).toContain('one variable name per path level');
    expect(problem.file).toBe(thisFile);
    expect(problem.line).toBe(lines[1]);
  });

  it('rejects a parameter and a greedy parameter at the same level', () => {
    const lines: number[] = [];
    const set = defineRoutes((r) => {
      r.get('/files/:id', 'files#show'); lines.push(here());
      r.get('/files/*path', 'files#tree'); lines.push(here());
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toContain(label('GET', '/files/*path', 'files#tree', lines[1]!));
    expect(problem.text).toContain(label('GET', '/files/:id', 'files#show', lines[0]!));
    expect(problem.text).toContain('"{path+}" conflicts with "{id}"');
    expect(problem.hint).toContain('a {name+} counts too');
    expect(problem).toMatchObject({ file: thisFile, line: lines[1] });
  });

  it('rejects a parameter and a greedy parameter of the same name at the same level', () => {
    const set = defineRoutes((r) => {
      r.get('/files/*path', 'files#tree');
      r.get('/files/:path', 'files#show');
    });
    expect(only(validateRoutes(set)).text).toContain('"{path}" conflicts with "{path+}"');
  });

  it('rejects a nested resource whose parent was declared separately with :id', () => {
    const set = defineRoutes((r) => {
      r.resources('posts', { only: ['show'] });
      r.resources('posts', { only: [] }, (r) => r.resources('comments', { only: ['index'] }));
    });
    expect(only(validateRoutes(set)).text).toContain('"{post_id}" conflicts with "{id}"');
  });

  it('rejects a greedy parameter that is not last', () => {
    let line = 0;
    const set = defineRoutes((r) => {
      r.get('/files/*path/edit', 'files#edit'); line = here();
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toBe(`${label('GET', '/files/*path/edit', 'files#edit', line)}: greedy parameter "*path" must be the last part of the path`);
    expect(problem.hint).toBe('API Gateway only allows {name+} at the end');
    expect(problem).toMatchObject({ file: thisFile, line });
  });

  it('rejects a duplicate method and path, naming both routes', () => {
    const lines: number[] = [];
    const set = defineRoutes((r) => {
      r.get('/posts', 'posts#index'); lines.push(here());
      r.get('/posts', 'posts#list'); lines.push(here());
    });
    const problem = only(validateRoutes(set));
    const second = label('GET', '/posts', 'posts#list', lines[1]!);
    expect(problem.text).toBe(`${second}: duplicates ${label('GET', '/posts', 'posts#index', lines[0]!)}`);
    expect(problem.hint).toContain('one method per verb and path');
    expect(problem).toMatchObject({ route: second, file: thisFile, line: lines[1] });
  });

  it('rejects a route that duplicates one generated by resources', () => {
    const set = defineRoutes((r) => {
      r.resources('posts');
      r.put('/posts/:id', 'posts#replace');
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toMatch(/^PUT \/posts\/:id → posts#replace \(.*\): duplicates PUT \/posts\/:id → posts#update \(/);
  });

  it('rejects the same parameter name twice in one path', () => {
    let line = 0;
    const set = defineRoutes((r) => {
      r.get('/posts/:id/comments/:id', 'comments#show'); line = here();
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toBe(`${label('GET', '/posts/:id/comments/:id', 'comments#show', line)}: parameter "id" appears twice in the path`);
    expect(problem.hint).toBe('give each path parameter its own name');
    expect(problem).toMatchObject({ file: thisFile, line });
  });

  it.each([
    ['/files/:name.json', ':name.json'],
    ['/files/*path.gz', '*path.gz'],
    ['/files/report-:id', 'report-:id'],
    ['/files/v*rest', 'v*rest'],
  ])('rejects the partial parameter in %s and says why', (path, part) => {
    let line = 0;
    const set = defineRoutes((r) => {
      r.get(path, 'files#show'); line = here();
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toBe(`${label('GET', path, 'files#show', line)}: path part "${part}" is not allowed`);
    expect(problem.hint).toContain('a parameter must fill a whole path part');
    expect(problem.hint).toContain('no partial parameters');
    expect(problem).toMatchObject({ file: thisFile, line });
  });

  it.each([
    ['/posts/:1st', '":1st" is not a valid parameter name'],
    ['/files/*', '"*" is not a valid parameter name'],
    ['/posts/:', '":" is not a valid parameter name'],
    ['/posts/:my-id', '":my-id" is not a valid parameter name'],
  ])('rejects the bad parameter name in %s', (path, text) => {
    const problem = only(validateRoutes(defineRoutes((r) => {
      r.get(path, 'x#y');
    })));
    expect(problem.text).toContain(text);
    expect(problem.hint).toBe('use letters, digits and "_" after ":" or "*"');
  });

  it.each([
    ['/hello world', 'hello world'],
    ['/price$', 'price$'],
    ['/caf%C3%A9', 'caf%C3%A9'],
    ['/posts/{id}', '{id}'],
    ['/~user', '~user'],
    ['/at@home', 'at@home'],
    ['/a+b', 'a+b'],
    ['/q?x=1', 'q?x=1'],
  ])('rejects invalid literal characters in %s', (path, part) => {
    let line = 0;
    const set = defineRoutes((r) => {
      r.get(path, 'x#y'); line = here();
    });
    const problem = only(validateRoutes(set));
    expect(problem.text).toBe(`${label('GET', path, 'x#y', line)}: path part "${part}" is not allowed`);
    expect(problem.hint).toContain('only letters, digits and . _ - in a literal path part');
    expect(problem).toMatchObject({ file: thisFile, line });
  });

  it('rejects a path that does not start with "/" (a hand-built route set; the DSL adds the slash)', () => {
    const problem = only(validateRoutes(rawSet({ method: 'GET', path: 'posts', target: { controller: 'posts', action: 'index' } })));
    expect(problem.text).toBe('GET posts → posts#index: path "posts" must start with "/"');
    expect(problem.hint).toBe('write "/posts"');
    expect(problem.file).toBeUndefined();
    expect(problem.line).toBeUndefined();
  });

  it('rejects an empty path part in a hand-built route set', () => {
    const problem = only(validateRoutes(rawSet({ method: 'GET', path: '/a//b', target: { function: 'f' } })));
    expect(problem.text).toBe('GET /a//b → function:f: path part "(empty)" is not allowed');
  });
});

describe('reporting every problem at once', () => {
  function brokenRoutes(): { set: RouteSet; lines: number[] } {
    const lines: number[] = [];
    const set = defineRoutes((r) => {
      r.get('/ok', 'ok#index');
      r.get('/posts/:id', 'posts#show');
      r.get('/posts/:post_id/comments', 'comments#index'); lines.push(here());
      r.get('/ok', 'ok#again'); lines.push(here());
      r.get('/files/*path/raw', 'files#raw'); lines.push(here());
      r.get('/files/:name.json', 'files#json'); lines.push(here());
      r.get('/bad', 'no-hash'); lines.push(here());
    });
    return { set, lines };
  }

  it('validateRoutes returns every problem, DSL problems first, without throwing', () => {
    const { set, lines } = brokenRoutes();
    const problems = validateRoutes(set);
    expect(problems.map((p) => p.line)).toEqual([lines[4], lines[0], lines[1], lines[2], lines[3]]);
    expect(problems.every((p) => p.file === thisFile && p.hint)).toBe(true);
    expect(problems[0]?.text).toBe('GET /bad: invalid target "no-hash"');
    expect(problems[1]?.text).toContain('conflicts with');
    expect(problems[2]?.text).toContain('duplicates');
    expect(problems[3]?.text).toContain('must be the last part');
    expect(problems[4]?.text).toContain('path part ":name.json" is not allowed');
  });

  it('compileRoutes throws a RouteError with all of them and a message naming the first', () => {
    const { set, lines } = brokenRoutes();
    let error: unknown;
    try {
      compileRoutes(set);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RouteError);
    expect(error).toBeInstanceOf(Error);
    const routeError = error as RouteError;
    expect(routeError.name).toBe('RouteError');
    expect(routeError.diagnostics).toEqual(validateRoutes(set));
    expect(routeError.diagnostics).toHaveLength(5);
    expect(routeError.message).toBe(
      `${thisFile}:${lines[4]}: GET /bad: invalid target "no-hash" — write the target as 'controller#action' (e.g. 'posts#show') or { function: 'name' } (and 4 more)`,
    );
  });

  it('a single problem has no "(and N more)"', () => {
    let line = 0;
    const set = defineRoutes((r) => {
      r.get('/a/*x/b', 'a#b'); line = here();
    });
    expect(() => compileRoutes(set)).toThrow(
      `${thisFile}:${line}: ${label('GET', '/a/*x/b', 'a#b', line)}: greedy parameter "*x" must be the last part of the path — API Gateway only allows {name+} at the end`,
    );
    expect(() => compileRoutes(set)).not.toThrow(/more\)/);
  });

  it('a valid set compiles and validates clean', () => {
    const set = defineRoutes((r) => {
      r.root('home#index');
      r.resources('posts', (r) => r.resources('comments'));
      r.any('/*proxy', { function: 'fallback' });
    });
    expect(validateRoutes(set)).toEqual([]);
    expect(compileRoutes(set).routes).toHaveLength(1 + 6 + 6 + 1);
  });
});
