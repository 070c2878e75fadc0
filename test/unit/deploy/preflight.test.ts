import { ContinueUpdateRollbackCommand, CreateChangeSetCommand, CreateStackCommand, DeleteStackCommand, ExecuteChangeSetCommand, RollbackStackCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { deploy, type DeployEvent } from '../../../src/deploy/index.js';
import { SlsError } from '../../../src/shared/errors.js';
import type { FakeAws } from './fake-aws.js';
import { captureOutput, useDeployFixtures, eventTypes, testContext, type ScratchApp, runCli } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

function commandOrder(): string[] {
  return aws.cfn.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
}

describe('pre-flight', () => {
  it('deletes a ROLLBACK_COMPLETE stack (a failed first deploy), waits, and deploys from scratch', async () => {
    aws.setStack('ROLLBACK_COMPLETE', [], {}, 'The following resource(s) failed to create: [ArtifactsBucket].');
    aws.cfn.on(DeleteStackCommand).callsFake(() => {
      aws.setStack('DELETE_COMPLETE', ['DELETE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'GONE']);
      return {};
    });
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });

    expect(result.outcome).toBe('deployed');
    expect(result.firstDeploy).toBe(true);
    const order = commandOrder();
    expect(order.indexOf('DeleteStack')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('DeleteStack')).toBeLessThan(order.indexOf('CreateStack'));
    expect(events[0]).toEqual({ type: 'stack-found', stackName: 'example-app-dev', status: 'ROLLBACK_COMPLETE' });
    expect(events).toContainEqual({ type: 'stack-waiting', stackName: 'example-app-dev', status: 'DELETE_IN_PROGRESS', phase: 'deleting-failed-create' });
    expect(events).toContainEqual({ type: 'stack-recovered', stackName: 'example-app-dev', from: 'ROLLBACK_COMPLETE', status: undefined });
  });

  it('waits for a stack that is *_IN_PROGRESS, then deploys', async () => {
    aws.setStack('UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'], { ArtifactsBucketName: 'bucket' });
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('deployed');
    const waits = events.filter((event) => event.type === 'stack-waiting').map((event) => (event as { status: string }).status);
    expect(waits).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']);
    expect(eventTypes(events).indexOf('stack-waiting')).toBeLessThan(eventTypes(events).indexOf('build-start'));
  });

  it('stops with a clear message under --no-wait, before building anything', async () => {
    aws.setStack('UPDATE_IN_PROGRESS');
    const events: DeployEvent[] = [];
    const error = await deploy(testContext(app.config, events), { wait: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).message).toBe('stack example-app-dev is UPDATE_IN_PROGRESS: another operation is running');
    expect((error as SlsError).hint).toMatch(/--no-wait/);
    expect(eventTypes(events)).not.toContain('build-start');
  });

  it('stops at UPDATE_ROLLBACK_FAILED without --yes, explaining how to continue', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], {}, 'PostsControllerRole failed to roll back');
    const error = (await deploy(testContext(app.config)).catch((e: unknown) => e)) as SlsError;
    expect(error).toBeInstanceOf(SlsError);
    expect(error.message).toContain('UPDATE_ROLLBACK_FAILED');
    expect(error.message).toContain('PostsControllerRole failed to roll back');
    expect(error.hint).toContain('--yes');
    expect(aws.cfn.commandCalls(ContinueUpdateRollbackCommand)).toHaveLength(0);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('asks before continuing the rollback when it may, and stops on "no"', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED');
    const questions: string[] = [];
    const error = await deploy(testContext(app.config), { confirm: async (question) => (questions.push(question), false) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect(questions).toEqual(['Stack example-app-dev is UPDATE_ROLLBACK_FAILED. Continue the rollback now?']);
  });

  it('continues the rollback with --yes, waits, and deploys', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(aws.cfn.commandCalls(ContinueUpdateRollbackCommand)).toHaveLength(1);
    expect(events).toContainEqual({ type: 'stack-waiting', stackName: 'example-app-dev', status: 'UPDATE_ROLLBACK_IN_PROGRESS', phase: 'continuing-rollback' });
    expect(events).toContainEqual({ type: 'stack-recovered', stackName: 'example-app-dev', from: 'UPDATE_ROLLBACK_FAILED', status: 'UPDATE_ROLLBACK_COMPLETE' });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it('refuses DELETE_FAILED and ROLLBACK_FAILED stacks with a hint to delete them', async () => {
    for (const status of ['DELETE_FAILED', 'ROLLBACK_FAILED']) {
      aws.setStack(status);
      const error = (await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e)) as SlsError;
      expect(error.message).toContain(status);
      expect(error.hint).toContain('sls-ts delete --yes');
    }
    expect(aws.cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
  });
});

describe('stacks left failed with rollback disabled', () => {
  it('updates an UPDATE_FAILED stack: AWS allows a new update from it', async () => {
    aws.setStack('UPDATE_FAILED', [], { ArtifactsBucketName: 'bucket' }, 'Resource handler returned message: "Memory size too large"');
    const result = await deploy(testContext(app.config), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('stops at CREATE_FAILED without --yes, naming the command that rolls it back, and changes nothing', async () => {
    aws.setStack('CREATE_FAILED', [], {}, 'The following resource(s) failed to create: [ArtifactsBucket].');
    const error = (await deploy(testContext(app.config)).catch((e: unknown) => e)) as SlsError;
    expect(error).toBeInstanceOf(SlsError);
    expect(error.message).toContain('CREATE_FAILED');
    expect(error.message).toContain('failed to create: [ArtifactsBucket]');
    expect(error.hint).toContain('sls-ts deploy --yes');
    expect(error.hint).toContain('RollbackStack');
    expect(error.hint).not.toContain('sls-ts delete');
    expect(aws.cfn.commandCalls(RollbackStackCommand)).toHaveLength(0);
  });

  it('rolls a CREATE_FAILED stack back with --yes, deletes what is left and deploys from scratch', async () => {
    aws.setStack('CREATE_FAILED', [], {});
    const result = await deploy(testContext(app.config), { yes: true });
    expect(result.outcome).toBe('deployed');
    expect(result.firstDeploy).toBe(true);
    const order = commandOrder();
    expect(order.indexOf('RollbackStack')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('RollbackStack')).toBeLessThan(order.indexOf('DeleteStack'));
    expect(order.indexOf('DeleteStack')).toBeLessThan(order.indexOf('CreateStack'));
  });
});

describe('deploy --plan', () => {
  it('changes nothing on an UPDATE_ROLLBACK_FAILED stack, even with --yes', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    const error = (await deploy(testContext(app.config), { plan: true, yes: true }).catch((e: unknown) => e)) as SlsError;
    expect(error).toBeInstanceOf(SlsError);
    expect(error.message).toContain('UPDATE_ROLLBACK_FAILED');
    expect(error.hint).toContain('sls-ts deploy --yes');
    const changing = commandOrder().filter((name) => !/^(Describe|Get|List)/.test(name));
    expect(changing).toEqual([]);
    expect(aws.cfn.commandCalls(ContinueUpdateRollbackCommand)).toHaveLength(0);
  });

  it('changes nothing on a CREATE_FAILED stack, even with --yes', async () => {
    aws.setStack('CREATE_FAILED', [], {});
    const result = await deploy(testContext(app.config), { plan: true, yes: true });
    expect(result.outcome).toBe('plan');
    const changing = commandOrder().filter((name) => !/^(Describe|Get|List)/.test(name));
    expect(changing).toEqual([]);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});

describe('continuing a failed rollback past resources that cannot roll back (--skip-resources)', () => {
  const cli = (...args: string[]) => runCli(app.root, ...args);

  it('names the resources that failed again and the exact command that skips them', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    aws.rollbackBlockers = ['PostsControllerFunction', 'ApiStack.HelloFunction'];
    const error = (await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e)) as SlsError;
    expect(error).toBeInstanceOf(SlsError);
    expect(error.message).toContain('PostsControllerFunction, ApiStack.HelloFunction');
    expect(error.message).toContain('NoSuchKey');
    expect(error.hint).toContain('sls-ts deploy --stage dev --yes --skip-resources PostsControllerFunction,ApiStack.HelloFunction');
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('passes the skipped resources to ContinueUpdateRollback and deploys', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    aws.rollbackBlockers = ['PostsControllerFunction', 'ApiStack.HelloFunction'];
    const result = await deploy(testContext(app.config), { yes: true, skipResources: ['PostsControllerFunction', 'ApiStack.HelloFunction'] });
    expect(result.outcome).toBe('deployed');
    expect(aws.calls<{ ResourcesToSkip?: string[] }>(aws.cfn, ContinueUpdateRollbackCommand)).toEqual([
      { StackName: expect.any(String), ResourcesToSkip: ['PostsControllerFunction', 'ApiStack.HelloFunction'] },
    ]);
  });

  it('takes the list from the CLI flag', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    aws.rollbackBlockers = ['PostsControllerFunction'];
    const result = await cli('deploy', '--yes', '--skip-resources', 'PostsControllerFunction');
    expect(result.code).toBe(0);
    expect(aws.calls<{ ResourcesToSkip?: string[] }>(aws.cfn, ContinueUpdateRollbackCommand)[0]?.ResourcesToSkip).toEqual(['PostsControllerFunction']);
  });

  it('refuses a malformed list as bad usage, naming the flag, before calling AWS', async () => {
    for (const value of ['', 'Posts,,Hello', 'posts-fn', 'ApiStack.']) {
      const result = await cli('deploy', '--yes', '--skip-resources', value);
      expect(result.code).toBe(2);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toContain('--skip-resources');
      expect(result.stderr[0]).toContain('expected logical ids separated by commas');
    }
    expect(aws.cfn.calls()).toHaveLength(0);
  });

  it('warns that the list is ignored when there is no failed rollback to continue', async () => {
    aws.setStack('UPDATE_COMPLETE', [], { ArtifactsBucketName: 'bucket' });
    const events: DeployEvent[] = [];
    const result = await deploy(testContext(app.config, events), { yes: true, skipResources: ['PostsControllerFunction'] });
    expect(result.outcome).toBe('deployed');
    const warnings = events.flatMap((event) => (event.type === 'warning' ? [event.diagnostic.text] : []));
    expect(warnings).toEqual([expect.stringContaining('--skip-resources is ignored: stack example-app-dev is UPDATE_COMPLETE')]);
  });

  it('refuses a malformed list from the programmatic API, naming the option', async () => {
    aws.setStack('UPDATE_ROLLBACK_FAILED', [], { ArtifactsBucketName: 'bucket' });
    const error = (await deploy(testContext(app.config), { yes: true, skipResources: ['posts-fn'] }).catch((e: unknown) => e)) as SlsError;
    expect(error).toBeInstanceOf(SlsError);
    expect(error.message).toContain('skipResources');
    expect(error.message).toContain('posts-fn');
    expect(aws.cfn.commandCalls(ContinueUpdateRollbackCommand)).toHaveLength(0);
  });
});

describe('a stack in REVIEW_IN_PROGRESS (created by a change set never executed)', () => {
  it('says what is true (no resources; deleted and created afresh), not "waiting for it to finish"', async () => {
    aws.setStack('REVIEW_IN_PROGRESS', [], {}, 'User Initiated');
    aws.changeSetSummaries = [{ ChangeSetName: 'old', Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', CreationTime: new Date(Date.now() - 3 * 24 * 3600_000) }];
    const output = captureOutput();
    const code = await run(['node', 'sls-ts', 'deploy', '--yes', '-C', app.root], output);
    expect(code).toBe(0);
    const printed = output.stderr.join('\n');
    expect(printed).not.toContain('waiting for it to finish');
    expect(printed).toContain('example-app-dev is REVIEW_IN_PROGRESS: it was created by a change set that was never executed and holds no resources');
    expect(printed).toContain('deleted example-app-dev (REVIEW_IN_PROGRESS, no resources in it): creating it afresh');
    const order = commandOrder();
    expect(order.indexOf('DeleteStack')).toBeLessThan(order.indexOf('CreateStack'));
  });

  it('refuses to delete it while another deploy is creating its first change set', async () => {
    for (const changeSet of [{ Status: 'CREATE_IN_PROGRESS' }, { Status: 'CREATE_PENDING' }, { Status: 'CREATE_COMPLETE', ExecutionStatus: 'EXECUTE_IN_PROGRESS' }] as const) {
      aws.setStack('REVIEW_IN_PROGRESS', [], {});
      aws.changeSetSummaries = [{ ChangeSetName: 'sam-deploy-1', CreationTime: new Date(), ...changeSet }];
      const error = (await deploy(testContext(app.config), { yes: true }).catch((e: unknown) => e)) as SlsError;
      expect(error).toBeInstanceOf(SlsError);
      expect(error.message).toContain('stack example-app-dev is REVIEW_IN_PROGRESS and its change set sam-deploy-1 is');
      expect(error.message).toContain('another deploy is creating this stack right now');
      expect(error.hint).toMatch(/wait/);
    }
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});
