// Responses API Gateway (REST v1) generates itself, byte for byte as the fidelity reference gives them.

export interface GatewayResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

function json(status: number, body: string, errorType?: string): GatewayResponse {
  const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
  if (errorType) headers.push(['x-amzn-ErrorType', errorType]);
  return { status, headers, body: Buffer.from(body) };
}

/** Item 1: no resource/method matches (REST never answers 404/405). Note: no space after the colon. */
export const missingAuthenticationToken = (): GatewayResponse =>
  json(403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException');

/** Items 58–59, 64, 68: function error, malformed proxy response, function timeout, response too big. */
export const internalServerError = (): GatewayResponse => json(502, '{"message": "Internal server error"}');

/** Item 62: the integration timeout (29 s by default) expired first. */
export const endpointTimedOut = (): GatewayResponse => json(504, '{"message": "Endpoint request timed out"}');

/** Item 66: request payload over 10 MB; plain text, not customisable. */
export const contentLengthExceeded = (): GatewayResponse => ({
  status: 413,
  headers: [['Content-Type', 'text/plain']],
  body: Buffer.from('HTTP content length exceeded 10485760 bytes.'),
});

/** Item 67: the event would exceed Lambda's 6 MB synchronous invoke limit. */
export const requestTooLong = (): GatewayResponse => json(413, '{"message": "Request Too Long"}', 'BadRequestException');

/**
 * Item 69: the request's header values add up to more than 10 240 bytes. The reference gives the
 * quota but not the answer; 431 is HTTP's status for it (and what Node itself answers past its
 * own 16 KB header limit, so both sides of the quota look alike).
 */
export const requestHeaderFieldsTooLarge = (): GatewayResponse => json(431, '{"message":"Request Header Fields Too Large"}');

/** Item 74: a binary body that is not valid base64. */
export const configurationError = (): GatewayResponse => json(500, '{"message": "Internal server error"}');

export const REQUEST_PAYLOAD_LIMIT = 10 * 1024 * 1024;
export const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;
/** Item 69: REST counts the values of all request headers. */
export const HEADER_VALUES_LIMIT = 10240;
