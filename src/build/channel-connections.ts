// A channel's `static connections` names the declared table its handler records open connections in:
// the runtime writes `{ channel, connectionId, expiresAt }` rows and queries them by channel, so the
// table must have exactly that key schema and TTL attribute. Checked when the app is inspected with
// its config, so a misspelt name or a wrong shape fails the build (and shows in sls-ts server), not
// the first $connect.
import { relative } from 'node:path';
import type { ResolvedTable } from '../config/resources.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import type { AppModel } from './inspect.js';

/** The shape the runtime's rows need: partition `channel`, sort `connectionId` (strings), TTL `expiresAt`. */
export const CONNECTIONS_TABLE = { key: 'channel', sort: 'connectionId', ttl: 'expiresAt' } as const;

const declaration = (name: string) => `resources: { ${name}: table({ key: '${CONNECTIONS_TABLE.key}', sort: '${CONNECTIONS_TABLE.sort}', ttl: '${CONNECTIONS_TABLE.ttl}' }) }`;

/** One error per channel whose `static connections` names no table of the right shape. */
export function channelConnectionDiagnostics(config: ResolvedConfig, app: AppModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const configName = config.configFile ? relative(config.root, config.configFile) : 'sls-ts.config.ts';
  for (const channel of app.channels) {
    const name = channel.connections;
    if (name === undefined) continue;
    const where = `${relative(config.root, channel.file)}: static connections = '${name}'`;
    const report = (text: string, hint: string) => diagnostics.push({ file: channel.file, text: `${where} ${text}`, hint });
    const declared = config.resources.find((resource) => resource.name === name);
    if (!declared) {
      const tables = config.resources.filter((resource) => resource.kind === 'table').map((resource) => resource.name);
      const near = closestMatch(name, tables);
      report(`names no table declared in ${configName}`, near ? `did you mean '${near}'? Or declare it: ${declaration(name)} (channels may share one)` : `declare it in ${configName}: ${declaration(name)} (channels may share one)`);
      continue;
    }
    if (declared.kind !== 'table') {
      report(`names a ${declared.kind} declared in ${configName}, not a table`, `declare a table for them, ${declaration('connections')}, and write static connections = 'connections'`);
      continue;
    }
    const wrong = shapeProblem(declared);
    if (wrong) report(`names table '${name}' in ${configName}, whose ${wrong}: the channel's rows need key '${CONNECTIONS_TABLE.key}', sort '${CONNECTIONS_TABLE.sort}' and ttl '${CONNECTIONS_TABLE.ttl}'`, `declare it as ${declaration(name)} (a table of other rows cannot be shared with connections)`);
  }
  return diagnostics;
}

function shapeProblem(table: ResolvedTable): string | undefined {
  const { key, sort, ttl } = CONNECTIONS_TABLE;
  if (table.key.name !== key || table.key.type !== 'string') return `key is ${describe(table.key)}`;
  if (!table.sort) return 'has no sort key';
  if (table.sort.name !== sort || table.sort.type !== 'string') return `sort key is ${describe(table.sort)}`;
  if (table.ttl !== ttl) return table.ttl ? `ttl attribute is '${table.ttl}'` : 'has no ttl attribute';
  return undefined;
}

const describe = (attribute: { name: string; type: string }) => (attribute.type === 'string' ? `'${attribute.name}'` : `'${attribute.name}' (a ${attribute.type})`);
