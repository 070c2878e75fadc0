// Shared by the SQS tests: engines for inline apps, and SQS clients configured from their env
// alone, as app code is.
import { tmpdir } from 'node:os';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach } from 'vitest';
import { resolveConfig, startLocalEngines, type LocalEngines, type LocalEnginesOptions, type UserConfig } from '../../../src/index.js';

const running: LocalEngines[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((engines) => engines.stop()));
});

export function resourcesOf(resources: UserConfig['resources']) {
  return resolveConfig({ name: 'shop', resources }, { stage: 'dev', root: tmpdir() }).resources;
}

export async function startEngines(resources: UserConfig['resources'], options: Partial<LocalEnginesOptions> = {}): Promise<LocalEngines> {
  const engines = await startLocalEngines({ app: 'shop', stage: 'dev', resources: resourcesOf(resources), ...options });
  running.push(engines);
  return engines;
}

/** A client as app code makes it: endpoint, region and credentials from the engines' env. */
export function sqsClientFor(engines: LocalEngines): SQSClient {
  const env = engines.env();
  return new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! } });
}

/** Resolves when `check` returns a value, trying again on every tick until a generous deadline. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
