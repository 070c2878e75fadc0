// ContinueUpdateRollback's ResourcesToSkip: resources a failed rollback cannot restore (their old
// code object is gone, a manual change got in the way) that CloudFormation may leave as they are.
// No SDK import here: the CLI checks the flag's value at parse time, before the deploy room loads.

/** A logical id (letters and digits), or `NestedStack.LogicalId` for one inside a nested stack. */
const RESOURCE_TO_SKIP = /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/;

const FORM = 'logical ids separated by commas, e.g. PostsControllerFunction,ApiStack.HelloFunction (NestedStack.LogicalId inside a nested stack)';

/** What is wrong with a list of resources to skip, or undefined when every id is well-formed. */
export function checkResourcesToSkip(ids: readonly string[]): string | undefined {
  if (ids.length === 0) return `no resources given: expected ${FORM}`;
  const bad = ids.find((id) => !RESOURCE_TO_SKIP.test(id));
  return bad === undefined ? undefined : `"${bad}" is not a logical resource id: expected ${FORM}`;
}

/** `A,B` → ['A', 'B']; throws the problem (for the CLI's parser) when the list is malformed. */
export function parseResourcesToSkip(text: string): string[] {
  const ids = text.split(',').map((id) => id.trim());
  const problem = checkResourcesToSkip(text.trim() === '' ? [] : ids);
  if (problem) throw new Error(problem);
  return ids;
}

/** The command that continues the rollback past these resources. */
export function skipCommand(stage: string, ids: readonly string[]): string {
  return `sls-ts deploy --stage ${stage} --yes --skip-resources ${ids.join(',')}`;
}
