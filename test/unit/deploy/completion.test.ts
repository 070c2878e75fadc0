// ExecuteChangeSet, DeleteStack and ContinueUpdateRollback only start an operation: for a moment
// DescribeStacks still shows the previous terminal status. Completion must wait for this
// operation's own *_IN_PROGRESS before it believes a terminal status.
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DeployFailedError, deploy, remove, type DeployContext } from '../../../src/deploy/index.js';
import { SlsError } from '../../../src/shared/errors.js';
import { BUCKET, FULL_OUTPUTS, selfEvent, stackEvent, STACK, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures), (fake) => {
  fake.lag = 2;
});

describe('completion under status lag', () => {
  it('deploy reports the update that fails after a lag, not the previous UPDATE_COMPLETE', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
    aws.onExecute = () => {
      aws.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Memory size too large' }),
        selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'), selfEvent('UPDATE_ROLLBACK_COMPLETE'));
      aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS']);
    };
    const error = await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployFailedError);
    expect((error as DeployFailedError).status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect((error as DeployFailedError).message).toContain('Memory size too large');
  });

  it('a first deploy waits for the bootstrap stack that is not visible yet right after CreateStack', async () => {
    const result = await deploy(testContext(app.config), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(result.firstDeploy).toBe(true);
  });

  it('delete waits for its own DELETE_IN_PROGRESS instead of failing on the previous status', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: BUCKET });
    aws.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    const result = await remove(testContext(app.config));
    expect(result).toMatchObject({ removed: true });
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('recovers a ROLLBACK_COMPLETE stack whose deletion shows late, then deploys', async () => {
    aws.setStack('ROLLBACK_COMPLETE', [], {});
    const result = await deploy(testContext(app.config), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(result.firstDeploy).toBe(true);
  });

  it('continues an UPDATE_ROLLBACK_FAILED rollback that shows late, then deploys', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: BUCKET });
    const result = await deploy(testContext(app.config), { yes: true });
    expect(result.outcome).toBe('deployed');
  });
});

describe("an executed change set that never starts (the change set's ExecutionStatus)", () => {
  /** A context that gives up after `limit` polls, so a wait meant to last hours fails the test at once. */
  function impatientContext(limit = 200): DeployContext {
    let polls = 0;
    return {
      ...testContext(app.config),
      sleep: async () => {
        if (++polls > limit) throw new Error(`still following after ${limit} polls`);
      },
    };
  }

  for (const [status, hint] of [['OBSOLETE', /another update/], ['EXECUTE_FAILED', /console/], ['UNAVAILABLE', /run the deploy again/]] as const) {
    it(`ends at once with a clear error when it turned ${status} and the stack never moved`, async () => {
      aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
      aws.onExecute = () => undefined;
      aws.execution = { status, reason: 'superseded by another change set' };
      const error = (await deploy(impatientContext(), { yes: true }).catch((e: unknown) => e)) as SlsError;
      expect(error).toBeInstanceOf(SlsError);
      expect(error.message).toMatch(new RegExp(`change set sls-ts-\\d+ was accepted but never started: it is ${status} \\(superseded by another change set\\)`));
      expect(error.hint).toMatch(hint);
    });
  }

  it('still follows an execution that starts after the lag while the change set says EXECUTE_IN_PROGRESS', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
    aws.execution = { status: 'EXECUTE_IN_PROGRESS' };
    const result = await deploy(impatientContext(), { yes: true });
    expect(result.outcome).toBe('deployed');
  });

  it('does not call a real failure "never started" when its events show the update ran', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ...FULL_OUTPUTS });
    aws.onExecute = () => {
      // Seen together with the stack's own events once the lag is over, as on AWS: the execution failed after it ran.
      aws.execution = { status: 'EXECUTE_FAILED' };
      aws.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'),
        stackEvent({ LogicalResourceId: 'PostsControllerFunction', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'Memory size too large' }),
        selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'), selfEvent('UPDATE_ROLLBACK_COMPLETE'));
      aws.setStack('UPDATE_ROLLBACK_COMPLETE');
    };
    const error = (await deploy(impatientContext(), { yes: true }).catch((e: unknown) => e)) as DeployFailedError;
    expect(error).toBeInstanceOf(DeployFailedError);
    expect(error.message).toContain('Memory size too large');
  });
});
