export { apiGatewayEvent, parseQueryString } from './api-gateway.js';
export type { ApiGatewayEventOptions, HeaderInput, ParsedQuery, QueryInput } from './api-gateway.js';
export { httpApiEvent } from './http-api.js';
export type { HttpApiEventOptions } from './http-api.js';
export { dynamodbStreamEvent, encodeS3Key, eventBridgeEvent, s3Event, scheduledEvent, snsEvent, sqsEvent } from './others.js';
export type {
  DynamodbStreamEventOptions,
  EventBridgeEventOptions,
  S3EventOptions,
  ScheduledEventOptions,
  SnsEventOptions,
  SnsMessageSpec,
  SqsEventOptions,
  SqsMessageAttributeInput,
  SqsMessageSpec,
  TableChangeSpec,
} from './others.js';
