// What `api` and `tracing` add to the API stage: access logs into a log group of the stack, one
// method setting for every method (throttling, detailed metrics), and X-Ray tracing.
import type { ResolvedConfig } from '../config/types.js';
import { FIXED_IDS } from './ids.js';
import { sub, withTags } from './intrinsics.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';

export function accessLogGroupName(config: Pick<ResolvedConfig, 'name' | 'stage'>): string {
  return `/aws/apigateway/${config.name}-${config.stage}/access`;
}

/** The access logs' group, owned by the stack so that its retention is ours to set and it goes with the stack. */
export function accessLogParts(ctx: GenerateContext): Part[] {
  const logs = ctx.config.api.accessLogs;
  if (!logs) return [];
  return [{
    id: FIXED_IDS.accessLogGroup,
    home: ROOT_HOME,
    source: `access logs of stage ${ctx.config.stage}`,
    resource: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: accessLogGroupName(ctx.config), RetentionInDays: logs.retentionDays, ...withTags(ctx.tags) },
    },
  }];
}

/** The Stage's properties for them; none when nothing is set, so an app without them keeps its template. */
export function stageSettings(config: ResolvedConfig): Record<string, unknown> {
  const { accessLogs, throttle, metrics } = config.api;
  const method = {
    ...(throttle ? { ThrottlingRateLimit: throttle.rate } : {}),
    ...(throttle?.burst !== undefined ? { ThrottlingBurstLimit: throttle.burst } : {}),
    ...(metrics ? { MetricsEnabled: true } : {}),
  };
  return {
    ...(accessLogs ? {
      AccessLogSetting: {
        // The group's ARN without the `:*` its Arn attribute ends in: the form API Gateway documents.
        DestinationArn: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${FIXED_IDS.accessLogGroup}}`),
        Format: accessLogs.format,
      },
    } : {}),
    // `/*` and `*`: every resource and method of the stage (API Gateway's `/*/*`).
    ...(Object.keys(method).length > 0 ? { MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ...method }] } : {}),
    ...(config.tracing ? { TracingEnabled: true } : {}),
  };
}
