// Errors are data until the CLI: every step returns or carries diagnostics, and only cli/ prints.

/** One problem found by a step, with enough context to fix it without reading a stack trace. */
export interface Diagnostic {
  text: string;
  /** Absolute path of the file at fault, when there is one. */
  file?: string;
  line?: number;
  /** How to fix it: one short sentence. */
  hint?: string;
  /** Missing means 'error'. */
  level?: 'error' | 'warning';
}

/** A user-facing failure: the CLI prints its diagnostics (no stack) and exits with 1 (or `exitCode`). */
export class SlsError extends Error {
  diagnostics: Diagnostic[];
  hint?: string;
  /** Set only where 1 would mislead, e.g. 130 for a run stopped by Ctrl-C. */
  exitCode?: number;

  constructor(diagnostics: Diagnostic | Diagnostic[] | string, options?: { hint?: string; cause?: unknown; exitCode?: number }) {
    const list = typeof diagnostics === 'string'
      ? [{ text: diagnostics, ...(options?.hint ? { hint: options.hint } : {}) }]
      : Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list[0]?.text ?? 'sls-ts failed', options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SlsError';
    this.diagnostics = list;
    const hint = options?.hint ?? list[0]?.hint;
    if (hint !== undefined) this.hint = hint;
    if (options?.exitCode !== undefined) this.exitCode = options.exitCode;
  }
}

export function isSlsError(value: unknown): value is SlsError {
  return value instanceof SlsError;
}

/** True when at least one diagnostic is an error (warnings alone never fail a step). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => (d.level ?? 'error') === 'error');
}

/** `file:line: text — hint`, the parts that are missing left out. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${where}${d.text}${d.hint ? ` — ${d.hint}` : ''}`;
}
