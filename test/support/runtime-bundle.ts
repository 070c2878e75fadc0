// Bundles app-like code against the runtime sources the way `sls-ts build` ships a function
// (esbuild, minified ESM for node22), so tests can check what a piece of the runtime adds to it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The runtime's entry ('sls-ts'), to import from the bundled snippet. */
export const runtimeIndex = fileURLToPath(new URL('../../src/runtime/index.ts', import.meta.url));

export async function bundleRuntime(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, loader: 'ts', resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
