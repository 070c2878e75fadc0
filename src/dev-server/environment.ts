// Starting one Lambda execution environment: a worker thread with the function's bundle, the
// Lambda environment variables and Node flags, and a promise for the outcome of its Init.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { sdkHostNoticeOff } from '../build/sdk-notice.js';
import { createLogStreamName, lambdaEnvironment } from '../runtime/context.js';
import { SLOT_COUNT, type ErrorPayload, type WorkerMessage, type WorkerSetup } from './protocol.js';

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
  /**
   * What a new environment's first invocation waits for once Init is done: the local engines its
   * environment points at, which may still be starting while the worker loads the function.
   */
  gate?: Promise<unknown>;
  /**
   * Where the function's stdout and stderr go, chunk by chunk (`invoke --local` keeps its own
   * stdout for the result). Default: this process's own streams, as the dev server logs them.
   */
  onOutput?: (chunk: string) => void;
}

export type InitOutcome = { initMs: number } | { error: ErrorPayload };

/**
 * The compiled worker entry. Under vitest the sources are TypeScript, so fall back to the build
 * in dist/ (npm test rebuilds it first).
 */
function workerFile(): URL {
  const sibling = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL('../../dist/dev-server/worker.js', import.meta.url);
}

export function startWorker(fn: DevFunction): { worker: Worker; ready: Promise<InitOutcome>; slots: Int32Array; results: MessagePort } {
  const logStreamName = createLogStreamName();
  const shared = new SharedArrayBuffer((SLOT_COUNT + 1) * Int32Array.BYTES_PER_ELEMENT);
  const results = new MessageChannel();
  const setup: WorkerSetup = { bundle: fn.bundle, exportName: 'handler', functionName: fn.functionName, memoryMB: fn.memory, timeoutSeconds: fn.timeout, region: fn.region, logStreamName, slots: shared, results: results.port2 };
  // TZ=:UTC is set as on Lambda (item 89). A worker's own env copy leaves the process's time
  // zone alone — and, for the same reason, the worker's Dates keep the host's zone.
  const reserved = lambdaEnvironment({ functionName: fn.functionName, memoryMB: fn.memory, region: fn.region, runtime: fn.runtime, logStreamName });
  // Lambda sets no NODE_ENV (item 89), and third-party code reads it (Express shows stacks unless
  // it is 'production'): a function sees one only when the app's env or .env sets it, never the
  // dev server's own. sls-ts's routed handlers show error messages locally through a switch of
  // their own, which the app may turn off.
  const { NODE_ENV: _hostNodeEnv, ...host } = process.env;
  const env = { ...host, SLS_TS_SHOW_ERRORS: '1', ...sdkHostNoticeOff(fn.runtime), ...fn.environment, ...reserved };
  // Node flags come from the function's NODE_OPTIONS, as on Lambda — not from the dev server's own
  // command line, which a worker inherits by default (`node --input-type=module -e …` would make
  // every import fail; a tsx or --inspect flag has no business in a Lambda environment).
  const execArgv = /(^|\s)--enable-source-maps(\s|$)/.test(fn.environment.NODE_OPTIONS ?? '') ? ['--enable-source-maps'] : [];
  const captured = Boolean(fn.onOutput);
  const worker = new Worker(workerFile(), { workerData: setup, transferList: [results.port2], env, execArgv, stdout: captured, stderr: captured });
  if (fn.onOutput) for (const stream of [worker.stdout, worker.stderr]) stream.setEncoding('utf8').on('data', fn.onOutput);
  worker.unref();
  const ready = new Promise<InitOutcome>((resolve) => {
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
  return { worker, ready, slots: new Int32Array(shared), results: results.port1 };
}
