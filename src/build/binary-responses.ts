// API Gateway (REST) turns a function's base64 body back into bytes only when the request's FIRST
// Accept type matches binaryMediaTypes (fidelity item 73). Browsers lead with types no one lists —
// `text/html` for a tab, `image/avif` for an <img> — so `['image/png']` serves a PNG as base64 text.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import type { AppModel } from './inspect.js';

/** What browsers send, by what asks (current Chrome, Firefox and Safari defaults). */
const BROWSER_ACCEPTS: ReadonlyArray<{ who: string; accept: string }> = [
  { who: 'an <img> in Chrome', accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8' },
  { who: 'an <img> in Firefox', accept: 'image/avif,image/webp,*/*' },
  { who: 'an <img> in Safari', accept: 'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5' },
  { who: 'a browser tab', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
];

/** File extensions whose responses are bytes, not text: a route path ending in one returns binary. */
const BINARY_EXTENSION = /\.(png|jpe?g|gif|webp|avif|ico|bmp|tiff?|pdf|zip|gz|tgz|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|ogg|webm|wasm)$/i;

/** A content type written in the code: `contentType: 'image/png'` (send) or `'Content-Type': 'image/png'` (headers). */
const CONTENT_TYPE_LITERAL = /\b(?:contentType|['"]content-type['"])\s*:\s*['"`]([a-z]+\/[a-z0-9.+-]+)['"`]/gi;

/** Types a function returns as text: JSON, XML, SVG, scripts, forms. Everything else is sent as base64. */
function isTextType(type: string): boolean {
  return /^text\/|^application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql)$|[+/](json|xml)$/i.test(type);
}

/** `image/png` matches `image/png`, `image/*` and `*\/*` (the runtime's emulation matches the same way). */
function covers(binaryMediaTypes: readonly string[], accept: string): boolean {
  const first = accept.split(',')[0]!.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === '*/*' || wanted === first || (wanted.endsWith('/*') && first.startsWith(wanted.slice(0, -1)));
  });
}

/** The first binary content type a source file writes, with its line; none when unreadable. */
function binaryTypeIn(file: string): { type: string; line: number } | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const match of source.matchAll(CONTENT_TYPE_LITERAL)) {
    if (!isTextType(match[1]!)) return { type: match[1]!, line: source.slice(0, match.index).split('\n').length };
  }
  return undefined;
}

/**
 * One warning when routes return binary that a common browser request would get as base64 text.
 * What the build can see of it: a route path naming a binary file (`/logo.png`), and a content
 * type written in a routed controller's or function's code (`contentType: 'application/pdf'`).
 */
export function binaryResponseWarnings(config: ResolvedConfig, app: AppModel): Diagnostic[] {
  const missed = BROWSER_ACCEPTS.find(({ accept }) => !covers(config.binaryMediaTypes, accept));
  if (!missed) return [];
  const routes = app.table.routes.filter((route) => route.method !== 'OPTIONS');
  const byPath = routes.filter((route) => (route.method === 'GET' || route.method === 'ANY') && BINARY_EXTENSION.test(route.path));
  const subjects = byPath.map((route) => `${route.method} ${route.path} → ${route.targetName}`);
  // A target already named by a route above is not named twice.
  const named = new Set(byPath.map((route) => ('controller' in route.target ? route.target.controller : `function:${route.target.function}`)));
  const files = new Map<string, string>();
  for (const route of routes) {
    if ('controller' in route.target) {
      const controller = app.controllers.get(route.target.controller);
      if (controller && !named.has(route.target.controller)) files.set(controller.file, controller.className);
    } else {
      const fn = app.functions.find((candidate) => candidate.name === (route.target as { function: string }).function);
      if (fn && !named.has(`function:${fn.name}`)) files.set(fn.file, `function:${fn.name}`);
    }
  }
  for (const [file, name] of files) {
    const found = binaryTypeIn(file);
    if (found) subjects.push(`${name} (${found.type} at ${relative(app.root, file)}:${found.line})`);
  }
  if (subjects.length === 0) return [];
  const shown = subjects.length > 3 ? `${subjects.slice(0, 3).join(', ')} and ${subjects.length - 3} more` : subjects.join(', ');
  const configured = `binaryMediaTypes ${config.binaryMediaTypes.length > 0 ? JSON.stringify(config.binaryMediaTypes) : '(none set)'}`;
  return [{
    level: 'warning',
    text: `${shown} ${subjects.length === 1 ? 'returns' : 'return'} binary, which API Gateway sends as base64 text to ${missed.who} (Accept: ${missed.accept.split(',').slice(0, 2).join(',')},…): ${configured} does not list that Accept header's first type`,
    hint: "set binaryMediaTypes: ['*/*']",
    ...(config.configFile ? { file: config.configFile } : {}),
  }];
}
