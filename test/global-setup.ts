import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * e2e tests spawn bin/sls-ts.js, which runs dist/: rebuild it from the current sources first so a
 * stale dist/ can never make them pass or fail. The room checker runs too. The new build goes to
 * a temporary folder and is swapped in whole, so a process reading dist/ meanwhile never sees a
 * half-written file; an up-to-date dist/ is left alone.
 */
export default function setup(): void {
  const dist = join(root, 'dist');
  const stamp = join(dist, '.built-at');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(newestSource(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)) return;
  execFileSync(process.execPath, [join(root, '.ci', 'check-rooms.mjs')], { cwd: root, stdio: 'inherit' });
  const temp = `${dist}.tmp-${process.pid}`;
  const old = `${dist}.old-${process.pid}`;
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'src', '--outDir', temp], { cwd: root, stdio: 'inherit' });
  writeFileSync(join(temp, '.built-at'), new Date().toISOString());
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(temp, dist);
  rmSync(old, { recursive: true, force: true });
}
