import type { CompiledRoute } from '../router/index.js';
import { parseBody } from './body.js';
import { serializeCookie, type CookieOptions } from './cookies.js';
import { JSON_TYPE, ResponseState } from './response.js';
import type { ApiEvent, Request } from './request.js';
import type { LambdaContext } from './types.js';
import { decodeOrKeep } from './decode.js';

/** Merged request parameters: path > query > body (JSON, urlencoded or multipart). */
export type Params = Record<string, any>;

/** What the render helpers return, so `return this.json(…)` reads naturally. */
export type Rendered = ResponseState;

export interface ControllerInit {
  request: Request;
  context: LambdaContext;
  route: CompiledRoute;
  action: string;
}

export interface FilterOptions {
  only?: readonly string[];
  except?: readonly string[];
}

export type Filter<C extends Controller = Controller> = string | ((this: C, controller: C) => unknown);
export type RescueHandler<C extends Controller = Controller> = string | ((this: C, error: any, controller: C) => unknown);
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface RenderOptions {
  status?: number;
  headers?: Record<string, string | readonly string[]>;
}

/** Filters and rescue handlers declared on one class (parents are merged in by hooksOf). */
export interface ControllerHooks {
  before: Array<{ filter: Filter<any>; options: FilterOptions }>;
  after: Array<{ filter: Filter<any>; options: FilterOptions }>;
  rescue: Array<{ type: ErrorClass; handler: RescueHandler<any> }>;
}

export const declaredHooks = new WeakMap<Function, ControllerHooks>();

export const noHooks = (): ControllerHooks => ({ before: [], after: [], rescue: [] });

const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Records a hook on the class that declares it (its own list; hooksOf merges the ancestors'). */
function addHook<K extends keyof ControllerHooks>(type: Function, kind: K, hook: ControllerHooks[K][number]): void {
  let hooks = declaredHooks.get(type);
  if (!hooks) declaredHooks.set(type, (hooks = noHooks()));
  (hooks[kind] as Array<typeof hook>).push(hook);
}

/**
 * Base class of every controller. One instance serves one request; public methods of a subclass
 * are its actions. An action renders exactly once, through json/text/html/send/redirect/head.
 */
export abstract class Controller {
  // `declare`: the constructor sets them, and emitted field declarations would only add bytes to every bundle.
  declare readonly request: Request;
  declare readonly context: LambdaContext;
  declare readonly route: CompiledRoute;
  declare readonly actionName: string;
  readonly response = new ResponseState();
  #params: Params | undefined;
  #cookies: CookieJar | undefined;

  constructor(init: ControllerInit) {
    this.request = init.request;
    this.context = init.context;
    this.route = init.route;
    this.actionName = init.action;
  }

  /** Runs before the listed actions; a filter that renders halts the request. `static { this.before('auth') }` */
  static before<C extends Controller>(this: abstract new (init: ControllerInit) => C, filter: Filter<C>, options: FilterOptions = {}): void {
    addHook(this, 'before', { filter, options });
  }

  /** Runs after the listed actions have rendered (e.g. to add headers). */
  static after<C extends Controller>(this: abstract new (init: ControllerInit) => C, filter: Filter<C>, options: FilterOptions = {}): void {
    addHook(this, 'after', { filter, options });
  }

  /** Renders errors of `type` (and subclasses) with `handler` instead of a 500. */
  static rescueFrom<C extends Controller>(this: abstract new (init: ControllerInit) => C, type: ErrorClass, handler: RescueHandler<C>): void {
    addHook(this, 'rescue', { type, handler });
  }

  /** The proxy event (REST v1 or HTTP API 2.0) as API Gateway sent it. */
  get event(): ApiEvent {
    return this.request.event;
  }

  get params(): Params {
    if (this.#params) return this.#params;
    const request = this.request;
    const merged: Params = { ...parseBody(request.rawBody, request.contentType) };
    const multi = request.multiQuery;
    for (const [key, value] of Object.entries(request.query)) {
      const list = key.endsWith('[]');
      const name = list ? key.slice(0, -2) : key;
      // `?__proto__[]=x` would swap the params object's prototype (body.ts refuses it too).
      if (name === '__proto__') continue;
      merged[name] = list ? [...(multi[key] ?? [value])] : value;
    }
    const path = request.pathParameters;
    for (const [key, value] of Object.entries(path)) merged[key] = decodeOrKeep(value);
    for (const [alias, name] of Object.entries(this.route.paramAliases ?? {})) {
      if (path[name] !== undefined) merged[alias] = decodeOrKeep(path[name]);
    }
    return (this.#params = merged);
  }

  /** Request cookies to read, and Set-Cookie headers to write. */
  get cookies(): CookieJar {
    return (this.#cookies ??= new CookieJar(this.request.cookies, this.response));
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.response.setHeader(name, value);
    return this;
  }

  json(value: unknown, options?: RenderOptions): Rendered {
    return this.#render(JSON.stringify(value) ?? 'null', JSON_TYPE, options);
  }

  text(value: string, options?: RenderOptions): Rendered {
    return this.#render(value, TEXT_TYPE, options);
  }

  html(value: string, options?: RenderOptions): Rendered {
    return this.#render(value, 'text/html; charset=utf-8', options);
  }

  /** Raw bytes or text; a Buffer is sent base64-encoded with `isBase64Encoded: true`. */
  send(data: Buffer | Uint8Array | string, options: RenderOptions & { contentType?: string } = {}): Rendered {
    const body = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const fallback = typeof body === 'string' ? TEXT_TYPE : 'application/octet-stream';
    const { contentType, ...rest } = options;
    if (!contentType) return this.#render(body, fallback, rest);
    // An explicit contentType beats a Content-Type set earlier (e.g. by a filter); the fallback does not.
    return this.#render(body, contentType, { ...rest, headers: { 'Content-Type': contentType, ...rest.headers } });
  }

  redirect(url: string, status = 302): Rendered {
    return this.#render('', undefined, { status, headers: { Location: url } });
  }

  /** A response with no body, e.g. `this.head(204)`. */
  head(status: number, options?: Omit<RenderOptions, 'status'>): Rendered {
    return this.#render('', undefined, { ...options, status });
  }

  #render(body: string | Buffer, contentType: string | undefined, options: RenderOptions = {}): Rendered {
    const response = this.response;
    if (response.rendered) {
      throw new Error(`${this.constructor.name}#${this.actionName} rendered twice — render once per request`);
    }
    response.rendered = true;
    response.status = options.status ?? response.status;
    response.body = body;
    if (contentType && !response.getHeader('content-type')) response.setHeader('Content-Type', contentType);
    for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value);
    return response;
  }
}

/** `this.cookies.get('session')`, `this.cookies.set('theme', 'dark', { httpOnly: true })`. */
export class CookieJar {
  readonly #incoming: Readonly<Record<string, string>>;
  readonly #response: ResponseState;

  constructor(incoming: Readonly<Record<string, string>>, response: ResponseState) {
    this.#incoming = incoming;
    this.#response = response;
  }

  get(name: string): string | undefined {
    return this.#incoming[name];
  }

  all(): Readonly<Record<string, string>> {
    return this.#incoming;
  }

  set(name: string, value: string, options?: CookieOptions): void {
    this.#response.appendHeader('Set-Cookie', serializeCookie(name, value, options));
  }

  delete(name: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): void {
    this.set(name, '', { ...options, maxAge: 0, expires: new Date(0) });
  }
}
