// What the SNS and event bus tests share: a `deliver` stub that records each delivery (and fails
// the ones a test says), subscribers, and SDK client settings pointing at a local service.
import type { Deliver, Delivery, LocalSubscriber } from '../../../src/local/index.js';
import type { JobSubscription } from '../../../src/config/subscriptions.js';

export interface DeliverStub {
  deliver: Deliver;
  deliveries: Delivery[];
}

/** `fail` returns the error (`ErrorType: message`) a delivery fails with, or nothing to succeed. */
export function stubDeliver(fail?: (delivery: Delivery, attempt: number) => string | undefined): DeliverStub {
  const deliveries: Delivery[] = [];
  const deliver: Deliver = async (delivery) => {
    deliveries.push(delivery);
    const error = fail?.(delivery, deliveries.filter((d) => d.job === delivery.job).length);
    return error === undefined ? { ok: true, result: null } : { ok: false, error };
  };
  return { deliver, deliveries };
}

export const subscriber = (job: string, ...events: JobSubscription[]): LocalSubscriber => ({
  job,
  className: job.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
  events,
});

export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  // An error is the answer under test, not something to retry.
  maxAttempts: 1,
});

export const jobsOf = (deliveries: readonly Delivery[]) => deliveries.map((delivery) => delivery.job).sort();
