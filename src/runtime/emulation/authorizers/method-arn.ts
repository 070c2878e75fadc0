// The ARN API Gateway hands a Lambda authorizer as `methodArn` and evaluates its policy against.

import type { MethodArnParts } from '../../types.js';

export type { MethodArnParts };

/**
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path without its leading slash>`:
 * the root is `…/GET/`. — doc APIGW "Input to an API Gateway Lambda authorizer" (TOKEN and REQUEST
 * examples: `…:abcdef123/test/GET/request`); obs rubyonjets/jets-docs authorizer-tips
 * (`…/dev/GET/protected/url` for a request to /protected/url).
 */
export function methodArn({ region, accountId, apiId, stage, method, path }: MethodArnParts): string {
  const rest = path.startsWith('/') ? path.slice(1) : path;
  return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${method.toUpperCase()}/${rest}`;
}
