// The custom domain (config `domain`): a regional DomainName, its mapping to this API's stage, an
// ACM certificate when none is given, and A/AAAA alias records when a Route 53 zone is given. All
// of it stays in the root, next to the RestApi and the stage it maps.
import { certificateRegionDiagnostic } from '../config/domain.js';
import type { ResolvedConfig, ResolvedDomain } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { FIXED_IDS, OUTPUT_NAMES } from './ids.js';
import { getAtt, ref, withTags } from './intrinsics.js';
import { ROOT_HOME, type GenerateContext, type Part } from './parts.js';
import type { TemplateOutput } from './types.js';

function part(id: string, source: string, resource: Part['resource']): Part {
  return { id, home: ROOT_HOME, source, resource };
}

/** Route 53 takes a zone by id or by name; the name must end with a dot (resolveDomain adds it). */
function zoneProperty(zone: NonNullable<ResolvedDomain['hostedZone']>): Record<string, string> {
  return 'id' in zone ? { HostedZoneId: zone.id } : { HostedZoneName: zone.name };
}

function certificatePart(domain: ResolvedDomain, zoneId: string, ctx: GenerateContext): Part {
  return part(FIXED_IDS.domainCertificate, `certificate for ${domain.name}`, {
    Type: 'AWS::CertificateManager::Certificate',
    Properties: {
      DomainName: domain.name,
      ValidationMethod: 'DNS',
      // With the zone's id, CloudFormation writes the validation record itself and waits for it.
      DomainValidationOptions: [{ DomainName: domain.name, HostedZoneId: zoneId }],
      ...withTags(ctx.tags),
    },
  });
}

/** The DomainName's logical id: the REST one, or the HTTP API's (a type of its own, so an id of its own). */
function domainNameId(apiType: ResolvedConfig['apiType']): string {
  return apiType === 'http' ? FIXED_IDS.httpDomainName : FIXED_IDS.domainName;
}

/**
 * The HTTP API's domain (API Gateway v2 resources; doc CloudFormation AWS::ApiGatewayV2::DomainName
 * and ApiMapping). Its tags are a map, not a list.
 */
function httpDomainParts(domain: ResolvedDomain, certificate: unknown, ctx: GenerateContext): Part[] {
  const tags = Object.fromEntries(ctx.tags.map((tag) => [tag.Key, tag.Value]));
  return [
    part(FIXED_IDS.httpDomainName, `domain ${domain.name}`, {
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: {
        DomainName: domain.name,
        DomainNameConfigurations: [{ CertificateArn: certificate, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
        ...(ctx.tags.length > 0 ? { Tags: tags } : {}),
      },
    }),
    part(FIXED_IDS.httpDomainMapping, `API mapping of ${domain.name}`, {
      Type: 'AWS::ApiGatewayV2::ApiMapping',
      Properties: {
        DomainName: ref(FIXED_IDS.httpDomainName),
        ApiId: ref(FIXED_IDS.httpApi),
        Stage: ref(FIXED_IDS.httpStage),
        ...(domain.basePath ? { ApiMappingKey: domain.basePath } : {}),
      },
    }),
  ];
}

function recordPart(id: string, type: 'A' | 'AAAA', domain: ResolvedDomain, zone: NonNullable<ResolvedDomain['hostedZone']>, domainId: string): Part {
  return part(id, `${type} record for ${domain.name}`, {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      ...zoneProperty(zone),
      Name: domain.name,
      Type: type,
      AliasTarget: {
        DNSName: getAtt(domainId, 'RegionalDomainName'),
        HostedZoneId: getAtt(domainId, 'RegionalHostedZoneId'),
      },
    },
  });
}

/** Nothing when the stage has no domain; the caller adds these only when the app has an API. */
export function domainParts(ctx: GenerateContext): Part[] {
  const domain = ctx.config.domain;
  if (!domain) return [];
  const zone = domain.hostedZone;
  const parts: Part[] = [];
  let certificate: unknown = domain.certificateArn;
  if (certificate === undefined) {
    // The config refuses a domain with neither a certificate nor a zone id to request one in.
    if (!zone || !('id' in zone)) throw new Error(`domain ${domain.name} has no certificate and no zone id to request one in`);
    parts.push(certificatePart(domain, zone.id, ctx));
    certificate = ref(FIXED_IDS.domainCertificate);
  }
  if (ctx.config.apiType === 'http') parts.push(...httpDomainParts(domain, certificate, ctx));
  else parts.push(
    part(FIXED_IDS.domainName, `domain ${domain.name}`, {
      Type: 'AWS::ApiGateway::DomainName',
      Properties: {
        DomainName: domain.name,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: certificate,
        SecurityPolicy: 'TLS_1_2',
        ...withTags(ctx.tags),
      },
    }),
    // Refs to the RestApi and the stage: the mapping follows the API when it is replaced, and is
    // created only once the stage exists (API Gateway refuses a mapping to a missing stage).
    part(FIXED_IDS.domainMapping, `base path mapping of ${domain.name}`, {
      Type: 'AWS::ApiGateway::BasePathMapping',
      Properties: {
        DomainName: ref(FIXED_IDS.domainName),
        RestApiId: ref(FIXED_IDS.restApi),
        Stage: ref(FIXED_IDS.stage),
        ...(domain.basePath ? { BasePath: domain.basePath } : {}),
      },
    }),
  );
  const domainId = domainNameId(ctx.config.apiType);
  if (zone) parts.push(recordPart(FIXED_IDS.domainRecordA, 'A', domain, zone, domainId), recordPart(FIXED_IDS.domainRecordAAAA, 'AAAA', domain, zone, domainId));
  return parts;
}

/** The custom URL `url` prints, and where DNS must point when the stack writes no records. */
export function domainOutputs(domain: ResolvedDomain, apiType: ResolvedConfig['apiType'] = 'rest'): Record<string, TemplateOutput> {
  return {
    [OUTPUT_NAMES.domainUrl]: { Description: `Custom domain URL of the ${domain.name} mapping`, Value: `https://${domain.name}${domain.basePath ? `/${domain.basePath}` : ''}` },
    [OUTPUT_NAMES.domainTarget]: { Description: `Regional hostname ${domain.name} must resolve to (alias or CNAME)`, Value: getAtt(domainNameId(apiType), 'RegionalDomainName') },
  };
}

/**
 * The config's own checks cover a config loaded from a file; these hold for a ResolvedConfig built
 * by hand too (the programmatic API): the certificate's region, and a domain with no API to serve.
 */
export function domainDiagnostics(config: ResolvedConfig, hasApi: boolean): Diagnostic[] {
  if (!config.domain) return [];
  const wrongRegion = certificateRegionDiagnostic(config.domain, config.region, 'domain.certificateArn', config.configFile);
  if (wrongRegion) return [wrongRegion];
  if (hasApi) return [];
  return [{
    level: 'warning',
    text: `domain.name: ${config.domain.name} is not created: the app has no routes, so there is no API to map it to`,
    hint: 'add routes in config/routes.ts, or leave domain out of this stage',
    ...(config.configFile ? { file: config.configFile } : {}),
  }];
}
