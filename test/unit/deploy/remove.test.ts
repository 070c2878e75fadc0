import { DeleteStackCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type DeleteObjectsCommandInput, type ListObjectVersionsCommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { remove, type DeployEvent } from '../../../src/deploy/index.js';
import { BUCKET, STACK_ID, selfEvent, stackEvent, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, captureOutput, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

/** A versioned bucket: 1,500 versions of 600 keys and 300 delete markers, over two pages. */
function versionedBucket(aws: FakeAws) {
  const versions = Array.from({ length: 1500 }, (_, i) => ({ Key: `artifacts/${i % 600}.zip`, VersionId: `v${i}` }));
  const markers = Array.from({ length: 300 }, (_, i) => ({ Key: `state/${i}.json`, VersionId: `m${i}` }));
  aws.s3.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) => {
    if (!input.KeyMarker) return { IsTruncated: true, NextKeyMarker: 'artifacts/99.zip', NextVersionIdMarker: 'v999', Versions: versions.slice(0, 1000), DeleteMarkers: markers.slice(0, 100) };
    expect(input).toMatchObject({ KeyMarker: 'artifacts/99.zip', VersionIdMarker: 'v999' });
    return { IsTruncated: false, Versions: versions.slice(1000), DeleteMarkers: markers.slice(100) };
  });
  aws.s3.on(DeleteObjectsCommand).resolves({});
  return [...versions, ...markers];
}

