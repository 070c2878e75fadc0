// S3's REST API, path-style only (`/<bucket>/<key>`): a request in virtual-hosted style (bucket in
// the Host name) finds no bucket here, which is what the wire tests want to catch.
import { createHash } from 'node:crypto';
import type { DoubleState, ObjectVersion } from './state.js';
import { escapeXml, flatList, readTags, unescapeXml } from './xml.js';

export interface RestReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function s3Error(status: number, code: string, message: string): RestReply {
  return { status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` };
}

function xml(body: string): RestReply {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>${body}` };
}

/** Bodies the SDK streams arrive in aws-chunked encoding: `<hex size>[;ext]\r\n<data>\r\n…0\r\n<trailers>`. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const end = body.indexOf('\r\n', offset);
    if (end < 0) break;
    const size = Number.parseInt(body.subarray(offset, end).toString('latin1').split(';')[0]!, 16);
    if (!size) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    offset = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function etag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

export function handleS3(state: DoubleState, method: string, url: URL, headers: Record<string, string | string[] | undefined>, raw: Buffer): RestReply {
  const [bucket = '', ...rest] = url.pathname.replace(/^\//, '').split('/');
  const key = decodeURIComponent(rest.join('/'));
  const objects = state.buckets.get(decodeURIComponent(bucket));
  if (!objects) return s3Error(404, 'NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
  const name = decodeURIComponent(bucket);

  if (!key) {
    if (method === 'GET' && url.searchParams.has('versions')) return listVersions(state, name, objects, url.searchParams);
    if (method === 'POST' && url.searchParams.has('delete')) return deleteObjects(objects, raw.toString('utf8'));
    return s3Error(400, 'NotImplemented', `${method} ${url.pathname}${url.search} is not implemented by the double`);
  }
  switch (method) {
    case 'PUT': {
      const chunked = String(headers['content-encoding'] ?? '').includes('aws-chunked');
      const body = chunked ? decodeAwsChunked(raw) : raw;
      const version = state.putObject(name, key, body, headers['content-type'] as string | undefined);
      return { status: 200, headers: { etag: etag(body), 'x-amz-version-id': version.versionId } };
    }
    case 'HEAD':
    case 'GET': {
      const object = state.latest(name, key);
      if (!object) return method === 'HEAD' ? { status: 404 } : s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      const meta = { etag: etag(object.body), 'content-length': String(object.body.length), 'content-type': object.contentType ?? 'binary/octet-stream', 'last-modified': object.lastModified.toUTCString() };
      return { status: 200, headers: meta, ...(method === 'GET' && { body: object.body }) };
    }
    case 'DELETE': {
      objects.set(key, [...(objects.get(key) ?? []), { versionId: state.id(16), deleteMarker: true, body: Buffer.alloc(0), lastModified: state.now() }]);
      return { status: 204 };
    }
    default:
      return s3Error(405, 'MethodNotAllowed', method);
  }
}

function listVersions(state: DoubleState, bucket: string, objects: Map<string, ObjectVersion[]>, query: URLSearchParams): RestReply {
  const all = [...objects.keys()].sort().flatMap((key) => [...objects.get(key)!].reverse().map((version, index) => ({ key, version, latest: index === 0 })));
  const keyMarker = query.get('key-marker');
  const versionMarker = query.get('version-id-marker');
  const start = keyMarker === null ? 0 : all.findIndex((entry) => entry.key === keyMarker && entry.version.versionId === versionMarker) + 1;
  const pageSize = Math.min(Number(query.get('max-keys') ?? 1000), state.pageSize);
  const page = all.slice(start, start + pageSize);
  const truncated = start + pageSize < all.length;
  const entry = ({ key, version, latest }: (typeof all)[number]) => ({
    Key: key, VersionId: version.versionId, IsLatest: latest, LastModified: version.lastModified,
    ...(!version.deleteMarker && { ETag: etag(version.body), Size: version.body.length, StorageClass: 'STANDARD' }),
  });
  const last = page.at(-1);
  return xml(
    `<ListVersionsResult xmlns="${NS}"><Name>${escapeXml(bucket)}</Name><IsTruncated>${truncated}</IsTruncated>` +
      (truncated && last ? `<NextKeyMarker>${escapeXml(last.key)}</NextKeyMarker><NextVersionIdMarker>${last.version.versionId}</NextVersionIdMarker>` : '') +
      flatList('Version', page.filter((item) => !item.version.deleteMarker).map(entry)) +
      flatList('DeleteMarker', page.filter((item) => item.version.deleteMarker).map(entry)) +
      '</ListVersionsResult>',
  );
}

function deleteObjects(objects: Map<string, ObjectVersion[]>, body: string): RestReply {
  const deleted: Array<Record<string, unknown>> = [];
  for (const item of readTags(body, 'Object')) {
    const key = unescapeXml(readTags(item, 'Key')[0] ?? '');
    const versionId = readTags(item, 'VersionId')[0];
    const versions = objects.get(key) ?? [];
    const remaining = versions.filter((version) => version.versionId !== versionId);
    if (remaining.length > 0) objects.set(key, remaining);
    else objects.delete(key);
    deleted.push({ Key: key, ...(versionId && { VersionId: versionId }) });
  }
  const quiet = readTags(body, 'Quiet')[0] === 'true';
  return xml(`<DeleteResult xmlns="${NS}">${quiet ? '' : flatList('Deleted', deleted)}</DeleteResult>`);
}
