import { describe, it, expect } from 'vitest';
import { compileRoutes, defineRoutes, matchRoute, routeTable, type RouteBuilder, type RouteTable } from '../../../src/router/index.js';

function build(draw: (r: RouteBuilder) => void): RouteTable {
  return compileRoutes(defineRoutes(draw));
}

/** What API Gateway would invoke: the target name and the pathParameters, or undefined (a 403). */
function hit(table: RouteTable, method: string, path: string): { target: string; params: Record<string, string> | null } | undefined {
  const match = matchRoute(table, method, path);
  return match && { target: match.route.targetName, params: match.pathParameters };
}

const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

describe('matchRoute basics', () => {
  const table = build((r) => {
    r.root('home#index');
    r.resources('posts', (r) => r.resources('comments', { only: ['show'] }));
  });

  it('returns the compiled route itself and null pathParameters when the path has none', () => {
    const match = matchRoute(table, 'GET', '/posts');
    expect(match?.route).toBe(table.byResource.get('GET /posts'));
    expect(match?.pathParameters).toBeNull();
    expect(hit(table, 'GET', '/')).toEqual({ target: 'home#index', params: null });
  });

  it('extracts every parameter by its bare name', () => {
    expect(hit(table, 'GET', '/posts/5')).toEqual({ target: 'posts#show', params: { post_id: '5' } });
    expect(hit(table, 'GET', '/posts/5/comments/9')).toEqual({ target: 'comments#show', params: { post_id: '5', id: '9' } });
    expect(matchRoute(table, 'GET', '/posts/5')?.route.paramAliases).toEqual({ id: 'post_id' });
  });

  it('picks the route by verb on one resource', () => {
    expect(hit(table, 'POST', '/posts')?.target).toBe('posts#create');
    expect(hit(table, 'PATCH', '/posts/1')?.target).toBe('posts#update');
    expect(hit(table, 'PUT', '/posts/1')?.target).toBe('posts#update');
    expect(hit(table, 'DELETE', '/posts/1')?.target).toBe('posts#destroy');
  });

  it('returns undefined for an unknown path or a verb nobody declares', () => {
    expect(matchRoute(table, 'GET', '/nope')).toBeUndefined();
    expect(matchRoute(table, 'GET', '/posts/1/comments')).toBeUndefined();
    expect(matchRoute(table, 'GET', '/posts/1/comments/2/extra')).toBeUndefined();
    expect(matchRoute(table, 'DELETE', '/posts')).toBeUndefined();
    expect(matchRoute(table, 'POST', '/')).toBeUndefined();
  });

  it('tolerates a trailing slash', () => {
    expect(hit(table, 'GET', '/posts/')).toEqual({ target: 'posts#index', params: null });
    expect(hit(table, 'GET', '/posts/7/')).toEqual({ target: 'posts#show', params: { post_id: '7' } });
  });

  it('is case-sensitive on paths', () => {
    expect(matchRoute(table, 'GET', '/Posts')).toBeUndefined();
    expect(matchRoute(table, 'GET', '/POSTS/1')).toBeUndefined();
  });

  it('does not match an empty path part as a parameter', () => {
    expect(matchRoute(table, 'GET', '/posts//comments/1')).toBeUndefined();
  });
});

