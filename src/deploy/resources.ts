// Reading the stack's resources (paginated): what is nested, where the API is, how many to delete.
import { ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from './context.js';

export async function listStackResources(ctx: DeployContext, stackRef = ctx.stackName): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.cloudformation.send(new ListStackResourcesCommand({ StackName: stackRef, ...(token && { NextToken: token }) }));
    resources.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return resources;
}

/**
 * Whether the deployed stack already holds nested stacks: the templates must then stay nested, as
 * moving named functions back into the root would collide with the ones being removed.
 */
export function hasNestedStacks(resources: readonly StackResourceSummary[]): boolean {
  return resources.some((resource) => resource.ResourceType === 'AWS::CloudFormation::Stack' && resource.ResourceStatus !== 'DELETE_COMPLETE');
}

export function physicalIdOf(resources: readonly StackResourceSummary[], type: string): string | undefined {
  return resources.find((resource) => resource.ResourceType === type && resource.PhysicalResourceId)?.PhysicalResourceId;
}
