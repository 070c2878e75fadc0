import type { Metafile } from 'esbuild';

/**
 * `start` and everything it reaches through non-external imports, in an esbuild metafile's
 * `inputs` (source files) or `outputs` (written files: an entry and the chunks it loads).
 */
export function importClosure(graph: Metafile['inputs'] | Metafile['outputs'], start: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    const node = graph[path];
    if (seen.has(path) || !node) return;
    seen.add(path);
    for (const imported of node.imports) if (!imported.external) visit(imported.path);
  };
  visit(start);
  return [...seen];
}
