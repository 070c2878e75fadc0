// What a test sends the local engines as app code would, without an SDK in the test: a message to
// a queue (SQS's JSON protocol), to a topic (SNS's Query protocol), events to the bus (EventBridge's
// JSON 1.1). Each names the target it could not reach and what the app has instead.
import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, type LocalEngines } from '../local/index.js';
import { LATER_ATTRIBUTE } from '../runtime/job-records.js';

/** A message attribute: a string or number (String/Number), or a Buffer (Binary). */
export type MessageAttributeInput = string | number | Buffer;

/** An event put on the local bus: `detail` is sent as JSON; `bus` defaults to `default`. */
export interface LocalEventInput {
  source: string;
  detailType: string;
  detail: unknown;
  bus?: string;
}

const asText = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));

/** An attribute as SQS and SNS both take it (Binary as base64). */
function wireAttribute(value: MessageAttributeInput): { DataType: string; StringValue?: string; BinaryValue?: string } {
  if (Buffer.isBuffer(value)) return { DataType: 'Binary', BinaryValue: value.toString('base64') };
  return { DataType: typeof value === 'number' ? 'Number' : 'String', StringValue: String(value) };
}

/** SendMessage to a declared queue, or to a job's own queue marked as performLater marks it. */
export async function sendMessage(engines: LocalEngines, target: string, body: unknown, attributes: Record<string, MessageAttributeInput> = {}): Promise<{ messageId: string }> {
  const jobQueue = engines.jobQueues.find((q) => q.className === target || q.job === target);
  const url = engines.queues.find((q) => q.queue.name === target)?.url ?? jobQueue?.url;
  if (!url || !engines.endpoints.sqs) {
    const known = [...engines.queues.map((q) => q.queue.name), ...engines.jobQueues.map((q) => q.className)];
    throw new Error(`send(): no queue "${target}" — ${known.length > 0 ? `queues: ${known.join(', ')}` : 'the app declares no queue and no job has its own (static queue)'}`);
  }
  // To a job's own queue, marked as performLater marks its messages: the job gets a `later` record.
  const marked = jobQueue && !engines.queues.some((q) => q.queue.name === target) ? { ...attributes, [LATER_ATTRIBUTE]: jobQueue.className } : attributes;
  const MessageAttributes = Object.fromEntries(Object.entries(marked).map(([name, value]) => [name, wireAttribute(value)]));
  const response = await fetch(engines.endpoints.sqs, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
    body: JSON.stringify({ QueueUrl: url, MessageBody: asText(body), ...(Object.keys(MessageAttributes).length > 0 && { MessageAttributes }) }),
  });
  const reply = (await response.json()) as { MessageId?: string; message?: string };
  if (!response.ok) throw new Error(`send() to ${target}: ${reply.message ?? response.status}`);
  return { messageId: reply.MessageId! };
}

const xmlText = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

/** Publish to a declared topic; a FIFO topic's message gets one group and a fresh deduplication id. */
export async function publishMessage(engines: LocalEngines, topic: string, message: unknown, attributes: Record<string, MessageAttributeInput> = {}): Promise<{ messageId: string }> {
  const declared = engines.topics.find((candidate) => candidate.name === topic);
  if (!declared || !engines.endpoints.sns) {
    const known = engines.topics.map((candidate) => candidate.name);
    throw new Error(`publish(): no topic "${topic}" — ${known.length > 0 ? `topics: ${known.join(', ')}` : 'the app declares no topic'}`);
  }
  const region = engines.env().AWS_REGION;
  const form = new URLSearchParams({ Action: 'Publish', TopicArn: `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${declared.physicalName}`, Message: asText(message) });
  if (declared.fifo) {
    form.set('MessageGroupId', 'sls-ts-testing');
    form.set('MessageDeduplicationId', randomUUID());
  }
  Object.entries(attributes).forEach(([name, value], index) => {
    const prefix = `MessageAttributes.entry.${index + 1}`;
    form.set(`${prefix}.Name`, name);
    for (const [field, text] of Object.entries(wireAttribute(value))) form.set(`${prefix}.Value.${field}`, text);
  });
  const response = await fetch(engines.endpoints.sns, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const reply = await response.text();
  if (!response.ok) throw new Error(`publish() to ${topic}: ${xmlText(reply, 'Message') ?? response.status}`);
  return { messageId: xmlText(reply, 'MessageId')! };
}

/** PutEvents on the local bus; rejects naming the first entry the bus refused. */
export async function putEvents(engines: LocalEngines, entries: readonly LocalEventInput[]): Promise<{ eventIds: string[] }> {
  if (!engines.endpoints.events) throw new Error('putEvents(): no job has a rule (static events = [rule({ … })]), so no local bus runs');
  const response = await fetch(engines.endpoints.events, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
    body: JSON.stringify({
      Entries: entries.map((entry) => ({ Source: entry.source, DetailType: entry.detailType, Detail: asText(entry.detail), ...(entry.bus !== undefined && { EventBusName: entry.bus }) })),
    }),
  });
  const reply = (await response.json()) as { message?: string; Entries?: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> };
  if (!response.ok) throw new Error(`putEvents(): ${reply.message ?? response.status}`);
  const refused = reply.Entries!.findIndex((entry) => entry.ErrorCode !== undefined);
  if (refused >= 0) throw new Error(`putEvents(): entry ${refused + 1} was refused: ${reply.Entries![refused]!.ErrorCode} ${reply.Entries![refused]!.ErrorMessage ?? ''}`.trim());
  return { eventIds: reply.Entries!.map((entry) => entry.EventId!) };
}
