// Logical ids are derived from keys (function keys, route paths, group keys), never from
// positions, so adding a route or a controller leaves every existing id alone. They must be
// alphanumeric, at most 255 characters and unique; readable ids are kept whenever they are.
import { sha256Hex } from './json.js';

export const LOGICAL_ID_MAX = 255;

export interface IdRequest {
  /** Unique among all requests: what the id is for (`function:posts-controller#role`). */
  key: string;
  /** The readable part, e.g. `PostsController`. */
  stem: string;
  /** Appended after the hash when one is needed, so `PostsControllerRole` becomes `PostsController1a2b3c4dRole`. */
  suffix?: string;
  /** Requests of one owner (a function, a path) share the hash, so its family stays recognisable. */
  owner?: string;
}

/** `admin/users-controller` → `AdminUsersController`, `{post_id}` → `PostId`, `v1.2` → `V12`. */
export function pascalWords(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The readable part of an API path's ids: `/posts/{id}` → `PostsId`, `/{proxy+}` → `Proxy`, `/` → `Root`. */
export function pathWords(path: string): string {
  return path === '/' ? 'Root' : pascalWords(path);
}

// Parameters rank before literals, so `/posts/{id}` (the common one) keeps its readable id when
// a literal `/posts/id` shows up later with the same words.
function rankKey(request: IdRequest): string {
  return `${(request.owner ?? request.key).replace(/\{/g, '\u0000')}\u0001${request.key}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hashedId(request: IdRequest, length: number): string {
  const suffix = request.suffix ?? '';
  const hash = sha256Hex(request.owner ?? request.key).slice(0, length);
  return `${request.stem.slice(0, LOGICAL_ID_MAX - suffix.length - length)}${hash}${suffix}`;
}

/**
 * Gives every request an id: `stem + suffix` when that is free and short enough, else the stem
 * with a hash of the owner's key. Among requests that would share a readable id, the best ranked
 * keeps it; the others get hashes. Ids are compared case-insensitively to stay clear of any
 * case-folding along the way (consoles, file systems of tools that export templates).
 */
export function assignLogicalIds(requests: readonly IdRequest[], reserved: readonly string[] = []): Map<string, string> {
  const taken = new Set(reserved.map((id) => id.toLowerCase()));
  const groups = new Map<string, IdRequest[]>();
  for (const request of requests) {
    const plain = `${request.stem}${request.suffix ?? ''}`.toLowerCase();
    const group = groups.get(plain);
    if (group) group.push(request);
    else groups.set(plain, [request]);
  }

  const ids = new Map<string, string>();
  const losers: IdRequest[] = [];
  for (const plain of [...groups.keys()].sort(compare)) {
    const group = groups.get(plain)!.sort((a, b) => compare(rankKey(a), rankKey(b)));
    const [first, ...rest] = group;
    const readable = `${first!.stem}${first!.suffix ?? ''}`;
    if (/^[A-Za-z0-9]+$/.test(readable) && readable.length <= LOGICAL_ID_MAX && !taken.has(plain)) {
      ids.set(first!.key, readable);
      taken.add(plain);
    } else losers.push(first!);
    losers.push(...rest);
  }
  for (const request of losers.sort((a, b) => compare(a.key, b.key))) {
    for (const length of [8, 16, 32, 64]) {
      const id = hashedId(request, length);
      if (taken.has(id.toLowerCase())) continue;
      ids.set(request.key, id);
      taken.add(id.toLowerCase());
      break;
    }
    if (!ids.has(request.key)) throw new Error(`cannot find a free logical id for ${request.key}`);
  }
  return ids;
}
