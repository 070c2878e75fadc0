import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_EXTENSIONS } from '../shared/source-files.js';

export { listSources, SOURCE_EXTENSIONS } from '../shared/source-files.js';

/** `base` with the first source extension that exists, or undefined. */
export function findSource(base: string): string | undefined {
  return SOURCE_EXTENSIONS.map((extension) => base + extension).find((file) => existsSync(file));
}

/** Where an app keeps its code, by convention. */
export function appPaths(root: string) {
  return {
    routes: join(root, 'config', 'routes'),
    controllers: join(root, 'app', 'controllers'),
    jobs: join(root, 'app', 'jobs'),
    functions: join(root, 'app', 'functions'),
    authorizers: join(root, 'app', 'authorizers'),
    channels: join(root, 'app', 'channels'),
  };
}
