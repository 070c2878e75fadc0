// `sls-ts build` with api: 'http' on the guarded fixture: the router's v2 checks stop a route an
// HTTP API cannot serve (an API key) at its line in config/routes.ts, and an app without one
// builds into a manifest whose templates are an HTTP API with its JWT and Lambda authorizers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, generateTemplates, SlsError } from '../../../src/index.js';
import { configFor, copyApp, createScratch, fixture, useHttpApiConfig } from './support.js';

const scratch = createScratch();
afterAll(() => scratch.cleanup());

describe("build with api: 'http'", () => {
  let root: string;
  beforeAll(() => {
    root = copyApp(fixture('guarded'), scratch.dir);
    useHttpApiConfig(root);
  });

  it('refuses a route that requires an API key, naming its line in config/routes.ts', async () => {
    const error = await build({ config: await configFor(root) }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlsError);
    const diagnostics = (error as SlsError).diagnostics;
    // Beside the REST check's own line about the missing usage plans.
    expect(diagnostics).toContainEqual(expect.objectContaining({
      text: expect.stringMatching(/^GET \/partner → home#partner \(config\/routes\.ts:\d+\): apiKey: true cannot be served with api: 'http'/),
      file: join(root, 'config', 'routes.ts'),
      line: expect.any(Number),
    }));
  }, 120_000);

  it('builds the app without it into an HTTP API guarded by JWT, REQUEST and IAM authorizers', async () => {
    const routes = join(root, 'config', 'routes.ts');
    writeFileSync(routes, readFileSync(routes, 'utf8').replace(/^.*apiKey: true.*\n/m, ''));
    const config = await configFor(root);
    const { manifest } = await build({ config });
    const { root: template } = generateTemplates({ config, manifest });
    const resources = Object.values(template.Resources);
    expect(resources.filter((r) => r.Type.startsWith('AWS::ApiGateway::'))).toEqual([]);
    const authorizers = resources.filter((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer').map((r) => [r.Properties['Name'], r.Properties['AuthorizerType']]);
    expect(authorizers.sort()).toEqual([['admin', 'REQUEST'], ['members', 'JWT'], ['scoped', 'REQUEST'], ['session', 'REQUEST']]);
    const routeAuth = Object.fromEntries(resources.filter((r) => r.Type === 'AWS::ApiGatewayV2::Route').map((r) => [r.Properties['RouteKey'], r.Properties['AuthorizationType']]));
    expect(routeAuth).toMatchObject({ 'GET /health': 'NONE', 'GET /reports': 'JWT', 'GET /signed': 'AWS_IAM', 'GET /ping': 'CUSTOM', 'GET /admin/users': 'CUSTOM' });
  }, 120_000);
});
