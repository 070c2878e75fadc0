// The AWS SDK v3 clients a deploy uses, built once per run and passed around in the context.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  lambda: LambdaClient;
  apiGateway: APIGatewayClient;
  logs: CloudWatchLogsClient;
}

export interface ClientOptions {
  region: string;
  profile?: string;
  /** Where AWS_ENDPOINT_URL* are read from; process.env unless a test passes its own. */
  env?: Record<string, string | undefined>;
}

/** A long deploy makes hundreds of calls; throttling must slow it down, not fail it. */
export const MAX_ATTEMPTS = 8;

/**
 * The endpoint override the SDK will use for a service (`AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL`), or undefined for AWS itself. We never pass `endpoint` to a client — the
 * SDK reads these variables on its own — but S3 URLs and addressing style depend on it.
 */
export function endpointOverride(service: 'S3' | 'CLOUDFORMATION', env: Record<string, string | undefined> = process.env): string | undefined {
  if (/^(1|true)$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  const value = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  return value ? value.replace(/\/+$/, '') : undefined;
}

export function createClients(options: ClientOptions): AwsClients {
  // sls-ts supports Node 20 (engines >=20); the SDK's multi-line notice about its own future
  // Node 22 requirement would sit next to every deploy message. A user can still turn it on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const common = {
    region: options.region,
    maxAttempts: MAX_ATTEMPTS,
    // Adaptive adds client-side rate limiting on top of the standard backoff once AWS throttles.
    retryMode: 'adaptive',
    ...(options.profile && { profile: options.profile }),
  };
  const clients: AwsClients = {
    cloudformation: new CloudFormationClient(common),
    // LocalStack and other S3 lookalikes serve buckets under a path, not as subdomains.
    s3: new S3Client({ ...common, ...(endpointOverride('S3', options.env) && { forcePathStyle: true }) }),
    lambda: new LambdaClient(common),
    apiGateway: new APIGatewayClient(common),
    logs: new CloudWatchLogsClient(common),
  };
  for (const client of Object.values(clients)) tagFailedOperations(client);
  return clients;
}

/**
 * SDK errors do not say which call failed; a deploy makes hundreds. This stamps
 * `$operation` ("CloudFormation ExecuteChangeSet") on whatever a call throws, so errors.ts can
 * name it — above all when the answer could not even be parsed.
 */
function tagFailedOperations(client: AwsClients[keyof AwsClients]): void {
  // Each client's stack is typed by its own inputs/outputs; only the error matters here.
  const stack = client.middlewareStack as unknown as {
    add(middleware: (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: unknown) => Promise<unknown>, options: { step: 'initialize'; name: string }): void;
  };
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error && typeof error === 'object' && !('$operation' in error)) {
          const service = (context.clientName ?? '').replace(/Client$/, '').replace(/^CloudWatchLogs$/, 'CloudWatch Logs').replace(/^APIGateway$/, 'API Gateway');
          const operation = (context.commandName ?? '').replace(/Command$/, '');
          Object.defineProperty(error, '$operation', { value: `${service} ${operation}`.trim(), enumerable: false });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'slsTsOperationName' },
  );
}

export function destroyClients(clients: AwsClients): void {
  for (const client of Object.values(clients)) client.destroy();
}

/**
 * The region the SDK's own chain finds: AWS_REGION, then the profile's `region` in the shared
 * config file (AWS_CONFIG_FILE or ~/.aws/config); undefined when nothing names one. Without it a
 * `--profile prod` whose config says eu-west-1 would deploy to the built-in default.
 */
export async function sdkRegion(profile?: string): Promise<string | undefined> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new CloudFormationClient({ ...(profile && { profile }) });
  try {
    return (await client.config.region()) || undefined;
  } catch {
    // "Region is missing": the caller falls back to the built-in default.
    return undefined;
  } finally {
    client.destroy();
  }
}
