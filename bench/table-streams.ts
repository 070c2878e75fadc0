// bench/table-streams.ts (`npm run bench:table-streams`): what local DynamoDB streams (#18) cost
// the requests of an app, measured with unmodified @aws-sdk/lib-dynamodb calls against dynalite,
// with the streams' interceptor in front of it and without, interleaved call by call:
//  1. GetItem on a table without a stream (the #17 target: tables without a stream must not pay,
//     or pay < 0.2 ms p50);
//  2. PutItem on a table without a stream (the interceptor reads the body to find the table);
//  3. PutItem on a table with a stream (two consistent GetItems around the write, and the record).
import { tmpdir } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '../src/config/define-config.js';
import { resolveConfig } from '../src/index.js';
import { startDynamoEngine, type DynamoEngine, type DynamoInterceptor } from '../src/local/dynamo-engine.js';
import { localResources } from '../src/local/engines.js';
import { startTableStreams } from '../src/local/table-streams.js';

const CALLS = 2000;
const WARM_UP = 200;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const resources = resolveConfig({ name: 'bench', resources: { plain: table({ key: 'id' }), streamed: table({ key: 'id', stream: 'new-and-old' }) } }, { stage: 'dev', root: tmpdir() }).resources;
  const { tables } = localResources({ app: 'bench', stage: 'dev' }, resources);
  const engine = await startDynamoEngine({ host: '127.0.0.1' });
  await engine.ensure(tables);
  // The interceptor the streams install, kept to switch it on and off between calls.
  let interceptor: DynamoInterceptor | undefined;
  const watched: DynamoEngine = { ...engine, intercept: (next) => ((interceptor = next), engine.intercept(next)) };
  let delivered = 0;
  const streams = startTableStreams(watched, tables, [{ job: 'sink-job', className: 'SinkJob', events: [{ kind: 'table', source: 'streamed' }] }], async (delivery) => {
    delivered += delivery.records;
    return { ok: true };
  });
  const client = new DynamoDBClient({ endpoint: engine.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const documents = DynamoDBDocumentClient.from(client);
  const [plain, streamed] = ['plain', 'streamed'].map((name) => tables.find((t) => t.table.name === name)!.physicalName) as [string, string];
  await documents.send(new PutCommand({ TableName: plain, Item: { id: 'p1', title: 'Hello', body: 'x'.repeat(200) } }));
  const getPlain = () => documents.send(new GetCommand({ TableName: plain, Key: { id: 'p1' } }));
  let n = 0;
  const putTo = (name: string) => () => documents.send(new PutCommand({ TableName: name, Item: { id: `i${n++ % 100}`, title: 'Hello', n } }));

  /** Median of `run` with the interceptor off and on, alternating call by call. */
  async function compare(what: string, run: () => Promise<unknown>, on: boolean[] = [false, true]): Promise<void> {
    const times: number[][] = [[], []];
    for (let i = 0; i < WARM_UP + CALLS; i++) {
      for (const [index, active] of on.entries()) {
        engine.intercept(active ? interceptor : undefined);
        const time = await timed(run);
        if (i >= WARM_UP) times[index]!.push(time);
      }
    }
    engine.intercept(interceptor);
    const [off, with_] = times.map(median) as [number, number];
    console.log(`${what}: without the interceptor ${ms(off)}, with it ${ms(with_)} p50 → +${ms(with_ - off)}`);
  }

  try {
    console.log(`${CALLS} calls each after ${WARM_UP} warm-up calls, lib-dynamodb → dynalite on one machine`);
    await compare('1. GetItem, table without a stream', getPlain);
    await compare('2. PutItem, table without a stream', putTo(plain));
    await compare('3. PutItem, table with a stream (records delivered)', putTo(streamed));
    console.log(`   (${delivered} records delivered to the stub job)`);
  } finally {
    streams.stop();
    client.destroy();
    await engine.stop();
  }
}

await main();
