// The REST proxy event of an HTTP request, made where it is needed: in the worker for most
// requests, on the server's thread only when the request may be too big for Lambda.
import { LAMBDA_PAYLOAD_LIMIT } from '../runtime/emulation/gateway-responses.js';
import { apiGatewayEventFromRawHeaders } from '../runtime/events/api-gateway.js';
import { httpApiEvent } from '../runtime/events/http-api.js';
import type { ApiGatewayProxyEvent, HttpApiEvent } from '../runtime/types.js';
import type { GatewayRequest } from './protocol.js';

export function gatewayEvent(request: GatewayRequest): ApiGatewayProxyEvent | HttpApiEvent {
  if (request.routeKey !== undefined) return payloadV2Event(request, request.routeKey);
  const { body } = request;
  const event = apiGatewayEventFromRawHeaders({
    method: request.method, path: request.path, resource: request.resource, pathParameters: request.pathParameters, stage: request.stage,
    requestId: request.requestId, binaryMediaTypes: request.binaryMediaTypes, sourceIp: request.sourceIp, region: request.region,
    body: body && Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  }, request.rawHeaders);
  event.requestContext.extendedRequestId = request.extendedRequestId;
  return event;
}

/** Rarely decoded wrongly, so kept as sent when it is not valid percent-encoding. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * An HTTP API's payload 2.0 event (reference section C). Headers go in as sent; httpApiEvent
 * lowercases them and joins repeats with a comma (item 34). Path parameters are decoded like
 * rawPath (item 37; reference section L: likely, unconfirmed).
 */
function payloadV2Event(request: GatewayRequest, routeKey: string): HttpApiEvent {
  const headers: Record<string, string[]> = {};
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) (headers[request.rawHeaders[index]!] ??= []).push(request.rawHeaders[index + 1]!);
  const { body } = request;
  return httpApiEvent({
    method: request.method, path: request.path, headers, routeKey, stage: '$default', requestId: request.requestId,
    sourceIp: request.sourceIp, region: request.region,
    pathParameters: request.pathParameters && Object.fromEntries(Object.entries(request.pathParameters).map(([name, value]) => [name, decoded(value)])),
    body: body && Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    // Host, x-forwarded-* and the like, as API Gateway adds them (item 39); the trace id is the server's.
    gatewayHeaders: true,
  });
}

/**
 * Whether the request's event could pass Lambda's 6 MB (item 67) — only then is its JSON worth
 * measuring. Generous: every byte of body, URL and headers as a six-byte JSON escape, the URL in
 * each of the event's fields derived from it, the headers twice (headers, multiValueHeaders).
 */
export function mayExceedPayloadLimit(request: GatewayRequest): boolean {
  let headerBytes = 0;
  for (const text of request.rawHeaders) headerBytes += text.length;
  const bound = 6 * ((request.body?.byteLength ?? 0) + 8 * request.path.length + 2 * headerBytes) + 16_384;
  return bound > LAMBDA_PAYLOAD_LIMIT;
}
