// A nested app's change set is never empty on AWS: with IncludeNestedStacks every nested stack is
// listed as modified ("ChangeSource: Automatic") whether or not anything in it changes, so asking
// CloudFormation would turn every redeploy of the same code into a whole update. The root template
// decides the whole tree: nested TemplateURLs and code keys carry the sha256 of their content, so
// the same root body means the same nested templates and the same code.
//
// What is deployed is read from CloudFormation itself (GetTemplate, Original stage), not from a hash
// sls-ts records: it stays right after a rollback (UPDATE_ROLLBACK_COMPLETE runs the old template,
// and GetTemplate returns that one), after a deploy by another tool or an interrupted sls-ts, and
// needs no stack tag (tags reach every resource, so a changing one would update them all).
import { isDeepStrictEqual } from 'node:util';
import { GetTemplateCommand, type Tag } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from './context.js';
import { describeStack } from './stack.js';

/** Settled states whose template is the one the stack runs; anything else goes through a change set. */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);

/**
 * True only when the stack certainly runs this root template with these tags: then a change set
 * could change nothing. Anything uncertain answers false, and the change set decides.
 * Capabilities are not compared: they acknowledge what a template may do and change nothing.
 */
export async function isAlreadyDeployed(ctx: DeployContext, input: { rootBody: string; tags: Tag[] }): Promise<boolean> {
  try {
    // Read again, not taken from pre-flight: the build in between may have given another deploy time to start.
    const stack = await describeStack(ctx);
    if (!stack || !SETTLED.has(stack.StackStatus ?? '')) return false;
    // sls-ts passes no parameters and its root declares none: any the stack has would change.
    if ((stack.Parameters ?? []).length > 0) return false;
    if (!isDeepStrictEqual(sortTags(stack.Tags ?? []), sortTags(input.tags))) return false;
    const { TemplateBody } = await ctx.clients.cloudformation.send(new GetTemplateCommand({ StackName: ctx.stackName, TemplateStage: 'Original' }));
    return TemplateBody !== undefined && isDeepStrictEqual(parseJson(TemplateBody), parseJson(input.rootBody));
  } catch {
    // Not allowed to read the template, throttled past the retries…: the change set still knows.
    return false;
  }
}

function sortTags(tags: readonly Tag[]): Array<[string, string]> {
  return tags.map((tag): [string, string] => [tag.Key ?? '', tag.Value ?? '']).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Compared as data: CloudFormation may hand the body back formatted differently. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return Symbol('unparsable');
  }
}
