// app/channels/<name>-channel.ts: a default-exported Channel class. The build reads its route
// selection expression and its actions, and refuses an action no message could reach: one whose
// name the expression cannot produce, or one of the route keys API Gateway reserves.
import { relative } from 'node:path';
import { kebabCase, parseRouteSelection, canSelect, channelBase, channelMethods, CHANNEL_LIFECYCLE_METHODS, DEFAULT_ROUTE_SELECTION } from '../router/index.js';
import type { Diagnostic } from '../shared/errors.js';
import type { ModuleFacts } from './inspect-cache.js';

export interface ChannelInfo {
  /** `chat-channel` for app/channels/chat-channel.ts: its function's key. */
  key: string;
  /** `chat`: the channel's name (its local URL path, its config key). */
  name: string;
  file: string;
  className: string;
  routeSelection: string;
  /** Named actions (route keys), sorted; not connect, disconnect or default. */
  actions: string[];
  /** Which of connect, disconnect and default the class defines: the routes it gets beside its actions. */
  lifecycle: Array<'connect' | 'disconnect' | 'default'>;
  /** `static auth`: the authorizer on the channel's $connect route — an app authorizer's name (`admin` for
   * app/authorizers/admin-authorizer.ts, a REQUEST one) or `'iam'`. Absent: anyone may connect. */
  auth?: string;
  /** `static connections`: the declared table (config `resources`) that tracks the channel's open connections. */
  connections?: string;
}

/** What the inspection gives this check: kept facts, a module's default class, and a place to record what it learnt. */
export interface ChannelFacts {
  kept(id: string): ModuleFacts | undefined;
  learnt(id: string, facts: ModuleFacts): void;
  defaultClass(id: string, file: string, failures: Diagnostic[]): Promise<Function | undefined>;
}


export const channelModuleId = (bare: string) => `channel:${bare}`;

export async function inspectChannels(root: string, facts: ChannelFacts, files: ReadonlyMap<string, string>, diagnostics: Diagnostic[], asWarnings: (found: Diagnostic[]) => Diagnostic[]): Promise<ChannelInfo[]> {
  const channels: ChannelInfo[] = [];
  for (const [bare, file] of files) {
    const key = kebabCase(bare.replace(/\//g, '-'));
    const name = key.replace(/-channel$/, '');
    const id = channelModuleId(bare);
    const kept = facts.kept(id);
    if (kept?.className && kept.channel) {
      const { routeSelection, lifecycle, auth, connections } = kept.channel;
      channels.push({ key, name, file, className: kept.className, routeSelection, actions: kept.actions ?? [], lifecycle, ...optionalStatics({ auth, connections }) });
      continue;
    }
    const failures: Diagnostic[] = [];
    const type = await facts.defaultClass(id, file, failures);
    diagnostics.push(...asWarnings(failures));
    if (!type) continue;
    const where = relative(root, file);
    // Not `instanceof Channel`: the check must not depend on which copy of sls-ts the app resolved.
    const base = channelBase(type);
    if (!base) {
      diagnostics.push({ file, text: `the default export of ${where} is not a Channel class`, hint: "export default class ChatChannel extends Channel { connect() {} say(data) { return this.send(data) } } (import { Channel } from 'sls-ts')" });
      continue;
    }
    const written = (type as { routeSelection?: unknown }).routeSelection;
    if (written !== undefined && typeof written !== 'string') {
      diagnostics.push({ file, text: `${where}: static routeSelection must be a string, got ${typeof written}`, hint: `e.g. static routeSelection = '${DEFAULT_ROUTE_SELECTION}'` });
      continue;
    }
    const statics = stringStatics(type, where, file, diagnostics);
    if (!statics) continue;
    const routeSelection = written ?? DEFAULT_ROUTE_SELECTION;
    const parsed = parseRouteSelection(routeSelection);
    if ('problem' in parsed) {
      diagnostics.push({ file, text: `${where}: static routeSelection "${routeSelection}": ${parsed.problem}`, hint: "write $request.body.<field>, or a template such as '${request.body.service}/${request.body.action}'" });
      continue;
    }
    const methods = channelMethods(type, base);
    const lifecycle = CHANNEL_LIFECYCLE_METHODS.filter((method) => methods.includes(method));
    const actions = methods.filter((method) => !(CHANNEL_LIFECYCLE_METHODS as readonly string[]).includes(method));
    let unreachable = false;
    for (const action of actions) {
      const reserved = action.startsWith('$');
      if (!reserved && canSelect(parsed.parts, action)) continue;
      unreachable = true;
      diagnostics.push({
        file,
        text: reserved
          ? `${where}: ${type.name}#${action} — route keys starting with $ are API Gateway's own ($connect, $disconnect, $default)`
          : `${where}: ${type.name}#${action} — the route selection expression ${routeSelection} cannot produce the route key "${action}", so no message would reach it`,
        hint: reserved ? 'use connect(), disconnect() and default() for those routes, and plain names for actions' : 'rename the action to a key the expression yields (a method may be named with a string: [\'chat/join\']() {…}), change static routeSelection, or start its name with _ if it is a helper',
      });
    }
    if (unreachable) continue;
    facts.learnt(id, { className: type.name, actions, channel: { routeSelection, lifecycle, ...statics } });
    channels.push({ key, name, file, className: type.name, routeSelection, actions, lifecycle, ...statics });
  }
  return channels;
}

const STRING_STATICS = {
  auth: "static auth = 'admin' (app/authorizers/admin-authorizer.ts, a REQUEST authorizer) or 'iam'",
  connections: "static connections = 'connections' (a table declared in the config's resources)",
} as const;

/** `static auth` and `static connections`: strings when written (their meaning is checked where the authorizers and resources are known). */
function stringStatics(type: Function, where: string, file: string, diagnostics: Diagnostic[]): Pick<ChannelInfo, 'auth' | 'connections'> | undefined {
  const found: Pick<ChannelInfo, 'auth' | 'connections'> = {};
  for (const [name, example] of Object.entries(STRING_STATICS) as Array<[keyof typeof STRING_STATICS, string]>) {
    const value = (type as unknown as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      diagnostics.push({ file, text: `${where}: static ${name} must be a non-empty string, got ${JSON.stringify(value) ?? typeof value}`, hint: `e.g. ${example}` });
      return undefined;
    }
    found[name] = value;
  }
  return found;
}

const optionalStatics = (statics: Pick<ChannelInfo, 'auth' | 'connections'>) =>
  Object.fromEntries(Object.entries(statics).filter(([, value]) => value !== undefined)) as Pick<ChannelInfo, 'auth' | 'connections'>;
