import { matchRoute, type CompiledRoute } from '../router/index.js';
import type { AppState } from './app-state.js';

export interface Target {
  key: string;
  resource: string;
  pathParameters: Record<string, string> | null;
  route?: CompiledRoute;
}

/** Which function API Gateway would invoke, with the resource template and raw path parameters. */
export function findTarget(state: AppState, method: string, path: string): Target | undefined {
  if (state.config.layout === 'single') {
    // The single layout deploys only `/` and `/{proxy+}` (ANY); the function routes inside.
    const key = state.functions.find((fn) => fn.kind === 'single')?.key;
    if (!key) return undefined;
    return path === '/' ? { key, resource: '/', pathParameters: null } : { key, resource: '/{proxy+}', pathParameters: { proxy: path.slice(1) } };
  }
  const match = matchRoute(state.app.table, method, path);
  if (!match) return undefined;
  const key = state.functionByRoute.get(`${match.route.method} ${match.route.resource}`);
  return key ? { key, resource: match.route.resource, pathParameters: match.pathParameters, route: match.route } : undefined;
}

/**
 * Real URLs carry the stage (`/dev/posts`, item 9); the dev server also answers without it. A path
 * that matches as sent wins; otherwise the stage comes off the path and off the event's URL.
 */
export function findStagedTarget(state: AppState, stage: string, method: string, path: string, url: string): { target: Target; eventUrl: string } | undefined {
  const target = findTarget(state, method, path);
  if (target) return { target, eventUrl: url };
  const stagePrefix = `/${stage}`;
  if (path !== stagePrefix && !path.startsWith(`${stagePrefix}/`)) return undefined;
  const unstaged = findTarget(state, method, path.slice(stagePrefix.length) || '/');
  return unstaged && { target: unstaged, eventUrl: url.slice(stagePrefix.length) || '/' };
}

/**
 * The HTTP API route key a target is served by (item 13): `$default` for the single layout's
 * function (its `$default` route takes every request), else the route's own `GET /posts/{id}`.
 */
export function httpRouteKey(state: AppState, target: Target): string {
  if (state.config.layout === 'single' || !target.route) return '$default';
  return `${target.route.method} ${target.route.resource}`;
}
