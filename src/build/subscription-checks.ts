// Each job's `static events` and `static queue` checked when the app builds (and so before every
// deploy): otherwise a misspelt source, a batch size Lambda refuses or two overlapping S3
// notifications are found by CloudFormation after the upload, as a rollback. One line per rule
// broken, naming the job's file and the subscription.
import { formatFilterProblem, validateEventPattern, validateFilterPolicy } from '../config/event-filters/index.js';
import type { ResolvedResource } from '../config/resources.js';
import { settleSource, SOURCE_KINDS, type SourcedSubscription } from '../config/subscription-sources.js';
import type { JobQueueOptions, JobSubscription } from '../config/subscriptions.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { arnProblem, bucketOverlaps, checkNumbers, kindProblems, streamViewConflicts, type Report } from './subscription-rules.js';

/** A job as the checks see it: what its class declares, where, and its timeout (queues are measured against it). */
export interface JobSubscriptions {
  className: string;
  file?: string;
  events: readonly JobSubscription[];
  queue?: JobQueueOptions;
  timeout: number;
  reservedConcurrency?: number;
}

const KEYS: Record<JobSubscription['kind'], readonly string[]> = {
  queue: ['kind', 'source', 'batchSize', 'maxBatchingWindow', 'maxConcurrency'],
  topic: ['kind', 'source', 'filter', 'filterScope'],
  bucket: ['kind', 'source', 'on', 'prefix', 'suffix'],
  table: ['kind', 'source', 'stream', 'batchSize', 'maxBatchingWindow', 'startingPosition', 'retries', 'onFailure'],
  rule: ['kind', 'pattern', 'bus'],
};
const QUEUE_KEYS = ['batchSize', 'maxBatchingWindow', 'maxConcurrency', 'visibilityTimeout', 'maxReceives'];

const HELPERS = 'write subscriptions with the helpers from sls-ts: queue(…), topic(…), bucket(…), table(…), rule(…)';

/** Every problem of every job's subscriptions; errors and warnings (a `level`), none when all is well. */
export function subscriptionDiagnostics(config: ResolvedConfig, jobs: readonly JobSubscriptions[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const job of jobs) {
    const report: Report = (at, text, hint, level) => diagnostics.push({ text: `${job.className}.${at}: ${text}`, ...(hint ? { hint } : {}), ...(job.file ? { file: job.file } : {}), ...(level ? { level } : {}) });
    job.events.forEach((subscription, index) => checkSubscription(subscription, `events[${index}]`, config.resources, job, report));
    if (job.queue) checkJobQueue(job.queue, job.timeout, report);
    const overReserved = queueConcurrencyProblem(job);
    if (overReserved) diagnostics.push({ level: 'warning', ...overReserved, ...(job.file ? { file: job.file } : {}) });
  }
  diagnostics.push(...bucketOverlaps(jobs), ...streamViewConflicts(jobs));
  return diagnostics;
}

function unknownKeys(value: object, known: readonly string[], at: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closestMatch(key, known.filter((name) => name !== 'kind'));
    report(`${at}.${key}`, 'is no setting of this subscription, so it would do nothing', near ? `did you mean \`${near}\`?` : `its settings: ${known.filter((name) => name !== 'kind').join(', ')}`);
  }
}

function checkSubscription(subscription: JobSubscription, at: string, resources: readonly ResolvedResource[], job: JobSubscriptions, report: Report): void {
  if (typeof subscription !== 'object' || subscription === null || !(subscription.kind in KEYS)) {
    report(at, `${JSON.stringify(subscription)} is no subscription`, HELPERS);
    return;
  }
  unknownKeys(subscription, KEYS[subscription.kind], at, report);
  checkFilters(subscription, at, report);
  if (subscription.kind === 'rule') {
    kindProblems.rule(subscription, at, undefined, report);
    return;
  }
  const source = settleNamed(subscription, at, resources, report);
  if (source === null) return;
  checkNumbers(subscription, at, source, job.timeout, report);
  kindProblems[subscription.kind](subscription as never, at, source, report, resources);
}

/**
 * SNS filter policies and EventBridge patterns against what SNS and EventBridge accept (their
 * shape, an object, is subscription-rules.ts's): a policy SNS refuses fails the deploy halfway.
 */
