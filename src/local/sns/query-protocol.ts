// SNS's AWS Query protocol, as AWS SDK v3 speaks it: a form-encoded POST (`Action=Publish&
// Version=2010-03-31&…`, lists as `X.member.N`, maps as `X.entry.N.key/value`) answered in XML,
// errors as an `ErrorResponse` whose Code the SDK turns into its exception (NotFound →
// NotFoundException).
import { randomUUID } from 'node:crypto';
import type { LocalReply } from '../local-server.js';

export class SnsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** SNS's wording for a bad or missing parameter: `Invalid parameter: <what>`. */
export const invalidParameter = (what: string) => new SnsError('InvalidParameter', `Invalid parameter: ${what}`);
export const notFound = (what: string) => new SnsError('NotFound', what, 404);

export type Params = URLSearchParams;

const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export const escapeXml = (text: string) => text.replace(/[<>&'"\r]/g, (c) => `&#${c.charCodeAt(0)};`);

/** `<Tag>value</Tag>`, nothing when the value is absent. */
export const xmlField = (tag: string, value: string | number | undefined) => (value === undefined ? '' : `<${tag}>${escapeXml(String(value))}</${tag}>`);

/** The numbers N of `<prefix>.N.…` parameters, in order. */
export function indices(params: Params, prefix: string): number[] {
  const found = new Set<number>();
  const head = `${prefix}.`;
  for (const key of params.keys()) {
    if (!key.startsWith(head)) continue;
    const n = Number.parseInt(key.slice(head.length), 10);
    if (Number.isInteger(n) && n > 0) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

/** A string map (`Attributes.entry.N.key` / `.value`) as a record. */
export function readMap(params: Params, prefix: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const n of indices(params, `${prefix}.entry`)) {
    const key = params.get(`${prefix}.entry.${n}.key`);
    if (key !== null) map[key] = params.get(`${prefix}.entry.${n}.value`) ?? '';
  }
  return map;
}

/** The request's parameters: the form body, and the query string (an UnsubscribeURL is a GET). */
export function readParams(url: string, body: string): Params {
  const params = new URLSearchParams(new URL(url, 'http://local').search);
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return params;
}

export function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw invalidParameter(`${name} Reason: no value for required parameter`);
  return value;
}

export function xmlReply(action: string, result: string | undefined): LocalReply {
  const body = `<?xml version="1.0"?><${action}Response xmlns="${NAMESPACE}">${result === undefined ? '' : `<${action}Result>${result}</${action}Result>`}`
    + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, contentType: 'text/xml', body };
}

export function xmlError(error: SnsError): LocalReply {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body = `<?xml version="1.0"?><ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type>${xmlField('Code', error.code)}${xmlField('Message', error.message)}</Error>`
    + `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status: error.status, contentType: 'text/xml', body };
}
