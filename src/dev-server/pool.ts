import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createLogStreamName, lambdaEnvironment } from '../runtime/context.js';
import type { ErrorPayload, InvokeMessage, WorkerMessage, WorkerSetup } from './protocol.js';

/** A function as the dev server runs it. */
export interface DevFunction {
  key: string;
  functionName: string;
  bundle: string;
  memory: number;
  timeout: number;
  region: string;
  runtime: string;
  environment: Record<string, string>;
}

export type InvokeOutcome =
  | { kind: 'result'; payload: string; cold: boolean; initMs?: number; durationMs: number }
  | { kind: 'error'; error: ErrorPayload; cold: boolean; durationMs: number };

type RawOutcome = { kind: 'result'; payload: string } | { kind: 'error'; error: ErrorPayload };

interface Environment {
  worker: Worker;
  ready: Promise<{ initMs: number } | { error: ErrorPayload }>;
  busy: boolean;
  used: boolean;
  retired: boolean;
}

/**
 * The compiled worker entry. Under vitest the sources are TypeScript, so fall back to the build
 * in dist/ (npm test rebuilds it first).
 */
function workerFile(): URL {
  const sibling = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL('../../dist/dev-server/worker.js', import.meta.url);
}

/**
 * Warm execution environments of one function (item 91): each worker runs one invocation at a
 * time; overlapping requests get more workers up to `maxWorkers`, then queue. A worker that timed
 * out or crashed is thrown away, so the next request is a cold start with fresh module state.
 */
export class FunctionPool {
  readonly #environments: Environment[] = [];
  readonly #queue: Array<() => void> = [];
  #fn: DevFunction;
  readonly #maxWorkers: number;
  #nextId = 1;

  constructor(fn: DevFunction, maxWorkers = 8) {
    this.#fn = fn;
    this.#maxWorkers = maxWorkers;
  }

  get function(): DevFunction {
    return this.#fn;
  }

  get size(): number {
    return this.#environments.length;
  }

  /** New code or settings: idle workers go now, busy ones after their invocation. */
  recycle(fn: DevFunction = this.#fn): void {
    this.#fn = fn;
    for (const environment of [...this.#environments]) {
      environment.retired = true;
      if (!environment.busy) this.#discard(environment);
    }
  }

  async close(): Promise<void> {
    const all = [...this.#environments];
    this.#environments.length = 0;
    await Promise.all(all.map((environment) => environment.worker.terminate()));
  }

  /** `eventJson`: the event already serialised (the dev server has it from its size check). */
  async invoke(event: unknown, requestId: string = randomUUID(), eventJson?: string): Promise<InvokeOutcome> {
    const environment = await this.#acquire();
    const started = Date.now();
    const cold = !environment.used;
    environment.used = true;
    try {
      const init = await environment.ready;
      if ('error' in init) {
        // Item 86: a function that cannot start fails every request, and each retry is cold again.
        this.#discard(environment);
        return { kind: 'error', error: init.error, cold, durationMs: Date.now() - started };
      }
      const outcome = await this.#run(environment, eventJson ?? JSON.stringify(event) ?? 'null', requestId);
      return { ...outcome, cold, ...(cold && { initMs: init.initMs }), durationMs: Date.now() - started } as InvokeOutcome;
    } finally {
      environment.busy = false;
      if (environment.retired || !this.#environments.includes(environment)) this.#discard(environment);
      this.#queue.shift()?.();
    }
  }

  #run(environment: Environment, event: string, requestId: string): Promise<RawOutcome> {
    const id = this.#nextId++;
    const timeoutMs = this.#fn.timeout * 1000;
    // The deadline counts from the invoke, after Init, as the timer below does (item 88).
    const startedAt = Date.now();
    return new Promise((resolve) => {
      const { worker } = environment;
      const done = (outcome: RawOutcome, discard = false) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (discard) this.#discard(environment);
        resolve(outcome);
      };
      // Items 64–65: the function's own timeout fails the invocation and resets the environment.
      const timer = setTimeout(() => {
        done({ kind: 'error', error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, trace: [] } }, true);
      }, timeoutMs);
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'result' && message.id === id) done({ kind: 'result', payload: message.payload });
        else if (message.type === 'error' && message.id === id) done({ kind: 'error', error: message.error });
      };
      // Item 85: an uncaught exception or unhandled rejection kills the environment.
      const onError = (error: Error) => done({ kind: 'error', error: { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') } }, true);
      const onExit = (code: number) => done({ kind: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`, trace: [] } }, true);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const message: InvokeMessage = { type: 'invoke', id, event, requestId, startedAt };
      worker.postMessage(message);
    });
  }

  async #acquire(): Promise<Environment> {
    for (;;) {
      const idle = this.#environments.find((environment) => !environment.busy && !environment.retired);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.#environments.filter((environment) => !environment.retired).length < this.#maxWorkers) {
        const environment = this.#spawn();
        environment.busy = true;
        return environment;
      }
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    }
  }

  #spawn(): Environment {
    const fn = this.#fn;
    const logStreamName = createLogStreamName();
    const setup: WorkerSetup = { bundle: fn.bundle, exportName: 'handler', functionName: fn.functionName, memoryMB: fn.memory, timeoutSeconds: fn.timeout, region: fn.region, logStreamName };
    // TZ=:UTC is set as on Lambda (item 89). A worker's own env copy leaves the process's time
    // zone alone — and, for the same reason, the worker's Dates keep the host's zone.
    const reserved = lambdaEnvironment({ functionName: fn.functionName, memoryMB: fn.memory, region: fn.region, runtime: fn.runtime, logStreamName });
    const env = { ...process.env, ...fn.environment, ...reserved, NODE_ENV: process.env.NODE_ENV ?? 'development' };
    // Node flags come from the function's NODE_OPTIONS, as on Lambda — not from the dev server's own
    // command line, which a worker inherits by default (`node --input-type=module -e …` would make
    // every import fail; a tsx or --inspect flag has no business in a Lambda environment).
    const execArgv = /(^|\s)--enable-source-maps(\s|$)/.test(fn.environment.NODE_OPTIONS ?? '') ? ['--enable-source-maps'] : [];
    const worker = new Worker(workerFile(), { workerData: setup, env, execArgv, stdout: false, stderr: false });
    worker.unref();
    const ready = new Promise<{ initMs: number } | { error: ErrorPayload }>((resolve) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') resolve({ initMs: message.initMs });
        else if (message.type === 'init-error') resolve({ error: message.error });
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      // Kept for the worker's life: an 'error' event without a listener would throw in the server.
      worker.on('error', (error) => resolve({ error: { errorType: 'Runtime.ImportModuleError', errorMessage: error.message, trace: (error.stack ?? '').split('\n') } }));
      worker.once('exit', (code) => resolve({ error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}`, trace: [] } }));
    });
    const environment: Environment = { worker, ready, busy: false, used: false, retired: false };
    // An environment that dies between invocations (a leftover timer throwing, process.exit) is
    // gone: the next request must get a cold one, not wait on a dead worker until its timeout.
    worker.once('exit', () => {
      if (!environment.busy) this.#discard(environment);
    });
    this.#environments.push(environment);
    return environment;
  }

  #discard(environment: Environment): void {
    const index = this.#environments.indexOf(environment);
    if (index >= 0) this.#environments.splice(index, 1);
    void environment.worker.terminate();
  }
}
