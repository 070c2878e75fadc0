import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// e2e tests spawn bin/sls-ts.js, which runs dist/: rebuild it from the current sources first so
// a stale dist/ can never make them pass or fail. The build also runs the room checker.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
