// The CORS headers sls-ts puts on API Gateway's own answers (the DEFAULT_4XX and DEFAULT_5XX
// gateway responses it deploys when `cors` is on), for the dev server and sls-ts/testing alike.
import type { GatewayResponse } from './gateway-responses.js';

/** What of the app's `cors` the gateway responses use (ResolvedCors has more; runtime/ may not import config/). */
export interface GatewayCors {
  origins: readonly string[] | '*';
  credentials: boolean;
}

/**
 * An answer API Gateway makes up itself (403, 413 Request Too Long, 431, 502, 504, an authorizer's
 * 401/403/500…) with the CORS headers `cors` puts on the DEFAULT_4XX and DEFAULT_5XX gateway
 * responses, so that a browser app can read the error. Those are static values: `*`, or for a list
 * of origins its first one (the others see gateway errors without CORS), and no Vary.
 */
export function withGatewayCors(response: GatewayResponse, cors: GatewayCors | false): GatewayResponse {
  if (!cors) return response;
  const origin = cors.origins === '*' ? '*' : cors.origins[0]!;
  const headers: Array<[string, string]> = [...response.headers, ['Access-Control-Allow-Origin', origin]];
  if (cors.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  return { ...response, headers };
}
