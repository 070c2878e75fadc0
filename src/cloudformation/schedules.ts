// EventBridge rules for jobs: one per schedule, plus the permission for EventBridge to invoke
// (the `live` alias when the job has provisioned concurrency, see live-alias.ts).
import type { BuiltFunction } from '../build/types.js';
import { getAtt } from './intrinsics.js';
import { invokedArn, invokedPermission } from './live-alias.js';
import { functionGroup } from './model.js';
import type { GenerateContext, Part } from './parts.js';

/** EventBridge's limit on a rule description. */
const RULE_DESCRIPTION_LIMIT = 512;

export function scheduleParts(fn: BuiltFunction, ctx: GenerateContext): Part[] {
  const ids = ctx.ids.functions.get(fn.key)!;
  const home = functionGroup(fn).key;
  return fn.schedules.flatMap((schedule, index) => {
    const { rule, permission } = ids.schedules[index]!;
    return [
      {
        id: rule,
        home,
        source: fn.source,
        resource: {
          Type: 'AWS::Events::Rule',
          // No Name: CloudFormation's generated one fits EventBridge's 64 characters.
          Properties: {
            Description: `${fn.source}: ${schedule.expression}`.slice(0, RULE_DESCRIPTION_LIMIT),
            ScheduleExpression: schedule.expression,
            State: 'ENABLED',
            Targets: [{ Id: 'job', Arn: invokedArn(ids) }],
          },
        },
      },
      {
        id: permission,
        home,
        source: fn.source,
        resource: invokedPermission(ids, 'events.amazonaws.com', getAtt(rule, 'Arn')),
      },
    ];
  });
}
