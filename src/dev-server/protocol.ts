// Messages between the dev server and a function's worker thread (one Lambda execution environment).

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
}

export interface InvokeMessage {
  type: 'invoke';
  id: number;
  /** The event as JSON, as Lambda delivers it (and a string crosses threads far cheaper than an object). */
  event: string;
  requestId: string;
  /** Where the deadline counts from (Date.now()), when not the start of the run: an Init over the cap (item 92). */
  startedAt?: number;
}

/** Hand back invocation `id` if it has not started (it was queued behind a slower one). */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Lambda's error payload (item 84). */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: ErrorPayload }
  | { type: 'result'; id: number; payload: string }
  | { type: 'error'; id: number; error: ErrorPayload }
  | { type: 'cancelled'; id: number };
