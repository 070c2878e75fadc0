// The local room: embedded engines for declared resources, started by the dev server and by
// sls-ts/testing. Engine packages load only when an engine starts.
export { localResources, startLocalEngines, type LocalEngines, type LocalEnginesOptions } from './engines.js';
export { LOCAL_ACCOUNT, localBucketName, localQueueNames, localTableName } from './names.js';
export { localTopics } from './sns/local-topics.js';
export type { LocalTopic } from './sns/sns-topics.js';
export { needsEventBus } from './events/event-bus.js';
export type { LocalJobQueue, LocalQueueInfo } from './sqs/local-queues.js';
export { planQueues, needsQueues } from './sqs/local-queues.js';
export type { LocalTable } from './dynamo-engine.js';
export type { LocalBucket } from './s3-engine.js';
export { startLocalEnginesInWorker } from './engine-worker.js';
export { describeLocalGaps } from './local-gaps.js';
export { localEnv } from './local-env.js';
export { failedItems, type Deliver, type Delivery, type DeliveryOutcome, type LocalSubscriber } from './deliveries.js';
export { bucketDeliveries, watchBucketEvents, type BucketDeliveryOptions, type S3EventRecord } from './bucket-events.js';
export { startTableStreams, type StreamBatchInfo, type StreamFailure, type TableStreams, type TableStreamsOptions } from './table-streams.js';
export type { StreamRecord } from './stream-records.js';
