import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyApp, createScratch, exampleApp, fixture, installS3Stub, repoRoot } from '../unit/build/support.js';

const bin = join(repoRoot, 'bin', 'sls-ts.js');
const scratch = createScratch();
afterAll(() => scratch.cleanup());

function slsTs(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
}

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe('sls-ts routes', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp(exampleApp, scratch.dir);
  });

  it('prints the route table and exits 0', () => {
    const result = slsTs('routes', '-C', app);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    // example-app guards its admin namespace: the table gets a Guard column.
    expect(lines[0]).toMatch(/^Verb\s+Path\s+Target\s+Function\s+Guard\s+Source$/);
    expect(lines[1]).toMatch(/^-+(\s+-+){5}$/);
    // 15 HTTP routes, then the chat channel's five route keys.
    expect(lines).toHaveLength(2 + 15 + 5);
    expect(lines.at(-1)).toMatch(/^WS\s+\/chat say\s+chat#say\s+example-app-dev-chat-channel\s+app\/channels\/chat-channel\.ts$/);
    expect(lines).toContainEqual(expect.stringMatching(/^GET\s+\/posts\/:id\s+posts#show\s+example-app-dev-posts-controller\s+config\/routes\.ts:6$/));
    expect(lines).toContainEqual(expect.stringMatching(/^POST\s+\/uploads\s+uploads#create\s+example-app-dev-uploads-controller\s+config\/routes\.ts:8$/));
    expect(lines).toContainEqual(expect.stringMatching(/^GET\s+\/hello\/:name\s+function:hello\s+example-app-dev-hello\s+config\/routes\.ts:10$/));
    expect(lines).toContainEqual(expect.stringMatching(/^DELETE\s+\/admin\/posts\s+admin\/stats#purge\s+example-app-dev-admin-stats-controller\s+admin\s+config\/routes\.ts:\d+$/));
    expect(result.stdout).not.toContain('\u001b[');
  });

  // Checking the routes loads the app's modules as Lambda's nodejs22.x would, where the AWS SDK
  // never prints its notice about the host's Node version; on an older host it must not either.
  it("keeps the AWS SDK's host-Node notice out, for an app that makes SDK clients when it loads", () => {
    const dataApp = copyApp(join(repoRoot, 'test', 'fixtures', 'data-app'), scratch.dir);
    const result = slsTs('routes', '-C', dataApp);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(result.status).toBe(0);
  });

  it('prints parseable rows with --json', () => {
    const result = slsTs('routes', '-C', app, '--json');
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, string>>;
    expect(rows).toHaveLength(15 + 5);
    expect(rows.filter((row) => row.method === 'WS').map((row) => row.resource)).toEqual(['$connect', '$disconnect', '$default', 'nick', 'say']);
    expect(rows[0]).toEqual({ method: 'GET', path: '/', resource: '/', target: 'home#index', functionName: 'example-app-dev-home-controller', source: 'config/routes.ts:4' });
    expect(rows.find((row) => row.target === 'posts#update' && row.method === 'PUT')).toMatchObject({ path: '/posts/:id', resource: '/posts/{id}', functionName: 'example-app-dev-posts-controller' });
  });

  it("lists each WebSocket channel's route keys after the HTTP routes, with the channel's function, file and $connect guard", () => {
    const channelsApp = copyApp(join(repoRoot, 'test', 'fixtures', 'channels-app'), scratch.dir);
    writeFileSync(join(channelsApp, 'app', 'channels', 'desk-channel.ts'), "import { Channel } from 'sls-ts';\nexport default class DeskChannel extends Channel {\n  static override auth = 'iam';\n  ask() {}\n}\n");
    const result = slsTs('routes', '-C', channelsApp);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Verb\s+Path\s+Target\s+Function\s+Guard\s+Source$/);
    expect(lines[2]).toMatch(/^GET\s+\/health\s+function:health\s/);
    expect(lines).toContainEqual(expect.stringMatching(/^WS\s+\/chat \$connect\s+chat#connect\s+channels-app-dev-chat-channel\s+app\/channels\/chat-channel\.ts$/));
    expect(lines).toContainEqual(expect.stringMatching(/^WS\s+\/rooms rooms\/join\s+rooms#rooms\/join\s+channels-app-dev-rooms-channel\s+app\/channels\/rooms-channel\.ts$/));
    // The guard stands on $connect only; the desk's action is reached through an authorized connection.
    expect(lines).toContainEqual(expect.stringMatching(/^WS\s+\/desk \$connect\s+desk#connect\s+channels-app-dev-desk-channel\s+iam\s+app\/channels\/desk-channel\.ts$/));
    expect(lines).toContainEqual(expect.stringMatching(/^WS\s+\/desk ask\s+desk#ask\s+channels-app-dev-desk-channel\s+app\/channels\/desk-channel\.ts$/));
    const rows = JSON.parse(slsTs('routes', '-C', channelsApp, '--json').stdout) as Array<Record<string, string>>;
    expect(rows.filter((row) => row.method === 'WS')).toHaveLength(8 + 1 + 2);
    expect(rows.find((row) => row.channel === 'desk' && row.resource === '$connect')).toEqual({ method: 'WS', path: '/desk', resource: '$connect', target: 'desk#connect', functionName: 'channels-app-dev-desk-channel', channel: 'desk', source: 'app/channels/desk-channel.ts', auth: 'iam' });
  });

  it('names the functions of the chosen layout and stage', () => {
    const single = JSON.parse(slsTs('routes', '-C', app, '--json', '--layout', 'single', '--stage', 'prod').stdout) as Array<{ functionName: string }>;
    // The single layout puts every HTTP route in one function; a channel keeps its own.
    expect(new Set(single.map((row) => row.functionName))).toEqual(new Set(['example-app-prod-controller', 'example-app-prod-chat-channel']));
    const action = JSON.parse(slsTs('routes', '-C', app, '--json', '--layout', 'action').stdout) as Array<{ target: string; functionName: string }>;
    expect(action.find((row) => row.target === 'posts#show')!.functionName).toBe('example-app-dev-posts-controller-show');
  });

  it('exits 1 with one clear line per problem, naming config/routes.ts:<line>, and no stack trace', () => {
    const result = slsTs('routes', '-C', copyApp(fixture('broken'), scratch.dir));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines.every((line) => line.startsWith('error '))).toBe(true);
    const routeLines = lines.filter((line) => line.includes('config/routes.ts'));
    expect(routeLines).toHaveLength(5);
    for (const [line, target] of [[5, 'ghost#index'], [6, 'plain#index'], [7, 'pages#nope'], [8, 'function:nowhere'], [9, 'function:headless']] as const) {
      expect(routeLines).toContainEqual(expect.stringMatching(new RegExp(`config/routes\\.ts:${line}: GET /\\S+ → ${target} \\(config/routes\\.ts:${line}\\): `)));
    }
    expect(lines).toContainEqual(expect.stringContaining('PagesController has no action "nope" — its actions are list, show'));
    expect(lines).toContainEqual(expect.stringContaining('app/jobs/impostor-job.ts is not a Job class'));
    expect(lines).toContainEqual(expect.stringMatching(/app\/jobs\/too-often-job\.ts failed to load: rate\("30 seconds"\).* — EventBridge runs schedules at most once a minute, e\.g\. rate\(1 minute\)$/));
  });

  it('exits 1 on an API Gateway path-rule violation, naming both routes', () => {
    const result = slsTs('routes', '-C', copyApp(fixture('route-conflict'), scratch.dir));
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/config\/routes\.ts:5: GET \/items\/:slug\/reviews → items#reviews \(config\/routes\.ts:5\): path variable "\{slug\}" conflicts with "\{id\}" at the same level in GET \/items\/:id → items#show \(config\/routes\.ts:4\)/);
  });

  it('exits 1 when routes.ts does not default-export defineRoutes', () => {
    const result = slsTs('routes', '-C', copyApp(fixture('bad-routes-export'), scratch.dir));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/config\/routes\.ts: config\/routes\.ts must `export default defineRoutes\(\.\.\.\)`\n$/);
  });

  it('names the controller importing a package that is not installed', () => {
    const app = copyApp(fixture('route-conflict'), scratch.dir);
    const file = join(app, 'app', 'controllers', 'items-controller.ts');
    writeFileSync(file, `import { SlsTsMissing } from '@aws-sdk/client-sls-ts-missing';\nvoid SlsTsMissing;\n${readFileSync(file, 'utf8')}`);
    const result = slsTs('routes', '-C', app);
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).toContain('app/controllers/items-controller.ts imports @aws-sdk/client-sls-ts-missing, which is not installed — install it (npm install @aws-sdk/client-sls-ts-missing)');
    expect(result.stderr).not.toContain('.sls-ts/tmp');
  });

  it('lists the routes of the shop fixture once the package is installed', () => {
    const shop = copyApp(fixture('shop'), scratch.dir);
    installS3Stub(shop);
    const result = slsTs('routes', '-C', shop, '--json');
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ target: string }>).map((row) => row.target)).toEqual(['home#index', 'alpha#show', 'alpha#list', 'beta#show', 'uploads#index', 'system#show', 'function:ping']);
  });

  it('exits 1 with the looked-for names when there is no config', () => {
    const result = slsTs('routes', '-C', scratch.dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no sls-ts config in ${scratch.dir} or any folder above it (looked for sls-ts.config.ts, sls-ts.config.mts, sls-ts.config.js, sls-ts.config.mjs)`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('sls-ts routes on a guarded app', () => {
  it('adds a Guard column naming each route\'s authorizer, scopes and API key; --json carries them', () => {
    const app = copyApp(fixture('guarded'), scratch.dir);
    const table = slsTs('routes', '-C', app);
    expect(table.status).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Verb\s+Path\s+Target\s+Function\s+Guard\s+Source$/);
    expect(lines.find((line) => line.includes('/admin/users '))).toMatch(/admin\/users#index\s+guarded-dev-admin-users-controller\s+admin\s+config\/routes\.ts:/);
    expect(lines.find((line) => line.includes('/reports'))).toMatch(/members \[reports\/read\]/);
    expect(lines.find((line) => line.includes('/partner'))).toMatch(/API key/);
    const rows = JSON.parse(slsTs('routes', '-C', app, '--json').stdout) as Array<{ path: string; auth?: string; apiKey?: boolean }>;
    expect(rows.find((row) => row.path === '/admin/open')).not.toHaveProperty('auth');
    expect(rows.find((row) => row.path === '/signed')).toMatchObject({ auth: 'iam' });
    expect(rows.find((row) => row.path === '/partner')).toMatchObject({ apiKey: true });
  }, 60_000);
});
