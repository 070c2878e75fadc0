// `sls-ts resources`: the declared resources, what each is deployed as (from the stack's outputs,
// else its resources' physical ids), and which functions link them. Before a deploy it still
// lists the declarations and links, each "not deployed".
import type { Stack } from '@aws-sdk/client-cloudformation';
import { appCheckEnv, inspectApp, planFunctions } from '../build/index.js';
import { declaredResourceOutputs, type ResourceOutputs } from '../cloudformation/index.js';
import type { ResolvedAttribute, ResolvedResource } from '../config/resources.js';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { withAwsErrors } from './errors.js';
import { listStackResources } from './resources.js';
import { describeStack, outputsOf } from './stack.js';

export interface ListedResource {
  /** The name under `resources`. */
  name: string;
  kind: ResolvedResource['kind'];
  /** Its settings in a few words: `key id, sort createdAt (number), 1 index (byAuthor)`. */
  settings: string;
  /** Tables and buckets: whether they outlive the stack on this stage. */
  removal?: 'retain' | 'destroy';
  logicalId: string;
  /** Its physical name, ARN, URL… once deployed; undefined while it is not. */
  deployed?: ResourceOutputs;
  /** The functions (keys) linking it, and how. */
  linkedBy: Array<{ function: string; access: 'read-write' | 'read-only' }>;
}

export interface ResourceListing {
  stackName: string;
  region: string;
  /** Whether the stack exists. */
  deployed: boolean;
  resources: ListedResource[];
}

const attribute = (a: ResolvedAttribute) => (a.type === 'string' ? a.name : `${a.name} (${a.type})`);
const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;

/** A resource's settings in a few words, defaults left out. */
export function summarizeSettings(resource: ResolvedResource): string {
  const parts: string[] = [];
  switch (resource.kind) {
    case 'table':
      parts.push(`key ${attribute(resource.key)}`);
      if (resource.sort) parts.push(`sort ${attribute(resource.sort)}`);
      if (resource.indexes.length > 0) parts.push(`${count(resource.indexes.length, 'index')} (${resource.indexes.map((index) => index.name).join(', ')})`);
      if (resource.ttl) parts.push(`ttl ${resource.ttl}`);
      if (resource.stream) parts.push(`stream ${resource.stream}`);
      if (!resource.pointInTimeRecovery) parts.push('no point-in-time recovery');
      break;
    case 'bucket':
      parts.push(resource.public ? 'public read' : 'private');
      if (resource.versioned) parts.push('versioned');
      if (resource.cors) parts.push(`cors ${resource.cors.origins.join(' ')}`);
      if (resource.expireAfterDays !== undefined) parts.push(`objects expire after ${count(resource.expireAfterDays, 'day')}`);
      break;
    case 'queue':
      if (resource.fifo) parts.push('fifo');
      parts.push(`visibility ${resource.visibilityTimeout} s`);
      parts.push(resource.deadLetter ? `dead-letter after ${count(resource.deadLetter.maxReceives, 'receive')}` : 'no dead-letter queue');
      break;
    case 'topic':
      parts.push(resource.fifo ? 'fifo' : 'standard');
      break;
    case 'cloudformation':
      parts.push(resource.resource.Type);
      break;
  }
  return parts.join(', ');
}

/** Which functions link each resource (sorted by key), from the app's function plan (no bundling). */
async function linksByResource(ctx: DeployContext): Promise<Map<string, ListedResource['linkedBy']>> {
  const { app, diagnostics } = await inspectApp(ctx.config.root, { env: appCheckEnv(ctx.config) });
  if (!app) throw new SlsError(diagnostics.filter((d) => (d.level ?? 'error') === 'error'));
  const links = new Map<string, ListedResource['linkedBy']>();
  for (const fn of planFunctions(ctx.config, app)) {
    for (const link of fn.links) {
      links.set(link.name, [...(links.get(link.name) ?? []), { function: fn.key, access: link.readOnly ? 'read-only' : 'read-write' }]);
    }
  }
  for (const linked of links.values()) linked.sort((a, b) => (a.function < b.function ? -1 : 1));
  return links;
}

/**
 * What a deployed resource's physical id says of it, for stacks whose outputs do not name it (an
 * emulator that keeps the first outputs, a stack deployed before the outputs existed).
 */
function fromPhysicalId(kind: ResolvedResource['kind'], physicalId: string): ResourceOutputs {
  switch (kind) {
    case 'queue':
      return { name: physicalId.split('/').pop()!, url: physicalId };
    case 'topic':
      return { name: physicalId.split(':').pop()!, arn: physicalId };
    default:
      return { name: physicalId };
  }
}

/** Each declared resource's deployed identifiers, by name. */
async function deployedValues(ctx: DeployContext, stack: Stack): Promise<Map<string, ResourceOutputs>> {
  const outputs = outputsOf(stack);
  const values = new Map<string, ResourceOutputs>();
  const missing: Array<{ name: string; kind: ResolvedResource['kind']; logicalId: string }> = [];
  for (const declared of declaredResourceOutputs(ctx.config.resources)) {
    const found: ResourceOutputs = {};
    for (const [field, output] of Object.entries(declared.outputs) as Array<[keyof ResourceOutputs, string]>) {
      if (outputs[output] !== undefined) found[field] = outputs[output];
    }
    if (Object.keys(found).length > 0) values.set(declared.name, found);
    else missing.push(declared);
  }
  if (missing.length === 0) return values;
  const physical = new Map((await listStackResources(ctx, stack.StackId ?? ctx.stackName)).map((resource) => [resource.LogicalResourceId, resource.PhysicalResourceId]));
  for (const declared of missing) {
    const id = physical.get(declared.logicalId);
    if (id) values.set(declared.name, fromPhysicalId(declared.kind, id));
  }
  return values;
}

export async function listResources(ctx: DeployContext): Promise<ResourceListing> {
  const links = await linksByResource(ctx);
  return withAwsErrors('resources', async () => {
    const stack = await describeStack(ctx);
    const deployed = stack ? await deployedValues(ctx, stack) : new Map<string, ResourceOutputs>();
    const ids = new Map(declaredResourceOutputs(ctx.config.resources).map((declared) => [declared.name, declared.logicalId]));
    const resources = ctx.config.resources.map((resource): ListedResource => {
      const values = deployed.get(resource.name);
      return {
        name: resource.name,
        kind: resource.kind,
        settings: summarizeSettings(resource),
        ...((resource.kind === 'table' || resource.kind === 'bucket') && { removal: resource.removal }),
        logicalId: ids.get(resource.name)!,
        ...(values && { deployed: values }),
        linkedBy: links.get(resource.name) ?? [],
      };
    });
    return { stackName: ctx.stackName, region: ctx.region, deployed: stack !== undefined, resources };
  });
}
