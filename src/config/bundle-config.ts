// Turns sls-ts.config.ts (and whatever local files it imports) into a module Node can import,
// without asking the app to install a TypeScript loader.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Loader, type Message, type Plugin } from 'esbuild';
import { SlsError, type Diagnostic } from '../shared/errors.js';
import { declaredPackageHint } from './install-hint.js';

export interface ImportedConfig {
  /** The module's namespace object. */
  module: Record<string, unknown>;
  /** Absolute paths of every local file the config pulled in, itself included. */
  dependencies: string[];
}

const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.jsx': 'jsx' };
const META = { url: '__sls_ts_meta_url', dirname: '__sls_ts_meta_dirname', filename: '__sls_ts_meta_filename' };

/**
 * The bundle runs from .sls-ts/, so `import.meta.url` would name the bundle, not the file that
 * wrote it: each file gets its own values, declared on its first line so error lines stay true.
 */
const importMetaPlugin: Plugin = {
  name: 'sls-ts-import-meta',
  setup(plugin) {
    plugin.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const loader = LOADERS[extname(args.path)] ?? 'js';
      if (!source.includes('import.meta')) return { contents: source, loader };
      const declare = `const ${META.url} = ${JSON.stringify(pathToFileURL(args.path).href)}, ` +
        `${META.dirname} = ${JSON.stringify(dirname(args.path))}, ${META.filename} = ${JSON.stringify(args.path)};`;
      // A hashbang must stay first: declare on the second line instead, still without a newline.
      const at = source.startsWith('#!') ? source.indexOf('\n') + 1 : 0;
      return { contents: source.slice(0, at) + declare + source.slice(at), loader };
    });
  },
};

function toDiagnostics(messages: Message[], root: string, fallbackFile: string): Diagnostic[] {
  return messages.map((message) => {
    const location = message.location;
    const diagnostic: Diagnostic = {
      text: message.text,
      file: location ? resolve(root, location.file) : fallbackFile,
      hint: message.text.startsWith('Could not resolve')
        ? 'check the import path; packages must be installed in the app (npm install)'
        : 'fix the error in the config file',
    };
    if (location) diagnostic.line = location.line;
    return diagnostic;
  });
}

async function bundle(file: string, root: string): Promise<{ code: string; dependencies: string[] }> {
  try {
    const result = await build({
      entryPoints: [file],
      absWorkingDir: root,
      bundle: true,
      // Packages stay imports, resolved from the app's node_modules when the bundle runs.
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      metafile: true,
      write: false,
      outfile: join(root, '.sls-ts', 'config.mjs'),
      logLevel: 'silent',
      define: { 'import.meta.url': META.url, 'import.meta.dirname': META.dirname, 'import.meta.filename': META.filename },
      plugins: [importMetaPlugin],
    });
    const code = result.outputFiles[0]?.text ?? '';
    const dependencies = Object.keys(result.metafile.inputs)
      .map((input) => resolve(root, input))
      .filter((input) => !input.split(/[\\/]/).includes('node_modules'));
    return { code, dependencies };
  } catch (error) {
    const failure = error as { errors?: Message[] };
    if (!failure.errors?.length) throw error;
    throw new SlsError(toDiagnostics(failure.errors, root, file), { cause: error });
  }
}

function runtimeError(error: unknown, file: string, root: string, bundlePath: string): SlsError {
  const err = error as NodeJS.ErrnoException;
  const message = String(err?.message ?? error).split(bundlePath).join(file);
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find package '([^']+)'/.exec(message)?.[1] : undefined;
  return new SlsError(
    {
      text: `loading the config failed: ${message}`,
      file,
      hint: missing ? (declaredPackageHint(root, missing) ?? `install it in the app: npm install ${missing}`) : 'fix the error in the config file or in a file it imports',
    },
    { cause: error },
  );
}

/**
 * Bundles `file` with esbuild and imports the result. The bundle is written under `<root>/.sls-ts/`
 * so its package imports resolve from the app's node_modules; it is deleted once imported.
 */
export async function importConfigFile(file: string, root: string): Promise<ImportedConfig> {
  const { code, dependencies } = await bundle(file, root);
  const dir = join(root, '.sls-ts');
  const bundlePath = join(dir, `config.${randomBytes(8).toString('hex')}.mjs`);
  const created = mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(bundlePath, code);
    const module = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
    return { module, dependencies };
  } catch (error) {
    throw runtimeError(error, file, root, bundlePath);
  } finally {
    rmSync(bundlePath, { force: true });
    // Leave no trace in an app that had no .sls-ts/ yet; another load may still be using it.
    if (created) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty: a concurrent load or a build owns it now.
      }
    }
  }
}
