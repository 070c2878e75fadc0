// `sls-ts status` and `sls-ts url`: what is deployed, read from the stack (and API Gateway when
// the stack's outputs do not say).
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { SlsError } from '../shared/errors.js';
import type { DeployContext } from './context.js';
import { readApiKeys } from './api-keys.js';
import { withAwsErrors } from './errors.js';
import { toEventInfo } from './monitor.js';
import { listStackResources, physicalIdOf } from './resources.js';
import { OUTPUTS, describeStack, findBucket, outputsOf } from './stack.js';
import { readState } from './state.js';
import { WEBSOCKET_OUTPUT_SUFFIXES } from '../cloudformation/index.js';
import type { ChannelUrl, StatusResult, UrlResult } from './types.js';

export interface StatusOptions {
  /** How many recent events to include (newest first); default 10. */
  events?: number;
}

export async function status(ctx: DeployContext, options: StatusOptions = {}): Promise<StatusResult> {
  return withAwsErrors('status', async () => {
    const base = { stackName: ctx.stackName, region: ctx.region };
    const stack = await describeStack(ctx);
    if (!stack) return { ...base, exists: false, outputs: {}, drift: [], events: [], apiKeys: [] };

    const outputs = outputsOf(stack);
    const drift: StatusResult['drift'] = [];
    const bucket = await findBucket(ctx, stack);
    if (bucket) {
      try {
        const state = await readState(ctx, bucket);
        for (const [key, swap] of Object.entries(state.hotSwapped)) drift.push({ key, ...swap });
      } catch {
        // Status still shows the stack when the record cannot be read (e.g. no s3:GetObject).
      }
    }

    const { StackEvents } = await ctx.clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: stack.StackId ?? ctx.stackName }));
    const events = (StackEvents ?? []).slice(0, options.events ?? 10).map((event) => toEventInfo(event, []));
    // The root's resources only: nested stacks hold a controller's, job's, function's or path's
    // parts, while what belongs to the whole API (its stage, usage plans and keys) stays in the root.
    const apiKeys = await readApiKeys(ctx, await listStackResources(ctx, stack.StackId ?? ctx.stackName));
    const updated = stack.LastUpdatedTime ?? stack.CreationTime;
    return {
      ...base,
      exists: true,
      ...(stack.StackStatus && { status: stack.StackStatus }),
      ...(stack.StackStatusReason && { reason: stack.StackStatusReason }),
      ...(updated && { lastUpdated: updated.toISOString() }),
      outputs,
      drift,
      events,
      apiKeys,
      ...(channelUrls(outputs).length > 0 ? { channels: channelUrls(outputs) } : {}),
    };
  });
}

/** The API's base URL: the custom domain's (DomainUrl output), else the ApiUrl output, else the stack's REST API, else one named `<app>-<stage>` in API Gateway. */
export async function url(ctx: DeployContext): Promise<UrlResult> {
  return withAwsErrors('url', async () => {
    const stack = await describeStack(ctx);
    if (!stack) throw new SlsError({ text: `stack ${ctx.stackName} does not exist in ${ctx.region}`, hint: 'deploy it first with `sls-ts deploy` (or pass the --stage/--region it was deployed to)' });
    const outputs = outputsOf(stack);
    const found = channelUrls(outputs);
    const channels = found.length > 0 ? { channels: found } : {};
    // The custom domain's URL stays the same when the API behind it is replaced: print it first.
    const domainUrl = outputs[OUTPUTS.domainUrl];
    if (domainUrl) return { stackName: ctx.stackName, url: domainUrl, from: 'outputs', domain: new URL(domainUrl).hostname, ...channels };
    const fromOutput = outputs[OUTPUTS.apiUrl];
    if (fromOutput) return { stackName: ctx.stackName, url: fromOutput, from: 'outputs', ...channels };
    // An app of channels only (no routes, so no HTTP API): its first channel's URL.
    if (found.length > 0 && outputs[OUTPUTS.restApiId] === undefined) return { stackName: ctx.stackName, url: found[0]!.url, from: 'outputs', ...channels };

    const restApiId =
      outputs[OUTPUTS.restApiId] ??
      physicalIdOf(await listStackResources(ctx), 'AWS::ApiGateway::RestApi') ??
      (await findRestApiByName(ctx, ctx.stackName));
    if (!restApiId) throw new SlsError({ text: `${ctx.stackName} has no REST API`, hint: 'add routes in config/routes.ts and deploy' });
    const stage = outputs[OUTPUTS.stageName] ?? ctx.stage;
    const suffix = ctx.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return { stackName: ctx.stackName, url: `https://${restApiId}.execute-api.${ctx.region}.${suffix}/${stage}`, from: 'api-gateway', ...channels };
  });
}

/**
 * The channels' URLs, from the outputs the template names `<Channel>WebSocketUrl` and
 * `<Channel>ConnectionsUrl` (ChatRoom → chat-room, as the build names channels after their files).
 */
export function channelUrls(outputs: Readonly<Record<string, string>>): ChannelUrl[] {
  const { url: urlSuffix, connections } = WEBSOCKET_OUTPUT_SUFFIXES;
  return Object.keys(outputs)
    .filter((key) => key.endsWith(urlSuffix) && key.length > urlSuffix.length && outputs[key]!.startsWith('wss://'))
    .map((key) => {
      const stem = key.slice(0, -urlSuffix.length);
      const connectionsUrl = outputs[`${stem}${connections}`];
      const channel = stem.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();
      return { channel, url: outputs[key]!, ...(connectionsUrl ? { connectionsUrl } : {}) };
    })
    .sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
}

async function findRestApiByName(ctx: DeployContext, name: string): Promise<string | undefined> {
  let position: string | undefined;
  do {
    const page = await ctx.clients.apiGateway.send(new GetRestApisCommand({ limit: 500, ...(position && { position }) }));
    const found = page.items?.find((api) => api.name === name);
    if (found?.id) return found.id;
    position = page.position;
  } while (position);
  return undefined;
}
