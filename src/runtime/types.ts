// Event, result and context shapes shared by the runtime, the dev server and the testing helper.
// Written from the fidelity reference (/work/shared/reference/apigw-fidelity.md, cited as "item N")
// rather than taken from @types/aws-lambda, so that runtime/ stays dependency-free and every
// `null` here is one API Gateway really sends.

/** REST v1 identity (item 29): only `sourceIp` is always set; the rest need IAM/Cognito auth. */
export interface ApiGatewayIdentity {
  accessKey: string | null;
  accountId: string | null;
  apiKey: string | null;
  apiKeyId: string | null;
  caller: string | null;
  clientCert: ApiGatewayClientCert | null;
  cognitoAuthenticationProvider: string | null;
  cognitoAuthenticationType: string | null;
  cognitoIdentityId: string | null;
  cognitoIdentityPoolId: string | null;
  principalOrgId: string | null;
  sourceIp: string;
  user: string | null;
  userAgent: string | null;
  userArn: string | null;
}

export interface ApiGatewayClientCert {
  clientCertPem: string;
  serialNumber: string;
  subjectDN: string;
  issuerDN: string;
  validity: { notAfter: string; notBefore: string };
}

/** Lambda authorizer output (item 30): `principalId` plus context values as strings; Cognito adds `claims`. */
export type ApiGatewayAuthorizer = Record<string, unknown>;

/** REST v1 `requestContext` (item 28). `authorizer` is absent, not null, without an authorizer. */
export interface ApiGatewayRequestContext {
  accountId: string;
  apiId: string;
  authorizer?: ApiGatewayAuthorizer;
  domainName: string;
  domainPrefix: string;
  extendedRequestId: string;
  httpMethod: string;
  identity: ApiGatewayIdentity;
  /** Includes the stage: `/dev/posts/1` (item 9). */
  path: string;
  protocol: string;
  requestId: string;
  /** Common Log Format: `10/Jul/2026:19:19:04 +0000`. */
  requestTime: string;
  requestTimeEpoch: number;
  resourceId: string;
  /** The resource template, e.g. `/posts/{id}` (item 16). */
  resourcePath: string;
  stage: string;
}

/** REST API v1 Lambda proxy event (item 15: exactly these keys, no `version`). */
export interface ApiGatewayProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: ApiGatewayRequestContext;
  body: string | null;
  isBase64Encoded: boolean;
}

/** What a REST v1 proxy integration may return (item 42: any other key → 502). */
export interface ApiGatewayProxyResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  body: string;
  isBase64Encoded?: boolean;
}

export interface HttpApiRequestContextHttp {
  method: string;
  path: string;
  protocol: string;
  sourceIp: string;
  userAgent: string;
}

/** HTTP API payload 2.0 `requestContext` (item 38). */
export interface HttpApiRequestContext {
  accountId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
  domainName: string;
  domainPrefix: string;
  http: HttpApiRequestContextHttp;
  /** A short id such as `ATfSmjLgPHcESJw=`, not a UUID. */
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/** HTTP API payload 2.0 event (items 32–38): absent parts are omitted keys, never null. */
export interface HttpApiEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: HttpApiRequestContext;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

export interface HttpApiResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** EventBridge scheduled rule event (item 95): `detail-type` "Scheduled Event", `source` "aws.events", `time` with seconds precision. */
export interface ScheduledEvent extends EventBridgeEvent {}

export interface SqsMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

export interface SqsRecordAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  SequenceNumber?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  [name: string]: string | undefined;
}

/** One SQS message as Lambda receives it (item 97). */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SqsRecordAttributes;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfBody: string;
  /** Only on a message with attributes. */
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

export interface SnsMessageAttribute {
  Type: string;
  Value: string;
}

