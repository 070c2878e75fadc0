// What sls-ts/testing needs of an app's config to guard its routes as `sls-ts server` does: the
// stage's app-wide `auth`, the Cognito authorizers with their local keys, and the usage plans with
// the keys' local values. Read here because testing may reach local/ but not config/ (DESIGN.md §2).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedCognitoAuthorizer, ResolvedConfig, ResolvedCors, ResolvedUsagePlan } from '../config/types.js';
import { localApiKeys, type LocalApiKey } from './api-keys.js';

/** A Cognito authorizer of the config, with what verifies its tokens locally. */
export interface LocalCognitoAuthorizer {
  type: 'cognito';
  name: string;
  userPoolArns: string[];
  identitySource: string;
  ttl: number;
  /** The JWKS of `local.jwks`, `'unverified'` for `local.unverified`, undefined when neither is usable (every token gets 401). */
  keys: { keys: Array<Record<string, unknown>> } | 'unverified' | undefined;
}

export interface LocalEdge {
  stage: string;
  region: string;
  /** The config's `auth` for the stage: what guards routes whose controller and options say nothing. */
  auth?: string | false;
  authorizers: LocalCognitoAuthorizer[];
  usagePlans: readonly ResolvedUsagePlan[];
  /** Every usage plan key by its local value, as the dev server's banner prints them. */
  apiKeys: Map<string, LocalApiKey>;
  /** The app's `cors`: API Gateway's own answers (an authorizer's 401/403…) carry its headers. */
  cors: ResolvedCors | false;
}

/** The edge of a resolved config; `env` gives SLS_TS_API_KEY_<NAME> values (default: process.env, then the app's .env files). */
export function localEdgeOf(config: ResolvedConfig, env: Readonly<Record<string, string | undefined>> = { ...process.env, ...config.env }): LocalEdge {
  return {
    stage: config.stage,
    region: config.region,
    ...(config.auth !== undefined && { auth: config.auth }),
    authorizers: config.authorizers.map((authorizer) => ({
      type: 'cognito',
      name: authorizer.name,
      userPoolArns: [...authorizer.userPoolArns],
      identitySource: authorizer.identitySource,
      ttl: authorizer.ttl,
      keys: localCognitoKeys(config.root, authorizer),
    })),
    usagePlans: config.usagePlans,
    apiKeys: localApiKeys(config, env),
    cors: config.cors,
  };
}

/** Loads the app's config (sls-ts.config.ts, its .env files) for `stage`; undefined for a folder without a config file. */
export async function loadLocalEdge(root: string, stage: string): Promise<LocalEdge | undefined> {
  // Loaded on demand: the config loader brings esbuild, which tests of inline apps never need.
  const { findConfigFile, loadConfig } = await import('../config/load.js');
  if (!findConfigFile(root)) return undefined;
  const { config } = await loadConfig({ root, stage, command: 'server' });
  return localEdgeOf(config);
}

/**
 * What verifies a Cognito authorizer's tokens locally: its `local.jwks` file read, `'unverified'`, or
 * undefined when neither is usable — every request it guards then gets 500 (the dev server's banner
 * says why). Shared by `sls-ts server` and sls-ts/testing.
 */
export function localCognitoKeys(root: string, authorizer: Pick<ResolvedCognitoAuthorizer, 'local'>): LocalCognitoAuthorizer['keys'] {
  if (authorizer.local.unverified) return 'unverified';
  return authorizer.local.jwks ? readJwks(resolve(root, authorizer.local.jwks)) : undefined;
}

function readJwks(file: string): LocalCognitoAuthorizer['keys'] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
    return Array.isArray(parsed.keys) ? (parsed as { keys: Array<Record<string, unknown>> }) : undefined;
  } catch {
    return undefined;
  }
}
