// CORS preflight answered by API Gateway itself (a MOCK integration), so an OPTIONS request
// never starts a Lambda; and API Gateway's own error answers (unknown route, throttling, a
// function that failed or timed out) carrying the CORS headers too, so a browser shows the app
// the real status instead of a CORS failure. Headers come from config.cors.
import type { ResolvedConfig, ResolvedCors } from '../config/types.js';
import { staticAllowOrigin } from '../config/cors.js';
import { FIXED_IDS } from './ids.js';
import { ref } from './intrinsics.js';
import { ROOT_HOME, type Part } from './parts.js';

const HEADER = 'method.response.header.';

/** The Access-Control-* response headers a preflight returns, as header → value. */
export function corsHeaders(cors: ResolvedCors): Record<string, string> {
  const origins = cors.origins === '*' ? ['*'] : cors.origins;
  return {
    'Access-Control-Allow-Origin': staticAllowOrigin(cors),
    'Access-Control-Allow-Methods': cors.methods.join(','),
    'Access-Control-Allow-Headers': cors.headers.join(','),
    ...(cors.credentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
    'Access-Control-Max-Age': String(cors.maxAge),
    // With a list of origins the answer depends on the request's Origin, so caches must key on it.
    ...(origins.length > 1 ? { Vary: 'Origin' } : {}),
  };
}

/**
 * A static header can name one origin only; for a list, the response template echoes the
 * request's Origin when it is on the list (the static first origin stays otherwise, which a
 * browser then rejects, as it should).
 */
function originTemplate(origins: string[]): string {
  const checks = origins.map((origin) => `$origin == ${JSON.stringify(origin)}`).join(' || ');
  return [
    '#set($origin = $input.params("Origin"))',
    '#if("$!origin" == "")#set($origin = $input.params("origin"))#end',
    `#if(${checks})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}

export function corsMethodProperties(cors: ResolvedCors): Record<string, unknown> {
  const headers = corsHeaders(cors);
  const names = Object.keys(headers).sort();
  const multiple = cors.origins !== '*' && cors.origins.length > 1;
  return {
    MethodResponses: [{ StatusCode: '204', ResponseParameters: Object.fromEntries(names.map((name) => [`${HEADER}${name}`, true])) }],
    Integration: {
      Type: 'MOCK',
      // With `binaryMediaTypes: ['*/*']` every preflight's payload counts as binary, which a MOCK
      // cannot transform: API Gateway answers 500 ("Unable to transform"). CONVERT_TO_TEXT, on the
      // integration and its response, leaves text and empty payloads as they are (AWS's content
      // type conversion table), so it is set always and the method does not depend on the types.
      ContentHandling: 'CONVERT_TO_TEXT',
      RequestTemplates: { 'application/json': '{"statusCode": 204}' },
      IntegrationResponses: [
        {
          StatusCode: '204',
          ContentHandling: 'CONVERT_TO_TEXT',
          // Static values are quoted: API Gateway reads an unquoted value as a mapping expression.
          ResponseParameters: Object.fromEntries(names.map((name) => [`${HEADER}${name}`, `'${headers[name]}'`])),
          ...(multiple ? { ResponseTemplates: { 'application/json': originTemplate(cors.origins as string[]) } } : {}),
        },
      ],
    },
  };
}

/** API Gateway's catch-all error answers; every more specific type (403 missing token, 504…) falls back to these. */
const GATEWAY_RESPONSES = [
  { id: 'GatewayResponseDefault4XX', type: 'DEFAULT_4XX' },
  { id: 'GatewayResponseDefault5XX', type: 'DEFAULT_5XX' },
] as const;

/**
 * The CORS headers on API Gateway's own 4XX/5XX answers. A gateway response takes static values
 * only (no per-request check of Origin against a list), so for a list of origins it names the
 * first one: the others see gateway errors without CORS. Echoing the request's Origin instead
 * would allow every origin, credentials included.
 */
export function corsGatewayResponseParts(config: ResolvedConfig): Part[] {
  const cors = config.cors;
  if (cors === false) return [];
  // The preflight's static values: its allow-origin is the same first origin.
  const preflight = corsHeaders(cors);
  const names = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials'].filter((name) => preflight[name] !== undefined);
  const parameters = Object.fromEntries(names.map((name) => [`gatewayresponse.header.${name}`, `'${preflight[name]}'`]));
  return GATEWAY_RESPONSES.map(({ id, type }) => ({
    id,
    home: ROOT_HOME,
    source: `CORS headers on API Gateway's ${type} responses`,
    resource: {
      Type: 'AWS::ApiGateway::GatewayResponse',
      Properties: { RestApiId: ref(FIXED_IDS.restApi), ResponseType: type, ResponseParameters: parameters },
    },
  }));
}
