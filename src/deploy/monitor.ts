// Follows a stack operation through its events, nested stacks included, counting finished
// resources for the progress line, until the root stack settles.
import { DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeployContext } from './context.js';
import type { ExecutionCheck } from './execution.js';
import { isStackMissing, isThrottling } from './errors.js';
import { pollUntil } from './poll.js';
import { redactSecrets } from './redact.js';
import { ReadSchedule } from './read-schedule.js';
import { describeStack, isInProgress } from './stack.js';
import type { StackEventInfo, StackStatusPhase } from './types.js';

const DONE_STATUSES = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'DELETE_SKIPPED', 'IMPORT_COMPLETE']);

interface FollowedStack {
  path: string[];
  /** Events before this instant belong to earlier operations. */
  since?: Date;
}

/** Where the events of this operation start: the ids already on the stack's first page. */
export interface EventBaseline {
  seen: Set<string>;
}

export interface MonitorResult {
  status: string;
  reason?: string;
  /** Every event of this operation, oldest first, nested stacks included. */
  events: StackEventInfo[];
}

export function isSelfEvent(event: Pick<StackEventInfo, 'physicalId' | 'stackId'>): boolean {
  return event.physicalId === event.stackId;
}

export function toEventInfo(event: StackEvent, stackPath: string[]): StackEventInfo {
  return {
    id: event.EventId ?? `${event.StackId}/${event.LogicalResourceId}/${event.Timestamp?.toISOString()}/${event.ResourceStatus}`,
    timestamp: event.Timestamp ?? new Date(0),
    stackId: event.StackId ?? '',
    stackPath,
    logicalId: event.LogicalResourceId ?? '',
    ...(event.PhysicalResourceId && { physicalId: event.PhysicalResourceId }),
    type: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    ...(event.ResourceStatusReason && { reason: redactSecrets(event.ResourceStatusReason) }),
  };
}

export async function eventBaseline(ctx: DeployContext, stackRef = ctx.stackName): Promise<EventBaseline> {
  const { StackEvents } = await ctx.clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: stackRef }));
  return { seen: new Set((StackEvents ?? []).flatMap((event) => (event.EventId ? [event.EventId] : []))) };
}

/**
 * Events of one stack newer than what was seen, oldest first. DescribeStackEvents pages from the
 * newest back, so paging stops at the first event already seen or older than `since`.
 */
export async function readNewEvents(ctx: DeployContext, stackName: string, followed: FollowedStack, seen: Set<string>): Promise<StackEventInfo[]> {
  const fresh: StackEventInfo[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: stackName, ...(token && { NextToken: token }) }));
    token = page.NextToken;
    for (const event of page.StackEvents ?? []) {
      const info = toEventInfo(event, followed.path);
      if (seen.has(info.id) || (followed.since && info.timestamp < followed.since)) {
        token = undefined;
        break;
      }
      fresh.push(info);
    }
  } while (token);
  return fresh.reverse();
}

/** How startAndFollow starts an operation and follows it. */
export interface StartAndFollow {
  /** The stack by ARN when known (a deleted stack is only found by it); the stack name otherwise. */
  stackRef?: string;
  /** Sends the call that starts the operation (ExecuteChangeSet, DeleteStack, …). */
  start: () => Promise<unknown>;
  /** Resources the operation is expected to touch, for the progress line. */
  total: number;
  /** Said once the call was accepted (the progress view's "deploying…" line). */
  onStarted?: () => void;
  phase?: StackStatusPhase;
  execution?: ExecutionCheck;
}

/**
 * Reads the events already there, starts the operation and follows it to its own end — not to
 * the previous status CloudFormation still shows for a moment after the call returns.
 */
export async function startAndFollow(ctx: DeployContext, operation: StartAndFollow): Promise<MonitorResult> {
  const stackRef = operation.stackRef ?? ctx.stackName;
  const baseline = await eventBaseline(ctx, stackRef);
  await operation.start();
  operation.onStarted?.();
  return followStack(ctx, baseline, operation.total, stackRef, operation.phase, operation.execution);
}

/**
 * Polls events and status until this operation of the root stack has ended; emits one `resource`
 * event per new event (and, with `phase`, a `stack-waiting` per in-progress status). `stackRef`
 * may be the stack's ARN: a deleted stack is only found by it.
 *
 * The call that started the operation (ExecuteChangeSet, DeleteStack, ContinueUpdateRollback)
 * returns before the stack moves: for a while DescribeStacks still shows the previous terminal
 * status. So a terminal status only counts once this operation was seen running: the stack was
 * described `*_IN_PROGRESS`, or its own events (after the baseline) went in progress and then
 * reached that very status. An operation with a record of its own (a change set's ExecutionStatus,
 * `execution`) is asked while the stack shows no sign of it: it may say it is over, or that it will
 * never start, which ends the follow with its error instead of a wait until the timeout.
 */
