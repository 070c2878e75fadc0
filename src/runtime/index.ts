// The runtime API app code imports from 'sls-ts'. Everything here ships into Lambda: it imports
// only ../router and node built-ins (checked by .ci/check-rooms.mjs at build time).
export { defineRoutes, RouteBuilder, RouteError, routeTable, type RouteSet, type ResourcesOptions, type TargetSpec, type PrecompiledRoute } from '../router/index.js';
export { Controller, CookieJar, type Params, type Rendered, type RenderOptions, type FilterOptions, type ControllerInit } from './controller.js';
export { HttpError } from './http-error.js';
export { hookMethods, type HookRole } from './dispatch.js';
export { Request, HeaderMap, type ApiEvent } from './request.js';
export type { RequestAuth, IamCaller } from './request-auth.js';
export { createHandler, type AppDefinition, type CreateHandlerOptions } from './create-handler.js';
export { corsPolicy, type CorsOptions, type CorsPolicy } from './cors.js';
export { createRouteHandler, type RoutedApp, type HandlerOptions, type ApiHandler, type ApiResult, type FunctionRoutes, type ControllerEntry } from './handler.js';
export { functionRoutes, type FunctionEntry } from './function-routes.js';
export { BodyParseError, type UploadedFile } from './body.js';
export type { CookieOptions } from './cookies.js';
export { Authorizer, createAuthorizerHandler, AUTHORIZER_DEFAULTS, AUTHORIZER_MAX_TTL, type AuthorizerRequest, type AuthorizerContext, type PolicyOptions, type AuthorizerClass, type AuthorizerHandler, type AuthorizerSettings, type AuthorizerType } from './authorizer.js';
export { Job, createJobHandler, schedulesOf, type BatchResponse } from './job.js';
export type { JobRecord, QueueRecord, LaterRecord, TopicRecord, BucketRecord, TableRecord, RuleRecord, ScheduleRecord } from './job-records.js';
export type { PerformLaterOptions, SentMessage } from './perform-later.js';
export type { DynamoValue } from './dynamodb-json.js';
export { queue, topic, bucket, table, rule, type JobSubscription, type QueueSubscription, type TopicSubscription, type BucketSubscription, type TableSubscription, type RuleSubscription, type RuleOptions, type JobQueueOptions, type BucketEventName, type StreamViewName } from './subscriptions.js';
export { rate, cron, nextRun, ScheduleError, type Schedule } from './schedule.js';
export { resources, type LinkedResource, type Resources } from './resources.js';
export { guard, type GuardCall, type Invocation, type GuardEvent, type GuardOptions, type GuardState, type GuardFailure, type GuardRejection, type Guarded, type FallbackInfo } from './guard.js';
export { GuardTimeoutError, BulkheadFullError, BreakerOpenError, GuardOptionError } from './guard-errors.js';
export type { RetryOptions, BreakerOptions } from './guard-options.js';
export type { BreakerState } from './guard-breaker.js';
export type * from './types.js';
export { Channel, createChannelHandler, CHANNEL_LIFECYCLE, DEFAULT_ROUTE_SELECTION, type ChannelClass, type ChannelHandler, type BroadcastResult } from './channel.js';
export type { WebSocketEvent, WebSocketEventType, WebSocketRequestContext, WebSocketIdentity, WebSocketResult } from './websocket-types.js';
