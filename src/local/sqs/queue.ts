// One queue's messages and SQS's rules for them: delays, visibility timeouts, retention, FIFO
// message groups (a group with a message in flight gives out no other) and deduplication (the same
// id within five minutes is accepted and dropped), and redrive to a dead-letter queue once a
// message has been received maxReceiveCount times.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { invalidParameter, messageNotInflight, missingParameter, receiptHandleIsInvalid, SqsError } from './errors.js';
import { md5Hex, md5OfAttributes, type WireAttribute } from './md5.js';

export interface QueueSettings {
  visibilityTimeout: number;
  retention: number;
  delay: number;
  receiveWaitTime: number;
  maximumMessageSize: number;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** The dead-letter queue's ARN and how many receives a message gets before it moves there. */
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, WireAttribute>>;
  readonly md5OfAttributes?: string;
  readonly traceHeader?: string;
  readonly senderId: string;
  /** Epoch ms; kept when a message moves to the dead-letter queue (retention counts from it). */
  readonly sentAt: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The latest receive's handle; unset until received. */
  receipt?: string;
}

export interface SendInput {
  body: string;
  attributes?: Record<string, WireAttribute>;
  traceHeader?: string;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  senderId: string;
}

export interface Sent {
  message: StoredMessage;
  /** False when FIFO deduplication dropped it (the first one's id is returned, as SQS does). */
  stored: boolean;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** The characters SQS accepts in a body: XML 1.0's. */
const INVALID_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export class LocalQueue {
  private messages: StoredMessage[] = [];
  private readonly deduplication = new Map<string, { at: number; message: StoredMessage }>();
  private sequence = 0n;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  readonly createdAt = Date.now();
  lastModifiedAt = this.createdAt;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly arn: string,
    public settings: QueueSettings,
    /** Reaches another queue by ARN (the dead-letter queue). */
    private readonly byArn: (arn: string) => LocalQueue | undefined,
  ) {}

