// The deploy room's public surface. Create a context once, then call the operations with it:
//   const ctx = createDeployContext({ config, onEvent });
//   const result = await deploy(ctx, { yes: true });
export { createDeployContext, stackNameOf, DEFAULT_DELAYS, type DeployContext, type ContextOptions, type PollDelays } from './context.js';
export { createClients, destroyClients, endpointOverride, sdkRegion, MAX_ATTEMPTS, type AwsClients, type ClientOptions } from './clients.js';
export { deploy, routesOf, type DeployOptions } from './deploy.js';
export { deployCode, type CodeDeployOptions } from './code.js';
export { remove, emptyBucket, type RemoveOptions } from './remove.js';
export { status, url, type StatusOptions } from './info.js';
export { listResources, summarizeSettings, type ListedResource, type ResourceListing } from './resource-list.js';
export { describeDataChange, describeRetained } from './data-lines.js';
export { invokeRemote, resolveFunctionName, type InvokeRemoteOptions } from './invoke.js';
export { tailLogs, parseSince, logGroupOf, type TailLogsOptions } from './logs.js';
export { DeployFailedError, describeFailure, hintFor } from './failure.js';
export { describeAwsError } from './errors.js';
export { stateKey } from './state.js';
export { describeStack, outputsOf } from './stack.js';
export { objectUrl } from './upload.js';
export type * from './types.js';
