// Config helpers for the API's guards, written like the resource helpers (`table()`): a typed
// declaration whose `type` the helper fills, so a config reads as what it declares.
import type { CognitoAuthorizerSettings } from './types.js';

/**
 * A Cognito user pool authorizer (API Gateway's COGNITO_USER_POOLS, no Lambda):
 * `authorizers: { users: cognito({ userPoolArns: ['arn:aws:cognito-idp:…:userpool/…'] }) }`.
 */
export function cognito(options: Omit<CognitoAuthorizerSettings, 'type'>): CognitoAuthorizerSettings {
  return { type: 'cognito', ...options };
}
