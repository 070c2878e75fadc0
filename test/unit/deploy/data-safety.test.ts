// A change set that replaces or removes a table or a bucket asks first: through deploy() with the
// prompt a terminal would show, and with what CloudFormation says of the deployed template.
import { DeleteChangeSetCommand, ExecuteChangeSetCommand, type ResourceChange } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { deploy, type DeployEvent } from '../../../src/deploy/index.js';
import { isSlsError } from '../../../src/shared/errors.js';
import { FULL_OUTPUTS, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

/** A deployed stack holding a posts table and an archive bucket (retained), whose next change set `changes`. */
function deployedWithData(aws: FakeAws, changes: ResourceChange[]) {
  aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
  aws.template = JSON.stringify({ Resources: { PostsTable: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Delete' }, ArchiveBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' } } });
  aws.resources = [
    { LogicalResourceId: 'PostsTable', ResourceType: 'AWS::DynamoDB::Table', PhysicalResourceId: 'example-app-dev-posts' },
    { LogicalResourceId: 'ArchiveBucket', ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: 'example-app-dev-archivebucket-1a2b' },
  ];
  aws.changes = changes.map((change) => ({ ResourceChange: change }));
}

describe('data safety on deploy', () => {
  it('a table that left the config is deleted only once the person at the prompt agrees; "no" deletes the change set and executes nothing', async () => {
    deployedWithData(aws, [{ Action: 'Remove', LogicalResourceId: 'PostsTable', ResourceType: 'AWS::DynamoDB::Table' }]);
    const questions: string[] = [];
    const error = await deploy(testContext(app.config), { confirm: async (question) => (questions.push(question), false) }).catch((caught: unknown) => caught);

    expect(isSlsError(error)).toBe(true);
    expect((error as Error).message).toBe('resources.posts: posts table is deleted with its data: example-app-dev-posts is no longer declared; nothing was deployed');
    expect(questions).toEqual(['This deploy changes stored data:\n  posts table is deleted with its data: example-app-dev-posts is no longer declared\nDeploy anyway?']);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('"yes" at the prompt deploys, and the result lists the data change', async () => {
    deployedWithData(aws, [{ Action: 'Remove', LogicalResourceId: 'PostsTable', ResourceType: 'AWS::DynamoDB::Table' }]);
    const result = await deploy(testContext(app.config), { confirm: async () => true });
    expect(result.outcome).toBe('deployed');
    expect(result.dataChanges).toEqual([{ name: 'posts', logicalId: 'PostsTable', kind: 'table', action: 'remove', retained: false, physicalId: 'example-app-dev-posts', stackPath: [] }]);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('a retained bucket leaving the stack is said to stay in the account; other changes need no --yes', async () => {
    deployedWithData(aws, [{ Action: 'Remove', LogicalResourceId: 'ArchiveBucket', ResourceType: 'AWS::S3::Bucket' }]);
    const events: DeployEvent[] = [];
    await expect(deploy(testContext(app.config, events))).rejects.toThrow(/^resources\.archive: archive bucket is retained: it stays in the account as example-app-dev-archivebucket-1a2b/);
    expect(events).toContainEqual({ type: 'data-changes', changes: [expect.objectContaining({ name: 'archive', retained: true })] });

    // Functions and the artifacts bucket are no stored data: such a change set runs without asking.
    aws.changes = [
      { ResourceChange: { Action: 'Modify', Replacement: 'True', LogicalResourceId: 'PostsControllerFunction', ResourceType: 'AWS::Lambda::Function' } },
      { ResourceChange: { Action: 'Modify', Replacement: 'True', LogicalResourceId: 'ArtifactsBucket', ResourceType: 'AWS::S3::Bucket' } },
    ];
    const result = await deploy(testContext(app.config));
    expect(result).toMatchObject({ outcome: 'deployed', dataChanges: [] });
  });

  it('a plan calls the change out and asks nothing', async () => {
    deployedWithData(aws, [{ Action: 'Modify', Replacement: 'True', LogicalResourceId: 'PostsTable', ResourceType: 'AWS::DynamoDB::Table' }]);
    const result = await deploy(testContext(app.config), { plan: true, confirm: async () => { throw new Error('a plan must not ask'); } });
    expect(result.outcome).toBe('plan');
    expect(result.dataChanges).toEqual([expect.objectContaining({ logicalId: 'PostsTable', action: 'replace', retained: false })]);
  });
});
