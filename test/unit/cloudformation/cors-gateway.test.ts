// CORS on what API Gateway answers by itself: its 4XX/5XX gateway responses (an unknown route's
// 403, a failed function's 502, a timeout's 504) and the preflight MOCK under `*/*` binary types.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTemplates, type GeneratedTemplates } from '../../../src/cloudformation/index.js';
import { expectCfnLintClean, templatesOf } from '../../support/cfn-lint.js';
import { preloadResourceSpec } from '../../support/cfn-validator.js';
import { allResources, assertAllValid, largeApp, makeConfig, makeManifest, ofType, SMALL_APP, type RouteSpec } from './fixtures.js';

beforeAll(() => preloadResourceSpec(), 30_000);

function generate(user: Parameters<typeof makeConfig>[0], layout: 'controller' | 'single' = 'controller', split?: 'always'): GeneratedTemplates {
  const config = makeConfig(user);
  return generateTemplates({ config, manifest: makeManifest(config, SMALL_APP, layout), ...(split ? { split } : {}) });
}

const gatewayResponses = (result: GeneratedTemplates) => Object.fromEntries(ofType(result, 'AWS::ApiGateway::GatewayResponse'));

describe('API Gateway\'s own error answers with cors on', () => {
  const star = generate({ cors: true });
  const listed = generate({ cors: { origins: ['https://app.example', 'https://admin.example'], credentials: true } });

  it('carry Access-Control-Allow-Origin * on DEFAULT_4XX and DEFAULT_5XX for origins *', () => {
    assertAllValid(star);
    expect(gatewayResponses(star)).toEqual({
      GatewayResponseDefault4XX: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: { RestApiId: { Ref: 'RestApi' }, ResponseType: 'DEFAULT_4XX', ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      },
      GatewayResponseDefault5XX: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: { RestApiId: { Ref: 'RestApi' }, ResponseType: 'DEFAULT_5XX', ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      },
    });
  });

  it('name the first listed origin, statically, and allow credentials when set', () => {
    assertAllValid(listed);
    for (const response of Object.values(gatewayResponses(listed))) {
      expect(response.Properties.ResponseParameters).toEqual({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
      });
    }
    expect(Object.keys(gatewayResponses(listed)).sort()).toEqual(['GatewayResponseDefault4XX', 'GatewayResponseDefault5XX']);
  });

  it('are left as API Gateway has them when cors is off', () => {
    expect(gatewayResponses(generate({}))).toEqual({});
  });

  it('reach the stage: the Deployment waits for them', () => {
    const [, deployment] = ofType(star, 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(['GatewayResponseDefault4XX', 'GatewayResponseDefault5XX']));
  });

  it('reach the stage: a change to them alone gets a new Deployment', () => {
    // Every resource answers its own OPTIONS, so no preflight MOCK shows the CORS settings: only
    // the gateway responses differ between these configs.
    const app = { routes: [['OPTIONS', '/health', 'health#preflight'], ['OPTIONS', '/posts', 'posts#preflight']] as RouteSpec[] };
    const hashOf = (origins: string[]) => {
      const config = makeConfig({ cors: { origins } });
      const result = generateTemplates({ config, manifest: makeManifest(config, app) });
      expect(ofType(result, 'AWS::ApiGateway::Method').filter(([, method]) => method.Properties.Integration?.Type === 'MOCK')).toEqual([]);
      return result.root.Outputs!['RouteHash']!.Value;
    };
    expect(hashOf(['https://one.example'])).not.toBe(hashOf(['https://two.example']));
  });

  it('reach the stage when the app is split into nested stacks: they stay in the root, beside the Deployment that waits for them', () => {
    const nested = generate({ cors: true }, 'controller', 'always');
    expect(nested.children.length).toBeGreaterThan(0);
    assertAllValid(nested);
    const where = allResources(nested);
    expect(where.get('GatewayResponseDefault4XX')?.template).toBe('root');
    expect(where.get('GatewayResponseDefault5XX')?.template).toBe('root');
    const [, deployment] = ofType(nested, 'AWS::ApiGateway::Deployment')[0]!;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(['GatewayResponseDefault4XX', 'GatewayResponseDefault5XX']));
  });
});

describe('the preflight MOCK', () => {
  it('converts its payload to text, so it still answers 204 when every media type is binary (*/*)', () => {
    const result = generate({ cors: true, binaryMediaTypes: ['*/*'] });
    assertAllValid(result);
    const preflights = ofType(result, 'AWS::ApiGateway::Method').filter(([, method]) => method.Properties.Integration?.Type === 'MOCK');
    expect(preflights.length).toBeGreaterThan(0);
    for (const [, method] of preflights) {
      expect(method.Properties.Integration).toMatchObject({ ContentHandling: 'CONVERT_TO_TEXT', IntegrationResponses: [{ StatusCode: '204', ContentHandling: 'CONVERT_TO_TEXT' }] });
    }
  });
});

it('passes cfn-lint: CORS on, for * and for listed origins with credentials, binary */*, single layout, nested stacks', async () => {
  const scaleConfig = makeConfig({ cors: { origins: ['https://app.example', 'https://admin.example'], credentials: true }, binaryMediaTypes: ['*/*'] });
  await expectCfnLintClean([
    ...templatesOf('star', generate({ cors: true, binaryMediaTypes: ['*/*'] })),
    ...templatesOf('listed', generate({ cors: { origins: ['https://app.example', 'https://admin.example'], credentials: true } })),
    ...templatesOf('single', generate({ cors: true, binaryMediaTypes: ['*/*'] }, 'single')),
    ...templatesOf('nested', generateTemplates({ config: scaleConfig, manifest: makeManifest(scaleConfig, largeApp(3)), split: 'always' })),
  ]);
}, 120_000);
