// `sls-ts invoke <fn> --remote`: Lambda Invoke with the log tail, decoded.
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { DeployContext } from './context.js';
import { withAwsErrors } from './errors.js';
import { findFunction, listFunctions } from './functions.js';
import type { InvokeRemoteResult } from './types.js';

export interface InvokeRemoteOptions {
  /** A function key, short name, or AWS function name. */
  name: string;
  /** The event; `{}` when missing. */
  event?: unknown;
}

/** The AWS name for what the user typed; a full `<app>-<stage>-…` name is taken as it is, without reading the app. */
export async function resolveFunctionName(ctx: DeployContext, name: string): Promise<string> {
  if (name.startsWith(`${ctx.config.name}-${ctx.stage}-`)) return name;
  return findFunction(await listFunctions(ctx), name, ctx.config.name).functionName;
}

export async function invokeRemote(ctx: DeployContext, options: InvokeRemoteOptions): Promise<InvokeRemoteResult> {
  return withAwsErrors('invoke', async () => {
    const functionName = await resolveFunctionName(ctx, options.name);
    const response = await ctx.clients.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: Buffer.from(JSON.stringify(options.event ?? {}), 'utf8'),
      }),
    );
    return {
      functionName,
      statusCode: response.StatusCode ?? 0,
      payload: response.Payload ? Buffer.from(response.Payload).toString('utf8') : '',
      ...(response.FunctionError && { functionError: response.FunctionError }),
      ...(response.LogResult && { logTail: Buffer.from(response.LogResult, 'base64').toString('utf8') }),
      ...(response.ExecutedVersion && { executedVersion: response.ExecutedVersion }),
    };
  });
}