describe('delete', () => {
  it('empties a versioned bucket (every version and delete marker, in batches of 1000), then deletes the stack', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    const all = versionedBucket(aws);
    aws.cfn.on(DeleteStackCommand).callsFake(() => {
      aws.addEvents('example-app-dev', selfEvent('DELETE_IN_PROGRESS'), stackEvent({ LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'DELETE_COMPLETE' }), selfEvent('DELETE_COMPLETE'));
      aws.setStack('DELETE_COMPLETE', ['DELETE_IN_PROGRESS']);
      return {};
    });
    const events: DeployEvent[] = [];
    const result = await remove(testContext(app.config, events));

    expect(result).toMatchObject({ stackName: 'example-app-dev', removed: true, bucket: BUCKET, objectsDeleted: 1800 });
    const batches = aws.calls<DeleteObjectsCommandInput>(aws.s3, DeleteObjectsCommand);
    expect(batches.every((batch) => batch.Bucket === BUCKET && batch.Delete!.Objects!.length <= 1000)).toBe(true);
    const deleted = batches.flatMap((batch) => batch.Delete!.Objects!);
    expect(deleted).toHaveLength(all.length);
    expect(new Set(deleted.map((object) => `${object.Key}@${object.VersionId}`))).toEqual(new Set(all.map((object) => `${object.Key}@${object.VersionId}`)));

    // The bucket is empty before the stack delete starts, and the delete is addressed by stack id.
    const order = [...aws.s3.calls(), ...aws.cfn.calls()].map((call) => (call.args[0] as object).constructor.name);
    expect(order).toContain('DeleteStackCommand');
    expect(aws.cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input).toEqual({ StackName: STACK_ID });
    expect(events).toContainEqual({ type: 'bucket-emptied', bucket: BUCKET, deleted: 1800 });
    expect(events.map((event) => event.type)).toContain('delete-start');
  });

  it('reports nothing to delete when there is no stack', async () => {
    const result = await remove(testContext(app.config));
    expect(result).toMatchObject({ removed: false, objectsDeleted: 0 });
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('explains a stack that fails to delete', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    aws.cfn.on(DeleteStackCommand).callsFake(() => {
      aws.addEvents('example-app-dev', selfEvent('DELETE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'PostsControllerRole', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'DELETE_FAILED', ResourceStatusReason: 'User is not authorized to perform: iam:DeleteRole' }),
        selfEvent('DELETE_FAILED'));
      aws.setStack('DELETE_FAILED', ['DELETE_IN_PROGRESS']);
      return {};
    });
    await expect(remove(testContext(app.config))).rejects.toThrow(/delete of example-app-dev failed \(DELETE_FAILED\): PostsControllerRole \(AWS::IAM::Role\) DELETE_FAILED: User is not authorized/);
  });
});

describe('delete with declared buckets', () => {
  function stackWithBuckets(aws: FakeAws, template: string | undefined) {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.template = template;
    aws.resources = [
      { LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: BUCKET },
      { LogicalResourceId: 'UploadsBucket', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'uploads-1' },
      { LogicalResourceId: 'ArchiveBucket', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'archive-1' },
    ];
    aws.s3.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) => ({ IsTruncated: false, Versions: [{ Key: `${input.Bucket}.txt`, VersionId: 'v1' }] }));
    aws.s3.on(DeleteObjectsCommand).resolves({});
    aws.cfn.on(DeleteStackCommand).callsFake(() => {
      aws.addEvents('example-app-dev', selfEvent('DELETE_IN_PROGRESS'), selfEvent('DELETE_COMPLETE'));
      aws.setStack('DELETE_COMPLETE', ['DELETE_IN_PROGRESS']);
      return {};
    });
  }
  const emptiedBuckets = () => aws.calls<ListObjectVersionsCommandInput>(aws.s3, ListObjectVersionsCommand).map((input) => input.Bucket);

  it('empties the buckets the stack deletes, never a retained one, and reports what stays', async () => {
    stackWithBuckets(aws, JSON.stringify({ Resources: { UploadsBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete' }, ArchiveBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } } }));
    const events: DeployEvent[] = [];
    const result = await remove(testContext(app.config, events));
    expect(emptiedBuckets()).toEqual([BUCKET, 'uploads-1']);
    expect(result.emptied).toEqual([{ bucket: 'uploads-1', deleted: 1 }]);
    expect(result.retained).toEqual([{ logicalId: 'ArchiveBucket', type: 'AWS::S3::Bucket', physicalId: 'archive-1' }]);
    expect(events).toContainEqual({ type: 'retained', resources: result.retained });
  });

  it('empties no declared bucket when the deployed template cannot be read: any of them may be retained', async () => {
    stackWithBuckets(aws, undefined);
    aws.cfn.on(GetTemplateCommand).rejects(new Error('AccessDenied: cloudformation:GetTemplate'));
    const result = await remove(testContext(app.config));
    expect(emptiedBuckets()).toEqual([BUCKET]);
    expect(result).toMatchObject({ removed: true, emptied: [], retained: [] });
  });
});

describe('sls-ts delete', () => {
  it('refuses without --yes when nobody can be asked', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'delete', '-C', app.root], output);
    expect(code).toBe(1);
    expect(output.stderr).toEqual(['error refusing to delete example-app-dev without confirmation — pass --yes to delete it (no prompt is shown when not on a terminal)']);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('refuses a stack with termination protection before touching its bucket', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.terminationProtection = true;
    versionedBucket(aws);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'delete', '-C', app.root, '--yes'], output)).toBe(1);
    expect(output.stderr).toHaveLength(1);
    expect(output.stderr[0]).toMatch(/example-app-dev in us-east-1 has termination protection on: nothing was deleted — .*update-termination-protection --no-enable-termination-protection --stack-name example-app-dev/);
    expect(aws.s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('says a protected stack cannot be deleted instead of asking for a confirmation that would not help', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.terminationProtection = true;
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'delete', '-C', app.root], output)).toBe(1);
    expect(output.stderr).toEqual([expect.stringMatching(/^error stack example-app-dev in us-east-1 has termination protection on: nothing was deleted/)]);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('with --no-wait refuses a stack another operation is changing, touching nothing', async () => {
    aws.setStack('UPDATE_IN_PROGRESS', [], { ArtifactsBucketName: BUCKET });
    versionedBucket(aws);
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'delete', '-C', app.root, '--yes', '--no-wait'], output)).toBe(1);
    expect(output.stderr.join('\n')).toMatch(/UPDATE_IN_PROGRESS: another operation is running/);
    expect(aws.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('exits 0 when there is no stack', async () => {
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'delete', '-C', app.root, '--yes'], output)).toBe(0);
    expect(output.stdout).toEqual(['example-app-dev does not exist in us-east-1: nothing to delete']);
  });
});
