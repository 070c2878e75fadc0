// What `destroy` could have meant: the names of the app's controllers, jobs and functions, in the
// form a generator takes them, so that a typo gets "did you mean …?" rather than a silent no-op.
import { join } from 'node:path';
import { SlsError } from '../shared/errors.js';
import { listSources } from '../shared/source-files.js';
import { closestMatch } from '../shared/suggest.js';
import type { GeneratorKind } from './kinds.js';

const WHERE: Record<GeneratorKind, { dir: string; suffix: string }> = {
  controller: { dir: 'app/controllers', suffix: '-controller' },
  scaffold: { dir: 'app/controllers', suffix: '-controller' },
  job: { dir: 'app/jobs', suffix: '-job' },
  function: { dir: 'app/functions', suffix: '' },
  authorizer: { dir: 'app/authorizers', suffix: '-authorizer' },
  channel: { dir: 'app/channels', suffix: '-channel' },
};

/** `admin/stats` for app/controllers/admin/stats-controller.ts, `cleanup` for app/jobs/cleanup-job.ts. */
export function listGenerated(root: string, kind: GeneratorKind): string[] {
  const { dir, suffix } = WHERE[kind];
  return listSources(join(root, dir), suffix).map((bare) => bare.slice(0, bare.length - suffix.length)).filter((name) => name !== 'application');
}

/** "nothing to destroy" for a name the app does not have, with the nearest one it does have. */
export function notFoundError(kind: GeneratorKind, name: string, key: string, root: string): SlsError {
  const known = listGenerated(root, kind);
  const near = closestMatch(key, known);
  const hint = near
    ? `did you mean ${near}? sls-ts destroy ${kind} ${near}`
    : known.length > 0 ? `the app's ${kind === 'scaffold' ? 'controller' : kind}s are: ${known.join(', ')}` : `the app has no ${kind === 'scaffold' ? 'controller' : kind}s`;
  return new SlsError({ text: `${kind} ${name} not found: nothing to destroy (no file and no route of it in the app)`, hint });
}
