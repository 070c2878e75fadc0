import { describe, expect, it } from 'vitest';
import { createProgressView, printChanges, printDeployResult } from '../../../src/cli/commands/deploy.js';
import type { DeployEvent, ResourceChange, StackEventInfo } from '../../../src/deploy/index.js';
import { captureOutput } from './support.js';

const resource = (logicalId: string, status: string, reason?: string): StackEventInfo => ({
  id: `${logicalId}-${status}`, timestamp: new Date(0), stackId: 'arn:stack', stackPath: [], logicalId, type: 'AWS::Lambda::Function', status, ...(reason && { reason }),
});

describe('deploy progress in CI (not a TTY)', () => {
  it('prints plain lines: no carriage returns, no escape codes, finished resources with counts', () => {
    const output = captureOutput();
    const view = createProgressView(output, { live: false });
    const events: DeployEvent[] = [
      { type: 'stack-found', stackName: 'app-dev', status: undefined },
      { type: 'build-start' },
      { type: 'build-done', functions: 3, durationMs: 120, warnings: [] },
      { type: 'upload-start', files: 4 },
      { type: 'upload-file', key: 'artifacts/a.zip', bytes: 10, skipped: false, done: 1, total: 4 },
      { type: 'upload-done', uploaded: 1, skipped: 3, bytes: 2048 },
      { type: 'execute-start', total: 2 },
      { type: 'resource', event: resource('PostsFunction', 'UPDATE_IN_PROGRESS'), done: 0, total: 2 },
      { type: 'resource', event: resource('PostsFunction', 'UPDATE_COMPLETE'), done: 1, total: 2 },
      { type: 'resource', event: resource('HomeFunction', 'UPDATE_FAILED', 'Resource update cancelled'), done: 1, total: 2 },
      { type: 'resource', event: resource('JobFunction', 'CREATE_FAILED', 'boom'), done: 1, total: 2 },
      { type: 'stack-done', stackName: 'app-dev', status: 'UPDATE_ROLLBACK_COMPLETE' },
    ];
    for (const event of events) view.onEvent(event);
    view.stop();
    expect(output.stderr).toEqual([
      'app-dev: first deploy',
      '✓ built 3 functions in 120 ms',
      '✓ uploaded 1 file (2.0 KB), 3 unchanged',
      'deploying 2 changes…',
      '  [1/2] UPDATE_COMPLETE PostsFunction (AWS::Lambda::Function)',
      'CREATE_FAILED JobFunction (AWS::Lambda::Function): boom',
    ]);
    expect(output.stderr.join('')).not.toMatch(/[\r\u001b]/);
  });

  it('says when removed routes take a first update of their own, naming a few of the methods', () => {
    const output = captureOutput();
    const view = createProgressView(output, { live: false });
    const removed = ['ApiMethodAGet', 'ApiMethodBGet', 'ApiMethodCGet', 'ApiMethodDGet', 'PathsStack/ApiMethodEGet', 'ApiMethodFGet', 'ApiMethodGGet'];
    view.onEvent({ type: 'routes-removing', removed, deploymentId: 'ApiDeploymentabc' });
    view.stop();
    expect(output.stderr).toEqual([
      'routes removed: deleting their API methods first (ApiMethodAGet, ApiMethodBGet, ApiMethodCGet, ApiMethodDGet, PathsStack/ApiMethodEGet and 2 more) while the stage keeps serving ApiDeploymentabc; the new routes follow in a second update',
    ]);
  });

  it('summarises a change set with replacements first and highlighted', () => {
    const output = captureOutput();
    const changes: ResourceChange[] = [
      { action: 'add', logicalId: 'NewFunction', type: 'AWS::Lambda::Function', stackPath: [], source: 'NewController' },
      { action: 'replace', logicalId: 'RestApi', type: 'AWS::ApiGateway::RestApi', stackPath: [], replacement: 'True' },
      { action: 'modify', logicalId: 'PostsFunction', type: 'AWS::Lambda::Function', stackPath: ['PostsControllerStack'], replacement: 'Conditional' },
    ];
    printChanges(output, changes);
    expect(output.stderr[0]).toBe('Changes: 1 to add, 1 to modify, 1 to replace');
    expect(output.stderr[3]).toMatch(/^ {2}± Replace\s+RestApi\s+AWS::ApiGateway::RestApi/);
    expect(output.stderr[4]).toMatch(/~ Modify \(may replace\)\s+PostsControllerStack › PostsFunction/);
    expect(output.stderr.at(-1)).toBe('  1 resource is replaced (deleted and created again)');
  });

  it('prints the API URL, the routes with full URLs and the time taken', () => {
    const output = captureOutput();
    printDeployResult(output, {
      stackName: 'app-dev', outcome: 'deployed', firstDeploy: false, changes: [], dataChanges: [], outputs: {}, apiUrl: 'https://x.execute-api.us-east-1.amazonaws.com/dev',
      routes: [{ method: 'GET', path: '/posts', url: 'https://x.execute-api.us-east-1.amazonaws.com/dev/posts', source: 'PostsController' }],
      uploaded: 1, skipped: 0, durationMs: 65_400, warnings: [],
    });
    expect(output.stdout.slice(0, 3)).toEqual(['✓ deployed app-dev in 1m 05s', 'API  https://x.execute-api.us-east-1.amazonaws.com/dev', '']);
    expect(output.stdout[3]).toMatch(/^ {2}Method\s+URL\s+From$/);
    expect(output.stdout.at(-1)).toMatch(/^ {2}GET\s+https:\/\/x\.execute-api\.us-east-1\.amazonaws\.com\/dev\/posts\s+PostsController$/);
  });

  it("prints each channel's wss:// URL after the API's", () => {
    const output = captureOutput();
    printDeployResult(output, {
      stackName: 'app-dev', outcome: 'no-changes', firstDeploy: false, changes: [], dataChanges: [], outputs: {}, apiUrl: 'https://x.execute-api.us-east-1.amazonaws.com/dev',
      routes: [], channels: [{ channel: 'chat', url: 'wss://w5x9k2.execute-api.us-east-1.amazonaws.com/dev' }],
      uploaded: 0, skipped: 0, durationMs: 1_000, warnings: [],
    });
    expect(output.stdout.slice(1)).toEqual(['API  https://x.execute-api.us-east-1.amazonaws.com/dev', 'WS  wss://w5x9k2.execute-api.us-east-1.amazonaws.com/dev  (channel chat)']);
  });
});
