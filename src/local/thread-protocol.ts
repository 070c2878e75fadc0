// Messages between the engines' worker thread and the process that started it. Deliveries go the
// other way: the thread asks the host to run a job (`deliver`) and waits for its `delivered` answer.
import { SlsError, type Diagnostic } from '../shared/errors.js';
import type { Delivery, DeliveryOutcome } from './deliveries.js';
import type { EngineState } from './local-env.js';

export type EngineOperation = 'apply' | 'subscribe' | 'settled' | 'reset' | 'expire' | 'stop';

export interface EngineRequest {
  id: number;
  op: EngineOperation;
  /** apply: the resources; subscribe: the subscribers; expire: epoch milliseconds or undefined. */
  arg?: unknown;
}

/** The host's answer to a delivery the thread asked for. */
export interface DeliveredMessage {
  op: 'delivered';
  deliveryId: number;
  outcome: DeliveryOutcome;
}

export interface ThreadState extends EngineState {
  readonly warnings: readonly Diagnostic[];
}

/** An error as it crosses the thread: an SlsError keeps its diagnostics and hint. */
export interface ThreadError {
  message: string;
  diagnostics?: Diagnostic[];
  hint?: string;
}

export type EngineReply =
  /** The ports take connections; the engines still load. */
  | { type: 'listening' }
  | { type: 'ready'; state: ThreadState }
  | { type: 'failed'; error: ThreadError }
  | { type: 'result'; id: number; result?: unknown; state: ThreadState }
  | { type: 'error'; id: number; error: ThreadError }
  | { type: 'deliver'; deliveryId: number; delivery: Delivery };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof SlsError) return { message: error.message, diagnostics: error.diagnostics, ...(error.hint !== undefined && { hint: error.hint }) };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function fromThreadError(error: ThreadError): Error {
  return error.diagnostics ? new SlsError(error.diagnostics, error.hint === undefined ? undefined : { hint: error.hint }) : new Error(error.message);
}
