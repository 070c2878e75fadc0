import type { SourceLocation } from './types.js';

// Frames are V8 stack lines such as `at fn (file:///app/config/routes.ts:4:5)` or
// `at /My Projects/app/config/routes.ts:4:5`: the path runs to the last `:line:column` and may
// hold spaces, so it is not cut at the first space; a file URL is decoded back to a path.
const FRAME = /^at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

function parseFrame(line: string | undefined): SourceLocation | undefined {
  const match = line ? FRAME.exec(line.trim()) : undefined;
  if (!match?.[1]) return undefined;
  const file = match[1].startsWith('file://') ? decodeURIComponent(match[1].slice('file://'.length)) : match[1];
  return { file, line: Number(match[2]), column: Number(match[3]) };
}

// The directory of this module: frames from here are the DSL itself, not the user's routes file.
const ownDirectory = (() => {
  const file = parseFrame(new Error().stack?.split('\n')[1])?.file;
  return file ? file.slice(0, file.lastIndexOf('/') + 1) : undefined;
})();

/**
 * Where the DSL was called from. Skipped inside Lambda: the bundle has no useful lines and every
 * captured stack would add to cold start, while all route errors are caught by tooling first.
 */
export function captureSource(): SourceLocation | undefined {
  if (!ownDirectory || globalThis.process?.env?.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  const lines = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of lines) {
    const frame = parseFrame(line);
    if (!frame || frame.file.startsWith(ownDirectory) || frame.file.startsWith('node:')) continue;
    return frame;
  }
  return undefined;
}
