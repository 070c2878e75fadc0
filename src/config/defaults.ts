// The values a setting takes when neither the config nor its stage sets it.
import type { Architecture, BuildSettings, IamRolesSetting, Layout, ResolvedCors, Runtime, StacksSetting } from './types.js';

export const DEFAULT_STAGE = 'dev';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_RUNTIME: Runtime = 'nodejs22.x';
export const DEFAULT_MEMORY = 1024;
export const DEFAULT_TIMEOUT = 10;
export const DEFAULT_ARCHITECTURE: Architecture = 'arm64';
export const DEFAULT_LAYOUT: Layout = 'controller';
export const DEFAULT_STACKS: StacksSetting = 'auto';
export const DEFAULT_IAM_ROLES: IamRolesSetting = 'function';
export const DEFAULT_LOG_RETENTION_DAYS = 30;

export const DEFAULT_BUILD: Readonly<Required<BuildSettings>> = Object.freeze({
  sizeBudgetKB: 5120,
  minify: true,
  sourcemap: true,
  keepNames: false,
  splitting: true,
  external: Object.freeze([]) as unknown as string[],
  typecheck: false,
});

/** What `cors: true` means: any origin, the headers API Gateway's own CORS setup allows, no cookies. */
export const DEFAULT_CORS: Readonly<ResolvedCors> = Object.freeze({
  origins: '*',
  headers: ['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Api-Key', 'X-Amz-Security-Token'],
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  credentials: false,
  maxAge: 600,
});

/**
 * One JSON line per request: API Gateway requires $context.requestId (or extendedRequestId) in a
 * format, and JSON lines are what CloudWatch Logs Insights parses into fields without a pattern.
 */
export const DEFAULT_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
});
