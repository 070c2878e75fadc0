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
 * Whatever invokes a function with provisioned concurrency calls its `live` alias (live-alias.ts):
 * routes, authorizers, schedules, subscriptions and its own queue. A function none of them invoke
 * (a plain function outside the routes) has warm environments only the user's own code could
 * reach: say so rather than bill them silently.
 */
function invoked(fn: BuiltFunction, routed: ReadonlySet<string>): boolean {
  return routed.has(fn.key) || fn.kind === 'authorizer' || fn.schedules.length > 0 || fn.events.length > 0 || fn.jobQueue !== undefined;
}

export function provisionedWarnings(functions: readonly BuiltFunction[], routed: ReadonlySet<string>): Diagnostic[] {
  return functions.filter((fn) => fn.provisionedConcurrency && !invoked(fn, routed)).map((fn) => ({
    level: 'warning' as const,
    text: `${fn.source} (${fn.functionName}) has provisionedConcurrency ${fn.provisionedConcurrency}, but nothing the app deploys calls its \`live\` alias: no route, schedule, subscription or queue invokes it`,
    hint: 'invoke the alias (`<function name>:live`) from your own code to use the warm environments, or leave provisionedConcurrency out (it is billed while deployed)',
  }));
}
