// `sls-ts logs [fn] [-f] [--since 10m]`: CloudWatch Logs FilterLogEvents over the functions' log
// groups, following by polling. Polls overlap on the last timestamp, so event ids de-duplicate.
import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { isNotFound, withAwsErrors } from './errors.js';
import { findFunction, listFunctions } from './functions.js';
import type { LogEvent } from './types.js';

export interface TailLogsOptions {
  /** One function (key, short name or AWS name); every function of the app otherwise. */
  name?: string;
  /** Epoch milliseconds to start from. */
  since: number;
  follow?: boolean;
  /** Stops following. */
  signal?: AbortSignal;
  onLog: (event: LogEvent) => void;
  /** A filter pattern as CloudWatch Logs understands it. */
  filter?: string;
}

/**
 * How far behind the newest event each poll reaches back for events ingested late (Lambda's log
 * delivery usually lags by seconds). Wider catches more stragglers but re-reads more per poll.
 */
const LATE_EVENTS_MS = 30_000;

/** Keeps one round from paging forever through a very busy group. */
const MAX_PAGES = 100;

/** `10m`, `2h`, `30s`, `1d`, `1w`, or a date (`2024-05-01T10:00:00Z`) → epoch milliseconds. */
export function parseSince(text: string, now = Date.now()): number {
  const relative = /^(\d+)\s*(s|m|h|d|w)$/i.exec(text.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd' | 'w'];
    return now - Number(relative[1]) * unit;
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) throw new SlsError({ text: `--since ${text}: not a duration or a date`, hint: 'use e.g. 30s, 10m, 2h, 1d, or an ISO date' });
  return date;
}

export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export async function tailLogs(ctx: DeployContext, options: TailLogsOptions): Promise<{ events: number }> {
  return withAwsErrors('logs', async () => {
    const targets = await targetsOf(ctx, options.name);
    const cursors = new Map(targets.map((functionName) => [functionName, { start: options.since, newest: options.since, seen: new Map<string, number>(), missing: false }]));
    let count = 0;
    for (;;) {
      const batch: LogEvent[] = [];
      for (const [functionName, cursor] of cursors) {
        const events = await readGroup(ctx, functionName, cursor.start, options.filter);
        if (events === undefined) {
          if (!cursor.missing) ctx.emit({ type: 'warning', diagnostic: { level: 'warning', text: `no logs yet for ${functionName} (${logGroupOf(functionName)} does not exist)` } });
          cursor.missing = true;
          continue;
        }
        for (const event of events) {
          const id = event.eventId ?? `${event.logStreamName}/${event.timestamp}/${event.message}`;
          if (cursor.seen.has(id)) continue;
          cursor.seen.set(id, event.timestamp ?? 0);
          batch.push({ id, timestamp: event.timestamp ?? 0, functionName, stream: event.logStreamName ?? '', message: (event.message ?? '').replace(/\n$/, '') });
        }
        // CloudWatch Logs ingests late: an event can show up after newer ones were read. The next
        // poll reaches back LATE_EVENTS_MS behind the newest timestamp seen; what comes back twice
        // is skipped by id, and ids older than the window can no longer come back.
        const newest = Math.max(cursor.newest, ...events.map((event) => event.timestamp ?? 0));
        cursor.newest = newest;
        cursor.start = Math.max(options.since, newest - LATE_EVENTS_MS);
        for (const [id, timestamp] of cursor.seen) if (timestamp < cursor.start) cursor.seen.delete(id);
      }
      batch.sort((a, b) => a.timestamp - b.timestamp);
      for (const event of batch) options.onLog(event);
      count += batch.length;
      if (!options.follow || options.signal?.aborted) return { events: count };
      await abortableSleep(ctx, options.signal);
      if (options.signal?.aborted) return { events: count };
    }
  });
}

async function targetsOf(ctx: DeployContext, name: string | undefined): Promise<string[]> {
  if (name?.startsWith(`${ctx.config.name}-${ctx.stage}-`)) return [name];
  const functions = await listFunctions(ctx);
  if (name) return [findFunction(functions, name, ctx.config.name).functionName];
  if (functions.length === 0) throw new SlsError({ text: `${ctx.config.name} has no functions`, hint: 'add a controller, job or function first' });
  return functions.map((fn) => fn.functionName);
}

/** Every page of one group since `start`, or undefined when the group does not exist yet. */
async function readGroup(ctx: DeployContext, functionName: string, start: number, filter: string | undefined): Promise<FilteredLogEvent[] | undefined> {
  const events: FilteredLogEvent[] = [];
  let token: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await ctx.clients.logs.send(
        new FilterLogEventsCommand({ logGroupName: logGroupOf(functionName), startTime: start, ...(filter && { filterPattern: filter }), ...(token && { nextToken: token }) }),
      );
      events.push(...(result.events ?? []));
      token = result.nextToken;
      if (!token) break;
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return events;
}

function abortableSleep(ctx: DeployContext, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return ctx.sleep(ctx.delays.logs);
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void ctx.sleep(ctx.delays.logs).then(done);
  });
}
