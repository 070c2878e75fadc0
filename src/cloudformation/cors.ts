// CORS preflight answered by API Gateway itself (a MOCK integration), so an OPTIONS request
// never starts a Lambda. Headers come from config.cors.
import type { ResolvedCors } from '../config/types.js';

const HEADER = 'method.response.header.';

/** The Access-Control-* response headers a preflight returns, as header → value. */
export function corsHeaders(cors: ResolvedCors): Record<string, string> {
  const origins = cors.origins === '*' ? ['*'] : cors.origins;
  return {
    'Access-Control-Allow-Origin': origins[0] ?? '*',
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
      RequestTemplates: { 'application/json': '{"statusCode": 204}' },
      IntegrationResponses: [
        {
          StatusCode: '204',
          // Static values are quoted: API Gateway reads an unquoted value as a mapping expression.
          ResponseParameters: Object.fromEntries(names.map((name) => [`${HEADER}${name}`, `'${headers[name]}'`])),
          ...(multiple ? { ResponseTemplates: { 'application/json': originTemplate(cors.origins as string[]) } } : {}),
        },
      ],
    },
  };
}
