// sls-ts's own SNS service (no maintained embeddable one exists): SNS's Query protocol over the
// app's topics. A message published to a topic runs every subscribed job whose filter policy
// matches, with the Lambda event SNS sends, and reaches queues subscribed through the API.
// Topics made through the API, and queue subscriptions, live in memory only.
import type { Diagnostic } from '../../shared/errors.js';
import { createAsyncRunner, type AsyncInvokeOptions } from '../async-invoke.js';
import type { Deliver, LocalSubscriber } from '../deliveries.js';
import { startLocalServer } from '../local-server.js';
import { readParams, SnsError, xmlError } from './query-protocol.js';
import { runSnsAction } from './sns-actions.js';
import { createFifoState, type PublishContext, type SendToQueue } from './sns-publish.js';
import { applyApp, createTopicStore, type LocalTopic } from './sns-topics.js';

export interface SnsServiceOptions extends AsyncInvokeOptions {
  host: string;
  /** Default: a free one. */
  port?: number;
  region: string;
  account: string;
  topics: readonly LocalTopic[];
  subscribers: readonly LocalSubscriber[];
  deliver: Deliver;
  /** The local SQS service, for queues subscribed through Subscribe; without it, Subscribe refuses them. */
  sendToQueue?: SendToQueue;
  /** The deployed function name of a job, shown as a job subscription's endpoint (default the job's key). */
  functionName?: (job: string) => string;
}

export interface SnsService {
  readonly endpoint: string;
  /** What the app's topic subscriptions cannot do locally (an undeclared topic …). */
  readonly warnings: readonly Diagnostic[];
  /** Brings the declared topics and the jobs' subscriptions in line with the app; returns the warnings. */
  update(topics: readonly LocalTopic[], subscribers: readonly LocalSubscriber[]): Diagnostic[];
  /** Resolves once every delivery has run (or been dropped), retries included. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

// The largest request: a batch of ten 256 KB messages, form-encoded (which can triple a byte).
const MAX_REQUEST_BYTES = 10 * 256 * 1024 * 3;

export async function startSnsService(options: SnsServiceOptions): Promise<SnsService> {
  const store = createTopicStore(options.region, options.account);
  const functionName = options.functionName ?? ((job: string) => job);
  let warnings = applyApp(store, options.topics, options.subscribers, functionName);
  const runner = createAsyncRunner(options.deliver, options);
  let endpoint = '';
  const context: PublishContext = {
    store,
    runner,
    ...(options.sendToQueue && { sendToQueue: options.sendToQueue }),
    fifo: createFifoState(),
    urls: (subscription) => ({
      signingCertUrl: `https://sns.${options.region}.amazonaws.com/SimpleNotificationService-local.pem`,
      // A GET on it unsubscribes, as on AWS.
      unsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.arn)}`,
    }),
  };
  const server = await startLocalServer(
    { host: options.host, ...(options.port !== undefined && { port: options.port }), maxBodyBytes: MAX_REQUEST_BYTES },
    (request) => {
      try {
        return runSnsAction(context, readParams(request.url, request.body));
      } catch (error) {
        return xmlError(error instanceof SnsError ? error : new SnsError('InternalError', error instanceof Error ? error.message : String(error), 500));
      }
    },
    () => xmlError(new SnsError('InvalidParameter', 'Invalid parameter: the request is larger than any SNS action accepts')),
  );
  endpoint = server.endpoint;
  return {
    endpoint,
    get warnings() {
      return warnings;
    },
    update(topics, subscribers) {
      warnings = applyApp(store, topics, subscribers, functionName);
      return warnings;
    },
    settled: () => runner.settled(),
    async stop() {
      runner.stop();
      await server.stop();
    },
  };
}
