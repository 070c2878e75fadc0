export { build, buildDirectory, ZIPPED_LIMIT, UNZIPPED_LIMIT, type BuildOptions, type BuildResult } from './build.js';
export { createBundler, bundleAll, bundleOnce, bundleOptions, nodeTarget, type BundleOutput } from './bundle.js';
export { inspectApp, type AppModel, type ControllerInfo, type JobInfo, type FunctionInfo } from './inspect.js';
export { planFunctions, type PlannedFunction } from './plan.js';
export { listRoutes, type RouteRow } from './routes-report.js';
export { functionName, FUNCTION_NAME_LIMIT } from './names.js';
export { createZip } from './zip.js';
export { typecheckApp } from './typecheck.js';
export type * from './types.js';
