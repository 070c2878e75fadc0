// The shapes this emulator works on. They mirror MethodAuth and AuthorizerSpec of src/build/types.ts
// (the manifest's), restated here because runtime/ may not import build/ (DESIGN.md §2): the dev
// server passes the manifest's values straight in, and TypeScript checks that they still fit.
import type { ApiGatewayIdentity } from '../../types.js';
import type { GatewayResponse } from '../gateway-responses.js';

/** How API Gateway guards one method (MethodAuth). Absent: a public method. */
export type EmulatedMethodAuth =
  | { type: 'lambda'; authorizer: string }
  | { type: 'cognito'; authorizer: string; scopes?: string[] }
  | { type: 'iam' };

/** One authorizer of the API (AuthorizerSpec). Lambda ones name their function by `functionKey`. */
export type EmulatedAuthorizer =
  | { type: 'token'; name: string; functionKey: string; identitySource: string; ttl: number; validation?: string }
  | { type: 'request'; name: string; functionKey: string; identitySources: string[]; ttl: number }
  | { type: 'cognito'; name: string; userPoolArns: string[]; identitySource: string; ttl: number };

/** What invoking an authorizer's function gave: its serialised result, or the error it threw. */
export type AuthorizerInvocation = { ok: true; payload: string } | { ok: false; errorMessage: string };

export type InvokeAuthorizer = (functionKey: string, event: unknown) => Promise<AuthorizerInvocation>;

/** A JSON Web Key Set as Cognito publishes it at `<issuer>/.well-known/jwks.json`. */
export interface Jwks {
  keys: Array<Record<string, unknown>>;
}

/** Local keys of a Cognito authorizer: its JWKS, `'unverified'` (skip the signature only), or none configured. */
export type CognitoKeys = (authorizerName: string) => Jwks | 'unverified' | undefined;

export type AuthorizeOutcome =
  | {
      allowed: true;
      /** `requestContext.authorizer` for the function's event; absent for IAM and public methods. */
      authorizer?: Record<string, unknown>;
      /** `requestContext.identity` fields the authorization fills (IAM). */
      identity?: Partial<ApiGatewayIdentity>;
      /** A Lambda authorizer's `usageIdentifierKey`, for an API whose key source is AUTHORIZER. */
      usageIdentifierKey?: string;
      cached: boolean;
      invoked: boolean;
    }
  | {
      allowed: false;
      response: GatewayResponse;
      invoked: boolean;
      /** Why, for local logs (API Gateway's own body says little). */
      reason: string;
    };