describe('precedence (API Gateway REST, reference section A)', () => {
  it('a literal beats a parameter, whatever the declaration order (item 3)', () => {
    const literalFirst = build((r) => {
      r.get('/users/me', 'users#me');
      r.get('/users/:id', 'users#show');
    });
    const paramFirst = build((r) => {
      r.get('/users/:id', 'users#show');
      r.get('/users/me', 'users#me');
    });
    for (const table of [literalFirst, paramFirst]) {
      expect(hit(table, 'GET', '/users/me')).toEqual({ target: 'users#me', params: null });
      expect(hit(table, 'GET', '/users/42')).toEqual({ target: 'users#show', params: { id: '42' } });
    }
  });

  it('a parameter beats a greedy parameter', () => {
    const table = build((r) => {
      r.any('/*proxy', 'fallback#handle');
      r.get('/api/:version', 'api#show');
    });
    expect(hit(table, 'GET', '/api/v1')).toEqual({ target: 'api#show', params: { version: 'v1' } });
    expect(hit(table, 'GET', '/api/v1/x')).toEqual({ target: 'fallback#handle', params: { proxy: 'api/v1/x' } });
    expect(hit(table, 'GET', '/api')).toEqual({ target: 'fallback#handle', params: { proxy: 'api' } });
  });

  it('falls back to a parameter sibling when the literal resource lacks the method (item 2)', () => {
    const table = build((r) => {
      r.patch('/users/me', 'users#update_me');
      r.get('/users/:id', 'users#show');
    });
    expect(hit(table, 'GET', '/users/me')).toEqual({ target: 'users#show', params: { id: 'me' } });
    expect(hit(table, 'PATCH', '/users/me')).toEqual({ target: 'users#update_me', params: null });
    expect(matchRoute(table, 'DELETE', '/users/me')).toBeUndefined();
    expect(matchRoute(table, 'PATCH', '/users/42')).toBeUndefined();
  });

  it('falls back when the literal resource has no methods at all (item 2)', () => {
    const table = build((r) => {
      r.get('/users/me/settings', 'settings#show');
      r.get('/users/:id', 'users#show');
    });
    expect(hit(table, 'GET', '/users/me')).toEqual({ target: 'users#show', params: { id: 'me' } });
    expect(hit(table, 'GET', '/users/me/settings')).toEqual({ target: 'settings#show', params: null });
  });

  it('falls back to a greedy ANY when nothing more specific has the method (item 2)', () => {
    const table = build((r) => {
      r.get('/users/:id', 'users#show');
      r.any('/*proxy', { function: 'catch_all' });
    });
    expect(hit(table, 'GET', '/users/7')).toEqual({ target: 'users#show', params: { id: '7' } });
    expect(hit(table, 'DELETE', '/users/7')).toEqual({ target: 'function:catch_all', params: { proxy: 'users/7' } });
    expect(hit(table, 'GET', '/users')).toEqual({ target: 'function:catch_all', params: { proxy: 'users' } });
  });

  it('a greedy resource without the method does not match', () => {
    const table = build((r) => {
      r.get('/files/*path', 'files#show');
    });
    expect(hit(table, 'GET', '/files/a/b')).toEqual({ target: 'files#show', params: { path: 'a/b' } });
    expect(matchRoute(table, 'POST', '/files/a/b')).toBeUndefined();
  });

  it('ANY accepts every verb (item 8)', () => {
    const table = build((r) => {
      r.any('/anything', 'anything#handle');
    });
    for (const verb of VERBS) expect(hit(table, verb, '/anything')?.target).toBe('anything#handle');
  });

  it('an explicit method beats ANY on the same resource, whatever the declaration order', () => {
    const anyFirst = build((r) => {
      r.any('/things', 'things#any');
      r.get('/things', 'things#index');
    });
    const getFirst = build((r) => {
      r.get('/things', 'things#index');
      r.any('/things', 'things#any');
    });
    for (const table of [anyFirst, getFirst]) {
      expect(hit(table, 'GET', '/things')?.target).toBe('things#index');
      expect(hit(table, 'POST', '/things')?.target).toBe('things#any');
      expect(hit(table, 'HEAD', '/things')?.target).toBe('things#any');
    }
  });

  it('ANY on a literal resource wins over GET on a parameter sibling (the most specific resource that accepts the verb)', () => {
    const table = build((r) => {
      r.any('/users/me', 'users#me');
      r.get('/users/:id', 'users#show');
    });
    expect(hit(table, 'GET', '/users/me')).toEqual({ target: 'users#me', params: null });
  });

  it('HEAD is its own method: a GET-only resource does not answer it (item 7)', () => {
    const table = build((r) => {
      r.get('/page', 'pages#show');
      r.get('/with-head', 'pages#show');
      r.head('/with-head', 'pages#head');
      r.any('/with-any', 'pages#any');
    });
    expect(matchRoute(table, 'HEAD', '/page')).toBeUndefined();
    expect(hit(table, 'HEAD', '/with-head')?.target).toBe('pages#head');
    expect(hit(table, 'GET', '/with-head')?.target).toBe('pages#show');
    expect(hit(table, 'HEAD', '/with-any')?.target).toBe('pages#any');
  });

  it('OPTIONS is not implied by GET either', () => {
    const table = build((r) => {
      r.get('/page', 'pages#show');
    });
    expect(matchRoute(table, 'OPTIONS', '/page')).toBeUndefined();
  });
});

