// The Ref / Fn::GetAtt / Fn::Sub names and DependsOn of a raw resource (config `resources`,
// `cloudformation({ … })`) must be logical ids of the generated templates or pseudo parameters:
// CloudFormation would refuse any other name ("Unresolved resource dependencies") only once the
// code is uploaded. The spec check in build/ leaves intrinsics alone; this is where names are known.
import type { ResolvedRawResource } from '../config/resources.js';
import { PSEUDO_PARAMETERS } from '../config/limits.js';
import { formatKeyPath } from '../config/report.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { collectReferences, type Reference, type ReferenceInput } from './iam-references.js';

/** Pseudo parameters a property may use besides those an IAM statement may. */
const PROPERTY_PSEUDO_PARAMETERS = new Set([...PSEUDO_PARAMETERS, 'AWS::NoValue', 'AWS::NotificationARNs']);

export function rawReferenceDiagnostics(input: ReferenceInput): Diagnostic[] {
  const raw = input.config.resources.filter((resource): resource is ResolvedRawResource => resource.kind === 'cloudformation');
  if (raw.length === 0) return [];
  const known = new Set(input.parts.map((part) => part.id));
  return raw.flatMap((resource) => {
    const at = ['resources', resource.name, 'resource'];
    const dependsOn = resource.resource.DependsOn;
    const references: Reference[] = [
      ...collectReferences(resource.resource.Properties ?? {}, formatKeyPath([...at, 'Properties']), []),
      ...(typeof dependsOn === 'string' ? [{ name: dependsOn, at: formatKeyPath([...at, 'DependsOn']) }] : []),
      ...(Array.isArray(dependsOn) ? dependsOn.map((name, index) => ({ name, at: formatKeyPath([...at, 'DependsOn', index]) })) : []),
    ];
    return references.filter(({ name }) => !known.has(name) && !PROPERTY_PSEUDO_PARAMETERS.has(name)).map(({ name, at: where }) => {
      const near = closestMatch(name, known);
      return {
        text: `${where}: names ${name}, which is not a resource of the generated templates (CloudFormation would fail with "Unresolved resource dependencies")`,
        hint: `${near ? `did you mean ${near}? ` : ''}the logical ids are in the templates \`sls-ts build\` writes to .sls-ts/build/<stage>/; a declared resource's is its name in PascalCase (posts table: PostsTable)`,
        ...(input.config.configFile ? { file: input.config.configFile } : {}),
      };
    });
  });
}
