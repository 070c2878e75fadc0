// checkHttpApiRoutes: what API Gateway v2 refuses of routes that REST accepts (API keys, more than
// 10 scopes), each problem naming the route and its line; the path rules stay compileRoutes'.
import { describe, expect, it } from 'vitest';
import { checkHttpApiRoutes, compileRoutes } from '../../../src/index.js';
import { defineRoutes, type RouteSet } from '../../../src/runtime/index.js';
import type { RouteDefinition } from '../../../src/router/types.js';

const source = { file: '/app/config/routes.ts', line: 7 };

/** A route set as the DSL records routes with options (`{ apiKey, scopes }`). */
function routes(...definitions: Array<Partial<RouteDefinition>>): RouteSet {
  return {
    kind: 'sls-ts.routes',
    definitions: definitions.map((d, index) => ({ method: 'GET', path: `/r${index}`, target: { controller: 'posts', action: 'index' }, source: { ...source, line: index + 1 }, ...d })),
    problems: [],
  };
}

describe('checkHttpApiRoutes()', () => {
  it('accepts what an HTTP API serves: variables, greedy paths, ANY, auth and up to 10 scopes', () => {
    const table = compileRoutes(defineRoutes((r) => {
      r.root('home#index');
      r.resources('posts');
      r.any('/files/*path', 'files#show');
    }));
    expect(checkHttpApiRoutes(table)).toEqual([]);
    const scopes = Array.from({ length: 10 }, (_, i) => `api/s${i}`);
    expect(checkHttpApiRoutes(compileRoutes(routes({ auth: 'users', scopes }, { apiKey: false })))).toEqual([]);
  });

  it('refuses a route requiring an API key, naming the route and its line', () => {
    const [problem, ...rest] = checkHttpApiRoutes(compileRoutes(routes({}, { method: 'POST', apiKey: true })));
    expect(rest).toEqual([]);
    expect(problem).toEqual({
      text: "POST /r1 → posts#index (/app/config/routes.ts:2): apiKey: true cannot be served with api: 'http' (HTTP APIs have no API keys or usage plans)",
      route: 'POST /r1 → posts#index (/app/config/routes.ts:2)', file: '/app/config/routes.ts', line: 2, hint: expect.stringMatching(/api: 'rest'/),
    });
  });

  it('refuses more than 10 scopes on a route', () => {
    const scopes = Array.from({ length: 11 }, (_, i) => `api/s${i}`);
    const problems = checkHttpApiRoutes(compileRoutes(routes({ auth: 'users', scopes })));
    expect(problems.map((p) => p.text)).toEqual(['GET /r0 → posts#index (/app/config/routes.ts:1): 11 scopes, but an HTTP API route takes at most 10']);
  });

  it('leaves the path rules to compileRoutes, which holds them for HTTP APIs too', () => {
    // One variable name per level: v2 answers ConflictException as REST does.
    expect(() => compileRoutes(routes({ path: '/posts/:id' }, { path: '/posts/:post_id/comments' }))).toThrow(/conflicts with "\{id\}"/);
    expect(() => compileRoutes(routes({ path: '/files/*rest/meta' }))).toThrow(/must be the last part/);
  });
});
