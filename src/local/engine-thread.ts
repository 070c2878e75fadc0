// The worker thread that runs the engines when started with startLocalEnginesInWorker: loading
// dynalite and s3rver costs ~250 ms of CPU, which here overlaps with the dev server's own start
// instead of blocking its event loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { Deliver, DeliveryOutcome } from './deliveries.js';
import { startLocalEngines, type LocalEngines, type LocalEnginesOptions } from './engines.js';
import { toThreadError, type DeliveredMessage, type EngineReply, type EngineRequest, type ThreadState } from './thread-protocol.js';

const port = parentPort!;
const post = (reply: EngineReply) => port.postMessage(reply);

function stateOf(engines: LocalEngines): ThreadState {
  return { endpoints: engines.endpoints, tables: engines.tables, buckets: engines.buckets, queues: engines.queues, jobQueues: engines.jobQueues, topics: engines.topics, warnings: engines.warnings };
}

// A delivery crosses to the host, which runs the job and answers with its outcome.
const awaiting = new Map<number, (outcome: DeliveryOutcome) => void>();
let nextDeliveryId = 0;
const deliverThroughHost: Deliver = (delivery) => new Promise((resolve) => {
  const deliveryId = nextDeliveryId++;
  awaiting.set(deliveryId, resolve);
  post({ type: 'deliver', deliveryId, delivery });
});

async function run(engines: LocalEngines, request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'apply':
      return engines.apply(request.arg as LocalEnginesOptions['resources']);
    case 'subscribe':
      return engines.subscribe(request.arg as NonNullable<LocalEnginesOptions['subscribers']>);
    case 'settled':
      return engines.settled();
    case 'reset':
      return engines.reset();
    case 'expire':
      return engines.expire(request.arg === undefined ? undefined : new Date(request.arg as number));
    case 'stop':
      // A host that is stopping may never answer: its deliveries count as failed (their messages stay queued).
      for (const resolve of awaiting.values()) resolve({ ok: false, error: 'HostError: the engines are stopping' });
      awaiting.clear();
      return engines.stop();
  }
}

try {
  const { delivers, ...options } = workerData as LocalEnginesOptions & { delivers: boolean };
  const engines = await startLocalEngines({ ...options, ...(delivers && { deliver: deliverThroughHost }), onListening: () => post({ type: 'listening' }) });
  port.on('message', (request: EngineRequest | DeliveredMessage) => {
    if (request.op === 'delivered') {
      awaiting.get(request.deliveryId)?.(request.outcome);
      awaiting.delete(request.deliveryId);
      return;
    }
    run(engines, request).then(
      (result) => {
        post({ type: 'result', id: request.id, result, state: stateOf(engines) });
        // Nothing is left to hold the thread: it ends once the engines are closed.
        if (request.op === 'stop') port.close();
      },
      (error: unknown) => post({ type: 'error', id: request.id, error: toThreadError(error) }),
    );
  });
  post({ type: 'ready', state: stateOf(engines) });
} catch (error) {
  post({ type: 'failed', error: toThreadError(error) });
  port.close();
}