function checkFilters(subscription: JobSubscription, at: string, report: Report): void {
  if (subscription.kind === 'topic' && isObject(subscription.filter)) {
    const scope = subscription.filterScope === 'body' ? 'MessageBody' : 'MessageAttributes';
    for (const problem of validateFilterPolicy(subscription.filter, scope)) {
      report(`${at}.filter`, formatFilterProblem(problem), 'see "SNS subscription filter policies" in the AWS docs: leaves are lists of values or operators, e.g. { level: ["error"], price: [{ numeric: [">", 10] }] }');
    }
  }
  if (subscription.kind === 'rule' && isObject(subscription.pattern) && Object.keys(subscription.pattern).length > 0) {
    for (const problem of validateEventPattern(subscription.pattern)) {
      report(`${at}.pattern`, formatFilterProblem(problem), 'see "Amazon EventBridge event patterns" in the AWS docs: leaves are lists of values or operators, e.g. { detail: { total: [{ numeric: [">", 100] }] } }');
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The declared resource a subscription names (undefined for a well-formed external ARN), or null
 * when it names none: reported here, and the subscription's other checks need a source.
 */
function settleNamed(subscription: SourcedSubscription, at: string, resources: readonly ResolvedResource[], report: Report): ResolvedResource | undefined | null {
  const { kind, service } = SOURCE_KINDS[subscription.kind];
  if (typeof subscription.source !== 'string' || subscription.source === '') {
    report(`${at}.source`, `a ${subscription.kind} subscription needs the name of a declared ${kind}`, HELPERS);
    return null;
  }
  const settled = settleSource(subscription.source, kind, resources);
  if (settled?.arn !== undefined) {
    const problem = arnProblem(subscription.kind, settled.arn, service);
    if (problem) {
      report(`${at}.source`, problem.text, problem.hint);
      return null;
    }
    return undefined;
  }
  if (settled) return settled.declared;
  const ofKind = resources.filter((resource) => resource.kind === kind).map((resource) => resource.name);
  const other = resources.find((resource) => resource.name === subscription.source);
  const near = closestMatch(subscription.source, ofKind);
  report(
    `${at}.source`,
    other ? `'${subscription.source}' is a declared ${other.kind}, not a ${kind}` : `'${subscription.source}' names no declared ${kind}`,
    near ? `did you mean \`${near}\`?` : ofKind.length > 0 ? `declared ${kind}s: ${ofKind.join(', ')}` : `declare it under \`resources\` in sls-ts.config.ts (${kind}(…)), or give an ${service} ARN`,
  );
  return null;
}

/**
 * Each queue mapping's maxConcurrency holds its own invocations; reserved concurrency holds the
 * function's. AWS: "ensure that the reserved concurrency for your function is greater than or
 * equal to the total maximum concurrency of all Amazon SQS event sources on the function,
 * otherwise Lambda may throttle your messages" (doc: lambda/latest/dg/services-sqs-scaling.html).
 * 0 is the off switch, not a limit to check.
 */
function queueConcurrencyProblem(job: JobSubscriptions): { text: string; hint: string } | undefined {
  const reserved = job.reservedConcurrency;
  if (!reserved) return undefined;
  const caps = [...job.events.filter((subscription) => subscription?.kind === 'queue').map((subscription) => (subscription as { maxConcurrency?: unknown }).maxConcurrency), job.queue?.maxConcurrency];
  const total = caps.reduce<number>((sum, cap) => sum + (typeof cap === 'number' ? cap : 0), 0);
  if (total <= reserved) return undefined;
  return {
    text: `${job.className}: its queues' maxConcurrency add up to ${total}, over the job's reservedConcurrency (${reserved}): Lambda throttles the batches above it, and they come back only after their visibility timeout`,
    hint: `keep the sum at most ${reserved}, or raise the job's reservedConcurrency (AWS advises reserved ≥ the sum)`,
  };
}

function checkJobQueue(queue: JobQueueOptions, timeout: number, report: Report): void {
  if (typeof queue !== 'object' || queue === null) {
    report('queue', `${JSON.stringify(queue)} is no queue setting`, 'write `static queue = true` or `static queue = { batchSize: 5 }`');
    return;
  }
  unknownKeys(queue, QUEUE_KEYS, 'queue', report);
  checkNumbers({ kind: 'queue', source: '', ...queue }, 'queue', undefined, timeout, report);
  const { visibilityTimeout, maxReceives } = queue;
  if (visibilityTimeout !== undefined && (!Number.isInteger(visibilityTimeout) || visibilityTimeout < timeout || visibilityTimeout > 43_200)) {
    report('queue.visibilityTimeout', `${visibilityTimeout} is outside ${timeout}–43200 seconds: SQS allows up to 12 hours, and Lambda refuses a queue whose visibility timeout is under the function's timeout (${timeout} s)`, 'leave it out: the default is 6 × the job\'s timeout, as AWS advises');
  }
  if (maxReceives !== undefined && (!Number.isInteger(maxReceives) || maxReceives < 1 || maxReceives > 1000)) {
    report('queue.maxReceives', `${maxReceives} is outside 1–1000, SQS's limits on receives before the dead-letter queue`, 'leave it out for 3 receives');
  }
}
