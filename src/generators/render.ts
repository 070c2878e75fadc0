// Renders blueprints/: handlebars templates whose paths are templates too
// (`app/controllers/{{kebab name}}-controller.ts.hbs`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { SlsError } from '../shared/errors.js';
import { camelCase, kebabCase, pascalCase, pluralOf, singularOf } from './names.js';
import { blueprintsDir } from './package-info.js';

/** A file a blueprint produces: a path relative to the app root (with `/`) and its contents. */
export interface RenderedFile {
  path: string;
  contents: string;
}

export type BlueprintData = Record<string, unknown>;

/** A single-quoted TypeScript string literal (the style of example-app). */
function quote(value: unknown): string {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** A value as TypeScript source: strings single-quoted, everything else as JSON. */
function literal(value: unknown): string {
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

// Its own instance, so helpers never leak into (or collide with) anyone else's handlebars.
const engine = Handlebars.create();
engine.registerHelper({
  kebab: (value: unknown) => kebabCase(String(value)),
  pascal: (value: unknown) => pascalCase(String(value)),
  camel: (value: unknown) => camelCase(String(value)),
  // Not `plural`/`singular`: a helper shadows data of the same name, and scaffold data has both.
  pluralize: (value: unknown) => pluralOf(String(value)),
  singularize: (value: unknown) => singularOf(String(value)),
  /** `blog-post` → `blog post`, for messages and comments. */
  words: (value: unknown) => kebabCase(String(value)).replace(/[-/]+/g, ' '),
  upper: (value: unknown) => String(value).toUpperCase(),
  json: (value: unknown) => JSON.stringify(value),
  quote,
  literal,
  eq: (a: unknown, b: unknown) => a === b,
});

const compiled = new Map<string, HandlebarsTemplateDelegate>();

function compile(source: string, key: string): HandlebarsTemplateDelegate {
  let template = compiled.get(key);
  if (!template) {
    // noEscape: this is source code, not HTML. strict: a typo in a template fails loudly.
    template = engine.compile(source, { noEscape: true, strict: true });
    compiled.set(key, template);
  }
  return template;
}

function render(source: string, key: string, data: BlueprintData): string {
  try {
    return compile(source, key)(data);
  } catch (error) {
    throw new SlsError({ text: `blueprint ${key} failed to render: ${(error as Error).message}`, hint: 'this is a bug in sls-ts: please report it' }, { cause: error });
  }
}

function listTemplates(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTemplates(path);
    return name.endsWith('.hbs') ? [path] : [];
  });
}

/**
 * `_gitignore` → `.gitignore`: npm never packs a file named .gitignore (and dotfiles are easy to
 * lose), so blueprints spell a leading dot as an underscore.
 */
function outputPath(templatePath: string): string {
  return templatePath.slice(0, -'.hbs'.length).split('/').map((part) => part.replace(/^_/, '.')).join('/');
}

interface Template {
  file: string;
  key: string;
  /** The output path, rendered. */
  path: string;
}

function templatesOf(name: string, data: BlueprintData, root: string): Template[] {
  const dir = join(root, name);
  if (!existsSync(dir)) throw new SlsError({ text: `blueprint "${name}" not found in ${root}`, hint: 'reinstall sls-ts: its blueprints/ folder is incomplete' });
  return listTemplates(dir).map((file) => {
    const templatePath = relative(dir, file).split(sep).join('/');
    const key = `${name}/${templatePath}`;
    return { file, key, path: render(outputPath(templatePath), `${key} (path)`, data) };
  });
}

/** The files of `blueprints/<name>/` (those whose output path `only` accepts), rendered with `data`. */
export function renderBlueprint(name: string, data: BlueprintData, options: { only?: (path: string) => boolean; root?: string } = {}): RenderedFile[] {
  return templatesOf(name, data, options.root ?? blueprintsDir())
    .filter((template) => options.only?.(template.path) ?? true)
    .map((template) => ({ path: template.path, contents: render(readFileSync(template.file, 'utf8'), template.key, data) }));
}

/** The output paths of a blueprint only: what `destroy` needs, without the data the contents use. */
export function blueprintPaths(name: string, data: BlueprintData, root = blueprintsDir()): string[] {
  return templatesOf(name, data, root).map((template) => template.path);
}
