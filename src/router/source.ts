import type { SourceLocation } from './types.js';

// Frames are parsed from V8 stack lines such as `at fn (file:///app/config/routes.ts:4:5)`.
const FRAME = /\(?(?:file:\/\/)?([^\s()]+?):(\d+):(\d+)\)?$/;

function frameFile(line: string | undefined): string | undefined {
  return line ? FRAME.exec(line.trim())?.[1] : undefined;
}

// The directory of this module: frames from here are the DSL itself, not the user's routes file.
const ownDirectory = (() => {
  const file = frameFile(new Error().stack?.split('\n')[1]);
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
    const match = FRAME.exec(line.trim());
    if (!match?.[1] || match[1].startsWith(ownDirectory) || match[1].startsWith('node:')) continue;
    return { file: match[1], line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}
