/**
 * An error that maps straight to an HTTP response: `throw new HttpError(404, 'Post not found')`
 * renders `{"error":"Post not found"}` with status 404 unless a rescueFrom handler takes it.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message?: string, options: { details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message ?? defaultMessage(status), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.details = options.details;
    this.headers = options.headers;
  }
}

function defaultMessage(status: number): string {
  return (
    ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity' } as Record<number, string>)[status] ??
    (status >= 500 ? 'Internal Server Error' : 'Error')
  );
}

/** True for errors carrying an HTTP status the client should see (HttpError, body parse errors). */
export function isHttpError(error: unknown): error is Error & { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status <= 599;
}
