// The names `sls-ts new` derives from what the user typed: the npm package name, the folder and
// the config name that prefixes every stack and function. Two apps with one config name deploy
// into one stack, so the config name is never changed silently and never shared with an app
// we can see next to the new one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import validatePackageName from 'validate-npm-package-name';
import { APP_NAME_MAX } from '../config/limits.js';
import { SlsError } from '../shared/errors.js';

export interface AppNames {
  /** The npm package name, as typed. */
  name: string;
  /** The name in sls-ts.config.ts (it prefixes stacks and functions). */
  appName: string;
  /** The default folder: the package name without its scope, as npm init does. */
  folder: string;
  /** Why appName differs from what was typed; missing when it does not. */
  derivedBecause?: string;
}

/** The npm name checked, and the names derived from it. */
export function checkAppName(name: string): AppNames {
  const result = validatePackageName(name);
  if (!result.validForNewPackages) {
    const problems = [...(result.errors ?? []), ...(result.warnings ?? [])];
    throw new SlsError({
      text: `${JSON.stringify(name)} is not a valid npm package name: ${problems.join('; ')}`,
      hint: 'use lowercase letters, digits and hyphens, e.g. my-blog',
    });
  }
  const folder = name.replace(/^@[^/]+\//, '');
  // The scope stays in the config name: `@a/app` and `@b/app` must not share a stack.
  const slug = name.replace(/^@/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(slug)) {
    throw new SlsError({
      text: `${JSON.stringify(name)} cannot name an sls-ts app: the name prefixes CloudFormation stack names, which must start with a letter`,
      hint: `choose a name that starts with a letter, e.g. ${`app-${slug}`.slice(0, APP_NAME_MAX).replace(/-+$/, '')}`,
    });
  }
  const appName = slug.slice(0, APP_NAME_MAX).replace(/-+$/, '');
  if (appName === name) return { name, appName, folder };
  const reasons = [
    ...(name.startsWith('@') ? ['the scope is kept so that apps of different scopes get different stacks'] : []),
    ...(/[^a-z0-9@/-]/.test(name) ? ['stack and function names allow only a-z, 0-9 and -'] : []),
    ...(slug.length > APP_NAME_MAX ? [`it is cut to ${APP_NAME_MAX} characters`] : []),
  ];
  return { name, appName, folder, derivedBecause: reasons.join('; ') };
}

const CONFIG_NAME = /^\s*name:\s*['"]([a-z][a-z0-9-]*)['"]/m;

/**
 * An app in a folder beside `root` whose sls-ts.config.ts names `appName`:
 * both would deploy to the same stacks. Read as text: loading every neighbour's config would run
 * its code.
 */
export function assertNoNameCollision(root: string, appName: string, cwd: string): void {
  const parent = dirname(root);
  if (!existsSync(parent)) return;
  // The target itself is not a collision: writing into it needs --force, and then it is this app.
  const neighbours = readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(parent, entry.name));
  for (const dir of neighbours.filter((dir) => dir !== root)) {
    const config = join(dir, 'sls-ts.config.ts');
    if (!existsSync(config)) continue;
    if (CONFIG_NAME.exec(readFileSync(config, 'utf8'))?.[1] !== appName) continue;
    throw new SlsError({
      text: `an app named "${appName}" exists already in ${relative(cwd, dir) || basename(dir)}: both would deploy to the stacks ${appName}-<stage>`,
      file: config,
      hint: `choose another name, e.g. ${appName.slice(0, APP_NAME_MAX - 2)}-2`,
    });
  }
}
