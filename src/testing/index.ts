// sls-ts/testing: run an app's real handler path in-process from vitest — no server, no AWS.
export { request, TestRequest, type TestClient, type TestResponse, type ClientOptions } from './client.js';
export { invoke } from './invoke.js';
export { loadApp, type LoadAppOptions, type TestApp } from './load-app.js';
export type { AuthorizedAs } from './guard.js';
export { apiGatewayEvent, httpApiEvent, scheduledEvent, sqsEvent, snsEvent, s3Event, dynamodbStreamEvent, eventBridgeEvent } from '../runtime/events/index.js';
export { createLambdaContext } from '../runtime/context.js';
export { useLocalResources, type JobRun, type LocalEventInput, type LocalResources, type LocalResourcesOptions, type MessageAttributeInput } from './local-resources.js';
export type { LocalAppInput } from '../local/local-app.js';
export { testChannel, ChannelRefusedError, type TestChannel, type TestChannelOptions, type TestConnection, type ConnectOptions } from './channel.js';
