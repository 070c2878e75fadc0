// An engine that cannot start is one line naming it, why, and what needed it (`resources.posts`,
// `job report-job`), with what to do about it.
import { SlsError } from '../shared/errors.js';

export const declaredAs = (names: readonly string[]) => names.map((name) => `resources.${name}`);
export const jobsAs = (jobs: readonly string[]) => jobs.map((job) => `job ${job}`);

export function engineError(engine: string, needs: readonly string[], persistDir: string | undefined, error: unknown): SlsError {
  const reason = error instanceof Error ? error.message : String(error);
  return new SlsError({
    text: `${engine} could not start for ${needs.join(', ')}: ${reason}`,
    hint: persistDir === undefined
      ? 'run again; if it persists, report it with this message'
      : `check that ${persistDir} is a writable folder no other sls-ts server uses, or run without --persist`,
  });
}

export async function startEngine<T>(engine: string, needs: readonly string[], persistDir: string | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    throw engineError(engine, needs, persistDir, error);
  }
}
