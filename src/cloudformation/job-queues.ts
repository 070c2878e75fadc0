// A job's own queue (`static queue`, fed by `SomeJob.performLater(payload)`): an SQS queue with a
// dead-letter queue, in the root so that every function (in any nested stack) can be given its
// URL, a mapping that runs the job on its messages, and for every function of the app the queue's
// URL in the environment and the right to send to it — send only.
import type { BuiltFunction } from '../build/types.js';
import { jobQueueEnvName } from '../config/subscriptions.js';
import type { ResolvedConfig } from '../config/types.js';
import { fitName } from '../shared/names.js';
import type { LogicalIds } from './ids.js';
import { getAtt, ref, withTags } from './intrinsics.js';
import type { LinkVariable } from './links.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import { QUEUE_CONSUMER_ACTIONS, queueMappingPart, VISIBILITY_FACTOR } from './subscriptions.js';

type Statement = Record<string, unknown>;

/** SQS's limits: a queue name's length, the longest visibility timeout, how long a message may be kept. */
const QUEUE_NAME_LIMIT = 80;
const LONGEST_VISIBILITY = 43_200;
const DEAD_LETTER_RETENTION = 1_209_600;
const DEFAULT_MAX_RECEIVES = 3;

const queued = (functions: readonly BuiltFunction[]): BuiltFunction[] => functions.filter((fn) => fn.jobQueue !== undefined).sort((a, b) => (a.key < b.key ? -1 : 1));

/** `<app>-<stage>-<job key>` (and `-dlq`), as declared queues are named. */
export function jobQueueNames(config: Pick<ResolvedConfig, 'name' | 'stage'>, fn: BuiltFunction): { queue: string; deadLetter: string } {
  const base = `${config.name}-${config.stage}-${fn.key}`;
  return { queue: fitName(base, QUEUE_NAME_LIMIT), deadLetter: fitName(`${base}-dlq`, QUEUE_NAME_LIMIT) };
}

/** The queue, its dead-letter queue (root) and the mapping (with the job) of one queued job. */
export function jobQueueParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  const options = fn.jobQueue;
  const ids = ctx.ids.functions.get(fn.key)!.jobQueue;
  if (!options || !ids) return [];
  const names = jobQueueNames(ctx.config, fn);
  const tags = withTags(ctx.tags);
  const source = `${fn.source} (static queue)`;
  return [
    {
      id: ids.deadLetter,
      home: ROOT_HOME,
      source,
      resource: { Type: 'AWS::SQS::Queue', Properties: { QueueName: names.deadLetter, MessageRetentionPeriod: DEAD_LETTER_RETENTION, SqsManagedSseEnabled: true, ...tags } },
    },
    {
      id: ids.queue,
      home: ROOT_HOME,
      source,
      resource: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: names.queue,
          VisibilityTimeout: options.visibilityTimeout ?? Math.min(VISIBILITY_FACTOR * fn.timeout, LONGEST_VISIBILITY),
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: getAtt(ids.deadLetter, 'Arn'), maxReceiveCount: options.maxReceives ?? DEFAULT_MAX_RECEIVES },
          ...tags,
        },
      },
    },
    queueMappingPart(fn, ids.mapping, getAtt(ids.queue, 'Arn'), options, ctx),
  ];
}

/** A function's statements: consume its own queue (when it has one), and send to every job queue of the app. */
export function jobQueueStatements(fn: BuiltFunction, ctx: GenerateContext): Statement[] {
  const own = ctx.ids.functions.get(fn.key)!.jobQueue;
  const queues = queued(ctx.manifest.functions).map((job) => getAtt(ctx.ids.functions.get(job.key)!.jobQueue!.queue, 'Arn'));
  return [
    ...(own ? [{ Effect: 'Allow', Action: QUEUE_CONSUMER_ACTIONS, Resource: getAtt(own.queue, 'Arn') }] : []),
    ...(queues.length > 0 ? [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: queues }] : []),
  ];
}

/** Every function's variables naming the job queues' URLs (what `performLater` reads), with their longest resolved value for the 4 KB check. */
export function jobQueueVariables(functions: readonly BuiltFunction[], config: ResolvedConfig, ids: LogicalIds): LinkVariable[] {
  return queued(functions).map((job) => ({
    name: jobQueueEnvName(job.source),
    value: ref(ids.functions.get(job.key)!.jobQueue!.queue),
    estimate: `https://sqs.${config.region}.amazonaws.com/123456789012/${jobQueueNames(config, job).queue}`,
  }));
}
