// API Gateway v2's rules for routes (`api: 'http'`), where they differ from REST's. The path rules
// compileRoutes checks hold for HTTP APIs too: a greedy variable only at the end (doc "Create routes
// for HTTP APIs"), one variable name per path level (obs plutomi/plutomi#271: ConflictException "has a
// conflicting variable on the same hierarchical level"), one route per method and path (obs
// floci-io/floci#1956: "Route with key 'GET /items' already exists"). What differs is the edge:
// HTTP APIs have no API keys (doc "Choose between REST APIs and HTTP APIs") and take at most 10
// scopes per route (doc "Quotas for configuring and running an HTTP API"). Our paths never collide
// with `$default`, the catch-all route key: every path starts with "/".
import type { RouteTable } from './table.js';
import type { CompiledRoute, RouteDiagnostic } from './types.js';

export const HTTP_API_SCOPES_PER_ROUTE = 10;

function diagnostic(route: CompiledRoute, text: string, hint: string): RouteDiagnostic {
  return { text: `${route.label}: ${text}`, route: route.label, ...(route.source ? { file: route.source.file, line: route.source.line } : {}), hint };
}

/** Problems that keep a compiled route table off an HTTP API (none = it can be served as one). */
export function checkHttpApiRoutes(table: RouteTable): RouteDiagnostic[] {
  const problems: RouteDiagnostic[] = [];
  for (const route of table.routes) {
    if (route.apiKey) {
      problems.push(diagnostic(route, "apiKey: true cannot be served with api: 'http' (HTTP APIs have no API keys or usage plans)", "remove apiKey from the route, or keep api: 'rest'"));
    }
    if (route.scopes && route.scopes.length > HTTP_API_SCOPES_PER_ROUTE) {
      problems.push(diagnostic(route, `${route.scopes.length} scopes, but an HTTP API route takes at most ${HTTP_API_SCOPES_PER_ROUTE}`, 'ask for fewer scopes (a token must carry one of them), or group them into broader ones'));
    }
  }
  return problems;
}
