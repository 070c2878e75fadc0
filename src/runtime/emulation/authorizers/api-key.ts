// `apiKey: true` methods: API Gateway wants the `x-api-key` header to hold a key of a usage plan
// that covers the API's stage.
import type { ApiGatewayIdentity, ApiGatewayProxyEvent } from '../../types.js';
import type { GatewayResponse } from '../gateway-responses.js';
import { headerValue } from './identity-source.js';
import { forbidden } from './responses.js';

/** A key the dev server knows (locally: the usage plans' keys, with the values it chose). */
export interface EmulatedApiKey {
  /** API Gateway's id of the key; locally its name. */
  id: string;
  value: string;
}

export interface ApiKeyCheckOptions {
  /** The route's `apiKey` setting. */
  required: boolean | undefined;
  event: ApiGatewayProxyEvent;
  keys: readonly EmulatedApiKey[];
}

export type ApiKeyCheck = { ok: true; identity?: Pick<ApiGatewayIdentity, 'apiKey' | 'apiKeyId'> } | { ok: false; response: GatewayResponse; reason: string };

/**
 * A missing or unknown `x-api-key` on a method that requires one → 403 `{"message":"Forbidden"}`
 * (ForbiddenException). A valid key fills `identity.apiKey` and `identity.apiKeyId`. — doc APIGW-GWR
 * (INVALID_API_KEY 403); doc APIGW "Choose an API key source" (HEADER: the X-API-Key header); doc
 * APIGW "$context.identity.apiKey / apiKeyId" (for methods that require an API key); obs curl captures
 * (ForbiddenException, 23-byte body).
 */
export function checkApiKey({ required, event, keys }: ApiKeyCheckOptions): ApiKeyCheck {
  if (!required) return { ok: true };
  const sent = headerValue(event, 'x-api-key');
  if (!sent) return { ok: false, response: forbidden(), reason: 'the method requires an API key and the request has no x-api-key header' };
  const key = keys.find((candidate) => candidate.value === sent);
  if (!key) return { ok: false, response: forbidden(), reason: 'the x-api-key header holds no key of a usage plan' };
  return { ok: true, identity: { apiKey: key.value, apiKeyId: key.id } };
}

/** The same as a bare answer: the 403 to send, or undefined when the request may go on. */
export function apiKeyResponse(options: ApiKeyCheckOptions): GatewayResponse | undefined {
  const check = checkApiKey(options);
  return check.ok ? undefined : check.response;
}
