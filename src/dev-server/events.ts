import type { Diagnostic } from '../shared/errors.js';
import type { EngineListing } from './dev-engines.js';
import type { ErrorPayload } from './protocol.js';

/** What the dev server reports; the CLI turns these into terminal lines. */
export type DevServerEvent =
  | { type: 'request'; method: string; path: string; status: number; durationMs: number; requestId: string; functionName?: string; cold?: boolean; initMs?: number }
  | { type: 'function-error'; functionName: string; requestId: string; error: ErrorPayload }
  | { type: 'malformed'; functionName: string; requestId: string; reason: string }
  | { type: 'built'; functionName: string; durationMs: number }
  | { type: 'build-error'; functionName: string; message: string }
  | { type: 'reloaded'; routes: number }
  | { type: 'reload-error'; message: string }
  | { type: 'job'; functionName: string; schedule: string; status: 'ok' | 'error'; durationMs: number; detail?: string }
  /** A job ran for a local event: a queue's batch (`kind: 'queue'`, or `later` for its own queue), later bucket events, streams … */
  | { type: 'delivery'; functionName: string; kind: string; source: string; records: number; status: 'ok' | 'partial' | 'error'; failed?: number; durationMs: number; error?: string }
  /**
   * An authorizer decided a request (before its function ran, or instead of it): `cached` when API
   * Gateway's result cache answered; `invoked` when its function ran (never for a missing or malformed token); `functionName` for Lambda authorizers.
   * A guarded channel's $connect is reported as method `WS` and path `/<channel>` (the terminal's `AUTH ticket allow WS /chat 4ms`).
   */
  | { type: 'authorizer'; name: string; method: string; path: string; outcome: 'allow' | 'deny' | 'unauthorized' | 'error'; cached: boolean; invoked: boolean; durationMs: number; requestId: string; functionName?: string; detail?: string }
  /**
   * A channel's function ran for a WebSocket route (`$connect`, `$disconnect`, `$default` or an
   * action), or the gateway answered a message itself (`status` 'no-route', 'closed' for a limit).
   */
  | { type: 'websocket'; channel: string; routeKey: string; connectionId: string; status: 'ok' | 'rejected' | 'error' | 'no-route' | 'closed'; statusCode?: number; durationMs: number; functionName?: string; detail?: string }
  | { type: 'warning'; diagnostic: Diagnostic }
  /** The local engines changed after a config change (one started, another table or bucket). */
  | { type: 'engines'; engines: EngineListing[] }
  | { type: 'server-error'; message: string };
