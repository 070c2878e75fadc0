// Whether an executed change set ever started, from its own ExecutionStatus. ExecuteChangeSet only
// accepts the request: a change set another update made OBSOLETE, or one CloudFormation could not
// run, never moves the stack, and its status alone would be waited on until the follow timed out.
import { DescribeChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { errorName } from './errors.js';

/**
 * `complete`: the execution is over, so the stack's settled status is its outcome; `waiting`: it
 * runs or is about to (or cannot be told); an SlsError: it will never start.
 */
export type ExecutionState = 'complete' | 'waiting' | SlsError;
export type ExecutionCheck = () => Promise<ExecutionState>;

const NEVER_STARTED: Record<string, string> = {
  OBSOLETE: 'another update of the stack came first (a concurrent deploy, or a change in the console); run the deploy again once it has finished',
  EXECUTE_FAILED: 'see the change set and the stack events in the CloudFormation console, then run the deploy again',
  UNAVAILABLE: 'CloudFormation cannot execute it any more; run the deploy again, which makes a new one',
};

/** Reads the change set's ExecutionStatus; asked only while the stack shows no sign of this execution. */
export function changeSetExecution(ctx: DeployContext, changeSet: { id: string; name: string }): ExecutionCheck {
  return async () => {
    let described;
    try {
      described = await ctx.clients.cloudformation.send(new DescribeChangeSetCommand({ StackName: ctx.stackName, ChangeSetName: changeSet.id }));
    } catch (error) {
      // CloudFormation removes a stack's change sets once one has run: the stack tells the rest.
      if (errorName(error) === 'ChangeSetNotFoundException' || errorName(error) === 'ChangeSetNotFound') return 'waiting';
      throw error;
    }
    const status = described.ExecutionStatus ?? '';
    if (status === 'EXECUTE_COMPLETE') return 'complete';
    const hint = NEVER_STARTED[status];
    if (!hint) return 'waiting';
    const reason = described.StatusReason ? ` (${described.StatusReason})` : '';
    return new SlsError({ text: `change set ${changeSet.name} was accepted but never started: it is ${status}${reason}; stack ${ctx.stackName} was not changed`, hint });
  };
}
