// A stage's custom domain in the templates: the DomainName, its mapping to the API's stage, the
// certificate the stack requests when none is given, the alias records, the outputs `url` reads.
import { describe, expect, it } from 'vitest';
import { generateTemplates } from '../../../src/cloudformation/index.js';
import type { UserConfig } from '../../../src/config/types.js';
import { SlsError } from '../../../src/shared/errors.js';
import { allResources, assertAllValid, makeConfig, makeManifest, ofType, SMALL_APP } from './fixtures.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
const ZONE_ID = 'Z1D633PJN98FT9';

function generate(user: Partial<UserConfig>, options: { split?: 'always'; stage?: string; routes?: boolean } = {}) {
  const config = makeConfig(user, options.stage);
  const generated = generateTemplates({ config, manifest: makeManifest(config, options.routes === false ? { routes: [], jobs: [{ name: 'cleanup', schedules: ['rate(1 day)'] }] } : SMALL_APP), ...(options.split ? { split: options.split } : {}) });
  assertAllValid(generated);
  return generated;
}

const types = (generated: ReturnType<typeof generate>) => [...allResources(generated).values()].map(({ resource }) => resource.Type as string);

describe('custom domain templates', () => {
  it('with a certificate: a regional DomainName on TLS 1.2 and a mapping to the RestApi and its stage', () => {
    const generated = generate({ domain: { name: 'api.example.com', certificateArn: CERT }, tags: { team: 'web' } });
    const resources = generated.root.Resources;
    expect(resources['ApiDomainName']).toEqual({
      Type: 'AWS::ApiGateway::DomainName',
      Properties: {
        DomainName: 'api.example.com',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: CERT,
        SecurityPolicy: 'TLS_1_2',
        Tags: [{ Key: 'team', Value: 'web' }],
      },
    });
    // Refs, not names: the mapping follows a replaced API, and waits for the stage to exist.
    expect(resources['ApiDomainBasePathMapping']).toEqual({
      Type: 'AWS::ApiGateway::BasePathMapping',
      Properties: { DomainName: { Ref: 'ApiDomainName' }, RestApiId: { Ref: 'RestApi' }, Stage: { Ref: 'ApiStage' } },
    });
    expect(types(generated)).not.toContain('AWS::CertificateManager::Certificate');
    expect(types(generated)).not.toContain('AWS::Route53::RecordSet');
    expect(generated.root.Outputs).toMatchObject({
      DomainUrl: { Value: 'https://api.example.com' },
      DomainTarget: { Value: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'] } },
      ApiUrl: expect.anything(),
    });
  });

  it('with a zone id and no certificate: a DNS-validated certificate in that zone, and A and AAAA aliases', () => {
    const generated = generate({ domain: { name: 'api.example.com', hostedZone: ZONE_ID, basePath: '/v1/' } });
    const resources = generated.root.Resources;
    expect(resources['ApiDomainCertificate']).toEqual({
      Type: 'AWS::CertificateManager::Certificate',
      Properties: { DomainName: 'api.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: ZONE_ID }] },
    });
    expect(resources['ApiDomainName']!.Properties['RegionalCertificateArn']).toEqual({ Ref: 'ApiDomainCertificate' });
    expect(resources['ApiDomainBasePathMapping']!.Properties['BasePath']).toBe('v1');
    const alias = { DNSName: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'] }, HostedZoneId: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalHostedZoneId'] } };
    expect(resources['ApiDomainRecordA']).toEqual({ Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: ZONE_ID, Name: 'api.example.com', Type: 'A', AliasTarget: alias } });
    expect(resources['ApiDomainRecordAAAA']).toEqual({ Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: ZONE_ID, Name: 'api.example.com', Type: 'AAAA', AliasTarget: alias } });
    expect(generated.root.Outputs?.['DomainUrl']?.Value).toBe('https://api.example.com/v1');
  });

  it('a zone given by name goes into the records as HostedZoneName, ending in a dot', () => {
    const generated = generate({ domain: { name: 'api.example.com', certificateArn: CERT, hostedZone: 'example.com' } });
    expect(ofType(generated, 'AWS::Route53::RecordSet').map(([, record]) => record.Properties)).toEqual([
      expect.objectContaining({ HostedZoneName: 'example.com.', Type: 'A' }),
      expect.objectContaining({ HostedZoneName: 'example.com.', Type: 'AAAA' }),
    ]);
  });

  it('per stage: only the stage with a domain gets one', () => {
    const user: Partial<UserConfig> = { stages: { prod: { domain: { name: 'api.example.com', certificateArn: CERT } } } };
    expect(types(generate(user, { stage: 'dev' }))).not.toContain('AWS::ApiGateway::DomainName');
    expect(generate(user, { stage: 'prod' }).root.Resources['ApiDomainBasePathMapping']!.Properties['Stage']).toEqual({ Ref: 'ApiStage' });
  });

  it('a nested app keeps the domain in the root, next to the RestApi and the stage', () => {
    const generated = generate({ domain: { name: 'api.example.com', hostedZone: ZONE_ID } }, { split: 'always' });
    expect(generated.children.length).toBeGreaterThan(0);
    const where = allResources(generated);
    for (const id of ['ApiDomainName', 'ApiDomainBasePathMapping', 'ApiDomainCertificate', 'ApiDomainRecordA', 'ApiDomainRecordAAAA']) expect(where.get(id)?.template, id).toBe('root');
  });

  it('a route change leaves the domain resources as they were (a new Deployment, the same mapping)', () => {
    const user: Partial<UserConfig> = { domain: { name: 'api.example.com', hostedZone: ZONE_ID } };
    const config = makeConfig(user);
    const before = generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    const after = generateTemplates({ config, manifest: makeManifest(config, { routes: [...SMALL_APP.routes, ['GET', '/about', 'home#about']] }) });
    expect(Object.keys(after.root.Resources).find((id) => id.startsWith('ApiDeployment'))).not.toBe(Object.keys(before.root.Resources).find((id) => id.startsWith('ApiDeployment')));
    for (const id of ['ApiDomainName', 'ApiDomainBasePathMapping', 'ApiDomainCertificate', 'ApiDomainRecordA']) expect(after.root.Resources[id], id).toEqual(before.root.Resources[id]);
    expect(after.root.Outputs?.['DomainUrl']).toEqual(before.root.Outputs?.['DomainUrl']);
  });

  it('an app without routes gets no domain, and a warning naming domain.name', () => {
    const generated = generate({ domain: { name: 'api.example.com', certificateArn: CERT } }, { routes: false });
    expect(types(generated)).not.toContain('AWS::ApiGateway::DomainName');
    expect(generated.root.Outputs?.['DomainUrl']).toBeUndefined();
    expect(generated.warnings).toContainEqual(expect.objectContaining({ level: 'warning', text: expect.stringMatching(/^domain\.name: api\.example\.com is not created: the app has no routes/) }));
  });

  it('refuses a certificate from another region than the config\'s (a ResolvedConfig built without loadConfig)', () => {
    const config = makeConfig({ region: 'eu-west-1', domain: { name: 'api.example.com', certificateArn: CERT } });
    let error: unknown;
    try {
      generateTemplates({ config, manifest: makeManifest(config, SMALL_APP) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics.map((d) => d.text)).toEqual(['domain.certificateArn: the certificate is in us-east-1, but the stack deploys to eu-west-1; a regional API domain needs its certificate in the same region']);
  });
});
