// Edits sls-ts.config.ts as text for `generate scaffold` and `destroy scaffold`: a table under
// `resources` and the controller's `link` to it go in (and out again) in the file's own layout.
// `destroy` takes out only what is left empty by the removal, so generate then destroy gives back
// the file as it was. A config it cannot read with confidence is an error naming the file.
import { SlsError } from '../shared/errors.js';
import { appendEntry, entriesOf, literalAt, removeEntry, type Entry, type Span } from './object-literal.js';
import { codeMask, indentUnit } from './routes-file.js';

/** What a scaffold adds to the config: `resources.<resource>` and `controllers.<controller>.link`. */
export interface ScaffoldData {
  /** The resource's name in the config and in code (`resources.blogPosts`): camelCase. */
  resource: string;
  /** The controller's key in `controllers` (`blog-posts`). */
  controller: string;
}

const tableDeclaration = (quote: string) => `table({ key: ${quote}id${quote} })`;

/** `posts` or `'blog-posts'`: a key as an object literal needs it. */
function keyText(key: string, quote: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `${quote}${key}${quote}`;
}

function quoteOf(source: string): "'" | '"' {
  return (source.match(/"/g)?.length ?? 0) > (source.match(/'/g)?.length ?? 0) ? '"' : "'";
}

function unreadable(file: string, what: string): SlsError {
  return new SlsError({
    text: `cannot find where to ${what} in ${file}`,
    hint: 'it needs `export default defineConfig({ … })` with object literals for resources and controllers: fix the file, or make the change yourself',
  });
}

/** The object passed to defineConfig. */
function configObject(source: string): Span | undefined {
  const mask = codeMask(source);
  for (const match of source.matchAll(/\bdefineConfig\s*\(/g)) {
    if (!mask[match.index]) continue;
    return literalAt(source, match.index + match[0].length, '{');
  }
  return undefined;
}

const entryNamed = (source: string, span: Span, key: string): Entry | undefined => entriesOf(source, span).find((entry) => entry.key === key);

/** The object literal under `path` (each step a key), or undefined where one is missing; 'not-literal' when a value is something else. */
function objectAt(source: string, path: readonly string[]): { span: Span; entry?: Entry } | undefined | 'not-literal' {
  let span = configObject(source);
  if (!span) return 'not-literal';
  let entry: Entry | undefined;
  for (const key of path) {
    entry = entryNamed(source, span, key);
    if (!entry) return undefined;
    const inner = literalAt(source, entry.valueStart, '{');
    if (!inner || source.slice(inner.close + 1, entry.end).trim() !== '') return 'not-literal';
    span = inner;
  }
  return { span, ...(entry && { entry }) };
}

/** The text of `{ a: { b: value } }` for the keys of `path` not yet in the file, in its layout. */
function nested(path: readonly string[], value: string, quote: string, unit: string, multiline: boolean): string {
  const [key, ...rest] = path;
  const inner = rest.length === 0 ? value : nested(rest, value, quote, unit, false);
  if (rest.length === 0) return `${keyText(key!, quote)}: ${inner}`;
  return multiline ? `${keyText(key!, quote)}: {\n${unit}${inner},\n}` : `${keyText(key!, quote)}: { ${inner} }`;
}

/** `key: value` set under `path` in the config, creating the objects on the way; unchanged when the key is there. */
function setEntry(source: string, file: string, path: readonly string[], value: string, what: string): { source: string; existing?: string } {
  const quote = quoteOf(source);
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const found = objectAt(source, path.slice(0, depth));
    if (found === 'not-literal') throw unreadable(file, what);
    if (!found) continue;
    const present = entryNamed(source, found.span, path[depth]!);
    if (present) {
      if (depth === path.length - 1) return { source, existing: source.slice(present.valueStart, present.end) };
      throw unreadable(file, what);
    }
    // Top-level sections (`resources: {`) go one entry per line; deeper ones stay inline.
    return { source: appendEntry(source, found.span, nested(path.slice(depth), value, quote, indentUnit(source), depth === 0)) };
  }
  throw unreadable(file, what);
}

/** `name` imported from 'sls-ts/config' (added to the existing import). */
function addImport(source: string, file: string, name: string): string {
  const match = /import\s*\{([^}]*)\}\s*from\s*(['"])sls-ts\/config\2/.exec(source);
  if (!match) throw unreadable(file, `import ${name} from 'sls-ts/config'`);
  const names = match[1]!.split(',').map((part) => part.trim()).filter(Boolean);
  if (names.includes(name)) return source;
  const open = match.index + match[0].indexOf('{');
  const inner = match[1]!;
  const replaced = inner.includes('\n') ? inner.replace(/,?(\s*)$/, `,\n${indentUnit(source)}${name},$1`) : ` ${[...names, name].join(', ')} `;
  return source.slice(0, open + 1) + replaced + source.slice(open + 1 + inner.length);
}

/** `name` no longer imported from 'sls-ts/config' when the code does not use it any more. */
function dropUnusedImport(source: string, name: string): string {
  const match = /import\s*\{([^}]*)\}\s*from\s*(['"])sls-ts\/config\2/.exec(source);
  if (!match) return source;
  const rest = source.slice(0, match.index) + source.slice(match.index + match[0].length);
  const mask = codeMask(rest);
  if ([...rest.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].some((use) => mask[use.index])) return source;
  const names = match[1]!.split(',').map((part) => part.trim()).filter(Boolean);
  if (!names.includes(name)) return source;
  const open = match.index + match[0].indexOf('{');
  const kept = names.filter((other) => other !== name);
  const inner = match[1]!.includes('\n')
    ? match[1]!.replace(new RegExp(`\\n[ \\t]*${name},?[ \\t]*(?=\\n)`), '')
    : ` ${kept.join(', ')} `;
  return source.slice(0, open + 1) + inner + source.slice(open + 1 + match[1]!.length);
}

/** The values of a one-line `['a', 'b']` literal, or undefined when it is something else. */
function linkNames(text: string): string[] | undefined {
  const match = /^\[\s*((?:(['"])[A-Za-z0-9]+\2\s*,?\s*)*)\]$/.exec(text.trim());
  return match ? [...match[1]!.matchAll(/['"]([A-Za-z0-9]+)['"]/g)].map((m) => m[1]!) : undefined;
}

/**
 * The config with the scaffold's table and the controller's link to it. Throws an SlsError naming
 * `file` when the config does not have the expected shape (nothing is written then).
 */
export function addScaffoldToConfig(source: string, file: string, data: ScaffoldData): { source: string; changed: boolean } {
  const quote = quoteOf(source);
  const table = setEntry(source, file, ['resources', data.resource], tableDeclaration(quote), `add resources.${data.resource}`);
  if (table.existing !== undefined && !/^table\s*\(/.test(table.existing.trim())) {
    throw new SlsError({ text: `resources.${data.resource} in ${file} is already declared, and not as a table`, hint: 'rename that resource, or choose another scaffold name' });
  }
  let next = table.existing === undefined ? addImport(table.source, file, 'table') : table.source;
  const what = `add link: [${quote}${data.resource}${quote}] to controllers.${data.controller}`;
  const linkValue = `[${quote}${data.resource}${quote}]`;
  const link = setEntry(next, file, ['controllers', data.controller, 'link'], linkValue, what);
  next = link.source;
  if (link.existing !== undefined) {
    const names = linkNames(link.existing);
    // Objects ({ name, readOnly }) or a variable: left for the user, who wrote them on purpose.
    if (!names) throw unreadable(file, what);
    if (!names.includes(data.resource)) {
      const controller = objectAt(next, ['controllers', data.controller]);
      if (!controller || controller === 'not-literal') throw unreadable(file, what);
      const linkEntry = entryNamed(next, controller.span, 'link')!;
      const array = literalAt(next, linkEntry.valueStart, '[')!;
      next = appendEntry(next, array, `${quote}${data.resource}${quote}`);
    }
  }
  return { source: next, changed: next !== source };
}

/** The entry `path` leads to, with the object holding it. */
function locate(source: string, path: readonly string[]): { holder: Span; entry: Entry } | undefined {
  const holder = objectAt(source, path.slice(0, -1));
  if (!holder || holder === 'not-literal') return undefined;
  const entry = entryNamed(source, holder.span, path.at(-1)!);
  return entry && { holder: holder.span, entry };
}

/** Removes `path`'s entry, then each object on the way that it leaves empty. */
function removeWithEmptyParents(source: string, path: readonly string[]): string {
  for (let depth = path.length; depth > 0; depth--) {
    const found = locate(source, path.slice(0, depth));
    if (!found) return source;
    if (depth < path.length) {
      const value = literalAt(source, found.entry.valueStart, '{');
      if (!value || entriesOf(source, value).length > 0) return source;
    }
    source = removeEntry(source, found.holder, found.entry);
  }
  return source;
}

/**
 * The config without what addScaffoldToConfig added: `resources.<resource>` when it is a table,
 * the link from the controller, and whatever those leave empty. Unchanged where they are gone.
 */
export function removeScaffoldFromConfig(source: string, file: string, data: ScaffoldData): { source: string; changed: boolean } {
  if (!configObject(source)) throw unreadable(file, `remove resources.${data.resource}`);
  let next = source;
  const table = locate(next, ['resources', data.resource]);
  if (table && /^table\s*\(/.test(next.slice(table.entry.valueStart, table.entry.end))) {
    next = removeWithEmptyParents(next, ['resources', data.resource]);
    next = dropUnusedImport(next, 'table');
  }
  const link = locate(next, ['controllers', data.controller, 'link']);
  const names = link && linkNames(next.slice(link.entry.valueStart, link.entry.end));
  if (link && names?.includes(data.resource)) {
    if (names.length === 1) next = removeWithEmptyParents(next, ['controllers', data.controller, 'link']);
    else {
      const array = literalAt(next, link.entry.valueStart, '[')!;
      const element = entriesOf(next, array).find((entry) => linkNames(`[${next.slice(entry.start, entry.end)}]`)?.[0] === data.resource)!;
      next = removeEntry(next, array, element);
    }
  }
  return { source: next, changed: next !== source };
}
