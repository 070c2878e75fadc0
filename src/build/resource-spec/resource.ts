// One resource against the spec: its type exists, the transform it needs is declared, and its
// properties are known, present when required and of the right kind. Used for the raw
// resources of an app at build time and for whole templates in the tests.
import { closestMatch } from '../../shared/suggest.js';
import { isObject, join, kindOf, report, type ProblemSink } from './problems.js';
import { isCustomType, isRegistryType, resourceSpec, resourceTypeNames } from './spec.js';
import { checkObject } from './values.js';

export interface SpecResource {
  Type: string;
  Properties?: unknown;
}

/** Problems of `resource` at `path` (the resource itself: `Resources.Key`), into `sink`. */
export function checkResourceAgainstSpec(resource: SpecResource, path: string, sink: ProblemSink, transforms: readonly string[]): void {
  const type = resource.Type;
  if (isRegistryType(type)) return;
  const properties = resource.Properties ?? {};
  const propertiesPath = join(path, 'Properties');
  if (!isObject(properties)) return report(sink, propertiesPath, `Properties must be an object, got ${kindOf(properties)}`);
  const specified = resourceSpec(isCustomType(type) ? 'AWS::CloudFormation::CustomResource' : type);
  if (!specified) return report(sink, join(path, 'Type'), `unknown resource type "${type}"${suggestType(type)}`);
  if (specified.cloudFormationTransform && !transforms.includes(specified.cloudFormationTransform)) {
    report(sink, join(path, 'Type'), `${type} needs "Transform": "${specified.cloudFormationTransform}"`);
  }
  // Custom resources pass arbitrary properties to their provider; only ServiceToken is fixed.
  checkObject(properties, specified.properties, propertiesPath, sink, { open: isCustomType(type), owner: type });
}

/** ` — did you mean AWS::S3::Bucket?`, or the types of the same service when none is that close. */
function suggestType(type: string): string {
  const known = resourceTypeNames();
  const near = closestMatch(type, known);
  if (near) return ` — did you mean ${near}?`;
  const service = (name: string) => name.split('::').slice(0, 2).join('::');
  const siblings = known.filter((name) => service(name).toLowerCase() === service(type).toLowerCase());
  if (siblings.length === 0 || siblings.length > 30) return '';
  return ` (${service(siblings[0]!)} has ${siblings.map((name) => name.split('::')[2]).sort().join(', ')})`;
}
