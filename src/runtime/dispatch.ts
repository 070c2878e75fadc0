import { Controller, declaredHooks, noHooks, type ControllerHooks, type ControllerInit, type FilterOptions } from './controller.js';
import { isHttpError } from './http-error.js';
import { JSON_TYPE, type ResponseState } from './response.js';

export type ControllerClass = new (init: ControllerInit) => Controller;

export interface RunOptions {
  /** Put error messages and stacks in 500 responses (development only). */
  showErrors: boolean;
}

const mergedHooks = new WeakMap<Function, ControllerHooks>();

/** Hooks of a class and its ancestors, parents first (rescue handlers: most recent first). */
function hooksOf(type: Function): ControllerHooks {
  const cached = mergedHooks.get(type);
  if (cached) return cached;
  const parent = Object.getPrototypeOf(type) as Function;
  const inherited = type === Controller || !parent ? noHooks() : hooksOf(parent);
  const own = declaredHooks.get(type);
  const hooks: ControllerHooks = {
    before: [...inherited.before, ...(own?.before ?? [])],
    after: [...inherited.after, ...(own?.after ?? [])],
    rescue: [...(own?.rescue ?? [])].reverse().concat(inherited.rescue),
  };
  mergedHooks.set(type, hooks);
  return hooks;
}

function applies(options: FilterOptions, action: string): boolean {
  if (options.only && !options.only.includes(action)) return false;
  return !options.except?.includes(action);
}

/** Calls a hook given as a method name or a function; functions also get the controller as last argument. */
function callHook(controller: Controller, hook: string | Function, kind: string, args: unknown[]): unknown {
  if (typeof hook === 'function') return hook.call(controller, ...args, controller);
  const method = (controller as unknown as Record<string, unknown>)[hook];
  if (typeof method !== 'function') {
    throw new Error(`${controller.constructor.name}: ${kind} "${hook}" is not a method`);
  }
  return method.apply(controller, args);
}

export type HookRole = 'before filter' | 'after filter' | 'rescueFrom handler';
// Each written once: the bundle of every controller function carries them (its size is a target).
const BEFORE: HookRole = 'before filter';
const AFTER: HookRole = 'after filter';
const RESCUE: HookRole = 'rescueFrom handler';

/**
 * The role of a method the controller (with its ancestors) names as a filter or rescue handler:
 * such a method is no action — routed, it would run without what its hook passes it.
 */
function hookRole(type: Function, name: string): HookRole | undefined {
  const { before, after, rescue } = hooksOf(type);
  const names = (hook: { filter?: unknown; handler?: unknown }) => (hook.filter ?? hook.handler) === name;
  return before.some(names) ? BEFORE : after.some(names) ? AFTER : rescue.some(names) ? RESCUE : undefined;
}

/** Every method a controller names as a filter or rescue handler, by role (for the route check). */
export function hookMethods(type: Function): Map<string, HookRole> {
  const { before, after, rescue } = hooksOf(type);
  const names: unknown[] = [...before.map((hook) => hook.filter), ...after.map((hook) => hook.filter), ...rescue.map((hook) => hook.handler)];
  const roles = new Map<string, HookRole>();
  for (const name of names) if (typeof name === 'string') roles.set(name, hookRole(type, name)!);
  return roles;
}

/** Is `action` a method of this controller's own (not a helper inherited from Controller)? Filters and rescue handlers are no actions either: see hookRole. */
function isOwnMethod(type: ControllerClass, action: string): boolean {
  // Checked without reading the property: reading a getter such as `params` off the bare
  // prototype would run it without a request and fail with an unrelated error.
  if (action in Controller.prototype || action.startsWith('_')) return false;
  for (let proto = type.prototype; proto && proto !== Controller.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, action);
    if (descriptor) return typeof descriptor.value === 'function';
  }
  return false;
}

/**
 * Runs before filters, the action and after filters on a fresh controller; errors go to the
 * controller's rescueFrom handlers, then to a JSON error response.
 */
export async function runAction(type: ControllerClass, init: ControllerInit, options: RunOptions): Promise<ResponseState> {
  const controller = new type(init);
  const name = `${type.name}#${init.action}`;
  const hooks = hooksOf(type);
  try {
    // The route check names a filter's or rescue handler's role at build; this line ships in every
    // controller function, whose size is a target.
    if (hookRole(type, init.action) || !isOwnMethod(type, init.action)) throw new Error(`${type.name} has no action "${init.action}"`);
    for (const { filter, options: when } of hooks.before) {
      if (!applies(when, init.action)) continue;
      await callHook(controller, filter, BEFORE, []);
      if (controller.response.rendered) return controller.response;
    }
    await (controller as unknown as Record<string, () => unknown>)[init.action]!();
    if (!controller.response.rendered) {
      throw new Error(`${name} did not render a response — call this.json/text/html/send/redirect/head`);
    }
    for (const { filter, options: when } of hooks.after) {
      if (applies(when, init.action)) await callHook(controller, filter, AFTER, []);
    }
    return controller.response;
  } catch (error) {
    return rescue(controller, hooks, error, name, options);
  }
}

async function rescue(controller: Controller, hooks: ControllerHooks, error: unknown, name: string, options: RunOptions): Promise<ResponseState> {
  const handler = hooks.rescue.find(({ type }) => error instanceof type);
  if (handler) {
    try {
      const response = controller.response;
      if (response.rendered) {
        // The error came after a render (an after filter, a second render): the handler starts
        // from a blank response, not the status and content type of the one that failed.
        response.rendered = false;
        response.status = 200;
        response.body = '';
        response.removeHeader('content-type');
      }
      await callHook(controller, handler.handler, RESCUE, [error]);
      if (controller.response.rendered) return controller.response;
      error = new Error(`${name}: its ${RESCUE} did not render`);
    } catch (handlerError) {
      error = handlerError;
    }
  }
  return renderError(controller.response, error, name, options);
}

/** The response for an error nobody rescued: its own status for HttpError, else a 500 that hides the stack. */
export function renderError(response: ResponseState, error: unknown, name: string, options: RunOptions): ResponseState {
  const http = isHttpError(error);
  const status = http ? error.status : 500;
  if (status >= 500) console.error(`[sls-ts] ${name} failed:`, error);
  const body: Record<string, unknown> = { error: http && status < 500 ? error.message : 'Internal Server Error' };
  if (http) Object.assign(body, (error as { details?: object }).details);
  if (options.showErrors && status >= 500 && error instanceof Error) {
    body.message = error.message;
    body.stack = error.stack?.split('\n').map((line) => line.trim());
  }
  for (const [key, value] of Object.entries((error as { headers?: Record<string, string> }).headers ?? {})) response.setHeader(key, value);
  response.rendered = true;
  response.status = status;
  response.body = JSON.stringify(body);
  response.setHeader('Content-Type', JSON_TYPE);
  return response;
}
