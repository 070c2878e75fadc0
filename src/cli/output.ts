import { relative } from 'node:path';
import type { Diagnostic } from '../shared/errors.js';

/** Where the CLI writes; tests pass their own to capture output. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether to paint lines; the process's own Output paints when either stream takes colour and strips the codes from the one that does not. */
  color: boolean;
}

/** FORCE_COLOR (0 or false: never) wins, then NO_COLOR (https://no-color.org), then whether the stream is a terminal. */
function wantsColor(stream: NodeJS.WriteStream): boolean {
  const forced = process.env.FORCE_COLOR;
  if (forced !== undefined) return forced !== '0' && forced !== 'false';
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const ANSI_CODE = /\u001b\[[0-9;]*m/g;

export function processOutput(): Output {
  watchClosedStreams();
  // Lines are painted when either stream takes colour; each stream drops the codes it does not
  // take, so `sls-ts deploy 2>log` at a terminal keeps its log free of escape codes.
  const outColor = wantsColor(process.stdout);
  const errColor = wantsColor(process.stderr);
  const plain = (line: string, color: boolean) => (color ? line : line.replace(ANSI_CODE, ''));
  return {
    out: (line) => process.stdout.write(`${plain(line, outColor)}\n`),
    err: (line) => {
      if (!stderrClosed) process.stderr.write(`${plain(line, errColor)}\n`);
    },
    color: outColor || errColor,
  };
}

let watching = false;
let stderrClosed = false;

/**
 * A reader that went away (`sls-ts routes | head -1`) makes the next write fail with EPIPE, which
 * Node throws as an unhandled 'error' event: a stack trace and exit 1. A closed stdout means
 * nobody wants the rest, so stop at once with 0, as `git log | head` does; a closed stderr only
 * loses messages, so the command carries on and keeps its own exit code.
 */
function watchClosedStreams(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stderrClosed = true;
  });
}

/**
 * An Output whose stdout lines are gathered and written together, 10 ms after the first: stdout
 * to a terminal or a pipe is synchronous, and a server logging every request would otherwise make
 * a system call per line — and wake the terminal for each — which costs more than the request
 * did. A stderr line first writes what was gathered, so the two streams keep their order.
 */
export function batchedOutput(output: Output): Output & { flush(): void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    output.out(lines.join('\n'));
  };
  return {
    color: output.color,
    out(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 10);
      }
    },
    err(line) {
      flush();
      output.err(line);
    },
    flush,
  };
}

const paint = (code: number) => (output: Output, text: string) => (output.color ? `\u001b[${code}m${text}\u001b[0m` : text);
export const red = paint(31);
export const yellow = paint(33);
export const green = paint(32);
export const dim = paint(2);
export const bold = paint(1);

/** One line per diagnostic: `config/routes.ts:7: text — hint`, paths relative to the app. */
export function printDiagnostics(output: Output, diagnostics: readonly Diagnostic[], root = process.cwd()): void {
  for (const d of diagnostics) {
    const warning = d.level === 'warning';
    const file = d.file ? relative(root, d.file) || d.file : undefined;
    const where = file ? `${file}${d.line ? `:${d.line}` : ''}: ` : '';
    const label = warning ? yellow(output, 'warning') : red(output, 'error');
    output.err(`${label} ${where}${d.text}${d.hint ? dim(output, ` — ${d.hint}`) : ''}`);
  }
}

/**
 * A failed command's `--json` answer on stdout, `{"ok": false, "error": {text, hint?, file?, line?}}`
 * (`errors` too when there are several), while the usual line still goes to stderr.
 */
export function printFailureJson(output: Output, error: unknown): void {
  const all = diagnosticsOf(error);
  const errors = all.filter((d) => d.level !== 'warning');
  const shown = (errors.length > 0 ? errors : all).map(({ level: _level, ...d }) => d);
  output.out(JSON.stringify({ ok: false, error: shown[0], ...(shown.length > 1 && { errors: shown }) }, null, 2));
}

function diagnosticsOf(error: unknown): Diagnostic[] {
  const listed = (error as { diagnostics?: unknown } | undefined)?.diagnostics;
  if (Array.isArray(listed) && listed.length > 0) return listed as Diagnostic[];
  return [{ text: error instanceof Error ? error.message : String(error) }];
}

/** A plain aligned table (no borders) that reads well in CI logs. */
export function formatTable(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
