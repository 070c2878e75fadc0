// Before building anything: is the stack in a state a deploy can start from? Stuck states are
// handled the way a person would: a failed first create is deleted (rolled back first when rollback
// was disabled), a running operation is waited for, a failed rollback is continued (when allowed),
// a failed update with rollback disabled is updated again.
import { ContinueUpdateRollbackCommand, DeleteStackCommand, ListChangeSetsCommand, RollbackStackCommand, type ChangeSetSummary, type Stack } from '@aws-sdk/client-cloudformation';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isSelfEvent, startAndFollow, type MonitorResult } from './monitor.js';
import { checkResourcesToSkip, skipCommand } from './skip-resources.js';
import { STABLE_STATUSES, describeStack, isInProgress, waitForSettled } from './stack.js';
import type { StackStatusPhase } from './types.js';

export interface PreflightOptions {
  /** False (`--no-wait`): stop with a message instead of waiting for a running operation. */
  wait?: boolean;
  /** `--yes`: allowed to continue a failed rollback without asking. */
  yes?: boolean;
  /** Asks the user (interactive terminals only); missing means "no" unless `yes`. */
  confirm?: (question: string) => Promise<boolean>;
  /** `--plan`: change nothing, so a stack that would be deleted is treated as already gone. */
  plan?: boolean;
  /**
   * `--skip-resources`: resources (logical ids; `NestedStack.LogicalId` inside a nested stack) that
   * continuing a failed rollback leaves as they are (ContinueUpdateRollback's ResourcesToSkip).
   */
  skipResources?: string[];
}

export interface PreflightResult {
  /** Undefined when the deploy has to create the stack. */
  stack: Stack | undefined;
}

const DELETE_HINT = 'delete it with `sls-ts delete --yes` (the app\'s data in the stack goes with it), then deploy again';

