// How the deployed stack is laid out, one template or nested stacks, and whether this deploy may
// keep to it. CloudFormation creates before it deletes, so a function, log group or API path
// moving between the root and a nested stack under the same name collides with itself: a
// deployed app never crosses that line, in either direction.
import type { Stack } from '@aws-sdk/client-cloudformation';
import { FIXED_IDS, type GeneratedTemplates, type GenerateTemplatesInput, type StacksLayout } from '../cloudformation/index.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { hasNestedStacks, listStackResources } from './resources.js';
import { OUTPUTS, outputsOf } from './stack.js';

/**
 * `empty`: no stack, or only the bootstrap's bucket, so either layout may start.
 * `nested-methods-with-functions`: nested by an sls-ts that kept API methods with their function.
 */
export type DeployedLayout = 'empty' | StacksLayout;

const BOOTSTRAP_IDS = new Set<string>([FIXED_IDS.bucket, FIXED_IDS.bucketPolicy]);

const LAYOUTS = new Set<string>(['single', 'nested', 'nested-methods-with-functions'] satisfies StacksLayout[]);

/** The layout the root recorded (`SlsTsStacks`), or for a stack deployed before it did, what its resources show. */
export async function deployedLayout(ctx: DeployContext, stack: Stack | undefined): Promise<DeployedLayout> {
  if (!stack) return 'empty';
  const recorded = outputsOf(stack)[OUTPUTS.stacks];
  if (recorded !== undefined && LAYOUTS.has(recorded)) return recorded as StacksLayout;
  const resources = (await listStackResources(ctx)).filter((resource) => resource.ResourceStatus !== 'DELETE_COMPLETE');
  // Before the layout was recorded, nested stacks kept each API method with its function.
  if (hasNestedStacks(resources)) return 'nested-methods-with-functions';
  return resources.some((resource) => !BOOTSTRAP_IDS.has(resource.LogicalResourceId ?? '')) ? 'single' : 'empty';
}

/** What generateTemplates needs to keep the deployed layout. */
export function layoutInput(deployed: DeployedLayout): Pick<GenerateTemplatesInput, 'split' | 'methods'> {
  if (deployed === 'nested') return { split: 'always' };
  if (deployed === 'nested-methods-with-functions') return { split: 'always', methods: 'function' };
  return { split: 'auto' };
}

/** Refuses, before anything is uploaded, a deploy that would move a one-template app into nested stacks. */
export function assertLayoutKept(ctx: DeployContext, deployed: DeployedLayout, templates: GeneratedTemplates): void {
  if (deployed !== 'single' || templates.children.length === 0) return;
  throw new SlsError({
    text: `${ctx.stackName} is deployed as one template but no longer fits one (${templates.stats.resources} resources; a template holds 500 and 1 MB), and moving its functions, log groups and API paths into nested stacks would create each again before deleting it, which CloudFormation refuses`,
    hint: `delete the stack (\`sls-ts delete --stage ${ctx.config.stage}\`) and deploy again, use the \`single\` layout, or deploy a new stage with \`stacks: 'nested'\``,
  });
}
