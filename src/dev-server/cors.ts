import { matchRoute } from '../router/index.js';
import type { GatewayResponse } from '../runtime/emulation/index.js';
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
  const allowOrigin = cors.origins === '*' ? '*' : origin && cors.origins.includes(origin) ? origin : cors.origins[0] ?? '*';
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
