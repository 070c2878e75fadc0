import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * Remembers the bytes of every file the watcher reported, so that a second notification of one
 * save (which may come more than the debounce later) is not taken for a second change.
 */
export function createContentTracker() {
  const seen = new Map<string, string>();
  return {
    /** The files whose bytes (or existence) differ from when they were last reported. */
    async changed(files: readonly string[]): Promise<string[]> {
      const digests = await Promise.all(files.map(digestFile));
      return files.filter((file, index) => {
        const digest = digests[index]!;
        const same = seen.get(file) === digest;
        seen.set(file, digest);
        return !same;
      });
    },
  };
}

async function digestFile(file: string): Promise<string> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EISDIR' ? 'folder' : 'missing';
  }
}
