// Responses API Gateway (REST) answers itself when an authorizer or an API key turns a request away.
// Bodies are byte for byte what was captured on AWS; each cites its source as the fidelity reference does.
import type { GatewayResponse } from '../gateway-responses.js';

function json(status: number, body: string, errorType: string): GatewayResponse {
  return { status, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', errorType]], body: Buffer.from(body) };
}

/**
 * 401: no identity source / token, a token failing `validation`, a Lambda authorizer throwing
 * exactly `Unauthorized`, or a Cognito token that does not verify. 26 bytes, no space. — doc
 * APIGW-GWR (UNAUTHORIZED 401); obs curl captures (`content-length: 26`,
 * `x-amzn-ErrorType: UnauthorizedException`) in public READMEs; doc KC api-gateway-401-error-lambda-authorizer.
 */
export const unauthorized = (): GatewayResponse => json(401, '{"message":"Unauthorized"}', 'UnauthorizedException');

/**
 * 403 ACCESS_DENIED: the policy a Lambda authorizer returned denies the method. Note the capital
 * `Message` (unlike every other gateway response). Explicit deny: 82 bytes. — doc APIGW-GWR
 * (ACCESS_DENIED 403); doc KC api-gateway-403-error-lambda-authorizer (both messages); obs curl -v
 * captures in public READMEs (`content-length: 82`, `{"Message":…explicit deny"}`), aws/chalice#1619
 * (AccessDeniedException).
 */
export const accessDenied = (explicit: boolean): GatewayResponse =>
  json(
    403,
    explicit ? '{"Message":"User is not authorized to access this resource with an explicit deny"}' : '{"Message":"User is not authorized to access this resource"}',
    'AccessDeniedException',
  );

/**
 * 500 AUTHORIZER_CONFIGURATION_ERROR: the authorizer failed otherwise (another error, a result that is
 * not a valid policy, a context value that is an object). The body's message is a JSON null. — doc
 * APIGW-GWR; obs aws/chalice#670 (`{"message": null}` after "Execution failed due to configuration
 * error"), ExpanseLLC/lambda_authorizer#1 ("Could not parse policy … AuthorizerConfigurationException"),
 * serverless/examples#305 (`x-amzn-errortype: AuthorizerConfigurationException`).
 */
export const authorizerConfigurationError = (): GatewayResponse => json(500, '{"message":null}', 'AuthorizerConfigurationException');

/**
 * 403 INVALID_API_KEY: an `apiKey: true` method called without a known `x-api-key`. 23 bytes. — doc
 * APIGW-GWR (INVALID_API_KEY 403); obs curl -v captures (`content-length: 23`,
 * `x-amzn-ErrorType: ForbiddenException`, `{"message":"Forbidden"}`).
 */
export const forbidden = (): GatewayResponse => json(403, '{"message":"Forbidden"}', 'ForbiddenException');

/**
 * 403 on an AWS_IAM method whose Authorization header is not SigV4 (e.g. `Bearer …`): API Gateway
 * reads it as a signature and fails; it no longer echoes the header but its SHA-256 in base64. — obs
 * captures in public notes (2025–2026: "Invalid key=value pair (missing equal-sign) in Authorization
 * header (hashed with SHA-256 and encoded with Base64): '…'.", `x-amzn-ErrorType:
 * IncompleteSignatureException` in a recorded response). inf: that the hash is of the header's whole value.
 */
export const incompleteSignature = (hashedAuthorization: string): GatewayResponse =>
  json(
    403,
    JSON.stringify({ message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashedAuthorization}'.` }),
    'IncompleteSignatureException',
  );