describe('greedy parameters', () => {
  it('/{proxy+} does not match the root; the root needs its own route (item 4)', () => {
    const proxyOnly = build((r) => {
      r.any('/*proxy', 'proxy#handle');
    });
    expect(matchRoute(proxyOnly, 'GET', '/')).toBeUndefined();
    expect(matchRoute(proxyOnly, 'GET', '')).toBeUndefined();

    const withRoot = build((r) => {
      r.any('/*proxy', 'proxy#handle');
      r.root('home#index');
    });
    expect(hit(withRoot, 'GET', '/')).toEqual({ target: 'home#index', params: null });
  });

  it('captures the rest of the path without a leading slash and without decoding it (item 5)', () => {
    const table = build((r) => {
      r.any('/*proxy', 'proxy#handle');
    });
    expect(hit(table, 'GET', '/capture/a%20b')).toEqual({ target: 'proxy#handle', params: { proxy: 'capture/a%20b' } });
    expect(hit(table, 'GET', '/x')?.params).toEqual({ proxy: 'x' });
    expect(hit(table, 'GET', '/a/b/c.txt')?.params).toEqual({ proxy: 'a/b/c.txt' });
  });

  it('uses the bare name as the key, never "proxy+" (item 6)', () => {
    const table = build((r) => {
      r.any('/*proxy', 'proxy#handle');
    });
    expect(Object.keys(matchRoute(table, 'GET', '/a/b')?.pathParameters ?? {})).toEqual(['proxy']);
  });

  it('needs at least one path part under its parent', () => {
    const table = build((r) => {
      r.get('/files/*path', 'files#show');
    });
    expect(hit(table, 'GET', '/files/a/b/c.txt')).toEqual({ target: 'files#show', params: { path: 'a/b/c.txt' } });
    expect(hit(table, 'GET', '/files/one')).toEqual({ target: 'files#show', params: { path: 'one' } });
    expect(matchRoute(table, 'GET', '/files')).toBeUndefined();
    expect(matchRoute(table, 'GET', '/files/')).toBeUndefined();
  });
});

describe('parameter values', () => {
  it('stay percent-encoded, including an encoded slash (item 18)', () => {
    const table = build((r) => {
      r.get('/items/:id', 'items#show');
    });
    expect(hit(table, 'GET', '/items/my-id%2F100')).toEqual({ target: 'items#show', params: { id: 'my-id%2F100' } });
    expect(hit(table, 'GET', '/items/a%20b%7Cc')?.params).toEqual({ id: 'a%20b%7Cc' });
    expect(hit(table, 'GET', '/items/@me+1')?.params).toEqual({ id: '@me+1' });
  });
});

describe('backtracking through deep nesting', () => {
  it('falls back from a dead-end literal branch to the variable branch without leaking its parameters', () => {
    const table = build((r) => {
      r.get('/a/b/:x/c', 'dead#end');
      r.get('/a/:y/:z/d', 'live#branch');
    });
    expect(hit(table, 'GET', '/a/b/1/d')).toEqual({ target: 'live#branch', params: { y: 'b', z: '1' } });
    expect(hit(table, 'GET', '/a/b/1/c')).toEqual({ target: 'dead#end', params: { x: '1' } });
    expect(hit(table, 'GET', '/a/q/1/d')).toEqual({ target: 'live#branch', params: { y: 'q', z: '1' } });
    expect(matchRoute(table, 'GET', '/a/b/1/e')).toBeUndefined();
  });

  it('falls back to a greedy ancestor after a deep dead end, keeping only the greedy parameter', () => {
    const table = build((r) => {
      r.get('/a/:x/b/:y/c', 'deep#route');
      r.any('/*proxy', 'proxy#handle');
    });
    expect(hit(table, 'GET', '/a/1/b/2/c')).toEqual({ target: 'deep#route', params: { x: '1', y: '2' } });
    expect(hit(table, 'GET', '/a/1/b/2/zzz')).toEqual({ target: 'proxy#handle', params: { proxy: 'a/1/b/2/zzz' } });
    expect(hit(table, 'POST', '/a/1/b/2/c')).toEqual({ target: 'proxy#handle', params: { proxy: 'a/1/b/2/c' } });
  });

  it('falls back to a nearer greedy before a farther one', () => {
    const table = build((r) => {
      r.get('/a/b/:x/c', 'dead#end');
      r.get('/a/*rest', 'a#rest');
      r.any('/*proxy', 'proxy#handle');
    });
    expect(hit(table, 'GET', '/a/b/1/zzz')).toEqual({ target: 'a#rest', params: { rest: 'b/1/zzz' } });
    expect(hit(table, 'POST', '/a/b/1/c')).toEqual({ target: 'proxy#handle', params: { proxy: 'a/b/1/c' } });
  });
});

describe('precompiled tables', () => {
  it('routeTable rebuilt from compiled routes matches exactly like the compiled table', () => {
    const compiled = build((r) => {
      r.patch('/users/me', 'users#update_me');
      r.resources('users', { only: ['show'] });
      r.any('/*proxy', 'proxy#handle');
    });
    const rebuilt = routeTable(compiled.routes.map(({ method, path, resource, target, paramAliases }) => ({ method, path, resource, target, paramAliases })));
    const requests: Array<[string, string]> = [['GET', '/users/me'], ['PATCH', '/users/me'], ['DELETE', '/users/9'], ['GET', '/'], ['HEAD', '/users/9']];
    for (const [method, path] of requests) expect(hit(rebuilt, method, path)).toEqual(hit(compiled, method, path));
    expect(hit(rebuilt, 'GET', '/users/me')).toEqual({ target: 'users#show', params: { id: 'me' } });
    expect(rebuilt.byResource.get('GET /users/{id}')?.label).toBe('GET /users/:id → users#show');
  });
});
