// The queues of one local SQS service: created by name, found by URL or ARN, with their settings
// read and written as SQS's queue attributes (strings, as the API carries them).
import { LOCAL_ACCOUNT } from '../names.js';
import { invalidAttributeName, invalidAttributeValue, invalidParameter, nonExistentQueue, SqsError } from './errors.js';
import { LocalQueue, type QueueSettings } from './queue.js';

export { LOCAL_ACCOUNT };

const DEFAULTS: QueueSettings = {
  visibilityTimeout: 30, retention: 345_600, delay: 0, receiveWaitTime: 0, maximumMessageSize: 1_048_576, fifo: false, contentBasedDeduplication: false,
};

/** Integer attributes: their setting and the range SQS accepts. */
const NUMBERS = {
  VisibilityTimeout: ['visibilityTimeout', 0, 43_200],
  MessageRetentionPeriod: ['retention', 60, 1_209_600],
  DelaySeconds: ['delay', 0, 900],
  ReceiveMessageWaitTimeSeconds: ['receiveWaitTime', 0, 20],
  MaximumMessageSize: ['maximumMessageSize', 1024, 1_048_576],
} as const;

/** Accepted and echoed back, with no local effect (encryption, policies, throughput modes). */
const PASSED_THROUGH = new Set(['Policy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'DeduplicationScope', 'FifoThroughputLimit', 'RedriveAllowPolicy']);

const READ_ONLY = ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp'];

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueStore {
  readonly region: string;
  /** Creates the queue, or returns the existing one when its attributes are the same (SQS's CreateQueue). */
  create(name: string, attributes?: Record<string, string>): LocalQueue;
  /** Creates or reconfigures: what the engines do for declared queues, whose settings may change on a reload. */
  ensure(name: string, attributes: Record<string, string>): LocalQueue;
  byUrl(url: string): LocalQueue;
  byName(name: string): LocalQueue | undefined;
  byArn(arn: string): LocalQueue | undefined;
  list(): LocalQueue[];
  delete(queue: LocalQueue): void;
  setAttributes(queue: LocalQueue, attributes: Record<string, string>): void;
  attributesOf(queue: LocalQueue, names: readonly string[]): Record<string, string>;
  close(): void;
}

export function createQueueStore(options: { endpoint: string; region: string }): QueueStore {
  const queues = new Map<string, LocalQueue>();
  const extra = new WeakMap<LocalQueue, Record<string, string>>();
  const arnOf = (name: string) => `arn:aws:sqs:${options.region}:${LOCAL_ACCOUNT}:${name}`;
  const byArn = (arn: string) => [...queues.values()].find((queue) => queue.arn === arn);

  function settingsFrom(name: string, attributes: Record<string, string>, base: QueueSettings, creating: boolean): { settings: QueueSettings; passed: Record<string, string> } {
    const settings: QueueSettings = { ...base };
    const passed: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (key in NUMBERS) {
        const [field, min, max] = NUMBERS[key as keyof typeof NUMBERS];
        const number = Number(value);
        if (!/^\d+$/.test(value) || number < min || number > max) throw invalidAttributeValue(`Invalid value for the parameter ${key}.`);
        settings[field] = number;
      } else if (key === 'FifoQueue') {
        if (!creating && (value === 'true') !== base.fifo) throw invalidAttributeName(key);
        settings.fifo = value === 'true';
      } else if (key === 'ContentBasedDeduplication') {
        settings.contentBasedDeduplication = value === 'true';
      } else if (key === 'RedrivePolicy') {
        settings.redrive = value === '' ? undefined : parseRedrive(value);
      } else if (PASSED_THROUGH.has(key)) {
        passed[key] = value;
      } else {
        throw invalidAttributeName(key);
      }
    }
    if (settings.fifo !== name.endsWith('.fifo')) throw invalidParameter(settings.fifo ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.' : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (a queue name ending in .fifo must set FifoQueue to 'true').");
    if (settings.contentBasedDeduplication && !settings.fifo) throw invalidAttributeName('ContentBasedDeduplication');
    return { settings, passed };
  }

  function checkName(name: string): void {
    const stem = name.endsWith('.fifo') ? name.slice(0, -'.fifo'.length) : name;
    if (!QUEUE_NAME.test(stem) || name.length > 80) throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }

  const store: QueueStore = {
    region: options.region,
    create(name, attributes = {}) {
      checkName(name);
      const { settings, passed } = settingsFrom(name, attributes, DEFAULTS, true);
      const existing = queues.get(name);
      if (existing) {
        const same = JSON.stringify(existing.settings) === JSON.stringify(settings) && JSON.stringify(extra.get(existing) ?? {}) === JSON.stringify(passed);
        if (!same) throw new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(attributes).join(', ')}`, 'QueueAlreadyExists');
        return existing;
      }
      const queue = new LocalQueue(name, `${options.endpoint}/${LOCAL_ACCOUNT}/${name}`, arnOf(name), settings, byArn);
      queues.set(name, queue);
      extra.set(queue, passed);
      return queue;
    },
    ensure(name, attributes) {
      const existing = queues.get(name);
      if (!existing) return store.create(name, attributes);
      // Unset attributes go back to SQS's defaults: the declaration is the whole truth.
      const { settings, passed } = settingsFrom(name, attributes, DEFAULTS, true);
      existing.settings = settings;
      extra.set(existing, passed);
      return existing;
    },
    byUrl(url) {
      // The SDK sends the URL it was given; the queue is its last path segment, whatever the host.
      const name = /\/([^/]+)\/?$/.exec(url)?.[1];
      const queue = name === undefined ? undefined : queues.get(decodeURIComponent(name));
      if (!queue) throw nonExistentQueue();
      return queue;
    },
    byName: (name) => queues.get(name),
    byArn,
    list: () => [...queues.values()],
    delete(queue) {
      queue.close();
      queues.delete(queue.name);
    },
    setAttributes(queue, attributes) {
      const { settings, passed } = settingsFrom(queue.name, attributes, queue.settings, false);
      queue.settings = settings;
      extra.set(queue, { ...extra.get(queue), ...passed });
      queue.lastModifiedAt = Date.now();
    },
    attributesOf(queue, names) {
      const counts = queue.counts();
      const { settings } = queue;
      const all: Record<string, string> = {
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
        VisibilityTimeout: String(settings.visibilityTimeout),
        MaximumMessageSize: String(settings.maximumMessageSize),
        MessageRetentionPeriod: String(settings.retention),
        DelaySeconds: String(settings.delay),
        ReceiveMessageWaitTimeSeconds: String(settings.receiveWaitTime),
        SqsManagedSseEnabled: 'true',
        ...(settings.redrive && { RedrivePolicy: JSON.stringify(settings.redrive) }),
        ...(settings.fifo && { FifoQueue: 'true', ContentBasedDeduplication: String(settings.contentBasedDeduplication) }),
        ...extra.get(queue),
      };
      if (names.includes('All')) return all;
      const known = new Set([...Object.keys(NUMBERS), ...READ_ONLY, ...PASSED_THROUGH, 'RedrivePolicy', 'FifoQueue', 'ContentBasedDeduplication']);
      for (const name of names) if (!known.has(name)) throw invalidAttributeName(name);
      return Object.fromEntries(names.filter((name) => all[name] !== undefined).map((name) => [name, all[name]!]));
    },
    close() {
      for (const queue of queues.values()) queue.close();
    },
  };
  return store;
}

function parseRedrive(value: string): QueueSettings['redrive'] {
  let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    throw invalidAttributeValue('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.');
  }
  const maxReceiveCount = Number(parsed.maxReceiveCount);
  if (typeof parsed.deadLetterTargetArn !== 'string' || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw invalidAttributeValue('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy needs deadLetterTargetArn and a maxReceiveCount from 1 to 1000.');
  }
  return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount };
}
