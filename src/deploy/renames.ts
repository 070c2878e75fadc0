// Ids of named resources must never change under a deployed stack: CloudFormation creates the
// resource under its new id before it deletes the old one, and Lambda (function names, log
// groups) or API Gateway (path parts, methods) refuse the duplicate. sls-ts ids depend on their own
// key only, but an earlier version gave some keys a readable id it now hashes (`/logo.png`,
// `/hello/{name}`, `send_email`): such a deploy is refused before anything is uploaded.
import type { Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { GeneratedTemplates } from '../cloudformation/index.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { listStackResources } from './resources.js';
import { OUTPUTS, outputsOf } from './stack.js';

/** Types whose physical name or place is fixed by their properties, so a new id collides with the old. */
const NAMED_TYPES = new Set([
  'AWS::Lambda::Function', 'AWS::Logs::LogGroup', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method', 'AWS::CloudFormation::Stack',
]);
const HASH = /[0-9a-f]{8}(?=[A-Z]|$)/g;
const STACK = 'AWS::CloudFormation::Stack';

/** The deployed root's resources and its nested stacks' (one level: sls-ts nests no deeper). */
async function deployedResources(ctx: DeployContext): Promise<StackResourceSummary[]> {
  const root = (await listStackResources(ctx)).filter((resource) => resource.ResourceStatus !== 'DELETE_COMPLETE');
  const children = root.filter((resource) => resource.ResourceType === STACK && resource.PhysicalResourceId);
  const nested = await Promise.all(children.map((child) => listStackResources(ctx, child.PhysicalResourceId)));
  return [...root, ...nested.flat().filter((resource) => resource.ResourceStatus !== 'DELETE_COMPLETE')];
}

/** `ApiResourceLogoPng27e9bac9` → `ApiResourceLogoPng`: the ids this id would have had without a hash. */
function unhashed(id: string): string[] {
  return [...id.matchAll(HASH)].map((match) => id.slice(0, match.index) + id.slice(match.index + match[0].length));
}

/**
 * Only for a stack an earlier sls-ts deployed (no `SlsTsStacks` output): since then ids depend on
 * their own key alone, so a stack this version deployed cannot meet a rename.
 */
export async function assertNoRenames(ctx: DeployContext, stack: Stack, templates: GeneratedTemplates): Promise<void> {
  if (outputsOf(stack)[OUTPUTS.stacks] !== undefined) return;
  const generated = new Set([...Object.keys(templates.root.Resources), ...templates.children.flatMap((child) => Object.keys(child.template.Resources))]);
  const deployed = new Map((await deployedResources(ctx)).map((resource) => [resource.LogicalResourceId ?? '', resource.ResourceType ?? '']));
  const renamed: string[] = [];
  for (const id of [...generated].sort()) {
    if (deployed.has(id)) continue;
    const old = unhashed(id).find((candidate) => !generated.has(candidate) && NAMED_TYPES.has(deployed.get(candidate) ?? ''));
    if (old !== undefined) renamed.push(`${old} → ${id}${templates.sources[id] ? ` (${templates.sources[id]})` : ''}`);
  }
  if (renamed.length === 0) return;
  const shown = renamed.slice(0, 3).join(', ') + (renamed.length > 3 ? `, and ${renamed.length - 3} more` : '');
  throw new SlsError({
    text: `this sls-ts gives ${renamed.length} resources of ${ctx.stackName} new logical ids (${shown}); CloudFormation would create each under its new id before deleting the old one, which Lambda and API Gateway refuse as duplicates`,
    hint: `delete the stack (\`sls-ts delete --stage ${ctx.config.stage}\`) and deploy again, or deploy this stage with the sls-ts version that deployed it`,
  });
}
