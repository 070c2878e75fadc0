// A Lambda or JWT authorizer's identity sources on an HTTP API. The manifest keeps REST's expressions
// (`method.request.header.X`); the build deploys them as v2's (`$request.header.X`,
// `$request.querystring.x`, `$stageVariables.x`, `$context.x` — cloudformation/http-api-auth.ts), read
// here from the payload 2.0 event. — doc APIGW "Control access to HTTP APIs with AWS Lambda
// authorizers", Identity sources ("Header names are case-insensitive. Query string names are case-sensitive.").
import type { HttpApiEvent } from '../../types.js';
import { parseIdentitySource, type IdentitySource } from './identity-source.js';

/** `method.request.header.Authorization` → `$request.header.Authorization`, as the deployed authorizer names it. */
export function httpApiExpression(source: IdentitySource): string {
  switch (source.kind) {
    case 'header':
      return `$request.header.${source.name}`;
    case 'querystring':
      return `$request.querystring.${source.name}`;
    case 'stageVariable':
      return `$stageVariables.${source.name}`;
    case 'context':
      return `$context.${source.path.join('.')}`;
  }
}

/** The value a source finds in a v2 event: undefined when absent or empty. */
export function readHttpApiSource(source: IdentitySource, event: HttpApiEvent): string | undefined {
  let value: unknown;
  if (source.kind === 'header') {
    // v2 lowercases header names (item 34); a header sent twice is already comma-joined.
    const wanted = source.name.toLowerCase();
    value = Object.entries(event.headers).find(([name]) => name.toLowerCase() === wanted)?.[1];
  } else if (source.kind === 'querystring') value = event.queryStringParameters?.[source.name];
  else if (source.kind === 'stageVariable') value = event.stageVariables?.[source.name];
  else value = source.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), event.requestContext);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every source's value in order, or the first one (in v2's syntax) that found nothing. */
export function readHttpApiSources(texts: readonly string[], event: HttpApiEvent): { values: string[] } | { missing: string } {
  const values: string[] = [];
  for (const text of texts) {
    const source = parseIdentitySource(text);
    // The build rejects bad expressions; one reaching here finds nothing, as on AWS it could not deploy.
    const value = typeof source === 'string' ? undefined : readHttpApiSource(source, event);
    if (value === undefined) return { missing: typeof source === 'string' ? text : httpApiExpression(source) };
    values.push(value);
  }
  return { values };
}
