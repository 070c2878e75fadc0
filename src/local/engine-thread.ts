// The worker thread that runs the engines when started with startLocalEnginesInWorker: loading
// dynalite and s3rver costs ~250 ms of CPU, which here overlaps with the dev server's own start
// instead of blocking its event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { startLocalEngines, type LocalEngines, type LocalEnginesOptions } from './engines.js';
import { toThreadError, type EngineReply, type EngineRequest, type ThreadState } from './thread-protocol.js';

const port = parentPort!;
const post = (reply: EngineReply) => port.postMessage(reply);

function stateOf(engines: LocalEngines): ThreadState {
  return { endpoints: engines.endpoints, tables: engines.tables, buckets: engines.buckets, warnings: engines.warnings };
}

async function run(engines: LocalEngines, request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'apply':
      return engines.apply(request.arg as LocalEnginesOptions['resources']);
    case 'reset':
      return engines.reset();
    case 'expire':
      return engines.expire(request.arg === undefined ? undefined : new Date(request.arg as number));
    case 'stop':
      return engines.stop();
  }
}

try {
  const engines = await startLocalEngines({ ...(workerData as LocalEnginesOptions), onListening: () => post({ type: 'listening' }) });
  port.on('message', (request: EngineRequest) => {
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
