// The deploy context: everything a step needs (clients, names, how to report and how long to wait),
// created once per command and passed along instead of living in module-level singletons.
import type { ResolvedConfig } from '../config/types.js';
import { createClients, endpointOverride, type AwsClients } from './clients.js';
import type { DeployEvent, Emit } from './types.js';

/** How often to poll, in milliseconds. CloudFormation waiters default to 30 s, which makes a small deploy feel stuck. */
export interface PollDelays {
  stack: number;
  changeSet: number;
  function: number;
  logs: number;
}

export const DEFAULT_DELAYS: PollDelays = { stack: 3000, changeSet: 2000, function: 2000, logs: 2000 };

export interface DeployContext {
  config: ResolvedConfig;
  stage: string;
  region: string;
  /** `<app>-<stage>`. */
  stackName: string;
  clients: AwsClients;
  emit: Emit;
  delays: PollDelays;
  sleep: (ms: number) => Promise<void>;
  /** The S3 endpoint override (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL), for template URLs. */
  s3Endpoint?: string;
}

export interface ContextOptions {
  config: ResolvedConfig;
  /** `--region`; the config's region (already resolved from --region, config and AWS_REGION) otherwise. */
  region?: string;
  profile?: string;
  /** Progress events; nothing is reported by default. */
  onEvent?: (event: DeployEvent) => void;
  /** Clients to use instead of new ones (tests, or a caller that already has them). */
  clients?: Partial<AwsClients>;
  /** One number for every poll, or per kind; tests pass 0. */
  pollDelayMs?: number | Partial<PollDelays>;
  sleep?: (ms: number) => Promise<void>;
  env?: Record<string, string | undefined>;
}

export function stackNameOf(config: Pick<ResolvedConfig, 'name' | 'stage'>): string {
  return `${config.name}-${config.stage}`;
}

function resolveDelays(option: ContextOptions['pollDelayMs'], env: Record<string, string | undefined>): PollDelays {
  // SLS_TS_POLL_MS sets every delay at once: for tests of the CLI, and for the impatient.
  const fromEnv = env.SLS_TS_POLL_MS !== undefined && /^\d+$/.test(env.SLS_TS_POLL_MS) ? Number(env.SLS_TS_POLL_MS) : undefined;
  option ??= fromEnv;
  if (typeof option === 'number') return { stack: option, changeSet: option, function: option, logs: option };
  return { ...DEFAULT_DELAYS, ...option };
}

export function createDeployContext(options: ContextOptions): DeployContext {
  const region = options.region ?? options.config.region;
  const env = options.env ?? process.env;
  const clients = { ...createClients({ region, env, ...(options.profile && { profile: options.profile }) }), ...options.clients };
  const s3Endpoint = endpointOverride('S3', env);
  const onEvent = options.onEvent;
  return {
    config: options.config,
    stage: options.config.stage,
    region,
    stackName: stackNameOf(options.config),
    clients,
    emit: (event) => onEvent?.(event),
    delays: resolveDelays(options.pollDelayMs, env),
    // Even a zero delay yields to the event loop, so a poll can never starve timers or I/O.
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)))),
    ...(s3Endpoint && { s3Endpoint }),
  };
}
