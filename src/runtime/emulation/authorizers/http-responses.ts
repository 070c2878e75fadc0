// Answers an HTTP API (API Gateway v2) gives itself when a route's authorizer turns a request away.
// Unlike REST (responses.ts) they carry no x-amzn-ErrorType, and v2 has no gateway responses to
// customise them with.
import type { GatewayResponse } from '../gateway-responses.js';
import { httpApiInternalServerError } from '../http-api-result.js';

function json(status: number, body: string, extra: Array<[string, string]> = []): GatewayResponse {
  return { status, headers: [['Content-Type', 'application/json'], ...extra], body: Buffer.from(body) };
}

/**
 * 401 from a JWT authorizer, with the challenge v2 adds: `www-authenticate: Bearer scope="" error="invalid_token"
 * error_description="the token does not have a valid audience"` — doc APIGW "Troubleshooting issues
 * with HTTP API JWT authorizers" (a curl capture: 26-byte body, that header). The other descriptions
 * are inf (worded after that one); `scope` names the route's scopes, space-separated (inf, RFC 6750 §3).
 */
export const httpApiJwtUnauthorized = (description: string, scopes: readonly string[] = []): GatewayResponse =>
  json(401, '{"message":"Unauthorized"}', [['www-authenticate', `Bearer scope="${scopes.join(' ')}" error="invalid_token" error_description="${description}"`]]);

/**
 * 401 from a Lambda authorizer: an identity source missing (the function is not invoked), or the
 * function failing with exactly "Unauthorized" — doc APIGW "Control access to HTTP APIs with AWS
 * Lambda authorizers" ("If the client's request doesn't include the identity sources, API Gateway
 * doesn't invoke your Lambda authorizer, and the client receives a 401 error"); obs
 * localstack/localstack#6057 (AWS: 401 `{"message": "Unauthorized"}` from an HTTP API's authorizer).
 */
export const httpApiUnauthorized = (): GatewayResponse => json(401, '{"message":"Unauthorized"}');

/**
 * 403: a Lambda authorizer's policy does not allow the route, or an AWS_IAM route's request is not
 * signed. inf: v2's generic 403 body (as `httpApiNotFound` is its generic 404); obs floci-io/floci#2810
 * ("An unsigned request is rejected with 403 before the integration runs"). Not captured on AWS here.
 */
export const httpApiForbidden = (): GatewayResponse => json(403, '{"message":"Forbidden"}');

/**
 * 500: the authorizer failed otherwise (threw, timed out, answered in an invalid format) — doc APIGW
 * "Control access to HTTP APIs with AWS Lambda authorizers", Troubleshooting ("If API Gateway can't
 * invoke your Lambda authorizer, or your Lambda authorizer returns a response in an invalid format,
 * clients receive a 500 Internal Server Error"); the body is v2's own (http-api-result.ts, item 61).
 */
export const httpApiAuthorizerError = (): GatewayResponse => httpApiInternalServerError();
