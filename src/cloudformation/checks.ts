// Checks on what the templates ask of Lambda, API Gateway and CloudFormation that the spec
// validator cannot see: each would otherwise fail the deploy minutes in, or misbehave after it.
import type { BuiltFunction } from '../build/types.js';
import { formatKeyPath } from '../config/report.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { functionEnvironment } from './functions.js';
import { iamReferenceDiagnostics, type ReferenceInput } from './iam-references.js';
import type { LogicalIds } from './ids.js';
import { byteLength } from './json.js';
import { jobQueueVariables } from './job-queues.js';
import { linkVariables } from './links.js';
import type { AppModel } from './model.js';
import type { Part } from './parts.js';
import { rawReferenceDiagnostics } from './raw-references.js';
import type { Assembled } from './split.js';

/**
 * Lambda refuses a configuration whose variables exceed 4 KB, measured as the JSON object it
 * reports in the error ("String measured: {"NAME":"value",…}"): UTF-8 bytes of the compact JSON
 * of every name and value, as the template passes them (a {{resolve:…}} reference counts as
 * written; CloudFormation puts the resolved value in its place, so its real size is known only then).
 * A linked resource's variables count as the longest value they can resolve to (see LinkVariable).
 */
export const ENVIRONMENT_LIMIT = 4096;

/** API Gateway's REST API integration timeout (default; only raisable by a quota request for regional APIs). */
export const API_TIMEOUT_SECONDS = 29;

/** CloudFormation resolves at most 60 dynamic references per template. */
export const DYNAMIC_REFERENCE_LIMIT = 60;

const SECRET_HINT = 'keep big or secret values out of the environment: store them in SSM Parameter Store or Secrets Manager and read them at runtime with the AWS SDK';

function environmentDiagnostics(fn: BuiltFunction, input: Pick<CheckInput, 'config' | 'ids' | 'model'>): Diagnostic[] {
  const links = [...jobQueueVariables(input.model.functions, input.config, input.ids), ...linkVariables(fn.links, input.config, input.ids.declared)].map(({ name, estimate }) => [name, estimate] as const);
  const variables = { ...functionEnvironment(fn), ...Object.fromEntries(links) };
  const size = byteLength(JSON.stringify(variables));
  if (size <= ENVIRONMENT_LIMIT) return [];
  const largest = Object.entries(variables)
    .map(([name, value]) => ({ name, bytes: byteLength(JSON.stringify({ [name]: value })) - 2 }))
    .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1))
    .slice(0, 3);
  return [{
    text: `${fn.source} (${fn.functionName}): its environment variables take ${size} bytes; Lambda allows ${ENVIRONMENT_LIMIT} (4 KB) per function — largest: ${largest.map((v) => `${v.name} (${v.bytes} bytes)`).join(', ')}`,
    hint: `${SECRET_HINT} (or write the value as ssm:/path or secret:name in .env: it is then fetched when the stack deploys, though it still counts against the 4 KB once resolved)${fn.links.length > 0 ? '; each linked resource adds its name and ARN (a queue its URL too): link resources on the controllers, jobs and functions that use them rather than app-wide' : ''}`,
  }];
}

/** An HTTP API's integration timeout: 30 s, not raisable, answered with 503 (reference item 63). */
export const HTTP_API_TIMEOUT_SECONDS = 30;

function timeoutWarnings(model: AppModel, apiType: ResolvedConfig['apiType'] | undefined): Diagnostic[] {
  const http = apiType === 'http';
  const limit = http ? HTTP_API_TIMEOUT_SECONDS : API_TIMEOUT_SECONDS;
  return model.functions.filter((fn) => model.routed.has(fn.key) && fn.timeout > limit).map((fn) => {
    const routes = model.methods.filter((method) => method.fn === fn).map((method) => `${method.method} ${method.path}`);
    const shown = routes.length > 3 ? `${routes.slice(0, 3).join(', ')} and ${routes.length - 3} more` : routes.join(', ');
    return {
      level: 'warning' as const,
      text: `${fn.source} (${fn.functionName}) may run ${fn.timeout} s, but API Gateway answers its routes (${shown}) with ${http ? 503 : 504} after ${limit} s`,
      hint: `move long work into a job (app/jobs) and answer the request at once, or lower the timeout to ${limit} s or less`,
    };
  });
}

function dynamicReferenceDiagnostics(assembled: Assembled): Diagnostic[] {
  const templates = [{ name: assembled.children.length > 0 ? 'the root template' : 'the template', body: JSON.stringify(assembled.root) }, ...assembled.children.map((child) => ({ name: `nested stack ${child.logicalId}`, body: child.body }))];
  return templates.flatMap(({ name, body }) => {
    const count = body.split('{{resolve:').length - 1;
    if (count <= DYNAMIC_REFERENCE_LIMIT) return [];
    return [{
      text: `${name} holds ${count} ssm:/secret: references; CloudFormation resolves at most ${DYNAMIC_REFERENCE_LIMIT} per template`,
      hint: 'every function carries the app-wide env: set references on the controllers, jobs and functions that read them, or read them at runtime with the AWS SDK',
    }];
  });
}

/**
 * Memory and timeout of the actions a function serves are merged (the largest wins), but `env`
 * and `description` cannot be: one function has one environment. Said, rather than dropped quietly.
 */
function actionSettingWarnings(model: AppModel, config: ResolvedConfig): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const fn of model.functions) {
    if (fn.kind !== 'controller' && fn.kind !== 'single') continue;
    const whose = fn.kind === 'single' ? "the app's" : "its controller's";
    for (const route of fn.routes) {
      if (!('controller' in route.target)) continue;
      const { controller, action } = route.target;
      const settings = config.controllers[controller];
      const layers = [
        ...(fn.kind === 'single' ? [{ path: ['controllers', controller], settings }] : []),
        { path: ['controllers', controller, 'actions', action], settings: settings?.actions?.[action] },
      ];
      for (const layer of layers) {
        for (const key of ['env', 'description'] as const) {
          // As the config's own messages write it: `controllers["admin/users"].actions.index.env`.
          const path = formatKeyPath([...layer.path, key]);
          if (layer.settings?.[key] === undefined || seen.has(path)) continue;
          seen.add(path);
          warnings.push({
            level: 'warning',
            text: `${path} is not used: in the ${fn.kind} layout ${controller}#${action} runs in ${fn.functionName}, which has ${whose} ${key}`,
            hint: `set it on ${fn.kind === 'single' ? 'the app' : formatKeyPath(['controllers', controller])}, or use layout: 'action' to give each action a function of its own`,
            ...(config.configFile ? { file: config.configFile } : {}),
          });
        }
      }
    }
  }
  return warnings;
}

export interface CheckInput {
  model: AppModel;
  parts: readonly Part[];
  assembled: Assembled;
  ids: LogicalIds;
  deploymentId?: string;
  config: ResolvedConfig;
}

/** Before the templates are assembled (which would fail on them): IAM and raw-resource names no template resolves. */
export function checkReferences(input: ReferenceInput): Diagnostic[] {
  return [...iamReferenceDiagnostics(input), ...rawReferenceDiagnostics(input)];
}

/** Errors (no level) fail the build; warnings are reported with the templates. */
export function checkTemplates(input: CheckInput): Diagnostic[] {
  return [
    ...input.model.functions.flatMap((fn) => environmentDiagnostics(fn, input)),
    ...dynamicReferenceDiagnostics(input.assembled),
    ...iamReferenceDiagnostics(input, input.assembled),
    ...timeoutWarnings(input.model, input.config.apiType),
    ...actionSettingWarnings(input.model, input.config),
  ];
}
