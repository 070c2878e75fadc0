// DynamoDB streams for dynalite, which has none: writes to tables with a stream (declared, or
// turned on by a job's table subscription) become stream records, and one poller per subscription
// delivers them as Lambda's event source mapping does: in order, in batches, a failing batch
// retried from its first failed record, then handed to the subscription's on-failure destination.
import type { TableSubscription } from '../config/subscriptions.js';
import type { Diagnostic } from '../shared/errors.js';
import { failedItems, type Deliver, type DeliveryOutcome, type LocalSubscriber } from './deliveries.js';
import { createDynamoApi } from './dynamo-api.js';
import type { DynamoEngine, LocalTable } from './dynamo-engine.js';
import { createHttpCall } from './http-call.js';
import { LOCAL_ACCOUNT } from './names.js';
import { buildStreamRecord, streamViewType, type StreamRecord, type StreamViewType } from './stream-records.js';
import { observeWrites, type ItemChange } from './stream-writes.js';

/** What Lambda tells an on-failure destination about a stream batch it gave up on (`DDBStreamBatchInfo`). */
export interface StreamBatchInfo {
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  batchSize: number;
  streamArn: string;
}

export interface StreamFailure {
  job: string;
  /** The table's resource name. */
  source: string;
  /** The subscription's `onFailure` queue or topic. */
  destination: string;
  records: StreamRecord[];
  batchInfo: StreamBatchInfo;
  /** The last invocation's error, or the records it reported failed. */
  reason: string;
}

export interface TableStreamsOptions {
  region?: string;
  account?: string;
  /** Wait before a failing batch is retried. Default 1 s. */
  retryDelayMs?: number;
  /** Where batches that kept failing go when their subscription names an `onFailure` destination. */
  onFailure?: (failure: StreamFailure) => void;
  /** Where dropped batches are reported. Default: a warning on stderr. */
  report?: (notice: Diagnostic) => void;
}

export interface TableStreams {
  /** Follows changed resources and subscriptions: unchanged pollers keep their place, new ones start. */
  apply(tables: readonly LocalTable[], subscribers: readonly LocalSubscriber[]): void;
  stop(): void;
}

const DEFAULTS = { region: 'us-east-1', account: LOCAL_ACCOUNT, retryDelayMs: 1_000, batchSize: 100, retries: 3 };
// AWS keeps records 24 hours; a local stream also keeps at most this many per table.
const RETENTION_MS = 24 * 60 * 60 * 1000;
const RETAINED_MAX = 10_000;
// Sequence numbers of a fixed width, so that they compare as strings as they do as numbers.
const SEQUENCE_BASE = 10n ** 20n;

interface StreamLog {
  table: LocalTable;
  arn: string;
  viewType: StreamViewType;
  keyNames: string[];
  records: StreamRecord[];
  arrivals: Date[];
  /** Position of records[0] since the stream began. */
  offset: number;
  sequence: bigint;
  wake: Set<() => void>;
}

const tableSubscriptions = (subscribers: readonly LocalSubscriber[]) =>
  subscribers.flatMap((subscriber) => subscriber.events.flatMap((subscription, index) => (subscription.kind === 'table' ? [{ subscriber, subscription, index }] : [])));

/** The table's stream view: its own, else the first subscription's, else new and old images when a job subscribes. */
function viewOf(table: LocalTable, subscriptions: ReturnType<typeof tableSubscriptions>): StreamViewType | undefined {
  if (table.table.stream !== false) return streamViewType(table.table.stream);
  const subscribed = subscriptions.filter(({ subscription }) => subscription.source === table.table.name);
  if (subscribed.length === 0) return undefined;
  return streamViewType(subscribed.find(({ subscription }) => subscription.stream)?.subscription.stream ?? 'new-and-old');
}

/** Resolves after `ms`, at stop, or when `wake` (if given) is called, whichever comes first. */
function pause(ms: number, signal: AbortSignal, wakers?: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wakers?.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    wakers?.add(done);
  });
}

