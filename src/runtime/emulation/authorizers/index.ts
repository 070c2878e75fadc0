// API Gateway's authorizers and API keys, emulated for the dev server and sls-ts/testing.
// Node-only (node:crypto for Cognito JWTs): exported from runtime/emulation, never from runtime/index.
export { authorizeRequest, type AuthorizeRequestOptions } from './authorize.js';
export { AuthorizerCache, createAuthorizerCache } from './cache.js';
export { methodArn, type MethodArnParts } from './method-arn.js';
export { parseIdentitySource, readIdentitySource, type IdentitySource } from './identity-source.js';
export { evaluatePolicy, parseAuthorizerAnswer, type AuthorizerAnswer, type ParseAnswerOptions, type PolicyDecision } from './policy.js';
export { issuerOf, stringifyClaims } from './cognito.js';
export { accountIdOf, signingKeyId } from './iam.js';
export { apiKeyResponse, checkApiKey, type ApiKeyCheck, type ApiKeyCheckOptions, type EmulatedApiKey } from './api-key.js';
export { accessDenied, authorizerConfigurationError, forbidden, incompleteSignature, unauthorized } from './responses.js';
export type { AuthorizeOutcome, AuthorizerInvocation, CognitoKeys, EmulatedAuthorizer, EmulatedMethodAuth, InvokeAuthorizer, Jwks } from './types.js';
export { authorizeHttpApiRequest, type AuthorizeHttpApiRequestOptions } from './http-authorize.js';
export { renderClaims } from './http-jwt.js';
export { verifyJwt } from './jwt.js';
export { authorizeConnect, connectArn, type AuthorizeConnectOptions, type WebSocketAuthorizerEvent } from './websocket.js';
