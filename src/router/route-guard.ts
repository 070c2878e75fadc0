// Which setting names a route's guard, one rule for every tool: the build (templates, manifest, dev
// server) and sls-ts/testing, which may not import build/ (DESIGN.md §2), both read it from here.

/** The name a route gives for AWS_IAM (SigV4-signed callers) instead of an authorizer's. */
export const IAM_AUTH = 'iam';

/** Where a route's guard came from. */
export type GuardOrigin = 'route' | 'controller' | 'config';

export interface GuardSettings {
  method: string;
  /** The route's own `auth` (or its namespace's / scope's). */
  own: unknown;
  /** Its controller's `static auth`; undefined for a function route or a controller without one. */
  controller: unknown;
  /** The config's `auth` for the stage. */
  config: unknown;
}

/**
 * The route's own `auth`, else its controller's `static auth`, else the config's `auth`; `from` is
 * undefined when none says anything (a public route). An OPTIONS route takes only its own: a
 * preflight behind an authorizer fails every browser's CORS check (Jets #465), so app- and
 * controller-wide guards skip it. Values are returned unchecked: callers report bad ones.
 */
export function routeGuard({ method, own, controller, config }: GuardSettings): { name: unknown; from?: GuardOrigin } {
  if (own !== undefined) return { name: own, from: 'route' };
  if (method === 'OPTIONS') return { name: undefined };
  if (controller !== undefined) return { name: controller, from: 'controller' };
  if (config !== undefined) return { name: config, from: 'config' };
  return { name: undefined };
}
