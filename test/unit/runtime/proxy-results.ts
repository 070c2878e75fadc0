// Assertions shared by the runtime tests: every result the handler returns must be one API
// Gateway accepts.
import { expect } from 'vitest';
import { mapProxyResult } from '../../../src/runtime/emulation/index.js';
import type { ApiGatewayProxyResult, HttpApiResult } from '../../../src/runtime/types.js';

const PROXY_KEYS = ['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'];
const HTTP_API_KEYS = ['statusCode', 'headers', 'cookies', 'body', 'isBase64Encoded'];

/** A REST result: only the allowed keys, a string body, nothing API Gateway would call malformed. */
export function checkProxyResult(value: unknown): ApiGatewayProxyResult {
  const result = value as ApiGatewayProxyResult;
  expect(Object.keys(result).filter((key) => !PROXY_KEYS.includes(key))).toEqual([]);
  expect(typeof result.body).toBe('string');
  expect(mapProxyResult(result).malformed).toBeUndefined();
  return result;
}

/** An HTTP API 2.0 result: only the keys it defines, a numeric status. */
export function checkHttpApiResult(value: unknown): HttpApiResult {
  const result = value as HttpApiResult;
  expect(Object.keys(result).filter((key) => !HTTP_API_KEYS.includes(key))).toEqual([]);
  expect(typeof result.statusCode).toBe('number');
  return result;
}
