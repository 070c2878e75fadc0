// CORS headers on the responses a routed function renders. With Lambda proxy integrations API
// Gateway passes the function's headers through untouched and adds none (item 75), so without
// these a browser rejects every cross-origin answer the preflight allowed. Its own module, used
// only by entries that pass `cors`: a function built without CORS carries none of this code.
import { HeaderMap, type ApiEvent } from './request.js';
import type { ResponseState } from './response.js';

/** What the runtime needs of the app's `cors` setting; preflight-only parts (methods, headers, maxAge) stay with API Gateway. */
export interface CorsOptions {
  /** '*' or the allowed origins (`https://app.example.com`). */
  origins: readonly string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true` (browsers refuse it with `*`: list the origins). */
  credentials?: boolean;
}

/** Adds CORS headers to a rendered response, given the event it answers. */
export type CorsPolicy = (response: ResponseState, event: ApiEvent) => void;

/**
 * `*` allows any origin. A list echoes the request's Origin when listed and sends no
 * Access-Control-Allow-Origin otherwise, always with `Vary: Origin` so caches keep the answers
 * apart. A response whose action set Access-Control-Allow-Origin itself is left as the action made it.
 */
export function corsPolicy({ origins, credentials }: CorsOptions): CorsPolicy {
  return (response, event) => {
    if (response.getHeader('access-control-allow-origin') !== undefined) return;
    let allow = '*';
    if (origins !== '*') {
      const vary = response.getHeader('vary');
      if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary ?? '')) response.setHeader('Vary', vary ? `${vary}, Origin` : 'Origin');
      // Case-insensitive: REST keeps the client's header casing (item 25); HTTP API lowercases names (item 34).
      const origin = new HeaderMap(event.headers).get('origin');
      if (!origin || !origins.includes(origin)) return;
      allow = origin;
    }
    response.setHeader('Access-Control-Allow-Origin', allow);
    if (credentials) response.setHeader('Access-Control-Allow-Credentials', 'true');
  };
}