/** Reads the stack's status and gets it to one a deploy can start from, or explains why it cannot. */
export async function preflight(ctx: DeployContext, options: PreflightOptions = {}): Promise<PreflightResult> {
  const skipProblem = options.skipResources && checkResourcesToSkip(options.skipResources);
  if (skipProblem) throw new SlsError({ text: `skipResources (--skip-resources): ${skipProblem}` });
  // A few rounds at most: waiting, then continuing a rollback, then finding it settled.
  for (let round = 0; round < 5; round++) {
    const stack = await describeStack(ctx);
    const status = stack?.StackStatus;
    if (round === 0) ctx.emit({ type: 'stack-found', stackName: ctx.stackName, status });
    if (round === 0 && options.skipResources && status !== 'UPDATE_ROLLBACK_FAILED' && !isInProgress(status)) {
      ctx.emit({ type: 'warning', diagnostic: { level: 'warning', text: `--skip-resources is ignored: stack ${ctx.stackName} is ${status ?? 'not deployed'}, and only continuing a failed rollback (UPDATE_ROLLBACK_FAILED) skips resources` } });
    }
    if (!stack || !status) return { stack: undefined };
    if (STABLE_STATUSES.has(status)) return { stack };
    // An update that failed with rollback disabled (DisableRollback) keeps what it made; AWS takes
    // a new update from UPDATE_FAILED, so the deploy's change set simply retries or replaces it.
    if (status === 'UPDATE_FAILED') return { stack };

    if (status === 'ROLLBACK_COMPLETE' || status === 'REVIEW_IN_PROGRESS') {
      // Nothing of a failed first create (or an unexecuted create change set) survives; CloudFormation
      // cannot update such a stack, only delete it.
      if (options.plan) return { stack: undefined };
      if (status === 'REVIEW_IN_PROGRESS') await assertNobodyCreating(ctx, stack);
      const deleted = await runOperation(ctx, stack, 'deleting-failed-create', (StackName) => new DeleteStackCommand({ StackName }));
      if (deleted.status !== 'DELETE_COMPLETE') {
        throw new SlsError({
          text: `stack ${ctx.stackName} could not be deleted (${deleted.status}${deleted.reason ? `: ${deleted.reason}` : ''})`,
          hint: 'see its events in the CloudFormation console; remove what blocks it (often a non-empty bucket) and run the command again',
        });
      }
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

    const reason = stack.StackStatusReason ? ` (${stack.StackStatusReason})` : '';
    if (status === 'CREATE_FAILED') {
      // A first create that failed with rollback disabled: only the bootstrap bucket was in it.
      // Rolling it back (RollbackStack) leaves ROLLBACK_COMPLETE, which the next round deletes.
      if (options.plan) return { stack: undefined };
      await mayRecover(ctx, options, status, 'Roll it back and deploy it again from scratch?', {
        text: `stack ${ctx.stackName} is CREATE_FAILED: its first deploy failed with rollback disabled${reason}`,
        hint: `run \`sls-ts deploy --yes\` to roll it back (RollbackStack), delete it and deploy again; or roll it back yourself with \`aws cloudformation rollback-stack --stack-name ${ctx.stackName}\``,
      });
      const rolledBack = await runOperation(ctx, stack, 'rolling-back', (StackName) => new RollbackStackCommand({ StackName }));
      if (rolledBack.status !== 'ROLLBACK_COMPLETE') {
        throw new SlsError({ text: `stack ${ctx.stackName}: rolling back the failed create ended ${rolledBack.status}${rolledBack.reason ? ` (${rolledBack.reason})` : ''}`, hint: DELETE_HINT });
      }
      continue;
    }

    if (status === 'UPDATE_ROLLBACK_FAILED') {
      // A plan changes nothing, and CloudFormation plans no change set on this status.
      await mayRecover(ctx, options, status, 'Continue the rollback now?', {
        text: `stack ${ctx.stackName} is UPDATE_ROLLBACK_FAILED: a failed update could not be rolled back${reason}${options.plan ? '; a plan cannot be made until the rollback is continued (nothing was changed)' : ''}`,
        hint: 'run `sls-ts deploy --yes` to continue the rollback (ContinueUpdateRollback) and deploy; if it fails again, fix or skip (--skip-resources) the resources it names',
      });
      const skip = options.skipResources;
      const settled = await runOperation(ctx, stack, 'continuing-rollback', (StackName) => new ContinueUpdateRollbackCommand({ StackName, ...(skip && { ResourcesToSkip: skip }) }));
      ctx.emit({ type: 'stack-recovered', stackName: ctx.stackName, from: status, status: settled.status });
      if (settled.status === 'UPDATE_ROLLBACK_FAILED') throw rollbackFailedAgain(ctx, settled);
      continue;
    }

    if (status === 'ROLLBACK_FAILED' || status === 'DELETE_FAILED' || status === 'IMPORT_ROLLBACK_FAILED') {
      throw new SlsError({ text: `stack ${ctx.stackName} is ${status}${reason} and cannot be updated`, hint: DELETE_HINT });
    }
    throw new SlsError({ text: `stack ${ctx.stackName} is ${status}, which a deploy cannot start from`, hint: DELETE_HINT });
  }
  throw new SlsError({ text: `stack ${ctx.stackName} did not settle`, hint: 'see its events in the CloudFormation console and run the command again' });
}

/** A change set older than this is no deploy in flight: creating or starting one takes minutes. */
const IN_FLIGHT_MS = 30 * 60 * 1000;

/**
 * A REVIEW_IN_PROGRESS stack is also what another deploy (ours, SAM, the console) sees between
 * creating its first change set and executing it: deleting it then would pull the stack from
 * under that deploy. Such a change set is being made or run right now, and was made recently.
 */
async function assertNobodyCreating(ctx: DeployContext, stack: Stack): Promise<void> {
  const summaries: ChangeSetSummary[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.cloudformation.send(new ListChangeSetsCommand({ StackName: stack.StackId ?? ctx.stackName, ...(token && { NextToken: token }) }));
    summaries.push(...(page.Summaries ?? []));
    token = page.NextToken;
  } while (token);
  const busy = summaries.find((summary) => {
    const working = summary.Status === 'CREATE_PENDING' || summary.Status === 'CREATE_IN_PROGRESS' || summary.ExecutionStatus === 'EXECUTE_IN_PROGRESS';
    return working && (!summary.CreationTime || Date.now() - summary.CreationTime.getTime() < IN_FLIGHT_MS);
  });
  if (!busy) return;
  const state = busy.ExecutionStatus === 'EXECUTE_IN_PROGRESS' ? 'EXECUTE_IN_PROGRESS' : busy.Status;
  throw new SlsError({
    text: `stack ${ctx.stackName} is REVIEW_IN_PROGRESS and its change set ${busy.ChangeSetName ?? '(unnamed)'} is ${state}: another deploy is creating this stack right now`,
    hint: 'wait for that deploy to finish, then run the command again (sls-ts deletes a REVIEW_IN_PROGRESS stack only when no change set of it is being made or run)',
  });
}

/**
 * The resources this continued rollback could not restore, named the way ResourcesToSkip takes
 * them, and the command that skips them. A nested stack's own failure only echoes its resources'.
 */
function rollbackFailedAgain(ctx: DeployContext, settled: MonitorResult): SlsError {
  const failed = settled.events.filter((event) => event.status === 'UPDATE_FAILED' && !isSelfEvent(event) && event.type !== 'AWS::CloudFormation::Stack');
  const ids = [...new Set(failed.map((event) => [...event.stackPath, event.logicalId].join('.')))];
  // Without events (none were readable), CloudFormation's reason still lists the root's resources.
  if (ids.length === 0) ids.push(...(/failed to update: \[([^\]]+)\]/.exec(settled.reason ?? '')?.[1]?.split(/,\s*/) ?? []));
  const why = failed[0]?.reason ?? settled.reason;
  if (ids.length === 0) {
    return new SlsError({
      text: `stack ${ctx.stackName}: continuing the rollback failed again${why ? ` (${why})` : ''}`,
      hint: 'see the stack events for the resources that failed to roll back; fix them, or skip them with `sls-ts deploy --yes --skip-resources <LogicalId,…>`',
    });
  }
  return new SlsError({
    text: `stack ${ctx.stackName}: continuing the rollback failed again: ${ids.join(', ')} could not roll back${why ? ` (${failed[0] ? `${ids[0]}: ` : ''}${why})` : ''}`,
    hint: `if they may stay as they are (CloudFormation marks them rolled back without changing them; the next deploy updates them), run \`${skipCommand(ctx.stage, ids)}\`; or fix them by hand and deploy again`,
  });
}

/**
 * Goes on when a recovery that changes the stack is allowed (`--yes`, or "yes" at the prompt);
 * otherwise throws `refusal`. Under `--plan` it is never allowed: a plan changes nothing.
 */
async function mayRecover(ctx: DeployContext, options: PreflightOptions, status: string, question: string, refusal: { text: string; hint: string }): Promise<void> {
  if (options.plan) throw new SlsError(refusal);
  if (options.yes) return;
  if (options.confirm && (await options.confirm(`Stack ${ctx.stackName} is ${status}. ${question}`))) return;
  throw new SlsError(refusal);
}

/**
 * Starts an operation on the stack (by ARN: a deleted stack is only found by it) and follows it to
 * its own end, not to the previous status CloudFormation still shows for a moment.
 */
async function runOperation(ctx: DeployContext, stack: Stack, phase: StackStatusPhase, command: (stackRef: string) => DeleteStackCommand | ContinueUpdateRollbackCommand | RollbackStackCommand) {
  const stackRef = stack.StackId ?? ctx.stackName;
  return startAndFollow(ctx, { stackRef, start: () => ctx.clients.cloudformation.send(command(stackRef) as DeleteStackCommand), total: 0, phase });
}