const attemptsOf = (retries: number) => (retries === 0 ? '1 attempt' : `${retries + 1} attempts`);
const warn = (notice: Diagnostic) => console.warn(`[sls-ts] ${notice.text}`);

function describeOutcome(outcome: DeliveryOutcome, failed: readonly string[]): string {
  return outcome.ok ? `it reported ${failed.length} failed record(s)` : (outcome.error ?? 'the invocation failed');
}

interface Poller {
  readonly signature: string;
  stop(): void;
}

export function startTableStreams(engine: DynamoEngine, tables: readonly LocalTable[], subscribers: readonly LocalSubscriber[], deliver: Deliver, options: TableStreamsOptions = {}): TableStreams {
  const settings = { ...DEFAULTS, ...options };
  const logs = new Map<string, StreamLog>();
  const pollers = new Map<string, Poller>();
  const http = createHttpCall();

  function append(change: ItemChange): void {
    const log = logs.get(change.table);
    if (!log) return;
    const now = new Date();
    log.sequence += 1n;
    const record = buildStreamRecord({ region: settings.region, arn: log.arn, viewType: log.viewType, keyNames: log.keyNames }, change, String(SEQUENCE_BASE + log.sequence), now);
    if (!record) return;
    log.records.push(record);
    log.arrivals.push(now);
    while (log.records.length > RETAINED_MAX || now.getTime() - log.arrivals[0]!.getTime() > RETENTION_MS) {
      log.records.shift();
      log.arrivals.shift();
      log.offset += 1;
    }
    for (const wake of [...log.wake]) wake();
  }

  function giveUp(log: StreamLog, job: string, subscription: TableSubscription, records: StreamRecord[], arrivals: Date[], reason: string): void {
    const batchInfo: StreamBatchInfo = {
      shardId: 'shardId-00000000000000000000-00000000',
      startSequenceNumber: records[0]!.dynamodb.SequenceNumber,
      endSequenceNumber: records.at(-1)!.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrivals[0]!.toISOString(),
      approximateArrivalOfLastRecord: arrivals.at(-1)!.toISOString(),
      batchSize: records.length,
      streamArn: log.arn,
    };
    if (subscription.onFailure !== undefined && options.onFailure) {
      options.onFailure({ job, source: log.table.table.name, destination: subscription.onFailure, records, batchInfo, reason });
      return;
    }
    (options.report ?? warn)({
      level: 'warning',
      text: `${job}: ${records.length} record(s) of the resources.${log.table.table.name} stream (${batchInfo.startSequenceNumber}…${batchInfo.endSequenceNumber}) were dropped after ${attemptsOf(subscription.retries ?? settings.retries)}: ${reason}`,
      hint: subscription.onFailure === undefined ? 'give the subscription an onFailure queue to keep the records a job could not handle' : `the on-failure destination ${subscription.onFailure} is not emulated here`,
    });
  }

  function startPoller(log: StreamLog, subscriber: LocalSubscriber, subscription: TableSubscription, signature: string): Poller {
    const controller = new AbortController();
    const { signal } = controller;
    const batchSize = subscription.batchSize ?? settings.batchSize;
    const retries = subscription.retries ?? settings.retries;
    const windowMs = (subscription.maxBatchingWindow ?? 0) * 1000;
    let position = subscription.startingPosition === 'trim-horizon' ? log.offset : log.offset + log.records.length;
    let attempts = 0;

    async function nextBatch(): Promise<void> {
      while (!signal.aborted && position >= log.offset + log.records.length) await pause(60_000, signal, log.wake);
      // Lambda waits up to the batching window for a full batch; a retry goes at once.
      const deadline = attempts > 0 ? 0 : Date.now() + windowMs;
      while (!signal.aborted && log.offset + log.records.length - position < batchSize && Date.now() < deadline) await pause(deadline - Date.now(), signal, log.wake);
    }

    async function poll(): Promise<void> {
      while (!signal.aborted) {
        await nextBatch();
        if (signal.aborted) return;
        // Records trimmed before this poller read them are gone, as on AWS.
        position = Math.max(position, log.offset);
        const start = position - log.offset;
        const records = log.records.slice(start, start + batchSize);
        const arrivals = log.arrivals.slice(start, start + batchSize);
        const ids = records.map((record) => record.dynamodb.SequenceNumber);
        const outcome = await deliver({ job: subscriber.job, kind: 'table', source: log.table.table.name, event: { Records: records }, records: records.length })
          .catch((error: unknown): DeliveryOutcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) }));
        const failed = failedItems(outcome, ids);
        if (failed.length === 0) {
          position += records.length;
          attempts = 0;
          continue;
        }
        // The checkpoint moves to the first failed record: the next batch starts there.
        const first = Math.min(...failed.map((id) => ids.indexOf(id)));
        if (first > 0) {
          position += first;
          attempts = 0;
        }
        attempts += 1;
        if (retries >= 0 && attempts > retries) {
          giveUp(log, subscriber.job, subscription, records.slice(first), arrivals.slice(first), describeOutcome(outcome, failed));
          position += records.length - first;
          attempts = 0;
          continue;
        }
        await pause(settings.retryDelayMs, signal);
      }
    }

    // Only a host callback (onFailure, report) can throw here: the poller stops, and says so.
    poll().catch((error: unknown) => (options.report ?? warn)({
      text: `${subscriber.job}: its poller of the resources.${log.table.table.name} stream stopped: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'restart sls-ts server; if it persists, report it with this message',
    }));
    return { signature, stop: () => controller.abort() };
  }

  function apply(nextTables: readonly LocalTable[], nextSubscribers: readonly LocalSubscriber[]): void {
    const subscriptions = tableSubscriptions(nextSubscribers);
    const kept = new Set<string>();
    for (const table of nextTables) {
      const viewType = viewOf(table, subscriptions);
      if (!viewType) continue;
      kept.add(table.physicalName);
      const existing = logs.get(table.physicalName);
      if (existing && existing.viewType === viewType) {
        existing.table = table;
        continue;
      }
      // A new stream (or a new view type, which AWS only gets by replacing the stream): a new label.
      const label = new Date().toISOString().slice(0, 23);
      logs.set(table.physicalName, {
        table,
        arn: `arn:aws:dynamodb:${settings.region}:${settings.account}:table/${table.physicalName}/stream/${label}`,
        viewType,
        keyNames: [table.table.key.name, ...(table.table.sort ? [table.table.sort.name] : [])],
        records: [],
        arrivals: [],
        offset: 0,
        sequence: 0n,
        wake: new Set(),
      });
    }
    for (const name of [...logs.keys()]) if (!kept.has(name)) logs.delete(name);

    const wanted = new Map<string, { log: StreamLog; subscriber: LocalSubscriber; subscription: TableSubscription }>();
    for (const { subscriber, subscription, index } of subscriptions) {
      const log = [...logs.values()].find((candidate) => candidate.table.table.name === subscription.source);
      if (log) wanted.set(`${subscriber.job}#${index}`, { log, subscriber, subscription });
    }
    for (const [id, poller] of pollers) {
      const next = wanted.get(id);
      if (next && poller.signature === JSON.stringify([next.subscription, next.log.arn])) continue;
      poller.stop();
      pollers.delete(id);
    }
    for (const [id, { log, subscriber, subscription }] of wanted) {
      if (!pollers.has(id)) pollers.set(id, startPoller(log, subscriber, subscription, JSON.stringify([subscription, log.arn])));
    }
    engine.intercept(logs.size === 0 ? undefined : interceptor);
  }

  const interceptor = observeWrites(createDynamoApi(http, engine.endpoint), (table) => logs.get(table)?.keyNames, (changes) => changes.forEach(append));
  apply(tables, subscribers);

  return {
    apply,
    stop() {
      for (const poller of pollers.values()) poller.stop();
      pollers.clear();
      engine.intercept(undefined);
      http.close();
    },
  };
}
