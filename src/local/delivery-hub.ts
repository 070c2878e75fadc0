// The one way the engines run jobs: every source (queues now; bucket events, streams, topics and
// the event bus plug in the same way) calls `hub.deliver`, which hands the delivery to the host's
// `deliver` and keeps count of what is in flight, so that a test can wait for the jobs to settle.
import type { Deliver, Delivery, DeliveryOutcome } from './deliveries.js';

export interface DeliveryHub {
  /** Whether a host takes deliveries: without one the engines store events and run no job. */
  readonly active: boolean;
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
  /** A source that is about to deliver (or may soon) says so, so that settled() waits for it. */
  busy<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing is in flight and no source is busy; repeated while new work starts meanwhile. */
  settled(): Promise<void>;
}

export function createDeliveryHub(deliver: Deliver | undefined): DeliveryHub {
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    const tracked = work.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    // Its failure is the caller's to handle; here it only ends the wait.
    tracked.catch(() => {});
    return tracked;
  };
  return {
    active: deliver !== undefined,
    deliver(delivery) {
      if (!deliver) return Promise.resolve({ ok: false, error: 'Error: no host runs local jobs' });
      // The host failing is not the job failing: the records go back to their source as a failure would.
      return track(deliver(delivery).catch((error: unknown) => ({ ok: false, error: `HostError: ${error instanceof Error ? error.message : String(error)}` })));
    },
    busy: track,
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
