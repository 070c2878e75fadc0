// A published message as SNS checks it and hands it on: its attributes (`MessageAttributes.entry.N`),
// the 256 KB limit, the per-protocol bodies of MessageStructure=json, and the two shapes a
// subscriber sees: the Lambda event record, and the JSON envelope an SQS queue receives unless
// raw delivery is on.
import type { SnsMessageAttribute } from '../../config/event-filters/index.js';
import { indices, invalidParameter, SnsError, type Params } from './query-protocol.js';

/** An attribute as SNS hands it on: Binary values stay base64, as the SDK sent them. */
export type MessageAttributes = Record<string, SnsMessageAttribute>;

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message, or for MessageStructure=json the object of one body per protocol. */
  message: string;
  perProtocol?: Record<string, string>;
  attributes: MessageAttributes;
  /** ISO time with milliseconds, as SNS stamps it. */
  timestamp: string;
  sequenceNumber?: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** A message may be 256 KB, its attributes included. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
const SUBJECT_MAX = 100;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_PREFIX = /^(aws|amazon)\./i;
const BASE_TYPES = ['String', 'Number', 'Binary'];

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const badValue = (name: string, reason: string) => new SnsError('ParameterValueInvalid', `The message attribute '${name}' ${reason}`);

function checkAttributeValue(name: string, type: string, value: string): void {
  if (type === 'String.Array') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.some((item) => item !== null && typeof item === 'object')) {
      throw badValue(name, 'with type \'String.Array\' must be a JSON array of strings, numbers, booleans or nulls');
    }
  } else if (type.split('.')[0] === 'Number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    throw badValue(name, `has an invalid message attribute value: could not cast '${value}' to a number`);
  }
}

/** The `<prefix>MessageAttributes.entry.N` attributes, checked as Publish checks them. */
export function readMessageAttributes(params: Params, prefix: string): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const n of indices(params, `${prefix}MessageAttributes.entry`)) {
    const at = `${prefix}MessageAttributes.entry.${n}`;
    const name = params.get(`${at}.Name`) ?? '';
    if (!ATTRIBUTE_NAME.test(name) || RESERVED_PREFIX.test(name)) {
      throw invalidParameter(`MessageAttributes Reason: the name '${name}' is not valid: 1 to 256 letters, digits, '_', '-' and '.', without leading, trailing or doubled periods, not starting with AWS. or Amazon.`);
    }
    if (attributes[name]) throw invalidParameter(`MessageAttributes Reason: the message attribute '${name}' is given twice`);
    const type = params.get(`${at}.Value.DataType`) ?? '';
    if (!BASE_TYPES.includes(type.split('.')[0]!)) {
      throw badValue(name, `has an invalid message attribute type '${type}'; the type must start with String, Number or Binary`);
    }
    const value = params.get(`${at}.Value.${type.startsWith('Binary') ? 'BinaryValue' : 'StringValue'}`);
    if (value === null || value === '') throw badValue(name, `must contain a non-empty message attribute value for message attribute type '${type}'`);
    checkAttributeValue(name, type, value);
    attributes[name] = { Type: type, Value: value };
  }
  return attributes;
}

/** What counts toward the 256 KB: the message and every attribute's name, type and value. */
export function messageBytes(message: string, attributes: MessageAttributes): number {
  let total = bytes(message);
  for (const [name, { Type, Value }] of Object.entries(attributes)) total += bytes(name) + bytes(Type) + bytes(Value);
  return total;
}

export function checkSubject(subject: string): void {
  // "ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters".
  if (subject.length === 0 || subject.length >= SUBJECT_MAX || !/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) {
    throw invalidParameter('Subject Reason: must be ASCII text that begins with a letter, number or punctuation mark, without line breaks or control characters, shorter than 100 characters');
  }
}

/** MessageStructure=json: one body per protocol, a `default` one required. */
export function readMessageStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as Record<string, unknown>).default !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  return Object.fromEntries(Object.entries(parsed).map(([protocol, body]) => [protocol, typeof body === 'string' ? body : JSON.stringify(body)]));
}

/** The body a subscriber of `protocol` receives. */
export const bodyFor = (message: PublishedMessage, protocol: string) => message.perProtocol?.[protocol] ?? message.perProtocol?.default ?? message.message;

export interface SubscriptionUrls {
  signingCertUrl: string;
  unsubscribeUrl: string;
}

// Local messages are not signed: a fixed placeholder stands where SNS puts the signature.
const SIGNATURE = 'bG9jYWwgc2xzLXRzIFNOUyBtZXNzYWdlcyBhcmUgbm90IHNpZ25lZA==';

/** The record of an SNS Lambda event (`Records[0]`), field for field as SNS sends it. */
export function lambdaRecord(message: PublishedMessage, subscriptionArn: string, urls: SubscriptionUrls) {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: subscriptionArn,
    Sns: {
      Type: 'Notification',
      MessageId: message.messageId,
      TopicArn: message.topicArn,
      Subject: message.subject ?? null,
      Message: bodyFor(message, 'lambda'),
      Timestamp: message.timestamp,
      SignatureVersion: '1',
      Signature: SIGNATURE,
      SigningCertUrl: urls.signingCertUrl,
      UnsubscribeUrl: urls.unsubscribeUrl,
      MessageAttributes: message.attributes,
    },
  };
}

/** The JSON document an SQS subscriber receives without raw delivery (note the URL spelling, unlike the Lambda event's). */
export function sqsEnvelope(message: PublishedMessage, urls: SubscriptionUrls): string {
  const attributes = Object.keys(message.attributes).length > 0 ? { MessageAttributes: message.attributes } : {};
  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    ...(message.sequenceNumber !== undefined && { SequenceNumber: message.sequenceNumber }),
    TopicArn: message.topicArn,
    ...(message.subject !== undefined && { Subject: message.subject }),
    Message: bodyFor(message, 'sqs'),
    Timestamp: message.timestamp,
    SignatureVersion: '1',
    Signature: SIGNATURE,
    SigningCertURL: urls.signingCertUrl,
    UnsubscribeURL: urls.unsubscribeUrl,
    ...attributes,
  });
}
