// Finds, bundles, runs, validates and resolves an app's sls-ts.config.ts.
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { SlsError, hasErrors, type Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { importConfigFile } from './bundle-config.js';
import { DEFAULT_STAGE } from './defaults.js';
import { certificateRegionDiagnostic } from './domain.js';
import { loadDotenv } from './dotenv.js';
import { envReferenceDiagnostics } from './env-reference-checks.js';
import { ENV_NAME, ENV_NAME_HINT, isReservedEnvName, reservedEnvHint } from './limits.js';
import { formatKeyPath } from './report.js';
import { resolveConfig } from './resolve.js';
import type { ConfigEnv, ResolvedConfig, UserConfig } from './types.js';
import { checkStageName, validateUserConfig } from './validate.js';

/** Looked for in this order; the first one found is used. */
export const CONFIG_FILES = ['sls-ts.config.ts', 'sls-ts.config.mts', 'sls-ts.config.js', 'sls-ts.config.mjs'] as const;

export interface LoadConfigOptions {
  /** The app's folder; default: the current directory. */
  root?: string;
  /** Default: `dev`. */
  stage?: string;
  /** Passed to a config function; default: `build`. */
  command?: ConfigEnv['command'];
  /** `--region`: wins over the config and AWS_REGION. */
  region?: string;
  /** The region the AWS profile's config names: used when neither --region, the config nor AWS_REGION set one. */
  profileRegion?: string;
  /** The process environment (.env overrides, AWS_REGION); process.env unless a test passes its own. */
  processEnv?: Record<string, string | undefined>;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Problems that do not stop the app (a deprecated runtime, a reserved name in .env…). */
  warnings: Diagnostic[];
  /** Absolute paths of the config file, every local file it imports, and the .env files read. */
  dependencies: string[];
}

/** The config file of `root` and any others that are shadowed by it. */
export function findConfigFile(root: string): { file: string; ignored: string[] } | undefined {
  const found = CONFIG_FILES.map((name) => join(root, name)).filter((file) => existsSync(file));
  const [file, ...ignored] = found;
  return file ? { file, ignored } : undefined;
}

/**
 * The nearest folder, `from` itself or one above it, that holds a config file: commands work from
 * anywhere inside an app, as npm finds package.json. The nearest wins, so an app nested in another
 * folder that has a config is never mixed up with it.
 */
export function findAppRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (findConfigFile(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

async function evaluateExport(module: Record<string, unknown>, file: string, env: ConfigEnv): Promise<unknown> {
  if (!('default' in module)) {
    throw new SlsError({
      text: `${basename(file)} has no default export`,
      file,
      hint: "write export default defineConfig({ name: 'my-app' })",
    });
  }
  if (typeof module.default !== 'function') return module.default;
  try {
    return await (module.default as (env: ConfigEnv) => unknown)(env);
  } catch (error) {
    throw new SlsError(
      { text: `the config function threw: ${(error as Error)?.message ?? String(error)}`, file, hint: `it ran with ${JSON.stringify(env)}` },
      { cause: error },
    );
  }
}

/** .env keys Lambda would refuse are left out (with a warning) rather than failing every deploy. */
function dropUnusableEnv(values: Record<string, string>, sources: Record<string, string>, root: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const key of Object.keys(values)) {
    const reserved = isReservedEnvName(key);
    if (!reserved && ENV_NAME.test(key)) continue;
    delete values[key];
    const source = sources[key] ?? '';
    const where = source === 'process.env' ? 'process.env' : relative(root, source);
    warnings.push({
      level: 'warning',
      text: `${key} from ${where} is not passed to functions: ${reserved ? 'Lambda reserves it' : 'it is not a valid variable name'}`,
      ...(source !== 'process.env' && source ? { file: source } : {}),
      hint: reserved ? reservedEnvHint(key) : ENV_NAME_HINT,
    });
  }
  return warnings;
}

/**
 * Loads `<root>/sls-ts.config.{ts,mts,js,mjs}` for a stage. Throws SlsError, carrying every
 * diagnostic, when the file is missing, does not compile, throws, or holds invalid settings.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const root = resolve(options.root ?? process.cwd());
  const stage = options.stage ?? DEFAULT_STAGE;
  const env: ConfigEnv = { stage, command: options.command ?? 'build' };
  const processEnv = options.processEnv ?? process.env;

  const stageProblem = checkStageName(stage);
  if (stageProblem) throw new SlsError(stageProblem);
  const found = findConfigFile(root);
  if (!found) {
    throw new SlsError({
      text: `no sls-ts config in ${root} (looked for ${CONFIG_FILES.join(', ')})`,
      hint: 'run sls-ts in the app folder, or create an app with `sls-ts new <name>`',
    });
  }
  const { file, ignored } = found;
  const warnings: Diagnostic[] = ignored.map((other) => ({
    level: 'warning',
    text: `${basename(other)} is ignored: ${basename(file)} is used`,
    file: other,
    hint: 'keep one config file',
  }));

  const { module, dependencies } = await importConfigFile(file, root);
  const value = await evaluateExport(module, file, env);
  const diagnostics = validateUserConfig(value, file);
  if (hasErrors(diagnostics)) {
    // Errors first, so the error's message is an error and not a warning.
    const ordered = [...diagnostics].sort((a, b) => Number(a.level === 'warning') - Number(b.level === 'warning'));
    throw new SlsError(ordered);
  }
  warnings.push(...diagnostics);
  const user = value as UserConfig;

  const stages = Object.keys(user.stages ?? {});
  const near = stages.includes(stage) ? undefined : closestMatch(stage, stages);
  if (near) {
    warnings.push({ level: 'warning', text: `stage ${stage} has no overrides in stages`, file, hint: `did you mean --stage ${near}?` });
  }

  const dotenv = loadDotenv(root, stage, processEnv);
  warnings.push(...dropUnusableEnv(dotenv.values, dotenv.sources, root));
  const config = resolveConfig(user, {
    stage,
    root,
    configFile: file,
    dotenv: dotenv.values,
    processEnv,
    ...(options.region ? { region: options.region } : {}),
    ...(options.profileRegion ? { profileRegion: options.profileRegion } : {}),
  });
  // Where the certificate was written: the stage's domain, or the app's.
  const stageDomain = user.stages?.[stage]?.domain;
  const certificatePath = stageDomain && stageDomain.certificateArn !== undefined ? ['stages', stage, 'domain', 'certificateArn'] : ['domain', 'certificateArn'];
  const wrongRegion = certificateRegionDiagnostic(config.domain, config.region, formatKeyPath(certificatePath), file);
  if (wrongRegion) throw new SlsError(wrongRegion);
  const references = envReferenceDiagnostics(config, dotenv.sources, env.command);
  if (hasErrors(references)) throw new SlsError(references);
  warnings.push(...references);
  return { config, warnings, dependencies: [...new Set([...dependencies, ...dotenv.files])] };
}
