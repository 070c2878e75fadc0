// SQS's errors as its AWS JSON 1.0 endpoint sends them: the JSON `__type` names the SDK's
// exception shape, the `x-amzn-query-error` header the query-protocol code SQS kept for
// compatibility (the SDK's `error.Code`), e.g. QueueDoesNotExist / AWS.SimpleQueueService.NonExistentQueue.

export class SqsError extends Error {
  constructor(
    /** The shape name in `com.amazonaws.sqs#<type>`. */
    readonly type: string,
    message: string,
    /** The query-protocol code; defaults to the type. */
    readonly code: string = type,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const nonExistentQueue = () => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
export const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', message);
export const missingParameter = (name: string) => new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
export const invalidAttributeName = (name: string) => new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
export const invalidAttributeValue = (message: string) => new SqsError('InvalidAttributeValue', message);
export const receiptHandleIsInvalid = (handle: string) => new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 'ReceiptHandleIsInvalid', 404);
export const messageNotInflight = () => new SqsError('MessageNotInflight', 'Message is not in flight.', 'AWS.SimpleQueueService.MessageNotInflight');
