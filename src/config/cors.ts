import type { ResolvedCors } from './types.js';

/**
 * The one Access-Control-Allow-Origin a static answer can carry — a preflight whose request names
 * no listed origin, API Gateway's DEFAULT_4XX/5XX gateway responses and the dev server's
 * emulation of them: `*`, or the first listed origin (validation refuses an empty list).
 */
export function staticAllowOrigin(cors: ResolvedCors): string {
  return cors.origins === '*' ? '*' : cors.origins[0]!;
}
