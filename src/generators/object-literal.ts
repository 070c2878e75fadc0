// Reading and editing object literals in TypeScript source as text, the way routes-file.ts edits
// the routes callback: entries go in and out in the file's own layout (one per line, or inline
// when the object sits on one line), and nothing else in the file changes. What it cannot read
// with confidence is reported (undefined), never guessed at.
import { codeMask, indentUnit, lineStart } from './routes-file.js';

/** The braces (or brackets) of a literal: `open` and `close` are their indexes. */
export interface Span {
  open: number;
  close: number;
}

export interface Entry {
  /** The property name without quotes; undefined for a spread, a shorthand or an array element. */
  key?: string;
  /** The entry's first and one-past-last code character. */
  start: number;
  end: number;
  /** Where the value starts (after `key:`); equal to `start` without a key. */
  valueStart: number;
}

const CLOSERS: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** The index of the bracket closing the one at `open`, or -1. */
export function matchingClose(source: string, open: number, mask = codeMask(source)): number {
  const stack: string[] = [];
  for (let i = open; i < source.length; i++) {
    if (!mask[i]) continue;
    const c = source[i]!;
    if (c in CLOSERS) stack.push(CLOSERS[c]!);
    else if (')]}'.includes(c)) {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** The literal starting at `at` (after whitespace) when it is one of `kind` (`{` or `[`). */
export function literalAt(source: string, at: number, kind: '{' | '['): Span | undefined {
  const open = at + (/^\s*/.exec(source.slice(at))?.[0].length ?? 0);
  if (source[open] !== kind) return undefined;
  const close = matchingClose(source, open);
  return close === -1 ? undefined : { open, close };
}

/** The top-level entries of an object or array literal. */
export function entriesOf(source: string, span: Span): Entry[] {
  const mask = codeMask(source);
  const entries: Entry[] = [];
  let depth = 0;
  let start = -1;
  let end = -1;
  const finish = () => {
    if (start === -1) return;
    const key = /^(?:([A-Za-z_$][\w$]*)|'([^'\\]*)'|"([^"\\]*)")\s*:\s*/.exec(source.slice(start, end));
    entries.push({ ...(key && { key: key[1] ?? key[2] ?? key[3] }), start, end, valueStart: start + (key?.[0].length ?? 0) });
    start = -1;
  };
  for (let i = span.open + 1; i < span.close; ) {
    if (!mask[i]) {
      // A string belongs to the entry; a comment does not.
      let j = i;
      while (j < span.close && !mask[j]) j++;
      if (/['"`]/.test(source[i]!)) {
        if (start === -1) start = i;
        end = j;
      }
      i = j;
      continue;
    }
    const c = source[i++]!;
    if (depth === 0 && c === ',') {
      finish();
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    if (/\s/.test(c)) continue;
    if (start === -1) start = i - 1;
    end = i;
  }
  finish();
  return entries;
}

const indentOf = (source: string, index: number) => /^[ \t]*/.exec(source.slice(lineStart(source, index)))![0];

/** Whether the literal is written on one line. */
function isInline(source: string, span: Span): boolean {
  return !source.slice(span.open, span.close).includes('\n');
}

/** The indentation of the literal's entries (one step deeper than its closing line when it has none). */
export function entryIndent(source: string, span: Span): string {
  const first = entriesOf(source, span)[0];
  if (first && !isInline(source, span) && source.slice(lineStart(source, first.start), first.start).trim() === '') return indentOf(source, first.start);
  return indentOf(source, span.close) + indentUnit(source);
}

/**
 * `text` added as the literal's last entry: on its own line (with a trailing comma) in a
 * multi-line literal, after `, ` in a one-line literal. `text` may span lines: they are indented
 * relative to the entry.
 */
export function appendEntry(source: string, span: Span, text: string): string {
  const entries = entriesOf(source, span);
  const last = entries.at(-1);
  const closeLine = source.slice(lineStart(source, span.close), span.close);
  if (isInline(source, span) || closeLine.trim() !== '') {
    const inner = source.slice(span.open + 1, span.close);
    if (!last) return `${source.slice(0, span.open + 1)}${source[span.open] === '{' ? ` ${text} ` : text}${source.slice(span.close)}`;
    const trailingComma = /,\s*$/.test(inner.slice(last.end - span.open - 1));
    return `${source.slice(0, last.end)}, ${text}${trailingComma ? ',' : ''}${source.slice(last.end).replace(/^\s*,/, '')}`;
  }
  const indent = entryIndent(source, span);
  const lines = text.split('\n').map((line, i) => (i === 0 ? line : `${indent}${line}`)).join('\n');
  const needsComma = last !== undefined && !/^\s*,/.test(source.slice(last.end, span.close));
  const at = lineStart(source, span.close);
  const before = needsComma ? `${source.slice(0, last.end)},${source.slice(last.end, at)}` : source.slice(0, at);
  return `${before}${indent}${lines},\n${source.slice(at)}`;
}

/**
 * The literal without `entry`: its whole lines when it stands on lines of its own (a comment
 * following it on the line goes too), else the entry and one comma next to it.
 */
export function removeEntry(source: string, span: Span, entry: Entry): string {
  let end = entry.end;
  const afterComma = /^\s*,/.exec(source.slice(end, span.close));
  if (afterComma) end += afterComma[0].length;
  const from = lineStart(source, entry.start);
  const lineEnd = source.indexOf('\n', end);
  const rest = source.slice(end, lineEnd === -1 ? source.length : lineEnd);
  if (source.slice(from, entry.start).trim() === '' && /^\s*(\/\/.*)?$/.test(rest) && lineEnd !== -1 && lineEnd < span.close) {
    return source.slice(0, from) + source.slice(lineEnd + 1);
  }
  if (afterComma) return source.slice(0, entry.start) + source.slice(end).replace(/^[ \t]+/, '');
  // The last entry of a one-line literal: the comma before it goes with it.
  const entries = entriesOf(source, span);
  const previous = entries[entries.indexOf(entries.find((e) => e.start === entry.start)!) - 1];
  return previous ? source.slice(0, previous.end) + source.slice(entry.end) : source.slice(0, span.open + 1) + source.slice(entry.end).replace(/^\s+(?=[}\]])/, '');
}
