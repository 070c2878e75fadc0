import type { ApiGatewayProxyResult, HttpApiResult } from './types.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * What an action rendered. Headers keep the casing they were set with; names compare
 * case-insensitively. Set-Cookie (and any header set twice) stays multi-valued.
 */
export class ResponseState {
  status = 200;
  body: string | Buffer = '';
  rendered = false;
  readonly #headers = new Map<string, [name: string, values: string[]]>();

  setHeader(name: string, value: string | number | readonly string[]): void {
    this.#headers.set(name.toLowerCase(), [name, Array.isArray(value) ? [...value] : [String(value)]]);
  }

  appendHeader(name: string, value: string): void {
    const entry = this.#headers.get(name.toLowerCase());
    if (entry) entry[1].push(value);
    else this.#headers.set(name.toLowerCase(), [name, [value]]);
  }

  getHeader(name: string): string | undefined {
    return this.#headers.get(name.toLowerCase())?.[1].join(', ');
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  /** REST v1 proxy result: single values in `headers`, repeated ones (Set-Cookie) in `multiValueHeaders`. */
  toProxyResult(): ApiGatewayProxyResult {
    const headers: Record<string, string> = {};
    let multiValueHeaders: Record<string, string[]> | undefined;
    for (const [name, values] of this.#headers.values()) {
      if (values.length === 1) headers[name] = values[0]!;
      else (multiValueHeaders ??= {})[name] = values;
    }
    return this.#result(headers, multiValueHeaders && { multiValueHeaders });
  }

  /** HTTP API 2.0 result: Set-Cookie values move to `cookies` (item 53), other repeats are comma-joined. */
  toHttpApiResult(): HttpApiResult {
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [key, [name, values]] of this.#headers) {
      if (key === 'set-cookie') cookies.push(...values);
      else headers[name] = values.join(', ');
    }
    return this.#result(headers, cookies.length > 0 && { cookies });
  }

  /** A Buffer body goes out base64-encoded, flagged so API Gateway decodes it. */
  #result<T extends object>(headers: Record<string, string>, extra: T | false | undefined) {
    const binary = Buffer.isBuffer(this.body);
    return { statusCode: this.status, headers, ...extra, body: binary ? (this.body as Buffer).toString('base64') : (this.body as string), isBase64Encoded: binary };
  }
}
