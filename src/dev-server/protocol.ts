// Messages between the dev server and a function's worker thread (one Lambda execution environment).
import type { MessagePort } from 'node:worker_threads';

export interface WorkerSetup {
  /** Absolute path of the function's bundle (index.mjs). */
  bundle: string;
  /** Export name from the Lambda handler setting (`index.handler` → `handler`). */
  exportName: string;
  functionName: string;
  memoryMB: number;
  timeoutSeconds: number;
  region: string;
  logStreamName: string;
  /**
   * One Int32 per invocation slot, shared with the pool: the worker claims an invocation
   * (QUEUED → STARTED) before running it, the pool takes a queued one back (QUEUED → REVOKED) —
   * one atomic step each, so an invocation runs exactly once even when the worker is blocked.
   * After them, at STARTS, how many invocations the worker has started.
   */
  slots: SharedArrayBuffer;
  /**
   * Where invocation outcomes go (Init's on the worker's own port): a channel of their own, which
   * the pool empties in one go (receiveMessageOnPort) instead of one event per outcome.
   */
  results: MessagePort;
}

/** Asks a worker to end once its output has reached the pool (see FunctionPool.close). */
export const EXIT_REQUEST = 'exit';

export const SLOT_COUNT = 1024;
/** Index of the started-invocations counter in WorkerSetup.slots: the pool sees the worker progress without a message. */
export const STARTS = SLOT_COUNT;
export const SLOT_QUEUED = 0;
export const SLOT_STARTED = 1;
export const SLOT_REVOKED = 2;

/**
 * An HTTP request as the gateway received it, for the worker to turn into its REST proxy event
 * (apiGatewayEvent): built there, the event costs the server's own thread nothing, which is
 * what limits a dev server's throughput. The fields are apiGatewayEvent's options.
 */
export interface GatewayRequest {
  method: string;
  /** The URL as the event has it (path and query, without a stage prefix). */
  path: string;
  /** Names and values as the client sent them (IncomingMessage.rawHeaders). */
  rawHeaders: string[];
  body: Uint8Array | null;
  resource: string;
  pathParameters: Record<string, string> | null;
  stage: string;
  /** API Gateway's request id (not Lambda's). */
  requestId: string;
  /** $context.extendedRequestId: chosen by the server, which puts it on the response too. */
  extendedRequestId: string;
  binaryMediaTypes: readonly string[];
  sourceIp: string;
  region: string;
  /**
   * Set on an HTTP API (`api: 'http'`): the route key (`GET /posts/{id}`, `$default`), and the
   * worker makes a payload 2.0 event (httpApiEvent) instead of the REST one.
   */
  routeKey?: string;
}

/** What an invocation is given: its event as JSON, as Lambda delivers it (a string crosses threads far cheaper than an object), or the request to make it from. */
export type InvokeInput = { event: string } | { request: GatewayRequest };

export type InvokeMessage = InvokeInput & {
  type: 'invoke';
  id: number;
  requestId: string;
  /** Its slot in WorkerSetup.slots. */
  slot: number;
  /** Where the deadline counts from (Date.now()), when not the start of the run: an Init over the cap (item 92). */
  startedAt?: number;
};

/** Lambda's error payload (item 84). */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: ErrorPayload }
  | { type: 'result'; id: number; payload: string; ms: number }
  | { type: 'error'; id: number; error: ErrorPayload; ms: number };
