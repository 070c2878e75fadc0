import type { DeployEvent } from '../deploy/index.js';
import type { CommonOptions } from './context.js';
import { yellow, type Output } from './output.js';

/** What Ctrl-C ends with, as a shell reports a process killed by SIGINT (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

export interface InterruptWatch {
  /** Feed every deploy event through: it tells when a CloudFormation operation runs. */
  onEvent(event: DeployEvent): void;
  /** Removes the SIGINT handler; call when the command ends. */
  dispose(): void;
}

/**
 * Ctrl-C stops sls-ts, not CloudFormation: an update or delete it started goes on in AWS. So on
 * SIGINT while one runs, say so and how to follow it, then exit 130; otherwise exit 130 quietly,
 * as Node would. `beforeExit` clears a live progress line first.
 */
export function watchInterrupt(output: Output, options: Pick<CommonOptions, 'stage' | 'region' | 'profile'>, beforeExit: () => void): InterruptWatch {
  let running: string | undefined;
  const onSignal = () => {
    beforeExit();
    if (running) {
      const flags = [`--stage ${options.stage}`, ...(options.region ? [`--region ${options.region}`] : []), ...(options.profile ? [`--profile ${options.profile}`] : [])].join(' ');
      output.err(`${yellow(output, 'interrupted')}: ${running} goes on in CloudFormation (stopping sls-ts does not stop it) — follow it with \`sls-ts status ${flags}\`, and run the command again once it has finished`);
    }
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.on('SIGINT', onSignal);
  let stackName = 'the stack';
  return {
    onEvent(event) {
      if ('stackName' in event) stackName = event.stackName;
      const started = operationStarted(event, stackName);
      if (started) running = started;
      else if (ENDS.has(event.type)) running = undefined;
    },
    dispose: () => void process.off('SIGINT', onSignal),
  };
}

const PHASES = { waiting: 'another operation on', 'deleting-failed-create': 'the delete of', 'rolling-back': 'the rollback of', 'continuing-rollback': 'the continued rollback of' } as const;

/** The operation an event says has started in CloudFormation, named for the message. */
function operationStarted(event: DeployEvent, stackName: string): string | undefined {
  switch (event.type) {
    case 'bootstrap-start':
      return `the creation of ${stackName}`;
    case 'execute-start':
      return `the update of ${stackName}`;
    case 'delete-start':
      return `the delete of ${stackName}`;
    case 'stack-waiting':
      return `${PHASES[event.phase]} ${stackName}${event.phase === 'waiting' ? ` (${event.status})` : ''}`;
    default:
      return undefined;
  }
}

/** Events that come once no operation runs any more. */
const ENDS = new Set<DeployEvent['type']>(['stack-done', 'stack-recovered', 'bootstrap-done', 'build-start', 'upload-start', 'changeset-start', 'bucket-emptied', 'no-changes']);