export async function followStack(ctx: DeployContext, baseline: EventBaseline, total: number, stackRef = ctx.stackName, phase?: StackStatusPhase, execution?: ExecutionCheck): Promise<MonitorResult> {
  const seen = new Set(baseline.seen);
  const stacks = new Map<string, FollowedStack>([[stackRef, { path: [] }]]);
  const finished = new Set<string>();
  const events: StackEventInfo[] = [];
  /** This operation's own root events: it went in progress, and (once over) the status it ended in. */
  const own = { started: false, ended: undefined as string | undefined };
  let describedRunning: string | undefined;

  const schedule = new ReadSchedule();
  schedule.follow(stackRef, true);

  /** Reads the stacks due this round (`all`: every unfinished one); a throttled read ends the round. */
  const readRound = async (all = false) => {
    schedule.startRound();
    for (const [name, followed] of [...stacks]) {
      if (!schedule.isDue(name, all)) continue;
      let fresh: StackEventInfo[];
      try {
        fresh = await readNewEvents(ctx, name, followed, seen);
      } catch (error) {
        // Right after CreateStack the stack may not be visible yet: no events so far.
        if (isStackMissing(error)) {
          schedule.wasRead(name, 0);
          continue;
        }
        if (!isThrottling(error)) throw error;
        schedule.wasThrottled(name);
        return;
      }
      schedule.wasRead(name, fresh.length);
      for (const info of fresh) {
        if (seen.has(info.id)) continue;
        seen.add(info.id);
        events.push(info);
        const self = isSelfEvent(info);
        if (self && followed.path.length === 0) trackOwnEvent(own, info.status);
        if (self && followed.path.length > 0 && !isInProgress(info.status)) schedule.finish(name);
        if (!self && info.type === 'AWS::CloudFormation::Stack' && info.physicalId) {
          if (!stacks.has(info.physicalId)) {
            stacks.set(info.physicalId, { path: [...followed.path, info.logicalId], since: info.timestamp });
            schedule.follow(info.physicalId);
          } else if (isInProgress(info.status)) {
            schedule.wake(info.physicalId);
          }
        }
        if (!self && DONE_STATUSES.has(info.status)) finished.add(`${info.stackId}|${info.logicalId}`);
        ctx.emit({ type: 'resource', event: info, done: finished.size, total: Math.max(total, finished.size) });
      }
    }
  };

  // Throttled reads never end the wait: CloudFormation carries on whether or not it is watched.
  const settled = await pollUntil(ctx, { delayMs: ctx.delays.stack, what: `stack ${ctx.stackName}`, patient: true }, async () => {
    await readRound();
    const stack = await describeStack(ctx, stackRef);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (isInProgress(status)) {
      if (phase && status !== describedRunning) ctx.emit({ type: 'stack-waiting', stackName: ctx.stackName, status, phase });
      describedRunning = status;
      return undefined;
    }
    // A stack that is gone after this operation started is gone for good; a settled one must be
    // this operation's outcome, not the status from before it (see above).
    const ended = describedRunning !== undefined || (stack ? own.ended === status : own.started);
    if (ended || !execution) return ended ? { status, reason: stack?.StackStatusReason } : undefined;
    const state = await execution();
    if (state === 'complete') return { status, reason: stack?.StackStatusReason };
    if (state === 'waiting') return undefined;
    // Its events may only now show it ran (and failed): then the stack's status is the outcome.
    await readRound(true);
    return own.started ? undefined : { status, neverStarted: state };
  });
  if (settled.neverStarted) {
    ctx.emit({ type: 'stack-done', stackName: ctx.stackName, status: settled.status });
    throw settled.neverStarted;
  }
  // The last events (the stack's own *_COMPLETE) can land between the read and the status check.
  await readRound(true);
  ctx.emit({ type: 'stack-done', stackName: ctx.stackName, status: settled.status });
  return { status: settled.status, ...(settled.reason && { reason: settled.reason }), events };
}

function trackOwnEvent(own: { started: boolean; ended: string | undefined }, status: string): void {
  if (isInProgress(status)) {
    own.started = true;
    own.ended = undefined;
  } else if (own.started) {
    own.ended = status;
  }
}
