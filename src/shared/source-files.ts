// An app's source files by convention, shared by the build (what it inspects) and the
// generators (what destroy could have meant).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Source files under `dir` (recursively), as paths relative to `dir` without extension, sorted. */
export function listSources(dir: string, suffix = ''): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const extension = SOURCE_EXTENSIONS.find((ext) => name.endsWith(ext));
        if (!extension || name.endsWith('.d.ts') || /\.(test|spec)\./.test(name)) continue;
        const bare = relative(dir, path).slice(0, -extension.length).split(sep).join('/');
        if (bare.endsWith(suffix)) found.push(bare);
      }
    }
  };
  walk(dir);
  return found;
}
