// Logical ids are a function of their own key (function key, route path, group key) and of
// nothing else: never of positions, and never of which other keys exist. CloudFormation treats a
// renamed resource as a new one, creates it before deleting the old, and API Gateway (path parts)
// or Lambda (function names) then refuse the duplicate. So a key whose readable words lose
// information (`/v1.2` and `/v12` both read `V12`) always carries a hash of itself, and a key whose
// words map back to it one to one keeps the readable id, whatever else the app declares.
import { singularize } from '../router/index.js';
import { SlsError } from '../shared/errors.js';
import { sha256Hex } from './json.js';

export const LOGICAL_ID_MAX = 255;
const HASH_LENGTH = 8;

export interface IdRequest {
  /** Unique among all requests: what the id is for (`function:posts-controller#role`). */
  key: string;
  /** The readable part, e.g. `PostsController`. */
  stem: string;
  /** Appended after the hash when one is needed, so `PostsControllerRole` becomes `PostsController1a2b3c4dRole`. */
  suffix?: string;
  /** Requests of one owner (a function, a path) share the hash, so its family stays recognisable. */
  owner?: string;
  /** The stem reads back as exactly one owner key (see `isPlainPath`, `isPlainKey`); otherwise the id carries a hash. */
  plain: boolean;
  /** For the message when two ids still meet: `GET /posts`, `function posts-controller`. */
  label?: string;
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

/** `PostsPostIdComments` → `posts`, `post`, `id`, `comments`: a capital starts a word. */
function lowerWords(readable: string): string[] {
  return readable.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
}

/**
 * The one path a readable form stands for. Words are lowercase literal parts, except the
 * parameters sls-ts's own routes use: `Id` is `{id}`, `<Singular>Id` after its plural is the
 * nested resource's `{post_id}`, and a final `Proxy` or `Path` is a greedy `{proxy+}`/`{path+}`.
 * Every other spelling of the same words (`/posts/id`, `/logo.png`, `/hello/{name}`) is not this
 * one, so it gets a hash.
 */
function decodePath(readable: string): string {
  if (readable === 'Root') return '/';
  const words = lowerWords(readable);
  const segments: string[] = [];
  let literal: string | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const next = words[index + 1];
    if (word === 'id') {
      segments.push('{id}');
      literal = undefined;
    } else if ((word === 'proxy' || word === 'path') && next === undefined) {
      segments.push(`{${word}+}`);
    } else if (next === 'id' && literal !== undefined && singularize(literal) === word) {
      segments.push(`{${word}_id}`);
      literal = undefined;
      index++;
    } else {
      segments.push(word);
      literal = word;
    }
  }
  return `/${segments.join('/')}`;
}

/**
 * A stem ending in what looks like our hash could meet a hashed id (`/logo/png1a2b3c4d` and
 * `/logo.png` hashed): such stems take a hash themselves, so the two kinds never meet.
 */
function endsLikeHash(stem: string): boolean {
  return new RegExp(`[0-9a-f]{${HASH_LENGTH}}$`).test(stem);
}

/** True when `pathWords(path)` reads back as `path` and nothing else. */
export function isPlainPath(path: string): boolean {
  const words = pathWords(path);
  return words.length > 0 && !endsLikeHash(words) && decodePath(words) === path;
}

/**
 * True when `pascalWords(key)` reads back as `key`: kebab-case words (`admin-stats-controller`,
 * `cleanup-job`), and after the last `controller` word an action in camelCase (`-showAll`), the
 * way the build spells function keys. `posts_controller`, `send.email` get a hash.
 */
export function isPlainKey(key: string): boolean {
  const stem = pascalWords(key);
  if (stem.length === 0 || endsLikeHash(stem)) return false;
  const words = lowerWords(stem);
  const cut = words.lastIndexOf('controller') + 1;
  const head = (cut > 0 ? words.slice(0, cut) : words).join('-');
  const action = words.slice(cut > 0 ? cut : words.length).map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return (action.length > 0 ? `${head}-${action}` : head) === key;
}

/** True for a declared resource's camelCase name (`userUploads`): its PascalCase reads back as it. */
export function isPlainName(name: string): boolean {
  const stem = pascalWords(name);
  return /^[a-z][A-Za-z0-9]*$/.test(name) && !endsLikeHash(stem);
}

function hashedId(request: IdRequest): string {
  const suffix = request.suffix ?? '';
  const hash = sha256Hex(request.owner ?? request.key).slice(0, HASH_LENGTH);
  return `${request.stem.slice(0, LOGICAL_ID_MAX - suffix.length - HASH_LENGTH)}${hash}${suffix}`;
}

/** The id of one request, from the request alone. */
export function logicalIdOf(request: IdRequest): string {
  const readable = `${request.stem}${request.suffix ?? ''}`;
  const fits = /^[A-Za-z0-9]+$/.test(readable) && readable.length <= LOGICAL_ID_MAX;
  return request.plain && fits ? readable : hashedId(request);
}

/**
 * Gives every request its id (see `logicalIdOf`). Two keys can still meet only through a hash
 * collision or two families reading alike (a function `api-posts` and the `/posts` path stack):
 * renaming either would break a deployed stack, so that is an error naming both, not a quiet
 * rename. Ids compare exactly, as CloudFormation compares them.
 */
export function assignLogicalIds(requests: readonly IdRequest[], reserved: readonly string[] = []): Map<string, string> {
  const owners = new Map<string, string>(reserved.map((id) => [id, `the fixed id ${id}`]));
  const ids = new Map<string, string>();
  for (const request of requests) {
    const id = logicalIdOf(request);
    const other = owners.get(id);
    if (other !== undefined) {
      throw new SlsError({
        text: `${request.label ?? request.key} and ${other} would both have the logical id ${id}`,
        hint: 'rename one of them (a path, a controller, a job or a function)',
      });
    }
    owners.set(id, request.label ?? request.key);
    ids.set(request.key, id);
  }
  return ids;
}
