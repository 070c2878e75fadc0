// A worker thread playing one Lambda execution environment: it imports the function's bundle once
// (Init), then runs one invocation at a time with a real context, reporting results the way the
// Node.js runtime serialises them (items 78–88).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { createLambdaContext } from '../runtime/context.js';
import { gatewayEvent } from './gateway-event.js';
import { EXIT_REQUEST, SLOT_QUEUED, SLOT_STARTED, STARTS, type ErrorPayload, type InvokeMessage, type WorkerMessage, type WorkerSetup } from './protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const send = (message: WorkerMessage) => (message.type === 'result' || message.type === 'error' ? setup.results : port).postMessage(message);

/** Item 84: an Error → its name/message/stack lines; anything else → its type and String(value). */
function toPayload(error: unknown, fallbackType?: string): ErrorPayload {
  if (error instanceof Error) {
    return { errorType: fallbackType ?? error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: fallbackType ?? typeof error, errorMessage: String(error), trace: [] };
}

/** The event an invocation receives: Lambda's JSON, or the REST proxy event of an HTTP request. */
function eventOf(message: InvokeMessage): unknown {
  return 'event' in message ? JSON.parse(message.event) : gatewayEvent(message.request);
}

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

async function init(): Promise<Handler | undefined> {
  const started = performance.now();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(setup.bundle).href)) as Record<string, unknown>;
  } catch (error) {
    const type = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    send({ type: 'init-error', error: toPayload(error, type) });
    return undefined;
  }
  const handler = module[setup.exportName];
  if (typeof handler !== 'function') {
    send({ type: 'init-error', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `index.${setup.exportName} is undefined or not exported`, trace: [] } });
    return undefined;
  }
  send({ type: 'ready', initMs: performance.now() - started });
  return handler as Handler;
}

/** Item 83: results go through JSON.stringify; undefined becomes null; a cycle fails the invocation. */
function serialise(result: unknown): string {
  return JSON.stringify(result === undefined ? null : result);
}

/**
 * Item 80: a callback's result waits until the event loop is empty (the runtime's 'beforeExit' on
 * Lambda). Message ports (the runtime's own channel, console output) do not count. One poller for
 * every waiter, so that pollers never keep each other alive; it checks from an immediate, where
 * neither its own finished timer nor that immediate is listed.
 */
const loopWaiters: Array<() => void> = [];
let polling = false;
function whenLoopEmpty(then: () => void): void {
  loopWaiters.push(then);
  if (polling) return;
  polling = true;
  const check = () => {
    if (!process.getActiveResourcesInfo().every((resource) => resource === 'MessagePort')) {
      setTimeout(() => setImmediate(check), 2);
      return;
    }
    polling = false;
    for (const waiter of loopWaiters.splice(0)) waiter();
  };
  setImmediate(check);
}

const handler = await init();
// Item 94: current runtimes warn once about callback-style handlers (AWS plans to drop them from
// Node.js 24), unless AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING is set.
if (handler && handler.length >= 3 && handler.constructor.name !== 'AsyncFunction' && !process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING) {
  console.warn(`[sls-ts] ${setup.functionName}: callback-based handlers are deprecated by AWS and will not be supported from Node.js 24 — make the handler async (set AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING=1 to silence this)`);
}

/**
 * One invocation at a time (item 91): the pool may post the next ones while this one runs; they
 * wait here, in order. Each is claimed in the shared slots before it runs: one the pool took back
 * meanwhile (to run elsewhere) is skipped.
 */
const slots = new Int32Array(setup.slots);
const queued: InvokeMessage[] = [];
let running = false;

function start(message: InvokeMessage): void {
  if (Atomics.compareExchange(slots, message.slot, SLOT_QUEUED, SLOT_STARTED) === SLOT_QUEUED) {
    Atomics.add(slots, STARTS, 1);
    run(message);
  } else runNext();
}

function runNext(): void {
  running = false;
  const next = queued.shift();
  if (next) start(next);
}

/**
 * Ends the environment once everything the function wrote has reached the pool: a worker's
 * stdout hands its chunks over one acknowledgement at a time, so a terminate() right after the
 * result could drop the last ones ('finish' comes once every chunk was taken).
 */
async function exitWhenFlushed(): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  process.exit(0);
}

// The pool sends the invocations of one turn of its event loop together, or EXIT_REQUEST.
port.on('message', (batch: InvokeMessage[] | typeof EXIT_REQUEST) => {
  if (batch === EXIT_REQUEST) {
    void exitWhenFlushed();
    return;
  }
  if (handler) {
    for (const message of batch) {
      if (running) queued.push(message);
      else start(message);
    }
  }
});

function run(message: InvokeMessage): void {
  running = true;
  const startedAt = message.startedAt ?? Date.now();
  // The run's own length, without the hops between threads: what the pool judges "fast" by.
  const began = performance.now();
  let settled = false;
  // Item 81: only the first completion counts; later ones are logged and ignored.
  const claim = (): boolean => {
    if (settled) {
      console.error(`[sls-ts] ${setup.functionName}: the invocation already completed; a later completion was ignored`);
      return false;
    }
    settled = true;
    return true;
  };
  const deliver = (error: unknown, result?: unknown) => {
    if (error !== undefined && error !== null) send({ type: 'error', id: message.id, error: toPayload(error), ms: performance.now() - began });
    else {
      try {
        send({ type: 'result', id: message.id, payload: serialise(result), ms: performance.now() - began });
      } catch (serialiseError) {
        send({ type: 'error', id: message.id, error: toPayload(serialiseError, 'Runtime.UnserializableResult'), ms: performance.now() - began });
      }
    }
    runNext();
  };
  const finish = (error: unknown, result?: unknown) => {
    if (claim()) deliver(error, result);
  };
  // callback(error, result), context.succeed/fail/done: an error goes at once; a result waits for
  // the empty event loop unless callbackWaitsForEmptyEventLoop was set to false (item 80).
  const callback = (error?: unknown, result?: unknown) => {
    if (!claim()) return;
    if ((error !== undefined && error !== null) || !context.callbackWaitsForEmptyEventLoop) deliver(error, result);
    else whenLoopEmpty(() => deliver(null, result));
  };
  // Extended in place rather than spread into a new object: this runs on every invocation.
  const context = Object.assign(
    createLambdaContext({
      functionName: setup.functionName,
      timeoutSeconds: setup.timeoutSeconds,
      memoryMB: setup.memoryMB,
      region: setup.region,
      requestId: message.requestId,
      startedAt,
      logStreamName: setup.logStreamName,
    }),
    {
      // The deprecated completion methods still work (item 81).
      succeed: (result: unknown) => callback(null, result),
      fail: (error: unknown) => callback(error ?? new Error('failed')),
      done: (error: unknown, result: unknown) => callback(error, result),
    },
  );
  try {
    const returned = handler!(eventOf(message), context, callback);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then((result) => finish(null, result), (error: unknown) => finish(error ?? new Error('rejected')));
    } else if (handler!.length < 3) {
      // A synchronous handler that takes no callback: its return value is the result.
      finish(null, returned);
    } else {
      // Item 82: a callback handler that lets the event loop drain without calling back
      // completes with a null result (which API Gateway answers with a 502).
      whenLoopEmpty(() => {
        if (!settled) finish(null, null);
      });
    }
  } catch (error) {
    finish(error);
  }
}
