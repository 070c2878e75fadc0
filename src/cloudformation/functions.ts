// One Lambda function per built function, with its own log group (so retention is ours to set
// and the role can be scoped to it) and code from the artifacts bucket.
import type { BuiltFunction } from '../build/types.js';
import { templateEnvValue } from '../config/env-references.js';
import { FIXED_IDS } from './ids.js';
import { getAtt, ref, withTags } from './intrinsics.js';
import { jobQueueVariables } from './job-queues.js';
import { linkVariables } from './links.js';
import { functionGroup } from './model.js';
import type { GenerateContext, Part } from './parts.js';
import { liveAliasParts } from './live-alias.js';

/** Lambda's limit on a function description. */
export const DESCRIPTION_LIMIT = 256;

export function logGroupName(fn: BuiltFunction): string {
  return `/aws/lambda/${fn.functionName}`;
}

/** The function's variables as the template carries them: `ssm:`/`secret:` values become {{resolve:…}} references. */
export function functionEnvironment(fn: BuiltFunction): Record<string, string> {
  return Object.fromEntries(Object.entries(fn.environment).map(([name, value]) => [name, templateEnvValue(value)]));
}

export function functionParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  const ids = ctx.ids.functions.get(fn.key)!;
  const home = functionGroup(fn).key;
  // A linked resource's variables come last, so they win over a same-named one of the app's env.
  const links = [...jobQueueVariables(ctx.manifest.functions, ctx.config, ctx.ids), ...linkVariables(fn.links, ctx.config, ctx.ids.declared)].map(({ name, value }) => [name, value] as const);
  const variables = [...Object.entries(functionEnvironment(fn)), ...links].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fnPart: Part = {
    id: ids.fn,
    home,
    source: fn.source,
    resource: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: fn.functionName,
        Description: fn.description.slice(0, DESCRIPTION_LIMIT),
        Runtime: ctx.manifest.runtime,
        Architectures: [ctx.manifest.architecture],
        Handler: fn.handler,
        MemorySize: fn.memory,
        Timeout: fn.timeout,
        Role: getAtt(ids.role, 'Arn'),
        Code: { S3Bucket: ref(FIXED_IDS.bucket), S3Key: fn.artifact.key },
        ...(variables.length > 0 ? { Environment: { Variables: Object.fromEntries(variables) } } : {}),
        // Naming the log group makes CloudFormation create it first, so Lambda never creates
        // an unmanaged one (with no retention) on the first invocation.
        LoggingConfig: { LogGroup: ref(ids.logGroup) },
        ...(fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {}),
        ...(ctx.config.tracing ? { TracingConfig: { Mode: 'Active' } } : {}),
        ...withTags(ctx.tags),
      },
    },
  };
  return [
    {
      id: ids.logGroup,
      home,
      source: fn.source,
      resource: {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: logGroupName(fn),
          RetentionInDays: ctx.config.logRetentionDays,
          ...withTags(ctx.tags),
        },
      },
    },
    fnPart,
    ...liveAliasParts(fn, fnPart, ctx),
  ];
}
