// Where this sls-ts lives, and how a new app should depend on it.
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sls-ts package root: src/generators/ and dist/generators/ are both two levels down. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');
}

export function blueprintsDir(root = packageRoot()): string {
  return join(root, 'blueprints');
}

export function packageVersion(root = packageRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * A source checkout (a git clone, or sources next to the build) rather than an installed
 * package: the published package ships dist/ and blueprints/ only, and lives in node_modules.
 */
export function isSourceCheckout(root = packageRoot()): boolean {
  if (root.split(sep).includes('node_modules')) return false;
  return existsSync(join(root, '.git')) || (existsSync(join(root, 'src')) && existsSync(join(root, 'dist')));
}

/**
 * What a new app's package.json puts for sls-ts: the checkout itself while sls-ts runs from
 * one (it is not on the registry yet, and this keeps `npm install` working), else this version.
 */
export function defaultSlsTsSpec(root = packageRoot()): string {
  return isSourceCheckout(root) ? `file:${root}` : `^${packageVersion(root)}`;
}
