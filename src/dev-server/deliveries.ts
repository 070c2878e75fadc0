// The dev server's side of local event delivery: a job subscribed to a queue (or, later, a bucket,
// stream, topic or rule) runs in its own worker pool exactly as a request's function does, and
// each delivery is reported like a request line.
import { failedItems, type Deliver, type DeliveryOutcome } from '../local/index.js';
import type { DevServerEvent } from './events.js';
import type { InvokeOutcome } from './pool.js';

/** The identifiers a batch result names its failures by: SQS message ids, stream sequence numbers. */
function itemIds(event: unknown): string[] {
  const records = (event as { Records?: Array<{ messageId?: string; dynamodb?: { SequenceNumber?: string } }> } | null)?.Records;
  if (!Array.isArray(records)) return [];
  return records.map((record) => record.messageId ?? record.dynamodb?.SequenceNumber).filter((id): id is string => id !== undefined);
}

function outcomeOf(outcome: InvokeOutcome): DeliveryOutcome {
  if (outcome.kind === 'error') return { ok: false, error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
  try {
    return { ok: true, result: outcome.payload === '' ? null : JSON.parse(outcome.payload) };
  } catch {
    // Lambda reads a non-JSON result as no batch response: every record succeeded.
    return { ok: true, result: null };
  }
}

export function createDeliver(options: {
  invoke: (key: string, event: unknown) => Promise<InvokeOutcome>;
  functionName: (key: string) => string;
  emit: (event: DevServerEvent) => void;
}): Deliver {
  return async (delivery) => {
    const started = performance.now();
    const outcome = outcomeOf(await options.invoke(delivery.job, delivery.event));
    const failed = failedItems(outcome, itemIds(delivery.event)).length;
    options.emit({
      type: 'delivery', functionName: options.functionName(delivery.job), kind: delivery.kind, source: delivery.source, records: delivery.records,
      status: !outcome.ok ? 'error' : failed > 0 ? 'partial' : 'ok', ...(failed > 0 && { failed }), durationMs: performance.now() - started,
      ...(outcome.error !== undefined && { error: outcome.error }),
    });
    return outcome;
  };
}
