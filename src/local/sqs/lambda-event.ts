// The event Lambda's SQS poller sends a function: the received messages as records, with their
// system attributes, message attributes in the event's lowercase spelling, and checksums.
import type { StoredMessage } from './queue.js';
import type { WireAttribute } from './md5.js';

function recordAttribute(value: WireAttribute) {
  return {
    ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
    ...(value.BinaryValue !== undefined && { binaryValue: value.BinaryValue }),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: value.BinaryListValues ?? [],
    dataType: value.DataType,
  };
}

export function sqsLambdaEvent(messages: readonly StoredMessage[], queueArn: string, region: string) {
  return {
    Records: messages.map((message) => ({
      messageId: message.id,
      receiptHandle: message.receipt!,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        ...(message.traceHeader !== undefined && { AWSTraceHeader: message.traceHeader }),
        SentTimestamp: String(message.sentAt),
        ...(message.sequenceNumber !== undefined && { SequenceNumber: message.sequenceNumber }),
        ...(message.groupId !== undefined && { MessageGroupId: message.groupId }),
        SenderId: message.senderId,
        ...(message.deduplicationId !== undefined && { MessageDeduplicationId: message.deduplicationId }),
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: Object.fromEntries(Object.entries(message.attributes).map(([name, value]) => [name, recordAttribute(value)])),
      md5OfBody: message.md5OfBody,
      // Lambda leaves it out for a message without attributes, as SQS does.
      ...(message.md5OfAttributes !== undefined && { md5OfMessageAttributes: message.md5OfAttributes }),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}
