import { DescribeStackEventsCommand, DescribeStacksCommand, type DescribeStackEventsCommandInput } from '@aws-sdk/client-cloudformation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { createDeployContext, type DeployEvent } from '../../../src/deploy/index.js';
import { followStack, readNewEvents } from '../../../src/deploy/monitor.js';
import { STACK, STACK_ID, createFakeAws, selfEvent, stackEvent, type FakeAws } from './fake-aws.js';

const config = { name: 'example-app', stage: 'dev', region: 'us-east-1', tags: {} } as unknown as ResolvedConfig;
let aws: FakeAws;

beforeEach(() => {
  aws = createFakeAws();
});
afterEach(() => aws.restore());

describe('following stack events', () => {
  it('pages back through DescribeStackEvents until it reaches events it has seen', async () => {
    const old = stackEvent({ LogicalResourceId: 'Old', ResourceStatus: 'UPDATE_COMPLETE' });
    const fresh = Array.from({ length: 5 }, (_, i) => stackEvent({ LogicalResourceId: `R${i}`, ResourceStatus: 'CREATE_COMPLETE' }));
    const newestFirst = [...fresh].reverse();
    const pages = [newestFirst.slice(0, 2), newestFirst.slice(2, 4), [newestFirst[4]!, old], [stackEvent({ LogicalResourceId: 'Ancient', ResourceStatus: 'CREATE_COMPLETE' })]];
    const inputs: DescribeStackEventsCommandInput[] = [];
    aws.cfn.on(DescribeStackEventsCommand).callsFake((input: DescribeStackEventsCommandInput) => {
      inputs.push(input);
      const index = input.NextToken ? Number(input.NextToken) : 0;
      return { StackEvents: pages[index], NextToken: String(index + 1) };
    });
    const ctx = createDeployContext({ config, pollDelayMs: 0, env: {} });
    const events = await readNewEvents(ctx, STACK, { path: [] }, new Set([old.EventId!]));
    expect(events.map((event) => event.logicalId)).toEqual(['R0', 'R1', 'R2', 'R3', 'R4']);
    // Stopped at the page holding the seen event: the fourth page was never asked for.
    expect(inputs.map((input) => input.NextToken)).toEqual([undefined, '1', '2']);
  });

  it('counts each finished resource once, nested stacks included, and discovers nested stacks from their parent', async () => {
    const nestedId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/example-app-dev-Api-1/9';
    aws.addEvents(STACK,
      selfEvent('UPDATE_IN_PROGRESS'),
      stackEvent({ LogicalResourceId: 'ApiStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: nestedId, ResourceStatus: 'UPDATE_IN_PROGRESS' }),
      stackEvent({ LogicalResourceId: 'ApiStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: nestedId, ResourceStatus: 'UPDATE_COMPLETE' }),
      selfEvent('UPDATE_COMPLETE'));
    aws.addEvents(nestedId,
      selfEvent('UPDATE_IN_PROGRESS', nestedId, 'example-app-dev-Api-1'),
      stackEvent({ StackId: nestedId, LogicalResourceId: 'Method', ResourceType: 'AWS::ApiGateway::Method', ResourceStatus: 'UPDATE_IN_PROGRESS' }),
      stackEvent({ StackId: nestedId, LogicalResourceId: 'Method', ResourceType: 'AWS::ApiGateway::Method', ResourceStatus: 'UPDATE_COMPLETE' }),
      selfEvent('UPDATE_COMPLETE', nestedId, 'example-app-dev-Api-1'));
    aws.setStack('UPDATE_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS']);
    const emitted: DeployEvent[] = [];
    const ctx = createDeployContext({ config, pollDelayMs: 0, env: {}, onEvent: (event) => emitted.push(event) });
    const result = await followStack(ctx, { seen: new Set() }, 2);
    expect(result.status).toBe('UPDATE_COMPLETE');
    const resources = emitted.flatMap((event) => (event.type === 'resource' ? [event] : []));
    expect(resources.at(-1)).toMatchObject({ done: 2, total: 2 });
    expect(resources.find((event) => event.event.logicalId === 'Method')!.event.stackPath).toEqual(['ApiStack']);
    expect(new Set(resources.map((event) => event.event.id)).size).toBe(resources.length);
  });

  it('reads a finished nested stack again when its parent rolls it back', async () => {
    const nestedId = 'arn:aws:cloudformation:us-east-1:123456789012:stack/example-app-dev-Api-1/9';
    const nestedSelf = (status: string) => selfEvent(status, nestedId, 'example-app-dev-Api-1');
    const apiStack = (status: string) => stackEvent({ LogicalResourceId: 'ApiStack', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: nestedId, ResourceStatus: status });
    aws.addEvents(STACK, selfEvent('UPDATE_IN_PROGRESS'), apiStack('UPDATE_IN_PROGRESS'));
    aws.addEvents(nestedId, nestedSelf('UPDATE_IN_PROGRESS'), nestedSelf('UPDATE_COMPLETE'));
    aws.addEvents(STACK, apiStack('UPDATE_COMPLETE'), stackEvent({ LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'UPDATE_FAILED', ResourceStatusReason: 'boom' }), selfEvent('UPDATE_ROLLBACK_IN_PROGRESS'));
    aws.setStack('UPDATE_ROLLBACK_COMPLETE', ['UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS']);
    let described = 0;
    aws.cfn.on(DescribeStacksCommand).callsFake(() => {
      // The rollback reaches the nested stack only after it had finished its update.
      if (++described === 3) {
        aws.addEvents(STACK, apiStack('UPDATE_IN_PROGRESS'));
        aws.addEvents(nestedId, nestedSelf('UPDATE_ROLLBACK_IN_PROGRESS'), nestedSelf('UPDATE_ROLLBACK_COMPLETE'));
        aws.addEvents(STACK, apiStack('UPDATE_COMPLETE'), selfEvent('UPDATE_ROLLBACK_COMPLETE'));
      }
      const status = aws.stack!.upcoming.shift() ?? aws.stack!.status;
      return { Stacks: [{ StackName: STACK, StackId: STACK_ID, StackStatus: status, CreationTime: new Date() }] };
    });
    const ctx = createDeployContext({ config, pollDelayMs: 0, env: {} });
    const result = await followStack(ctx, { seen: new Set() }, 2);
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const nestedStatuses = result.events.filter((event) => event.stackId === nestedId && event.logicalId === 'example-app-dev-Api-1').map((event) => event.status);
    expect(nestedStatuses).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
  });
});
