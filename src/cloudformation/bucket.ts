// The artifacts bucket: part of the stack, so the first deploy creates it (bootstrap) and the
// full template keeps it under the same logical id.
import type { ResolvedConfig } from '../config/types.js';
import { FIXED_IDS, OUTPUT_NAMES } from './ids.js';
import { getAtt, POLICY_VERSION, ref, sub, tagList, withTags } from './intrinsics.js';
import { sortedRecord } from './json.js';
import { ROOT_HOME, type Part } from './parts.js';
import type { Template, TemplateOutput } from './types.js';

/** The security every bucket of the stack starts from: encrypted, no public access, no ACLs. */
export function secureBucketProperties(): Record<string, unknown> {
  return {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  };
}

/** The bucket policy statement refusing plain HTTP, on the bucket and its objects. */
export function denyInsecureTransport(bucket: string): Record<string, unknown> {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [getAtt(bucket, 'Arn'), sub(`\${${bucket}.Arn}/*`)],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export function bucketParts(config: ResolvedConfig): Part[] {
  const bucket = FIXED_IDS.bucket;
  return [
    {
      id: bucket,
      home: ROOT_HOME,
      source: 'artifacts bucket',
      resource: {
        Type: 'AWS::S3::Bucket',
        // The deploy empties the bucket (all versions) before deleting the stack, so it can go.
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: {
          ...secureBucketProperties(),
          VersioningConfiguration: { Status: 'Enabled' },
          // Keys carry content hashes, so versions pile up only for records the deploy overwrites.
          LifecycleConfiguration: {
            Rules: [
              { Id: 'abort-incomplete-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
              { Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
            ],
          },
          ...withTags(tagList(config.tags)),
        },
      },
    },
    {
      id: FIXED_IDS.bucketPolicy,
      home: ROOT_HOME,
      source: 'artifacts bucket policy',
      resource: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: ref(bucket),
          PolicyDocument: {
            Version: POLICY_VERSION,
            Statement: [denyInsecureTransport(bucket)],
          },
        },
      },
    },
  ];
}

export function bucketNameOutput(): TemplateOutput {
  return { Description: 'Artifacts bucket (zips and nested templates)', Value: ref(FIXED_IDS.bucket) };
}

/**
 * The first deploy's template: the bucket and its policy only, under the same logical ids as in
 * the full template, so the update that follows keeps the bucket the artifacts were uploaded to.
 */
export function bootstrapTemplate(config: ResolvedConfig): Template {
  const parts = bucketParts(config);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `sls-ts: ${config.name} (${config.stage}), artifacts bucket`,
    Resources: sortedRecord(parts.map((part) => [part.id, part.resource])),
    Outputs: { [OUTPUT_NAMES.artifactsBucketName]: bucketNameOutput() },
  };
}
