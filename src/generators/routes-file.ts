// Edits config/routes.ts as text: one line goes in before the closing brace of the defineRoutes
// callback, in the file's own style (indentation, quotes, semicolons, parameter name), and
// nothing else in the file changes. Anything it cannot read with confidence is an error, never
// a guess.

/**
 * A routes DSL call without its receiver, in canonical form: single quotes, no semicolon, e.g.
 * `resources('posts')` or `get('/hello', { function: 'hello' })`.
 */
export type RouteCall = string;

interface RoutesBlock {
  /** The callback's parameter (`r` in `(r) => { … }`). */
  param: string;
  open: number;
  close: number;
}

interface Style {
  indent: string;
  quote: "'" | '"';
  semicolon: boolean;
}

/** 1 where `source` is code, 0 inside comments, strings and template literals. */
export function codeMask(source: string): Uint8Array {
  const mask = new Uint8Array(source.length);
  let i = 0;
  const skipTo = (end: number) => {
    i = end === -1 ? source.length : end;
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') skipTo(source.indexOf('\n', i));
    else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      skipTo(end === -1 ? -1 : end + 2);
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      skipTo(j + 1);
    } else if (c === '`') {
      // Braces inside ${…} are counted so a nested template cannot end the literal early.
      let j = i + 1;
      let depth = 0;
      while (j < source.length && !(source[j] === '`' && depth === 0)) {
        if (source[j] === '\\') j++;
        else if (source[j] === '$' && source[j + 1] === '{') { depth++; j++; }
        else if (source[j] === '}' && depth > 0) depth--;
        j++;
      }
      skipTo(j + 1);
    } else {
      mask[i] = 1;
      i++;
    }
  }
  return mask;
}

