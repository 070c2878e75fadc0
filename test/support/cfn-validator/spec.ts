// The CloudFormation resource specification and lookups in it. The spec is ~2.5 MB gzipped and
// takes ~0.4 s to load, so it is loaded once per process and kept.
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
// Types only, from the package's own type dependency: how the spec database is shaped.
import type { Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

let spec: SpecDatabase | undefined;
const resourceSpecs = new Map<string, Resource | undefined>();

export function specDatabase(): SpecDatabase {
  spec ??= loadAwsServiceSpecSync();
  return spec;
}

/** Loads the resource specification now, so a test can keep its load time out of a measurement. */
export function preloadResourceSpec(): void {
  specDatabase();
}

export function resourceSpec(type: string): Resource | undefined {
  if (!resourceSpecs.has(type)) {
    const found = specDatabase().lookup('resource', 'cloudFormationType', 'equals', type);
    resourceSpecs.set(type, found[0]);
  }
  return resourceSpecs.get(type);
}

export function isCustomType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}
