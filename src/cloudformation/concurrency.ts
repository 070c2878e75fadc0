// The config check sees each controller, action, job and function on its own; a Lambda serving
// several of them (a controller's actions, the single layout) takes the most any asks for, which
// can put its provisioned concurrency above its reserved. Lambda would refuse that at deploy time.
import type { BuiltFunction } from '../build/types.js';
import type { Diagnostic } from '../shared/errors.js';

export function concurrencyErrors(functions: readonly BuiltFunction[]): Diagnostic[] {
  return functions.flatMap((fn) => {
    const { reservedConcurrency: reserved, provisionedConcurrency: provisioned } = fn;
    if (reserved === undefined || provisioned === undefined || provisioned <= reserved) return [];
    return [{
      text: `${fn.source} (${fn.functionName}): provisionedConcurrency ${provisioned} exceeds its reservedConcurrency ${reserved}, the largest its parts ask for`,
      hint: 'provisioned environments count against the reserved ones: set reservedConcurrency on the controller (or app) to at least the provisioned one',
    }];
  });
}

/**
 * Only API Gateway calls the `live` alias so far: schedules, subscriptions and job queues invoke
 * the function itself ($LATEST), which has no provisioned environments. Say so rather than bill
 * warm environments nothing uses.
 */
export function provisionedWarnings(functions: readonly BuiltFunction[], routed: ReadonlySet<string>): Diagnostic[] {
  return functions.filter((fn) => fn.provisionedConcurrency && !routed.has(fn.key)).map((fn) => ({
    level: 'warning' as const,
    text: `${fn.source} (${fn.functionName}) has provisionedConcurrency ${fn.provisionedConcurrency}, but nothing calls its \`live\` alias: its schedules and subscriptions invoke the function itself, without the warm environments`,
    hint: 'provisioned concurrency serves API routes for now: leave it out for jobs and unrouted functions (it is billed while deployed), or invoke the alias (`<function name>:live`) from your own code',
  }));
}