/** The defineRoutes callback's block body, or undefined when there is none to edit. */
function findRoutesBlock(source: string): RoutesBlock | undefined {
  const mask = codeMask(source);
  for (const match of source.matchAll(/\bdefineRoutes\s*\(/g)) {
    const start = match.index;
    if (!mask[start]) continue;
    const callOpen = start + match[0].length - 1;
    const stack: number[] = [];
    let lastChild: [number, number] | undefined;
    let callClose = -1;
    for (let i = callOpen; i < source.length && callClose === -1; i++) {
      if (!mask[i]) continue;
      const c = source[i]!;
      if ('([{'.includes(c)) stack.push(i);
      else if (')]}'.includes(c)) {
        const open = stack.pop();
        if (open === undefined) return undefined;
        if (stack.length === 0) callClose = i;
        else if (stack.length === 1) lastChild = [open, i];
      }
    }
    if (callClose === -1 || !lastChild || source[lastChild[1]] !== '}') return undefined;
    // Only a trailing comma, whitespace or comments may follow the body inside the call.
    const between = [...source.slice(lastChild[1] + 1, callClose)].filter((c, k) => mask[lastChild[1] + 1 + k] && !/[\s,]/.test(c));
    if (between.length > 0) return undefined;
    const head = source.slice(callOpen + 1, lastChild[0]);
    const param = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(?\s*([A-Za-z_$][\w$]*)/.exec(head)?.[1];
    if (!param || param === 'async' || param === 'function') return undefined;
    return { param, open: lastChild[0], close: lastChild[1] };
  }
  return undefined;
}

export const lineStart = (source: string, index: number) => source.lastIndexOf('\n', index - 1) + 1;
const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/** The text inside the callback's braces, line by line (the first and last may be partial lines). */
function innerLines(source: string, block: RoutesBlock): string[] {
  return source.slice(block.open + 1, block.close).split('\n');
}

/** Lines of the body that stand on their own (not sharing a line with a brace): they show the indentation. */
function fullLines(source: string, block: RoutesBlock): string[] {
  return innerLines(source, block).slice(1, -1).filter((line) => line.trim() !== '');
}

function statements(source: string, block: RoutesBlock): string[] {
  return innerLines(source, block).map((line) => line.trim()).filter((line) => line !== '');
}

/** The smallest indentation step the file uses (two spaces when it shows none). */
export function indentUnit(source: string): string {
  const indents = source.split('\n').map(indentOf).filter((indent) => indent.length > 0);
  if (indents.some((indent) => indent.startsWith('\t'))) return '\t';
  const width = Math.min(...indents.map((indent) => indent.length));
  return Number.isFinite(width) ? ' '.repeat(width) : '  ';
}

function detectStyle(source: string, block: RoutesBlock): Style {
  const lines = fullLines(source, block);
  const closeLine = source.slice(lineStart(source, block.close), block.close);
  const indent = lines.length > 0
    ? lines.map(indentOf).reduce((a, b) => (b.length < a.length ? b : a))
    : indentOf(closeLine) + indentUnit(source);
  const mask = codeMask(source);
  let single = 0;
  let double = 0;
  for (let i = 0; i < source.length; i++) {
    if (mask[i] || (i > 0 && !mask[i - 1])) continue;
    if (source[i] === "'") single++;
    else if (source[i] === '"') double++;
  }
  const calls = statements(source, block).filter((line) => /\)\s*;?$/.test(line));
  return {
    indent,
    quote: double > single ? '"' : "'",
    semicolon: calls.length === 0 || calls.some((line) => line.endsWith(';')),
  };
}

/** `r.resources('posts');` in the file's style. */
export function formatRouteCall(call: RouteCall, param: string, style: Pick<Style, 'quote' | 'semicolon'>): string {
  const quoted = style.quote === '"' ? call.replace(/'/g, '"') : call;
  return `${param}.${quoted}${style.semicolon ? ';' : ''}`;
}

/** Whitespace, quote style and the trailing semicolon do not make two calls different. */
export function normalizeCall(text: string): string {
  return text.trim().replace(/;$/, '').replace(/\s+/g, '').replace(/"/g, "'");
}

export type EditResult = { ok: true; source: string; changed: boolean; line: string } | { ok: false };

/** Adds `call` as the last statement of the defineRoutes callback (unchanged when already there). */
export function insertRoute(source: string, call: RouteCall): EditResult {
  const block = findRoutesBlock(source);
  if (!block) return { ok: false };
  const style = detectStyle(source, block);
  const line = formatRouteCall(call, block.param, style);
  const wanted = normalizeCall(`${block.param}.${call}`);
  if (statements(source, block).some((existing) => normalizeCall(existing) === wanted)) {
    return { ok: true, source, changed: false, line };
  }
  const start = lineStart(source, block.close);
  const closeLine = source.slice(start, block.close);
  if (closeLine.trim() === '') {
    return { ok: true, source: `${source.slice(0, start)}${style.indent}${line}\n${source.slice(start)}`, changed: true, line };
  }
  // A one-line callback (`(r) => { r.root('home#index') }`): the new call goes on its own line.
  const cut = source.slice(0, block.close).replace(/[ \t]+$/, '');
  return { ok: true, source: `${cut}\n${style.indent}${line}\n${indentOf(closeLine)}${source.slice(block.close)}`, changed: true, line };
}

/**
 * Removes the last line of the callback that holds only a call `matches` accepts (given the
 * call in canonical form without its receiver).
 */
export function removeRoute(source: string, matches: (call: string) => boolean): EditResult {
  const block = findRoutesBlock(source);
  if (!block) return { ok: false };
  const from = source.indexOf('\n', block.open) + 1;
  const to = lineStart(source, block.close);
  if (from === 0 || from >= to) return { ok: true, source, changed: false, line: '' };
  const lines = source.slice(from, to).split('\n');
  const prefix = `${block.param}.`;
  for (let k = lines.length - 1; k >= 0; k--) {
    const normalized = normalizeCall(lines[k]!);
    if (!normalized.startsWith(prefix) || !matches(normalized.slice(prefix.length))) continue;
    const line = lines[k]!.trim();
    lines.splice(k, 1);
    return { ok: true, source: source.slice(0, from) + lines.join('\n') + source.slice(to), changed: true, line };
  }
  return { ok: true, source, changed: false, line: '' };
}

/** A matcher for exactly `call`. */
export function sameCall(call: RouteCall): (normalized: string) => boolean {
  const wanted = normalizeCall(call);
  return (normalized) => normalized === wanted;
}
