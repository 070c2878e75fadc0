// sls-ts's own EventBridge bus: PutEvents over the AWS JSON 1.1 protocol (`X-Amz-Target:
// AWSEvents.PutEvents`). Every event runs each job whose rule is on the event's bus and whose
// pattern matches it, as Lambda's asynchronous invoke runs a rule's function target. Any bus name
// is accepted: a bus that no rule listens on drops its events, as on AWS.
import { randomUUID } from 'node:crypto';
import { formatFilterProblem, matchesEventPattern, validateEventPattern } from '../../config/event-filters/index.js';
import type { Diagnostic } from '../../shared/errors.js';
import { createAsyncRunner, type AsyncInvokeOptions, type AsyncRunner } from '../async-invoke.js';
import type { Deliver, LocalSubscriber } from '../deliveries.js';
import { startLocalServer, type LocalReply, type LocalRequest } from '../local-server.js';
import { acceptEntry, busName, EventsError, MAX_REQUEST_BYTES, readEntries, type EntryResult } from './put-events.js';

export interface EventBusOptions extends AsyncInvokeOptions {
  host: string;
  /** Default: a free one. */
  port?: number;
  region: string;
  account: string;
  subscribers: readonly LocalSubscriber[];
  deliver: Deliver;
}

export interface EventBus {
  readonly endpoint: string;
  /** The rules that cannot match locally (an invalid pattern), as warnings. */
  readonly warnings: readonly Diagnostic[];
  /** Re-reads the jobs' rules; returns the warnings. */
  update(subscribers: readonly LocalSubscriber[]): Diagnostic[];
  /** Resolves once every delivery has run (or been dropped), retries included. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

interface Rule {
  job: string;
  bus: string;
  pattern: object;
}

const TARGET_PREFIX = 'AWSEvents.';
// Room for the JSON around 256 KB of entries, and for escaping in their Detail strings.
const JSON_BODY_MAX = MAX_REQUEST_BYTES * 4;

/** Whether a job has a rule: the bus runs only then (any other PutEvents would reach no rule). */
export function needsEventBus(subscribers: readonly LocalSubscriber[]): boolean {
  return subscribers.some((subscriber) => subscriber.events.some((event) => event.kind === 'rule'));
}

function readRules(subscribers: readonly LocalSubscriber[]): { rules: Rule[]; warnings: Diagnostic[] } {
  const rules: Rule[] = [];
  const warnings: Diagnostic[] = [];
  for (const subscriber of subscribers) {
    for (const event of subscriber.events) {
      if (event.kind !== 'rule') continue;
      const problems = validateEventPattern(event.pattern);
      if (problems.length > 0) {
        warnings.push({ level: 'warning', text: `job ${subscriber.job}: its rule's pattern is not a valid EventBridge pattern (${problems.map(formatFilterProblem).join('; ')}), so nothing delivers it locally` });
        continue;
      }
      rules.push({ job: subscriber.job, bus: busName(event.bus), pattern: event.pattern });
    }
  }
  return { rules, warnings };
}

function jsonReply(status: number, body: unknown): LocalReply {
  return { status, contentType: 'application/x-amz-json-1.1', headers: { 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

const errorReply = (error: EventsError) => jsonReply(error.status, { __type: error.type, message: error.message });

function parseInput(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new EventsError('SerializationException', 'The request body is not a JSON object.');
}

function putEvents(input: Record<string, unknown>, rules: readonly Rule[], runner: AsyncRunner, where: { region: string; account: string }): LocalReply {
  const now = new Date();
  const results: EntryResult[] = readEntries(input).map((entry) => {
    const accepted = acceptEntry(entry, { ...where, now });
    if (!('event' in accepted)) return accepted;
    for (const rule of rules) {
      if (rule.bus !== accepted.bus || !matchesEventPattern(rule.pattern, accepted.event)) continue;
      runner.invoke({ job: rule.job, kind: 'rule', source: rule.bus, event: accepted.event, records: 1 });
    }
    return { EventId: accepted.event.id };
  });
  return jsonReply(200, { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results });
}

export async function startEventBus(options: EventBusOptions): Promise<EventBus> {
  let { rules, warnings } = readRules(options.subscribers);
  const runner = createAsyncRunner(options.deliver, options);
  const where = { region: options.region, account: options.account };
  const handle = (request: LocalRequest): LocalReply => {
    try {
      const target = request.headers['x-amz-target'];
      if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
        throw new EventsError('UnknownOperationException', 'The local EventBridge bus speaks the AWS JSON 1.1 protocol (X-Amz-Target: AWSEvents.<Operation>).');
      }
      const operation = target.slice(TARGET_PREFIX.length);
      if (operation !== 'PutEvents') {
        throw new EventsError('UnknownOperationException', `The local EventBridge bus answers PutEvents only, not ${operation}: rules are the jobs' own (static events = [rule({…})]).`);
      }
      return putEvents(parseInput(request.body), rules, runner, where);
    } catch (error) {
      return errorReply(error instanceof EventsError ? error : new EventsError('InternalException', error instanceof Error ? error.message : String(error), 500));
    }
  };
  const server = await startLocalServer(
    { host: options.host, ...(options.port !== undefined && { port: options.port }), maxBodyBytes: JSON_BODY_MAX },
    handle,
    () => errorReply(new EventsError('ValidationException', 'Total size of the entries in the request is over the limit.')),
  );
  return {
    endpoint: server.endpoint,
    get warnings() {
      return warnings;
    },
    update(subscribers) {
      ({ rules, warnings } = readRules(subscribers));
      return warnings;
    },
    settled: () => runner.settled(),
    async stop() {
      runner.stop();
      await server.stop();
    },
  };
}
