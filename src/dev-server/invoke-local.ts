import type { PlannedFunction } from '../build/index.js';
import type { PrecompiledRoute } from '../router/index.js';
import { connectEvent, newConnectionId } from '../runtime/events/websocket.js';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { apiGatewayEvent, scheduledEvent } from '../runtime/events/index.js';
import { loadAppState, type AppState } from './app-state.js';
import { createDevBuilder } from './dev-build.js';
import { createDevEngines } from './dev-engines.js';
import { FunctionPool, type InvokeOutcome } from './pool.js';

export interface InvokeLocalOptions {
  root: string;
  stage?: string;
  region?: string;
  /**
   * A function key (`posts-controller`, `cleanup-job`, `hello`), its AWS name, a short name
   * (`posts`, `cleanup`, `chat` for a channel), or a controller action as routes name it (`posts#create`).
   */
  name: string;
  /** The event; default: a scheduled event for a job, a $connect event for a channel, an API Gateway event for the action's route (or the function's first), else `{}`. */
  event?: unknown;
  /**
   * The function's console output, line by line (on Lambda: its CloudWatch log). Default: this
   * process's stderr, so that stdout carries the result alone (as `sam local invoke` does).
   */
  onLog?: (line: string) => void;
  /** The declared tables and buckets keep their data under `.sls-ts/local/`, as `sls-ts server --persist` does (default: fresh, in memory). */
  persist?: boolean;
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
    candidates.find((fn) => fn.key === `${name}-controller` || fn.key === `${name}-job` || fn.key === `${name}-channel` || fn.job === name || fn.function === name || fn.controller === name || fn.channel?.name === name);
  if (!found) {
    throw new SlsError({ text: `no function "${name}" in ${state.config.name}`, hint: `choose one of: ${candidates.map((fn) => fn.key).join(', ')}` });
  }
  return found;
}

/** What `invoke` runs: a function, and for `posts#create` the route that reaches that action. */
export interface InvokeTarget {
  fn: PlannedFunction;
  route?: PrecompiledRoute;
}

/** Resolves `posts#create` (as `routes` names targets) or a function name, or explains what exists. */
export function findTarget(state: AppState, name: string): InvokeTarget {
  const hash = name.indexOf('#');
  if (hash < 0) return { fn: findFunction(state, name) };
  const [controller, action] = [name.slice(0, hash), name.slice(hash + 1)];
  // Every routed action, in any layout: the function that serves a route is the one it runs in.
  const routed = state.functions.flatMap((fn) => fn.routes.flatMap((route) => ('controller' in route.target ? [{ fn, route, target: `${route.target.controller}#${route.target.action}` }] : [])));
  const found = routed.find((entry) => entry.target === name);
  if (found) return { fn: found.fn, route: found.route };
  const targets = [...new Set(routed.map((entry) => entry.target))];
  const near = closestMatch(name, targets);
  const known = routed.some((entry) => entry.target.startsWith(`${controller}#`));
  throw new SlsError({
    text: known ? `no route reaches ${controller}#${action} in ${state.config.name}` : `no route reaches controller "${controller}" in ${state.config.name}`,
    hint: near ? `did you mean \`${near}\`?` : `routed actions: ${targets.join(', ') || 'none'}`,
  });
}

/** The event a function would typically receive, for `invoke` without `--event`: one for `route` when given. */
export function defaultEvent(state: AppState, fn: PlannedFunction, route: PrecompiledRoute | undefined = fn.routes[0]): unknown {
  if (fn.kind === 'job') return scheduledEvent({ ruleName: `${fn.functionName}-schedule`, region: state.config.region });
  // A channel's first event: a client connecting (its messages need a body: pass --event).
  if (fn.kind === 'channel') {
    return connectEvent({ connectionId: newConnectionId(), connectedAt: Date.now(), apiId: 'local', domainName: `local.execute-api.${state.config.region}.amazonaws.com`, stage: state.config.stage, identity: { sourceIp: '127.0.0.1', userAgent: null }, headers: [], query: new URLSearchParams() });
  }
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
  const { fn, route } = findTarget(state, options.name);
  const builder = createDevBuilder(state.config);
  // The same engines as the dev server's, so a function that reads a table finds one.
  const engines = createDevEngines({ root: options.root, ...(options.persist && { persist: true }) });
  try {
    // Jobs' own queues too, so performLater has a queue to send to (nothing delivers it: one invocation only).
    const engineNotes = async () => [...await withFreshPorts(() => engines.apply(state.config).done), ...await withFreshPorts(() => engines.subscribe(state.functions))];
    const [bundle, notes] = await Promise.all([builder.bundle(fn), engineNotes()]);
    if (bundle.error) throw new SlsError({ text: `${fn.source} failed to build: ${bundle.error}` });
    const logs = splitLines(options.onLog ?? ((line) => process.stderr.write(`${line}\n`)));
    const environment = { ...fn.environment, ...engines.envFor(fn) };
    const pool = new FunctionPool({ key: fn.key, functionName: fn.functionName, bundle: bundle.file, memory: fn.memory, timeout: fn.timeout, region: state.config.region, runtime: state.config.runtime, environment, onOutput: logs.write }, 1);
    const event = options.event ?? defaultEvent(state, fn, route);
    try {
      return { functionName: fn.functionName, warnings: [...state.warnings, ...notes], event, outcome: await pool.invoke(event) };
    } finally {
      // The worker hands over all it wrote before it exits; a last line without a newline is still a line.
      await pool.close({ flushOutput: true });
      logs.end();
    }
  } finally {
    await Promise.all([builder.dispose(), engines.stop()]);
  }
}

const PORT_ATTEMPTS = 3;

/**
 * Starts the engines again, on ports picked again, when one was taken between its pick and its
 * listen (another process's socket): here nothing has read their environment yet, so unlike the
 * dev server's workers, no one holds the old endpoints.
 */
async function withFreshPorts<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !(error instanceof Error && error.message.includes('EADDRINUSE'))) throw error;
    }
  }
}

/** Chunks of output to whole lines: a line written in two pieces stays one. */
function splitLines(onLine: (line: string) => void): { write(chunk: string): void; end(): void } {
  let rest = '';
  return {
    write(chunk) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) onLine(line);
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}