  send(input: SendInput, now = Date.now()): Sent {
    const size = Buffer.byteLength(input.body) + attributesSize(input.attributes);
    if (input.body.length === 0) throw invalidParameter('The request must contain the parameter MessageBody.');
    if (size > this.settings.maximumMessageSize) throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${this.settings.maximumMessageSize} bytes.`);
    if (INVALID_CHARACTERS.test(input.body)) throw new SqsError('InvalidMessageContents', 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    const delay = input.delaySeconds ?? this.settings.delay;
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) throw invalidParameter(`Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`);
    const attributes = input.attributes ?? {};
    const base = {
      id: randomUUID(), body: input.body, md5OfBody: md5Hex(input.body), attributes,
      ...(Object.keys(attributes).length > 0 && { md5OfAttributes: md5OfAttributes(attributes) }),
      ...(input.traceHeader !== undefined && { traceHeader: input.traceHeader }),
      senderId: input.senderId, sentAt: now, visibleAt: now + delay * 1000, receiveCount: 0,
    };
    let message: StoredMessage;
    if (this.settings.fifo) {
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0) throw invalidParameter(`Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      if (input.groupId === undefined) throw missingParameter('MessageGroupId');
      const deduplicationId = input.deduplicationId ?? (this.settings.contentBasedDeduplication ? createHash('sha256').update(input.body).digest('hex') : undefined);
      if (deduplicationId === undefined) throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      this.forgetOldDeduplications(now);
      const earlier = this.deduplication.get(deduplicationId);
      if (earlier) return { message: earlier.message, stored: false };
      this.sequence += 1n;
      message = { ...base, groupId: input.groupId, deduplicationId, sequenceNumber: (18_000_000_000_000_000_000n + this.sequence).toString() };
      this.deduplication.set(deduplicationId, { at: now, message });
    } else {
      if (input.deduplicationId !== undefined) throw invalidParameter('The request includes a parameter that is not valid for this queue type: MessageDeduplicationId');
      message = { ...base, ...(input.groupId !== undefined && { groupId: input.groupId }) };
    }
    this.messages.push(message);
    this.changed();
    return { message, stored: true };
  }

  /** Takes up to `max` visible messages and hides them for `visibilityTimeout` seconds (the queue's by default). */
  receive(max: number, visibilityTimeout = this.settings.visibilityTimeout, now = Date.now()): StoredMessage[] {
    this.dropExpired(now);
    const taken: StoredMessage[] = [];
    // FIFO: a group whose oldest message is in flight or not yet visible gives nothing, so that order holds.
    const blocked = new Set<string>();
    const dlq = this.settings.redrive && this.byArn(this.settings.redrive.deadLetterTargetArn);
    for (const message of [...this.messages]) {
      if (taken.length >= max) break;
      const group = this.settings.fifo ? message.groupId! : undefined;
      if (group !== undefined && blocked.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) blocked.add(group);
        continue;
      }
      if (dlq && message.receiveCount >= this.settings.redrive!.maxReceiveCount) {
        this.remove(message);
        dlq.adopt(message, now);
        // Visibly: a message a job kept failing on must not vanish silently from the developer's view.
        console.warn(`[sls-ts] SQS: message ${message.id} moved from ${this.name} to its dead-letter queue ${dlq.name} after ${message.receiveCount} receives`);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeout * 1000;
      message.receipt = receiptFor(this.name, message);
      taken.push(message);
    }
    if (taken.length > 0) this.arm();
    return taken;
  }

  delete(receipt: string): void {
    const id = messageIdOf(receipt);
    const message = this.messages.find((candidate) => candidate.id === id);
    // SQS deletes with any handle the message was received with; an already deleted one is no error.
    if (message) {
      this.remove(message);
      // FIFO: the group may now give its next message.
      if (this.settings.fifo) this.changed();
    }
  }

  changeVisibility(receipt: string, seconds: number, now = Date.now()): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) throw invalidParameter(`Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`);
    const id = messageIdOf(receipt);
    const message = this.messages.find((candidate) => candidate.id === id);
    if (!message || message.receipt === undefined || message.visibleAt <= now) throw messageNotInflight();
    message.visibleAt = now + seconds * 1000;
    this.changed();
  }

  purge(): void {
    this.messages = [];
    this.changed();
  }

  counts(now = Date.now()): { visible: number; inFlight: number; delayed: number } {
    this.dropExpired(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receipt !== undefined) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** Calls `listener` whenever a message may have become receivable (sent, made visible, its group freed). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    this.arm();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disarm();
    };
  }

  close(): void {
    this.listeners.clear();
    this.disarm();
  }

  /** A message redriven here from its source queue: same id and body, received afresh. */
  private adopt(message: StoredMessage, now: number): void {
    this.messages.push({ ...message, visibleAt: now, receiveCount: 0, firstReceivedAt: undefined, receipt: undefined } as StoredMessage);
    this.changed();
  }

  private remove(message: StoredMessage): void {
    this.messages = this.messages.filter((candidate) => candidate !== message);
  }

  private dropExpired(now: number): void {
    const oldest = now - this.settings.retention * 1000;
    if (this.messages.some((message) => message.sentAt < oldest)) this.messages = this.messages.filter((message) => message.sentAt >= oldest);
  }

  private forgetOldDeduplications(now: number): void {
    for (const [id, { at }] of this.deduplication) if (at + DEDUPLICATION_WINDOW_MS <= now) this.deduplication.delete(id);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
    this.arm();
  }

  /** One timer, at the next moment a hidden message becomes visible, while anyone listens: no polling. */
  private arm(): void {
    if (this.listeners.size === 0) return;
    const now = Date.now();
    let next = Infinity;
    for (const message of this.messages) if (message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    if (next === this.timerAt) return;
    this.disarm();
    if (next === Infinity) return;
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.changed();
    }, next - now + 1);
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

function attributesSize(attributes: Record<string, WireAttribute> | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size += value.StringValue !== undefined ? Buffer.byteLength(value.StringValue) : value.BinaryValue !== undefined ? Buffer.from(value.BinaryValue, 'base64').length : 0;
  }
  return size;
}

/** Opaque to clients, as SQS's are; it names the message so that any handle it was received with deletes it. */
function receiptFor(queue: string, message: StoredMessage): string {
  return Buffer.from(JSON.stringify({ q: queue, m: message.id, n: message.receiveCount, r: randomBytes(12).toString('hex') })).toString('base64');
}

function messageIdOf(receipt: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(receipt, 'base64').toString('utf8')) as { m?: unknown };
    if (typeof parsed.m === 'string') return parsed.m;
  } catch {
    // Not one of ours: the same answer as any malformed handle.
  }
  throw receiptHandleIsInvalid(receipt);
}

/** Waits for a change on the queue, the deadline, or the signal, whichever comes first. */
export function waitForChange(queue: LocalQueue, deadline: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stop();
      signal.removeEventListener('abort', done);
      resolve();
    };
    // No deadline: only a change or the signal ends the wait.
    const timer = deadline === Infinity ? undefined : setTimeout(done, Math.max(0, deadline - Date.now()));
    const stop = queue.onChange(done);
    signal.addEventListener('abort', done);
  });
}
