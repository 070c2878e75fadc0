import { matchRoute } from '../router/index.js';
import type { GatewayResponse } from '../runtime/emulation/index.js';
import type { ResolvedCors } from '../config/types.js';
import { staticAllowOrigin } from '../config/cors.js';
import type { AppState } from './app-state.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'ANY'];

/**
 * The preflight answer of the OPTIONS MOCK method `cors` adds to every resource that has routes
 * (item 75: without it, OPTIONS is just another unmatched verb). Proxied responses get no CORS
 * headers from the gateway: the function returns its own.
 */
export function corsPreflight(state: AppState, path: string, origin: string | undefined): GatewayResponse | undefined {
  const cors = state.config.cors;
  if (!cors) return undefined;
  const routed = METHODS.some((method) => matchRoute(state.app.table, method, path));
  if (!routed) return undefined;
  const allowOrigin = cors.origins === '*' ? '*' : origin && cors.origins.includes(origin) ? origin : staticAllowOrigin(cors);
  const headers: Array<[string, string]> = [
    ['Access-Control-Allow-Origin', allowOrigin],
    ['Access-Control-Allow-Methods', cors.methods.join(',')],
    ['Access-Control-Allow-Headers', cors.headers.join(',')],
    ['Access-Control-Max-Age', String(cors.maxAge)],
    ['Content-Type', 'application/json'],
  ];
  if (cors.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  if (allowOrigin !== '*') headers.push(['Vary', 'Origin']);
  return { status: 204, headers, body: Buffer.alloc(0) };
}

export { withGatewayCors } from '../runtime/emulation/gateway-cors.js';

/**
 * The CORS headers an HTTP API with a CORS configuration puts on a response (item 76), for a
 * request from `origin`: none for a request without an Origin or from an origin not allowed.
 */
export function httpApiCorsHeaders(cors: ResolvedCors | false, origin: string | undefined): Array<[string, string]> | undefined {
  if (!cors) return undefined;
  const allowed = origin !== undefined && (cors.origins === '*' || cors.origins.includes(origin));
  if (!allowed) return [];
  const headers: Array<[string, string]> = [['Access-Control-Allow-Origin', cors.origins === '*' ? '*' : origin]];
  if (cors.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  if (cors.origins !== '*') headers.push(['Vary', 'Origin']);
  return headers;
}

/** An HTTP API's own answer to a preflight, on any path (item 76; its exact status is unverified, 204 is what is seen). */
export function httpApiPreflight(cors: ResolvedCors | false, origin: string | undefined): GatewayResponse | undefined {
  if (!cors) return undefined;
  const headers: Array<[string, string]> = [
    ...(httpApiCorsHeaders(cors, origin) ?? []),
    ['Access-Control-Allow-Methods', cors.methods.join(',')],
    ['Access-Control-Allow-Headers', cors.headers.join(',')],
    ['Access-Control-Max-Age', String(cors.maxAge)],
  ];
  return { status: 204, headers, body: Buffer.alloc(0) };
}
