import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { GatewayResponse } from '../runtime/emulation/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
};

/**
 * A file from public/ for GET/HEAD, or undefined. Paths are decoded and normalised, and anything
 * that would leave public/ (`..`, encoded or not, absolute paths, NUL, a symbolic link whose
 * target lies outside) is refused.
 */
export async function serveStatic(publicDir: string, method: string, urlPath: string): Promise<GatewayResponse | undefined> {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative.split(/[/\\]/).includes('..')) return undefined;
  let file = join(publicDir, relative);
  if (!file.startsWith(publicDir + sep) && file !== publicDir) return undefined;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile() || !(await staysInside(publicDir, file))) return undefined;
    const body = await readFile(file);
    return { status: 200, headers: [['Content-Type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream']], body };
  } catch {
    return undefined;
  }
}

/**
 * Whether the file's real path is inside public/'s real path. The path checks above see only the
 * link's own name: `public/up -> ..` would otherwise serve the app's .env.
 */
async function staysInside(publicDir: string, file: string): Promise<boolean> {
  const [realPublic, realFile] = await Promise.all([realpath(publicDir), realpath(file)]);
  return realFile.startsWith(realPublic + sep);
}
