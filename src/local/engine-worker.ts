// The engines in a worker thread, behind the same LocalEngines interface: what the dev server
// uses, so that loading and starting them runs beside its own start rather than before it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LocalEngines, LocalEnginesOptions } from './engines.js';
import { localEnv } from './local-env.js';
import { fromThreadError, type DeliveredMessage, type EngineOperation, type EngineReply, type ThreadState } from './thread-protocol.js';

/** The compiled thread entry; under vitest the sources are TypeScript, so the build in dist/ (tests refresh it first). */
function threadFile(): URL {
  const sibling = new URL('./engine-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL('../../dist/local/engine-thread.js', import.meta.url);
}

/** startLocalEngines, run in a worker thread; resolves once the tables and buckets exist. */
export function startLocalEnginesInWorker(options: LocalEnginesOptions): Promise<LocalEngines> {
  // No inherited loader flags (tsx, vitest): the thread runs compiled JavaScript.
  // Functions do not cross threads: the thread is told whether to deliver, and asks this side to;
  // it says when it listens, and onListening is called here.
  const { deliver, onListening, ...data } = options;
  const worker = new Worker(threadFile(), { workerData: { ...data, delivers: deliver !== undefined }, execArgv: [] });
  let state: ThreadState | undefined;
  let nextId = 0;
  let gone = false;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const failPending = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => {
    gone = true;
    failPending(new Error('the local engines thread has ended'));
    resolve();
  }));

  const call = (op: EngineOperation, arg?: unknown) => new Promise<unknown>((resolve, reject) => {
    if (gone) return reject(new Error('the local engines thread has ended'));
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, arg });
  });

  return new Promise((resolve, reject) => {
    worker.on('error', (error) => {
      reject(error);
      failPending(error);
    });
    worker.on('message', (reply: EngineReply) => {
      if (reply.type === 'listening') return onListening?.();
      if (reply.type === 'failed') return reject(fromThreadError(reply.error));
      if (reply.type === 'deliver') {
        const answer = (outcome: DeliveredMessage['outcome']) => {
          if (!gone) worker.postMessage({ op: 'delivered', deliveryId: reply.deliveryId, outcome } satisfies DeliveredMessage);
        };
        void deliver!(reply.delivery).then(answer, (error: unknown) => answer({ ok: false, error: `HostError: ${error instanceof Error ? error.message : String(error)}` }));
        return;
      }
      if (reply.type === 'ready') {
        state = reply.state;
        return resolve(engines);
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.type === 'result') {
        state = reply.state;
        waiting?.resolve(reply.result);
      } else {
        waiting?.reject(fromThreadError(reply.error));
      }
    });

    const engines: LocalEngines = {
      get endpoints() {
        return state!.endpoints;
      },
      get tables() {
        return state!.tables;
      },
      get buckets() {
        return state!.buckets;
      },
      get queues() {
        return state!.queues;
      },
      get jobQueues() {
        return state!.jobQueues;
      },
      get topics() {
        return state!.topics;
      },
      get warnings() {
        return state!.warnings;
      },
      env: (linked) => localEnv(state!, options.region, linked),
      apply: async (resources) => (await call('apply', resources)) as Awaited<ReturnType<LocalEngines['apply']>>,
      subscribe: async (subscribers) => (await call('subscribe', subscribers)) as Awaited<ReturnType<LocalEngines['subscribe']>>,
      settled: async () => {
        await call('settled');
      },
      reset: async () => {
        await call('reset');
      },
      expire: async (now) => (await call('expire', now?.getTime())) as number,
      stop: async () => {
        if (!gone) await call('stop');
        await exited;
      },
    };
  });
}
