// What the local engines do not do that a declared resource asks for: said once, as warnings,
// so a difference between laptop and cloud is never a surprise found in production.
import type { ResolvedResource } from '../config/index.js';
import type { Diagnostic } from '../shared/errors.js';

/** A gap, and the setting of the resource asking for it (none: the resource as a whole). */
interface Gap {
  key?: string;
  text: string;
}

function gapsOf(resource: ResolvedResource): Gap[] {
  switch (resource.kind) {
    case 'table':
      return resource.ttl === undefined ? [] : [{
        key: 'ttl',
        text: `dynalite has no Time to Live: sls-ts deletes expired items itself (every minute under sls-ts server, on expire() in tests); DynamoDB takes up to days, so filter on ${resource.ttl} when reading`,
      }];
    case 'bucket':
      return [
        ...(resource.versioned ? [{ key: 'versioned', text: 's3rver keeps no object versions' }] : []),
        ...(resource.expireAfterDays !== undefined ? [{ key: 'expireAfterDays', text: 'objects do not expire locally' }] : []),
      ];
    // Served whole by sls-ts's SQS and SNS services (SNS delivers to jobs and queues, the only
    // subscriptions an app declares; Subscribe refuses other protocols with its own message).
    case 'queue':
    case 'topic':
      return [];
    case 'cloudformation':
      return [{ text: 'raw CloudFormation resources exist only once deployed' }];
  }
}

export function describeLocalGaps(resources: readonly ResolvedResource[]): Diagnostic[] {
  return resources.flatMap((resource) => gapsOf(resource).map(({ key, text }): Diagnostic => ({
    level: 'warning',
    text: `resources.${resource.name}${key ? `.${key}` : ''}: ${text}`,
  })));
}
