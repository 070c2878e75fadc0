import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLambdaContext, lambdaEnvironment } from '../../../src/runtime/context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('createLambdaContext', () => {
  it('item 87: context properties have the runtime formats', () => {
    const context = createLambdaContext({
      functionName: 'blog-dev-posts',
      memoryMB: 512,
      region: 'eu-west-1',
      accountId: '111122223333',
      startedAt: Date.UTC(2026, 10, 27, 12, 0, 0),
    });
    expect(context.functionName).toBe('blog-dev-posts');
    expect(context.functionVersion).toBe('$LATEST');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:blog-dev-posts');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.awsRequestId).toMatch(UUID);
    expect(context.logGroupName).toBe('/aws/lambda/blog-dev-posts');
    expect(context.logStreamName).toMatch(/^2026\/11\/27\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(context.identity).toBeUndefined();
    expect(context.clientContext).toBeUndefined();
  });

  it('item 87: memoryLimitInMB is a string defaulting to 1024; awsRequestId is fresh per context', () => {
    const a = createLambdaContext({ functionName: 'f' });
    const b = createLambdaContext({ functionName: 'f' });
    expect(a.memoryLimitInMB).toBe('1024');
    expect(typeof a.memoryLimitInMB).toBe('string');
    expect(a.awsRequestId).not.toBe(b.awsRequestId);
    expect(createLambdaContext({ functionName: 'f', requestId: 'given' }).awsRequestId).toBe('given');
  });

  it('item 88: getRemainingTimeInMillis starts at or below the timeout and decreases', async () => {
    const context = createLambdaContext({ functionName: 'f', timeoutSeconds: 2 });
    const first = context.getRemainingTimeInMillis();
    expect(first).toBeLessThanOrEqual(2000);
    expect(first).toBeGreaterThan(1900);
    await sleep(25);
    const second = context.getRemainingTimeInMillis();
    expect(second).toBeLessThan(first);
    expect(first - second).toBeGreaterThanOrEqual(20);
  });

  it('item 88: the default timeout is 3 s and the remaining time never goes negative', () => {
    const fresh = createLambdaContext({ functionName: 'f' });
    expect(fresh.getRemainingTimeInMillis()).toBeGreaterThan(2900);
    expect(fresh.getRemainingTimeInMillis()).toBeLessThanOrEqual(3000);
    const expired = createLambdaContext({ functionName: 'f', timeoutSeconds: 1, startedAt: Date.now() - 5000 });
    expect(expired.getRemainingTimeInMillis()).toBe(0);
    const halfway = createLambdaContext({ functionName: 'f', timeoutSeconds: 10, startedAt: Date.now() - 4000 });
    expect(halfway.getRemainingTimeInMillis()).toBeGreaterThan(5500);
    expect(halfway.getRemainingTimeInMillis()).toBeLessThanOrEqual(6000);
  });
});

describe('lambdaEnvironment', () => {
  it('item 89: reserved variables are present with Lambda formats', () => {
    const env = lambdaEnvironment({
      functionName: 'blog-dev-posts',
      memoryMB: 256,
      region: 'eu-west-1',
      handler: 'posts.handler',
      runtime: 'nodejs20.x',
    });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'blog-dev-posts',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/blog-dev-posts',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'posts.handler',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('item 89: defaults to nodejs22.x, 1024 MB and index.handler; every value is a string', () => {
    const env = lambdaEnvironment({ functionName: 'f' });
    expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs22.x');
    expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('1024');
    expect(env._HANDLER).toBe('index.handler');
    expect(Object.values(env).every((value) => typeof value === 'string')).toBe(true);
  });

  it('items 87 & 89: the context and environment agree on a shared log stream', () => {
    const logStreamName = '2026/11/27/[$LATEST]0123456789abcdef0123456789abcdef';
    const env = lambdaEnvironment({ functionName: 'f', logStreamName, memoryMB: 128 });
    const context = createLambdaContext({ functionName: 'f', logStreamName, memoryMB: 128 });
    expect(context.logStreamName).toBe(env.AWS_LAMBDA_LOG_STREAM_NAME);
    expect(context.memoryLimitInMB).toBe(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  });
});
