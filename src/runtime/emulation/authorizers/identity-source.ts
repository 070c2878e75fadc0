// REST authorizers' identity sources: where API Gateway reads the token (TOKEN, Cognito) or the
// cache key and required values (REQUEST) from. — doc AWS::ApiGateway::Authorizer IdentitySource /
// API Reference Authorizer.identitySource: `method.request.header.X`, `method.request.querystring.x`,
// `stageVariables.x`, `context.x`; path parameters cannot be identity sources (doc "Input to an API
// Gateway Lambda authorizer", note under REQUEST).
import type { ApiGatewayProxyEvent } from '../../types.js';

export type IdentitySource =
  | { kind: 'header'; name: string; text: string }
  | { kind: 'querystring'; name: string; text: string }
  | { kind: 'stageVariable'; name: string; text: string }
  | { kind: 'context'; path: string[]; text: string };

// RFC 9110 token characters: what a header name may be.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const QUERY_NAME = /^[^\s,&=#]+$/;
// Stage variable names: letters, digits and underscores (doc "Set up stage variables").
const STAGE_VARIABLE = /^[A-Za-z0-9_]+$/;
const CONTEXT_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/**
 * Parses one identity source expression; a string answer is the error, one line the build can
 * print after the authorizer's file (e.g. `identity source "header.Auth" is not …`). `token`: the
 * source of a TOKEN or Cognito authorizer, which must be a header — doc API Reference
 * Authorizer.identitySource ("For a TOKEN or COGNITO_USER_POOLS authorizer … the request header
 * mapping expression for the custom header holding the authorization token").
 */
export function parseIdentitySource(text: string, use: 'token' | 'request' = 'request'): IdentitySource | string {
  const parsed = parseExpression(text);
  if (use === 'token' && typeof parsed !== 'string' && parsed.kind !== 'header') {
    return `identity source "${text}": a TOKEN or Cognito authorizer reads its token from a header; use method.request.header.<Name>`;
  }
  return parsed;
}

function parseExpression(text: string): IdentitySource | string {
  const expression = text.trim();
  const hint = 'use method.request.header.<Name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>';
  const tail = (prefix: string): string | undefined => (expression.startsWith(prefix) ? expression.slice(prefix.length) : undefined);
  const header = tail('method.request.header.');
  if (header !== undefined) return HEADER_NAME.test(header) ? { kind: 'header', name: header, text: expression } : `identity source "${text}" does not name a valid header`;
  const query = tail('method.request.querystring.');
  if (query !== undefined) return QUERY_NAME.test(query) ? { kind: 'querystring', name: query, text: expression } : `identity source "${text}" does not name a valid query string parameter`;
  if (tail('method.request.path.') !== undefined) return `identity source "${text}": path parameters cannot be identity sources; ${hint}`;
  const stage = tail('stageVariables.');
  if (stage !== undefined) return STAGE_VARIABLE.test(stage) ? { kind: 'stageVariable', name: stage, text: expression } : `identity source "${text}" does not name a valid stage variable (letters, digits, _)`;
  const context = tail('context.');
  if (context !== undefined) return CONTEXT_PATH.test(context) ? { kind: 'context', path: context.split('.'), text: expression } : `identity source "${text}" does not name a context variable`;
  return `identity source "${text}" is not an API Gateway mapping expression; ${hint}`;
}

/** The value an identity source finds in a request: undefined when absent, null or empty. */
export function readIdentitySource(source: IdentitySource, event: ApiGatewayProxyEvent): string | undefined {
  let value: unknown;
  switch (source.kind) {
    case 'header':
      value = headerValue(event, source.name);
      break;
    case 'querystring':
      value = event.queryStringParameters?.[source.name];
      break;
    case 'stageVariable':
      value = event.stageVariables?.[source.name];
      break;
    case 'context':
      value = source.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), event.requestContext);
      break;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every source's value in order, or the first expression that found nothing (→ 401 without invoking). */
export function readIdentitySources(texts: readonly string[], event: ApiGatewayProxyEvent, use: 'token' | 'request' = 'request'): { values: string[] } | { missing: string } {
  const values: string[] = [];
  for (const text of texts) {
    const source = parseIdentitySource(text, use);
    // The build rejects bad expressions; one reaching here finds nothing, as on AWS it could not deploy.
    const value = typeof source === 'string' ? undefined : readIdentitySource(source, event);
    if (value === undefined) return { missing: text };
    values.push(value);
  }
  return { values };
}

/** A request header by name, whatever its case; the event keeps names as sent, so the last one sent wins (as in `headers`). */
export function headerValue(event: { headers: Record<string, string> }, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [sent, value] of Object.entries(event.headers)) if (sent.toLowerCase() === wanted) found = value;
  return found;
}
