// The REST proxy event of an HTTP request, made where it is needed: in the worker for most
// requests, on the server's thread only when the request may be too big for Lambda.
import { LAMBDA_PAYLOAD_LIMIT } from '../runtime/emulation/gateway-responses.js';
import { apiGatewayEventFromRawHeaders } from '../runtime/events/api-gateway.js';
import type { ApiGatewayProxyEvent } from '../runtime/types.js';
import type { GatewayRequest } from './protocol.js';

export function gatewayEvent(request: GatewayRequest): ApiGatewayProxyEvent {
  const { body } = request;
  const event = apiGatewayEventFromRawHeaders({
    method: request.method, path: request.path, resource: request.resource, pathParameters: request.pathParameters, stage: request.stage,
    requestId: request.requestId, binaryMediaTypes: request.binaryMediaTypes, sourceIp: request.sourceIp, region: request.region,
    body: body && Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  }, request.rawHeaders);
  event.requestContext.extendedRequestId = request.extendedRequestId;
  return event;
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
