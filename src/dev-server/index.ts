export { createDevServer, type DevServer, type DevServerOptions } from './server.js';
export type { DevServerEvent } from './events.js';
export { FunctionPool, type DevFunction, type InvokeOutcome } from './pool.js';
export { invokeLocal, findFunction, findTarget, defaultEvent, type InvokeLocalOptions, type InvokeLocalResult, type InvokeTarget } from './invoke-local.js';
export type { EngineListing } from './dev-engines.js';
