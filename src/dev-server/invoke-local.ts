import type { PlannedFunction } from '../build/index.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { apiGatewayEvent, scheduledEvent } from '../runtime/events/index.js';
import { loadAppState, type AppState } from './app-state.js';
import { createDevBuilder } from './dev-build.js';
import { FunctionPool, type InvokeOutcome } from './pool.js';

export interface InvokeLocalOptions {
  root: string;
  stage?: string;
  region?: string;
  /** A function key (`posts-controller`, `cleanup-job`, `hello`), its AWS name, or a short name (`posts`, `cleanup`). */
  name: string;
  /** The event; default: a scheduled event for a job, an API Gateway event for its first route, else `{}`. */
  event?: unknown;
}

export interface InvokeLocalResult {
  functionName: string;
  /** The config's and the app's warnings (e.g. ssm:/secret: values functions see unresolved). */
  warnings: Diagnostic[];
  event: unknown;
  outcome: InvokeOutcome;
}

/** Finds the function a user means by `name`, or explains which names exist. */
export function findFunction(state: AppState, name: string): PlannedFunction {
  const candidates = state.functions;
  const found =
    candidates.find((fn) => fn.key === name || fn.functionName === name) ??
    candidates.find((fn) => fn.key === `${name}-controller` || fn.key === `${name}-job` || fn.job === name || fn.function === name || fn.controller === name);
  if (!found) {
    throw new SlsError({ text: `no function "${name}" in ${state.config.name}`, hint: `choose one of: ${candidates.map((fn) => fn.key).join(', ')}` });
  }
  return found;
}

/** The event a function would typically receive, for `invoke` without `--event`. */
export function defaultEvent(state: AppState, fn: PlannedFunction): unknown {
  if (fn.kind === 'job') return scheduledEvent({ ruleName: `${fn.functionName}-schedule`, region: state.config.region });
  const route = fn.routes[0];
  if (!route) return {};
  const path = route.path.replace(/[:*]([A-Za-z_]\w*)/g, (_match, param: string) => `sample-${param}`);
  const pathParameters = Object.fromEntries([...route.path.matchAll(/[:*]([A-Za-z_]\w*)/g)].map((m) => [m[1]!, `sample-${m[1]}`]));
  return apiGatewayEvent({
    method: route.method === 'ANY' ? 'GET' : route.method, path, resource: route.resource,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null, stage: state.config.stage, region: state.config.region,
  });
}

/** `sls-ts invoke <fn> --local`: builds one function and runs it once in a fresh Lambda-like worker. */
export async function invokeLocal(options: InvokeLocalOptions): Promise<InvokeLocalResult> {
  const state = await loadAppState(options.root, options.stage ?? 'dev', options.region);
  const fn = findFunction(state, options.name);
  const builder = createDevBuilder(state.config);
  try {
    const bundle = await builder.bundle(fn);
    if (bundle.error) throw new SlsError({ text: `${fn.source} failed to build: ${bundle.error}` });
    const pool = new FunctionPool({ key: fn.key, functionName: fn.functionName, bundle: bundle.file, memory: fn.memory, timeout: fn.timeout, region: state.config.region, runtime: state.config.runtime, environment: fn.environment }, 1);
    const event = options.event ?? defaultEvent(state, fn);
    try {
      return { functionName: fn.functionName, warnings: state.warnings, event, outcome: await pool.invoke(event) };
    } finally {
      await pool.close();
    }
  } finally {
    await builder.dispose();
  }
}
