// ssm:/secret: references in a loaded config: malformed ones in .env files are errors (the config's
// own are caught by validateUserConfig), and under the dev server, which has no AWS to resolve
// them, one warning says which variables functions will see as reference text.
import { relative } from 'node:path';
import type { Diagnostic } from '../shared/errors.js';
import { parseEnvReference } from './env-references.js';
import type { ConfigEnv, FunctionSettings, ResolvedConfig } from './types.js';

/** Every env map of the config: the app's (with .env values) and each controller's, action's, job's and function's. */
function envMaps(config: ResolvedConfig): Array<Readonly<Record<string, string>> | undefined> {
  const settings: Array<FunctionSettings | undefined> = [
    ...Object.values(config.controllers).flatMap((controller) => [controller, ...Object.values(controller?.actions ?? {})]),
    ...Object.values(config.jobs),
    ...Object.values(config.functions),
  ];
  return [config.env, ...settings.map((entry) => entry?.env)];
}

export function envReferenceDiagnostics(config: ResolvedConfig, sources: Record<string, string>, command: ConfigEnv['command']): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [name, value] of Object.entries(config.env)) {
    const reference = parseEnvReference(value);
    if (!reference || !('problem' in reference)) continue;
    // Never the value: a malformed reference may be a secret pasted whole.
    const source = sources[name];
    const where = source === undefined || source === 'process.env' ? (source ?? 'the config') : relative(config.root, source);
    diagnostics.push({ text: `${name} (from ${where}) ${reference.problem}`, hint: reference.hint, ...(source && source !== 'process.env' ? { file: source } : {}) });
  }
  if (command !== 'server' || diagnostics.length > 0) return diagnostics;

  const unresolved = new Set<string>();
  for (const env of envMaps(config)) {
    for (const [name, value] of Object.entries(env ?? {})) {
      const reference = parseEnvReference(value);
      if (reference && 'dynamic' in reference) unresolved.add(name);
    }
  }
  if (unresolved.size === 0) return diagnostics;
  const names = [...unresolved].sort();
  diagnostics.push({
    level: 'warning',
    text: `${names.join(', ')} ${names.length === 1 ? 'is an ssm:/secret: reference' : 'are ssm:/secret: references'} that CloudFormation resolves at deploy time; locally, functions see the reference text itself`,
    hint: `give ${names.length === 1 ? 'it a local value' : 'them local values'} in .env.${config.stage}.local (a value in the config's env wins over .env files, so keep references in .env.<stage> files)`,
  });
  return diagnostics;
}
