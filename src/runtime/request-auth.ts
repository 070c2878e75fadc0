// request.auth: who API Gateway let through, read from the proxy event's requestContext. Every
// controller bundle carries this, so it stays a few lines (bench:runtime's size budget).

import type { ApiGatewayIdentity } from './types.js';

/** A caller API Gateway authenticated with SigV4 (`auth: 'iam'`): requestContext.identity, whose accessKey is then set (reference item 29). */
export type IamCaller = ApiGatewayIdentity & { accessKey: string };

export interface RequestAuth {
  /** A Lambda authorizer's principalId. */
  principalId?: string;
  /**
   * A Lambda authorizer's context. REST API: its values arrive as strings (`true` → `"true"`,
   * reference item 30); HTTP API: as the authorizer returned them. `{}` for Cognito / JWT / IAM.
   */
  context: Readonly<Record<string, unknown>>;
  /** A Cognito (REST) or JWT (HTTP API) authorizer's token claims. */
  claims?: Readonly<Record<string, unknown>>;
  /** REST: requestContext.identity; HTTP API: requestContext.authorizer.iam (accessKey, accountId, callerId, userArn, …). */
  iam?: IamCaller;
}

interface AuthSource {
  authorizer?: Record<string, any>;
  identity?: Partial<ApiGatewayIdentity> | null;
}

/** Undefined when no authorizer ran and the caller did not sign with IAM credentials. */
export function authOf(requestContext: AuthSource | undefined): RequestAuth | undefined {
  const { authorizer, identity } = requestContext ?? {};
  // Most requests reach a public route: they return here, before any object is made (every request runs this).
  if (!authorizer && !identity?.accessKey) return;
  // REST puts principalId, integrationLatency (obs CodeGenieApp/serverless-express#551) and the
  // context keys side by side, or `claims` for Cognito; HTTP API 2.0 nests them under `lambda` / `jwt`,
  // and an IAM caller under `iam` (REST: in identity).
  const { principalId, integrationLatency, claims, jwt, lambda, iam: signer, ...context } = authorizer ?? {};
  const iam = identity?.accessKey ? identity : signer;
  // Absent parts stay as undefined keys rather than being left out: every controller bundle carries this.
  return { principalId, context: lambda ?? context, claims: claims ?? jwt?.claims, iam } as RequestAuth;
}
