import type { RouteDiagnostic } from './types.js';

/** Thrown by compileRoutes with every problem found, not only the first. */
export class RouteError extends Error {
  readonly diagnostics: readonly RouteDiagnostic[];

  constructor(diagnostics: RouteDiagnostic[]) {
    const first = diagnostics[0];
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    super(first ? `${formatRouteDiagnostic(first)}${more}` : 'invalid routes');
    this.name = 'RouteError';
    this.diagnostics = diagnostics;
  }
}

export function formatRouteDiagnostic(d: RouteDiagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${where}${d.text}${d.hint ? ` — ${d.hint}` : ''}`;
}
