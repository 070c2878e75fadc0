// The CloudFormation resource specification (from @aws-cdk/aws-service-spec) and lookups in it.
// Loading it takes ~0.5 s and over 100 MB, so it is loaded on first use only (an app without raw
// resources never pays for it) and kept for the rest of the process.
import { createRequire } from 'node:module';
// Types only, from the package's own dependency: how the spec database is shaped.
import type { Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

let spec: SpecDatabase | undefined;
let typeNames: string[] | undefined;
const resourceSpecs = new Map<string, Resource | undefined>();

export function specDatabase(): SpecDatabase {
  // required, not imported: even importing the package is deferred to the first lookup.
  spec ??= (createRequire(import.meta.url)('@aws-cdk/aws-service-spec') as typeof import('@aws-cdk/aws-service-spec')).loadAwsServiceSpecSync();
  return spec;
}

/** Loads the resource specification now, so a caller can keep its load time out of a measurement. */
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

/** Every resource type the spec knows, for "did you mean …?". */
export function resourceTypeNames(): readonly string[] {
  typeNames ??= specDatabase().all('resource').map((resource) => resource.cloudFormationType);
  return typeNames;
}

export function isCustomType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/**
 * Types outside the AWS and Alexa namespaces come from the CloudFormation registry (third-party
 * or the account's own extensions); the spec cannot know them, so they pass unchecked.
 */
export function isRegistryType(type: string): boolean {
  return /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(::MODULE)?$/.test(type) && !/^(AWS|Alexa|Custom)::/.test(type);
}
