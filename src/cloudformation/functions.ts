// One Lambda function per built function, with its own log group (so retention is ours to set
// and the role can be scoped to it) and code from the artifacts bucket.
import type { BuiltFunction } from '../build/types.js';
import { FIXED_IDS } from './ids.js';
import { getAtt, ref, withTags } from './intrinsics.js';
import { functionGroup } from './model.js';
import type { GenerateContext, Part } from './parts.js';

/** Lambda's limit on a function description. */
export const DESCRIPTION_LIMIT = 256;

export function logGroupName(fn: BuiltFunction): string {
  return `/aws/lambda/${fn.functionName}`;
}

export function functionParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  const ids = ctx.ids.functions.get(fn.key)!;
  const home = functionGroup(fn).key;
  const variables = Object.keys(fn.environment).sort().map((name) => [name, fn.environment[name]!] as const);
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
    {
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
          ...withTags(ctx.tags),
        },
      },
    },
  ];
}
