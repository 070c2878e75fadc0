// Which declared resources each planned function links: the app's link, its controller's and
// action's, and those of everything else it serves (controller and single layouts), each once with
// the widest access any of them asks for — the way IAM statements add up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectApp, planFunctions, resolveConfig, type AppModel, type UserConfig } from '../../../src/index.js';
import { bucket, queue, table, topic } from '../../../src/config/define-config.js';
import { copyApp, createScratch, fixture } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

const readOnly = (name: string) => ({ name, readOnly: true });

// The shop fixture: alpha#show, alpha#list, beta#show, home#index, uploads#index, system#show, ping (a routed function), the nightly job.
const SHOP: UserConfig = {
  name: 'shop',
  resources: { posts: table({ key: 'id' }), files: bucket(), mail: queue(), alerts: topic() },
  link: [readOnly('posts')],
  controllers: {
    alpha: { link: ['files'], actions: { list: { link: ['posts'] }, show: { link: [readOnly('mail')] } } },
    beta: { link: [readOnly('files')] },
  },
  functions: { ping: { link: ['alerts'] } },
  jobs: { nightly: { link: ['mail'] } },
};

describe('links of each planned function', () => {
  let root: string;
  let app: AppModel;
  const links = (layout: 'controller' | 'action' | 'single', key: string) =>
    planFunctions(resolveConfig(SHOP, { stage: 'dev', root, processEnv: {} }), app, layout).find((fn) => fn.key === key)!.links;

  beforeAll(async () => {
    root = copyApp(fixture('shop'), scratch.dir);
    app = (await inspectApp(root)).app!;
  });

  it("action layout: the app's, the controller's and the action's own, read-write where any of them is", () => {
    expect(links('action', 'alpha-controller-list')).toEqual([{ name: 'files', readOnly: false }, { name: 'posts', readOnly: false }]);
    expect(links('action', 'alpha-controller-show')).toEqual([{ name: 'files', readOnly: false }, { name: 'mail', readOnly: true }, { name: 'posts', readOnly: true }]);
  });

  it("controller layout: what every action it serves links; other controllers keep the app's read-only link", () => {
    expect(links('controller', 'alpha-controller')).toEqual([
      { name: 'files', readOnly: false },
      { name: 'mail', readOnly: true },
      { name: 'posts', readOnly: false },
    ]);
    expect(links('controller', 'beta-controller')).toEqual([{ name: 'files', readOnly: true }, { name: 'posts', readOnly: true }]);
    expect(links('controller', 'home-controller')).toEqual([{ name: 'posts', readOnly: true }]);
  });

  it('single layout: the union of every controller, action and routed function', () => {
    expect(links('single', 'controller')).toEqual([
      { name: 'alerts', readOnly: false },
      { name: 'files', readOnly: false },
      { name: 'mail', readOnly: true },
      { name: 'posts', readOnly: false },
    ]);
  });

  it('jobs and plain functions: their own links and the app\'s', () => {
    expect(links('controller', 'nightly-job')).toEqual([{ name: 'mail', readOnly: false }, { name: 'posts', readOnly: true }]);
    expect(links('controller', 'ping')).toEqual([{ name: 'alerts', readOnly: false }, { name: 'posts', readOnly: true }]);
  });
});
