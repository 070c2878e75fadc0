// API Gateway (REST) turns a function's base64 body back into bytes only when the request's FIRST
// Accept type matches binaryMediaTypes (fidelity item 73). Browsers lead with types no one lists —
// `text/html` for a tab, `image/avif` for an <img> — so `['image/png']` serves a PNG as base64 text.
import type { BuiltFunction } from '../build/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';

/** What browsers send, by what asks (current Chrome, Firefox and Safari defaults). */
const BROWSER_ACCEPTS: ReadonlyArray<{ who: string; accept: string }> = [
  { who: 'an <img> in Chrome', accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8' },
  { who: 'an <img> in Firefox', accept: 'image/avif,image/webp,*/*' },
  { who: 'an <img> in Safari', accept: 'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5' },
  { who: 'a browser tab', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
];

/** File extensions whose responses are bytes, not text: a route path ending in one returns binary. */
const BINARY_EXTENSION = /\.(png|jpe?g|gif|webp|avif|ico|bmp|tiff?|pdf|zip|gz|tgz|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|ogg|webm|wasm)$/i;

/** `image/png` matches `image/png`, `image/*` and `*\/*` (the runtime's emulation matches the same way). */
function covers(binaryMediaTypes: readonly string[], accept: string): boolean {
  const first = accept.split(',')[0]!.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((entry) => {
    const wanted = entry.toLowerCase();
    return wanted === '*/*' || wanted === first || (wanted.endsWith('/*') && first.startsWith(wanted.slice(0, -1)));
  });
}

/**
 * One warning for the routes whose path names a binary file (`/logo.png`) when a common browser
 * request to them would get base64 text: what the build can see of the binary a route returns.
 */
export function binaryResponseWarnings(functions: readonly BuiltFunction[], config: ResolvedConfig): Diagnostic[] {
  const missed = BROWSER_ACCEPTS.find(({ accept }) => !covers(config.binaryMediaTypes, accept));
  if (!missed) return [];
  const routes = functions.flatMap((fn) => fn.routes)
    .filter((route) => (route.method === 'GET' || route.method === 'ANY') && BINARY_EXTENSION.test(route.path))
    .map((route) => `${route.method} ${route.path} → ${'function' in route.target ? `function:${route.target.function}` : `${route.target.controller}#${route.target.action}`}`);
  if (routes.length === 0) return [];
  const shown = routes.length > 3 ? `${routes.slice(0, 3).join(', ')} and ${routes.length - 3} more` : routes.join(', ');
  const configured = `binaryMediaTypes ${config.binaryMediaTypes.length > 0 ? JSON.stringify(config.binaryMediaTypes) : '(none set)'}`;
  return [{
    level: 'warning',
    text: `${shown} ${routes.length === 1 ? 'returns' : 'return'} binary, which API Gateway sends as base64 text to ${missed.who} (Accept: ${missed.accept.split(',').slice(0, 2).join(',')},…): ${configured} does not list that Accept header's first type`,
    hint: "set binaryMediaTypes: ['*/*']",
    ...(config.configFile ? { file: config.configFile } : {}),
  }];
}
