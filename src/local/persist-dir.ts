// Engines that persist write under the dev server's `.sls-ts/local/`: checked before an engine
// starts, so an unwritable folder is one clear error and not an engine failing half-way.
import { access, constants, mkdir } from 'node:fs/promises';

/** Creates `dir` if needed and checks it is writable; returns it. */
export async function ensureWritableDir(dir: string): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${dir} is not writable${code ? ` (${code})` : ''}`, { cause: error });
  }
  return dir;
}
