// Loading the app's code for inspection: the environment it loads under, one module at a time
// (a failure becomes a diagnostic on that file), and the diagnostics for a bundle that fails.
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import type { Diagnostic } from '../shared/errors.js';

/** Sets variables in process.env and returns how to put the previous values back. */
export function applyEnv(env: Readonly<Record<string, string>>): () => void {
  const previous = Object.entries(env).map(([key, value]) => {
    const before = process.env[key];
    process.env[key] = value;
    return [key, before] as const;
  });
  return () => {
    for (const [key, before] of previous) {
      if (before === undefined) delete process.env[key];
      else process.env[key] = before;
    }
  };
}

export async function loadModule(load: () => Promise<Record<string, unknown>>, file: string, diagnostics: Diagnostic[], root: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await load();
  } catch (error) {
    const hint = (error as { hint?: unknown }).hint;
    let message = (error as Error).message;
    // A ScheduleError's message already ends with its hint; print the hint once.
    if (typeof hint === 'string' && message.endsWith(` — ${hint}`)) message = message.slice(0, -` — ${hint}`.length);
    diagnostics.push({ file, text: `${relative(root, file)} failed to load: ${message}`, ...(typeof hint === 'string' && hint && { hint }) });
    return undefined;
  }
}

export async function loadDefault(load: () => Promise<Record<string, unknown>>, file: string, diagnostics: Diagnostic[], root: string): Promise<Function | undefined> {
  const module = await loadModule(load, file, diagnostics, root);
  if (!module) return undefined;
  if (typeof module.default !== 'function') {
    diagnostics.push({ file, text: `${relative(root, file)} has no default-exported class`, hint: 'use `export default class …`' });
    return undefined;
  }
  return module.default as Function;
}

/**
 * Node's "Cannot find package 'x' imported from <temp file>" names neither the app file nor what
 * to do: point at the app files that import the package instead (external imports of the one
 * inspection bundle all load up front, so a missing one stops the whole inspection).
 */
export function missingPackageDiagnostics(error: unknown, metafile: Metafile | undefined, root: string): Diagnostic[] | undefined {
  const name = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1] : undefined;
  if (!name || !metafile) return undefined;
  const importers = Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((imported) => imported.external && (imported.path === name || imported.path.startsWith(`${name}/`))))
    .map(([file]) => join(root, file))
    .sort();
  if (importers.length === 0) return undefined;
  const hint = `install it (npm install ${name}): the build runs the app's code to check its routes${name.startsWith('@aws-sdk/') ? ', even though bundles leave @aws-sdk/* to the Lambda runtime' : ''}`;
  return importers.map((file) => ({ file, text: `${relative(root, file)} imports ${name}, which is not installed`, hint }));
}

/** An esbuild failure (syntax error, unresolved import) as one diagnostic with file and line. */
export function esbuildDiagnostic(error: unknown, root: string): Diagnostic {
  const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors?.[0];
  if (first) {
    const file = first.location ? join(root, first.location.file) : undefined;
    return { text: first.text, ...(file && { file }), ...(first.location && { line: first.location.line }) };
  }
  return { text: (error as Error).message ?? String(error) };
}
