// The SNS tests' service: an app with the topics `alerts` and `audit` (deployed as
// blog-dev-alerts / blog-dev-audit), retries a millisecond apart, stopped after each test.
import { SNSClient } from '@aws-sdk/client-sns';
import { afterEach } from 'vitest';
import { startSnsService, type SnsService, type SnsServiceOptions } from '../../../src/local/sns/sns-service.js';
import { clientConfig } from './job-deliveries.js';

export const ACCOUNT = '000000000000';
export const arnOf = (physicalName: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${physicalName}`;
export const ALERTS_ARN = arnOf('blog-dev-alerts');
export const topics = [{ name: 'alerts', physicalName: 'blog-dev-alerts', fifo: false }, { name: 'audit', physicalName: 'blog-dev-audit', fifo: false }];

type SnsRecord = { EventSubscriptionArn: string; Sns: Record<string, unknown> & { MessageAttributes: Record<string, unknown> } };
/** The one record of an SNS Lambda event. */
export const recordOf = (event: unknown) => (event as { Records: SnsRecord[] }).Records[0]!;

const running: SnsService[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

export async function startSns(options: Partial<SnsServiceOptions> & Pick<SnsServiceOptions, 'deliver' | 'subscribers'>) {
  const service = await startSnsService({ host: '127.0.0.1', region: 'us-east-1', account: ACCOUNT, topics, retryDelaysMs: [1, 1], ...options });
  running.push(service);
  return { service, sns: new SNSClient(clientConfig(service.endpoint)) };
}

/** The SDK's error as a test compares it: its name, message and HTTP status. */
export const failure = (promise: Promise<unknown>) => promise.then(
  () => undefined,
  (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, message: error.message, status: error.$metadata?.httpStatusCode }),
);
