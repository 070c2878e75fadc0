// Before building anything: is the stack in a state a deploy can start from? Stuck states are
// handled the way a person would: a failed first create is deleted, a running operation is waited
// for, a failed rollback is continued (when allowed).
import { ContinueUpdateRollbackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { STABLE_STATUSES, deleteStackAndWait, describeStack, isInProgress, waitForSettled } from './stack.js';

export interface PreflightOptions {
  /** False (`--no-wait`): stop with a message instead of waiting for a running operation. */
  wait?: boolean;
  /** `--yes`: allowed to continue a failed rollback without asking. */
  yes?: boolean;
  /** Asks the user (interactive terminals only); missing means "no" unless `yes`. */
  confirm?: (question: string) => Promise<boolean>;
  /** `--plan`: change nothing, so a stack that would be deleted is treated as already gone. */
  plan?: boolean;
}

export interface PreflightResult {
  /** Undefined when the deploy has to create the stack. */
  stack: Stack | undefined;
}

const DELETE_HINT = 'delete it with `sls-ts delete --yes` (the app\'s data in the stack goes with it), then deploy again';

/** Reads the stack's status and gets it to one a deploy can start from, or explains why it cannot. */
export async function preflight(ctx: DeployContext, options: PreflightOptions = {}): Promise<PreflightResult> {
  // A few rounds at most: waiting, then continuing a rollback, then finding it settled.
  for (let round = 0; round < 5; round++) {
    const stack = await describeStack(ctx);
    const status = stack?.StackStatus;
    if (round === 0) ctx.emit({ type: 'stack-found', stackName: ctx.stackName, status });
    if (!stack || !status) return { stack: undefined };
    if (STABLE_STATUSES.has(status)) return { stack };

    if (status === 'ROLLBACK_COMPLETE' || status === 'REVIEW_IN_PROGRESS') {
      // Nothing of a failed first create (or an unexecuted create change set) survives; CloudFormation
      // cannot update such a stack, only delete it.
      if (options.plan) return { stack: undefined };
      await deleteStackAndWait(ctx, 'deleting-failed-create');
      ctx.emit({ type: 'stack-recovered', stackName: ctx.stackName, from: status, status: undefined });
      return { stack: undefined };
    }

    if (isInProgress(status)) {
      if (options.wait === false) {
        throw new SlsError({
          text: `stack ${ctx.stackName} is ${status}: another operation is running`,
          hint: 'wait for it to finish (or run without --no-wait to wait here)',
        });
      }
      await waitForSettled(ctx);
      continue;
    }

    if (status === 'UPDATE_ROLLBACK_FAILED') {
      const reason = stack.StackStatusReason ? ` (${stack.StackStatusReason})` : '';
      const allowed = options.yes || (options.confirm && !options.plan ? await options.confirm(`Stack ${ctx.stackName} is UPDATE_ROLLBACK_FAILED. Continue the rollback now?`) : false);
      if (!allowed) {
        throw new SlsError({
          text: `stack ${ctx.stackName} is UPDATE_ROLLBACK_FAILED: a failed update could not be rolled back${reason}`,
          hint: 'run `sls-ts deploy --yes` to continue the rollback (ContinueUpdateRollback) and deploy; if it fails again, fix or skip the resources named in the stack events',
        });
      }
      await ctx.clients.cloudformation.send(new ContinueUpdateRollbackCommand({ StackName: ctx.stackName }));
      const settled = await waitForSettled(ctx, 'continuing-rollback');
      ctx.emit({ type: 'stack-recovered', stackName: ctx.stackName, from: status, status: settled?.StackStatus });
      if (settled?.StackStatus === 'UPDATE_ROLLBACK_FAILED') {
        throw new SlsError({
          text: `stack ${ctx.stackName}: continuing the rollback failed again${settled.StackStatusReason ? ` (${settled.StackStatusReason})` : ''}`,
          hint: 'fix the resources named in the stack events (or skip them with ResourcesToSkip in the console), then deploy again',
        });
      }
      continue;
    }

    if (status === 'ROLLBACK_FAILED' || status === 'DELETE_FAILED' || status === 'IMPORT_ROLLBACK_FAILED') {
      throw new SlsError({ text: `stack ${ctx.stackName} is ${status}${stack.StackStatusReason ? ` (${stack.StackStatusReason})` : ''} and cannot be updated`, hint: DELETE_HINT });
    }
    throw new SlsError({ text: `stack ${ctx.stackName} is ${status}, which a deploy cannot start from`, hint: DELETE_HINT });
  }
  throw new SlsError({ text: `stack ${ctx.stackName} did not settle`, hint: 'see its events in the CloudFormation console and run the command again' });
}
