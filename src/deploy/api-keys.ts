// The stage's API keys with their values, for `sls-ts status`. API Gateway chooses each value when
// the stack creates the key, so the only way to hand one to a client is to read it back. Values are
// secrets: they are read here on request and never go into deploy events or logs.
import { GetApiKeyCommand } from '@aws-sdk/client-api-gateway';
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from './context.js';
import type { DeployedApiKey } from './types.js';

const API_KEY = 'AWS::ApiGateway::ApiKey';

/** The name to show: the config's key name when API Gateway's follows `<app>-<stage>-<key>`, else API Gateway's own. */
function displayName(ctx: DeployContext, gatewayName: string | undefined, logicalId: string | undefined): string {
  const prefix = `${ctx.stackName}-`;
  if (gatewayName?.startsWith(prefix) && gatewayName.length > prefix.length) return gatewayName.slice(prefix.length);
  return gatewayName ?? logicalId ?? 'unnamed';
}

/**
 * Every API key among `resources` (the stack's, from ListStackResources), read with its value
 * (GetApiKey includeValue), sorted by name. A key that cannot be read (deleted outside the stack,
 * no apigateway:GET) is listed with why instead of a value, so status still shows the rest.
 */
export async function readApiKeys(ctx: DeployContext, resources: readonly StackResourceSummary[]): Promise<DeployedApiKey[]> {
  const found = resources.filter((resource) => resource.ResourceType === API_KEY && resource.PhysicalResourceId && !resource.ResourceStatus?.startsWith('DELETE_'));
  const keys = await Promise.all(found.map(async (resource): Promise<DeployedApiKey> => {
    // An ApiKey's physical id is its key id (Ref returns the same).
    const id = resource.PhysicalResourceId!;
    try {
      const key = await ctx.clients.apiGateway.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }));
      return {
        name: displayName(ctx, key.name, resource.LogicalResourceId),
        id,
        ...(key.value !== undefined && { value: key.value }),
        ...(key.enabled === false && { enabled: false }),
      };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { name: displayName(ctx, undefined, resource.LogicalResourceId), id, error: reason };
    }
  }));
  return keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
