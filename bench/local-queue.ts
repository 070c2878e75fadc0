// bench/local-queue.ts (`npm run bench:local-queue`): how fast a message sent to a local queue
// reaches its job under the dev server (issue #18), against a baseline measured in the same run:
//  - queue: SendMessage (the AWS SDK v3, as app code sends) to test/fixtures/queue-app's `emails`
//    queue → the SQS service (in the engines' thread) wakes the job's poller → the delivery crosses
//    to the dev server → the job's warm worker runs perform → the delivery is reported;
//  - baseline: the same job invoked directly in the same warm worker pool with an SQS event
//    (server.invoke, what `invoke --local` does), no queue in between.
// Runs are interleaved, one at a time. Target: message sent → job ran ≤ 50 ms p50. The figure is
// the whole path, the send's own HTTP round trip included. On a loaded machine every figure, the
// baseline's included, reads higher: compare the difference.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDevServer, type DevServerEvent } from '../src/dev-server/index.js';
import { sqsEvent } from '../src/runtime/events/index.js';
import refreshDist from '../test/global-setup.js';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('../test/fixtures/queue-app', import.meta.url));
const RUNS = 300;
const WARMUP = 20;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  // The engines' thread runs the built code (dist/): refresh it from the sources first.
  refreshDist();
  let onDelivery: ((event: DevServerEvent) => void) | undefined;
  const server = await createDevServer({ root: app, port: 0, watch: false, onEvent: (event) => event.type === 'delivery' && onDelivery?.(event) });
  try {
    await server.ready();
    const endpoint = server.engines().find((engine) => engine.service === 'SQS')!.endpoint;
    const sqs = new SQSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const QueueUrl = `${endpoint}/000000000000/queue-app-dev-emails`;
    const event = sqsEvent(['{"to":"ada"}'], { queueName: 'queue-app-dev-emails', region: 'eu-west-1' });

    const viaQueue = async (): Promise<number> => {
      const started = performance.now();
      const delivered = new Promise<void>((resolve) => (onDelivery = () => resolve()));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"to":"ada"}' }));
      await delivered;
      return performance.now() - started;
    };
    const direct = async (): Promise<number> => {
      const started = performance.now();
      const outcome = await server.invoke('send-email-job', event);
      if (outcome.kind !== 'result') throw new Error(`the job failed: ${JSON.stringify(outcome)}`);
      return performance.now() - started;
    };

    // Warm both paths: the worker, the SDK client's connection, the poller.
    for (let i = 0; i < WARMUP; i += 1) {
      await viaQueue();
      await direct();
    }
    const queued: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      queued.push(await viaQueue());
      baseline.push(await direct());
    }
    const [q50, b50] = [percentile(queued, 0.5), percentile(baseline, 0.5)];
    console.log(`message sent → job ran, warm worker (${RUNS} runs each, interleaved; test/fixtures/queue-app)`);
    console.log(`  baseline, the job invoked directly in the same worker pool: p50 ${ms(b50)}, p90 ${ms(percentile(baseline, 0.9))}`);
    console.log(`  through the local queue (SDK SendMessage → poller → job): p50 ${ms(q50)}, p90 ${ms(percentile(queued, 0.9))} → the queue adds ${ms(q50 - b50)} p50`);
    console.log(`  target ≤ 50 ms p50: ${q50 <= 50 ? 'ok' : 'OVER TARGET'}`);
  } finally {
    await server.close();
  }
}

await main();
