export { apiGatewayEvent, parseQueryString } from './api-gateway.js';
export type { ApiGatewayEventOptions, HeaderInput, ParsedQuery, QueryInput } from './api-gateway.js';
export { httpApiEvent } from './http-api.js';
export type { HttpApiEventOptions } from './http-api.js';
export { encodeS3Key, s3Event, scheduledEvent, snsEvent, sqsEvent } from './others.js';
export type {
  S3EventOptions,
  ScheduledEventOptions,
  SnsEventOptions,
  SnsMessageSpec,
  SqsEventOptions,
  SqsMessageAttributeInput,
  SqsMessageSpec,
} from './others.js';
