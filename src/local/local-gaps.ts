// What the local engines do not do that a declared resource asks for: said once, as warnings,
// so a difference between laptop and cloud is never a surprise found in production.
import type { ResolvedResource } from '../config/index.js';
import type { Diagnostic } from '../shared/errors.js';

function gapsOf(resource: ResolvedResource): string[] {
  switch (resource.kind) {
    case 'table':
      return resource.ttl === undefined ? [] : [`ttl: items do not expire locally (dynalite has no Time to Live); DynamoDB deletes expired items only within days, so filter on ${resource.ttl} when reading`];
    case 'bucket':
      return [
        ...(resource.versioned ? ['versioned: s3rver keeps no object versions'] : []),
        ...(resource.expireAfterDays !== undefined ? ['expireAfterDays: objects do not expire locally'] : []),
      ];
    case 'queue':
    case 'topic':
      return [`no local ${resource.kind === 'queue' ? 'SQS' : 'SNS'} engine yet: the app's calls to it locally reach no ${resource.kind}`];
    case 'cloudformation':
      return ['raw CloudFormation resources exist only once deployed'];
  }
}

export function describeLocalGaps(resources: readonly ResolvedResource[]): Diagnostic[] {
  return resources.flatMap((resource) => gapsOf(resource).map((text): Diagnostic => ({ level: 'warning', text: `resources.${resource.name}: ${text}` })));
}
