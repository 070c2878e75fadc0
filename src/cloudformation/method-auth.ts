// How API Gateway guards one method: AuthorizationType, the Authorizer it names, Cognito scopes
// and whether it wants an API key. Methods of public routes keep exactly the properties they had
// before authorizers existed, so their templates and the deployment hash do not move.
import type { ApiMethodModel } from './model.js';
import { ref } from './intrinsics.js';
import type { GenerateContext } from './parts.js';

/** AuthorizationType and what goes with it; nothing but NONE for a public method, so its template stays as it was. */
export function methodAuthProperties(method: ApiMethodModel, ctx: GenerateContext): Record<string, unknown> {
  const auth = method.auth;
  const apiKey = method.apiKey ? { ApiKeyRequired: true } : {};
  if (!auth) return apiKey;
  if (auth.type === 'iam') return { AuthorizationType: 'AWS_IAM', ...apiKey };
  const ids = ctx.ids.authorizers.get(auth.authorizer);
  if (!ids) throw new Error(`${method.label} names authorizer ${auth.authorizer}, which the manifest does not have`);
  if (auth.type === 'lambda') return { AuthorizationType: 'CUSTOM', AuthorizerId: ref(ids.authorizer), ...apiKey };
  // Scopes make API Gateway want an access token (not an ID token) carrying one of them.
  const scopes = auth.scopes && auth.scopes.length > 0 ? { AuthorizationScopes: [...auth.scopes] } : {};
  return { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: ref(ids.authorizer), ...scopes, ...apiKey };
}
