// Function settings per layout: which memory, timeout and IAM statements a function gets when it
// serves several actions (controller layout) or every controller (single layout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectApp, planFunctions, resolveConfig, type AppModel, type UserConfig } from '../../../src/index.js';
import { copyApp, createScratch, fixture } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const READ = { Action: 's3:GetObject', Resource: 'arn:aws:s3:::alpha/*' };
const LIST = { Action: 's3:ListBucket', Resource: 'arn:aws:s3:::alpha' };
const BETA = { Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:123456789012:beta' };
const PING = { Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:123456789012:ping' };

// The shop fixture: alpha#show, alpha#list, beta#show, home#index, uploads#index, system#show, ping (a routed function).
const SHOP: UserConfig = {
  name: 'shop',
  memory: 256,
  controllers: {
    alpha: {
      memory: 512,
      iam: [READ],
      actions: {
        list: { timeout: 60, memory: 384, iam: [LIST] },
        show: { memory: 2048 },
        // Not routed: it must not raise anything.
        ghost: { memory: 10240, timeout: 900 },
      },
    },
    beta: { timeout: 20, iam: [BETA] },
  },
  functions: { ping: { timeout: 45, iam: [PING] } },
};

describe('function settings of a function serving several actions', () => {
  let root: string;
  let app: AppModel;
  const plan = (layout: 'controller' | 'action' | 'single', user: UserConfig = SHOP) =>
    planFunctions(resolveConfig(user, { stage: 'dev', root, processEnv: {} }), app, layout);
  const byKey = (layout: 'controller' | 'action' | 'single', key: string) => plan(layout).find((fn) => fn.key === key)!;

  beforeAll(async () => {
    root = copyApp(fixture('shop'), scratch.dir);
    const inspected = await inspectApp(root);
    app = inspected.app!;
  });

  it('controller layout: the largest memory and timeout among the actions it serves and the controller', () => {
    // README's own example: controllers.posts.actions.create.timeout was dropped here.
    expect(byKey('controller', 'alpha-controller')).toMatchObject({ memory: 2048, timeout: 60 });
    // The controller's own value when it is the largest; the app's for actions that set nothing.
    expect(byKey('controller', 'beta-controller')).toMatchObject({ memory: 256, timeout: 20 });
    expect(byKey('controller', 'home-controller')).toMatchObject({ memory: 256, timeout: 10 });
  });

  it('action layout: each action keeps its own settings over its controller', () => {
    expect(byKey('action', 'alpha-controller-list')).toMatchObject({ memory: 384, timeout: 60 });
    expect(byKey('action', 'alpha-controller-show')).toMatchObject({ memory: 2048, timeout: 10 });
  });

  it('single layout: the largest over every controller, action and routed function it serves', () => {
    const web = byKey('single', 'controller');
    expect(web).toMatchObject({ memory: 2048, timeout: 60 });
    expect(plan('single', { ...SHOP, functions: { ping: { timeout: 120 } } }).find((fn) => fn.key === 'controller')!.timeout).toBe(120);
  });

  it('single layout: the IAM statements of every controller, action and routed function add up', () => {
    const web = byKey('single', 'controller');
    expect(web.iam).toEqual([READ, LIST, BETA, PING]);
    expect(web.iamPaths).toEqual(['controllers.alpha.iam[0]', 'controllers.alpha.actions.list.iam[0]', 'controllers.beta.iam[0]', 'functions.ping.iam[0]']);
  });

  it('keeps where each IAM statement is written in the config', () => {
    const user: UserConfig = { ...SHOP, iam: [PING] };
    expect(plan('controller', user).find((fn) => fn.key === 'alpha-controller')!.iamPaths).toEqual(['iam[0]', 'controllers.alpha.iam[0]', 'controllers.alpha.actions.list.iam[0]']);
    expect(plan('action', user).find((fn) => fn.key === 'alpha-controller-list')!.iamPaths).toEqual(['iam[0]', 'controllers.alpha.iam[0]', 'controllers.alpha.actions.list.iam[0]']);
    expect(plan('controller', user).find((fn) => fn.key === 'ping')!.iamPaths).toEqual(['iam[0]', 'functions.ping.iam[0]']);
  });
});