/** One SNS notification as Lambda receives it (item 98). */
export interface SnsRecord {
  EventVersion: string;
  EventSubscriptionArn: string;
  EventSource: 'aws:sns';
  Sns: {
    Type: string;
    MessageId: string;
    TopicArn: string;
    Subject: string | null;
    Message: string;
    Timestamp: string;
    SignatureVersion: string;
    Signature: string;
    SigningCertUrl: string;
    UnsubscribeUrl: string;
    MessageAttributes: Record<string, SnsMessageAttribute>;
  };
}

export interface SnsEvent {
  Records: SnsRecord[];
}

/** One S3 notification as Lambda receives it (item 99). */
export interface S3EventRecord {
  eventVersion: string;
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    /** `key` is URL-encoded with spaces as `+`; `size`/`eTag` are absent on ObjectRemoved events. */
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

export interface S3Event {
  Records: S3EventRecord[];
}

/** A DynamoDB attribute value as DynamoDB's JSON spells it (`{ S: 'a' }`, `{ N: '1' }`, `{ M: {…} }` …). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

/** One change of a DynamoDB stream as Lambda receives it; `B`/`BS` values are base64. */
export interface DynamoDBStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Seconds since the epoch. */
    ApproximateCreationDateTime?: number;
    Keys: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
  };
  /** Only on a removal by Time to Live: `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type: string; principalId: string };
  eventSourceARN: string;
}

export interface DynamoDBStreamEvent {
  Records: DynamoDBStreamRecord[];
}

/** An event on an EventBridge bus, as a rule's target receives it (a schedule's is a ScheduledEvent). */
export interface EventBridgeEvent<Detail = Record<string, unknown>> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO-8601 UTC with seconds precision. */
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

export interface CognitoIdentity {
  cognitoIdentityId: string;
  cognitoIdentityPoolId: string;
}

export interface ClientContext {
  client: Record<string, string>;
  Custom?: unknown;
  env: Record<string, string>;
}

/** The Node.js Lambda context object (items 87–88). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** A string, as the runtime reads it from an environment variable. */
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  /** Undefined for API Gateway invocations. */
  identity?: CognitoIdentity;
  clientContext?: ClientContext;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  /** @deprecated still honoured by the runtime (item 81); prefer returning a value. */
  done?(error?: Error | string | null, result?: unknown): void;
  /** @deprecated */
  succeed?(result?: unknown): void;
  /** @deprecated */
  fail?(error: Error | string): void;
}

export type LambdaHandler<E = unknown, R = unknown> = (event: E, context: LambdaContext) => R | Promise<R>;

/** A TOKEN authorizer's event: the identity source's value and the ARN of the method called. */
export interface AuthorizerTokenEvent {
  type: 'TOKEN';
  authorizationToken: string;
  /** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path without the leading slash>`. */
  methodArn: string;
}

/** A REQUEST authorizer's event: the request's parts as a proxy event has them, without its body. */
export interface AuthorizerRequestEvent extends Omit<ApiGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'requestContext'> {
  type: 'REQUEST';
  methodArn: string;
  requestContext: Omit<ApiGatewayRequestContext, 'authorizer'>;
}

/** What a method ARN is made of (`arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`). */
export interface MethodArnParts {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  /** The HTTP verb of the method being called (`GET`). */
  method: string;
  /** The request's actual path with its leading slash (`/posts/42`; `/` for the root), not the resource template. */
  path: string;
}

export type AuthorizerEvent = AuthorizerTokenEvent | AuthorizerRequestEvent;

/** One statement of the IAM policy a Lambda authorizer returns. */
export interface AuthorizerPolicyStatement {
  Action: string | string[];
  Effect: 'Allow' | 'Deny';
  Resource: string | string[];
}

/** What a Lambda authorizer returns to API Gateway (REST). */
export interface AuthorizerResult {
  principalId: string;
  policyDocument: { Version: string; Statement: AuthorizerPolicyStatement[] };
  /** Values must be strings, numbers or booleans: API Gateway answers 500 for anything else. */
  context?: Record<string, string | number | boolean>;
  /** The API key a usage plan meters when the API's key source is AUTHORIZER. */
  usageIdentifierKey?: string;
}
