// Reserved and provisioned concurrency per function, layered like memory: app < controller < action,
// and the most any part asks for in a Lambda serving several (controller and single layouts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectApp, planFunctions, resolveConfig, type AppModel, type UserConfig } from '../../../src/index.js';
import { copyApp, createScratch, fixture } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

// The shop fixture: alpha#show, alpha#list, beta#show, home#index, uploads#index, system#show, ping (a routed function).
const SHOP: UserConfig = {
  name: 'shop',
  reservedConcurrency: 100,
  controllers: {
    alpha: { reservedConcurrency: 10, actions: { list: { provisionedConcurrency: 2 }, show: { reservedConcurrency: 30, provisionedConcurrency: 4 } } },
    beta: { provisionedConcurrency: 0 },
  },
  functions: { ping: { provisionedConcurrency: 1 } },
};

describe('concurrency of planned functions', () => {
  let root: string;
  let app: AppModel;
  const byKey = (layout: 'controller' | 'action' | 'single', key: string, user: UserConfig = SHOP) =>
    planFunctions(resolveConfig(user, { stage: 'dev', root, processEnv: {} }), app, layout).find((fn) => fn.key === key)!;

  beforeAll(async () => {
    root = copyApp(fixture('shop'), scratch.dir);
    app = (await inspectApp(root)).app!;
  });

  it('action layout: each action its own, over its controller and the app', () => {
    expect(byKey('action', 'alpha-controller-list')).toMatchObject({ reservedConcurrency: 10, provisionedConcurrency: 2 });
    expect(byKey('action', 'alpha-controller-show')).toMatchObject({ reservedConcurrency: 30, provisionedConcurrency: 4 });
    expect(byKey('action', 'ping')).toMatchObject({ reservedConcurrency: 100, provisionedConcurrency: 1 });
  });

  it('controller layout: the most any of its actions asks for; 0 provisioned means none', () => {
    expect(byKey('controller', 'alpha-controller')).toMatchObject({ reservedConcurrency: 30, provisionedConcurrency: 4 });
    const beta = byKey('controller', 'beta-controller');
    expect(beta.reservedConcurrency).toBe(100);
    expect(beta).not.toHaveProperty('provisionedConcurrency');
  });

  it('single layout: the most over everything it serves', () => {
    expect(byKey('single', 'controller')).toMatchObject({ reservedConcurrency: 100, provisionedConcurrency: 4 });
  });

  it('sets neither when the config does not', () => {
    const plain = byKey('controller', 'home-controller', { name: 'shop' });
    expect(plain).not.toHaveProperty('reservedConcurrency');
    expect(plain).not.toHaveProperty('provisionedConcurrency');
  });
});
