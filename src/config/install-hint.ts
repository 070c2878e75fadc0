// What to run when an app's import finds no package. A package the app's package.json already
// lists only needs the app's dependencies installed: `npm install <name>` would ask the registry
// for it, which fails for sls-ts itself (a `file:` dependency while it is not published).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function declaredDependencies(root: string): string[] {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
  } catch {
    return [];
  }
}

/**
 * The hint for a package the app's package.json lists but that is not installed; undefined when
 * it does not list it (then `npm install <name>` is the answer).
 */
export function declaredPackageHint(root: string, name: string): string | undefined {
  if (!declaredDependencies(root).includes(name)) return undefined;
  return existsSync(join(root, 'node_modules'))
    ? `package.json lists ${name} but it is not installed: run npm install in the app`
    : 'the app\'s dependencies are not installed: run npm install in the app';
}
