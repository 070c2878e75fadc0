// Which route keys a channel class serves, read from the class itself. Here because the build (which
// plans the WebSocket API) and sls-ts/testing (which routes messages in-process) must agree, and both
// may import router/ (DESIGN.md §2). Plain JavaScript: nothing of it reaches a controller bundle.

export const CHANNEL_LIFECYCLE_METHODS = ['connect', 'disconnect', 'default'] as const;
export type ChannelLifecycleMethod = (typeof CHANNEL_LIFECYCLE_METHODS)[number];

/**
 * The prototype of the framework's Channel in the class's chain: the one that defines send, broadcast
 * and reject itself. Not `instanceof Channel`: the app may have resolved another copy of sls-ts.
 */
export function channelBase(type: Function): object | undefined {
  for (let proto = type.prototype as object | null; proto; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'broadcast') && Object.hasOwn(proto, 'send') && Object.hasOwn(proto, 'reject')) return proto;
  }
  return undefined;
}

/** Public methods the class adds over Channel, sorted: its actions and lifecycle methods (`_helpers` excluded). */
export function channelMethods(type: Function, base: object): string[] {
  const found = new Set<string>();
  for (let proto = type.prototype as object | null; proto && proto !== base; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_') || name in base) continue;
      if (typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') found.add(name);
    }
  }
  return [...found].sort();
}

/**
 * The reserved routes a channel's API needs: those its class defines, $connect for a guard to stand on,
 * and both $connect and $disconnect when its connections are tracked (the handler records and forgets
 * them there).
 */
export function channelLifecycleRoutes(channel: { lifecycle: readonly ChannelLifecycleMethod[]; auth?: unknown; connections?: unknown }): string[] {
  const needed = new Set<string>(channel.lifecycle);
  if (channel.auth || channel.connections) needed.add('connect');
  if (channel.connections) needed.add('disconnect');
  return CHANNEL_LIFECYCLE_METHODS.filter((method) => needed.has(method)).map((method) => `$${method}`);
}
