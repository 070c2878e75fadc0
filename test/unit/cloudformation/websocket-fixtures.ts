// The channels fixture app built for real (esbuild, the build's own reading of app/channels/), and a
// guarded/tracked variant of it: LobbyChannel behind a REQUEST authorizer reading the query string,
// tracking its connections in a declared table; DeskChannel behind IAM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { build } from '../../../src/build/index.js';
import type { BuildManifest } from '../../../src/build/types.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { configFor, copyApp, createScratch, repoRoot } from '../build/support.js';

export const CHANNELS_APP = join(repoRoot, 'test', 'fixtures', 'channels-app');

export interface BuiltApp {
  root: string;
  config: ResolvedConfig;
  manifest: BuildManifest;
}

const TICKET_AUTHORIZER = `import { Authorizer, type AuthorizerRequest } from 'sls-ts';

// Browsers cannot set headers on a WebSocket: the ticket rides in the query string.
export default class TicketAuthorizer extends Authorizer {
  static override type = 'request' as const;
  static override identitySource = ['method.request.querystring.ticket'];
  static override ttl = 0;

  authorize(request: AuthorizerRequest) {
    return request.query.ticket === 'good' ? this.allow('ticket-holder') : this.deny('nobody');
  }
}
`;

const LOBBY_CHANNEL = `import { Channel } from 'sls-ts';

export default class LobbyChannel extends Channel {
  static override auth = 'ticket';
  static override connections = 'sockets';

  enter() {
    return this.send({ route: 'enter' });
  }
}
`;

const DESK_CHANNEL = `import { Channel } from 'sls-ts';

export default class DeskChannel extends Channel {
  static override auth = 'iam';

  ask(data: unknown) {
    return this.send(data);
  }
}
`;

const TRACKED_CONFIG = `import { defineConfig, table } from 'sls-ts/config';

export default defineConfig({
  name: 'channels-app',
  region: 'eu-west-1',
  memory: 256,
  timeout: 5,
  resources: {
    sockets: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' }),
  },
});
`;

/** Writes the guarded/tracked channels (and their authorizer and table) into a copy of the channels app. */
export function addGuardedChannels(root: string): void {
  mkdirSync(join(root, 'app', 'authorizers'), { recursive: true });
  writeFileSync(join(root, 'app', 'authorizers', 'ticket-authorizer.ts'), TICKET_AUTHORIZER);
  writeFileSync(join(root, 'sls-ts.config.ts'), TRACKED_CONFIG);
  writeFileSync(join(root, 'app', 'channels', 'lobby-channel.ts'), LOBBY_CHANNEL);
  writeFileSync(join(root, 'app', 'channels', 'desk-channel.ts'), DESK_CHANNEL);
}

export async function buildChannelsApp(scratch: string, options: { guarded?: boolean; stage?: string } = {}): Promise<BuiltApp> {
  const root = copyApp(CHANNELS_APP, scratch);
  if (options.guarded) addGuardedChannels(root);
  const config = await configFor(root, options.stage ?? 'dev');
  const { manifest } = await build({ config, outDir: join(root, '.sls-ts', 'build', config.stage) });
  return { root, config, manifest };
}

/** Builds the channels app and its guarded variant once per test file (in a scratch folder removed after it). */
export function useChannelApps(options: { guardedStage?: string } = {}): { plain: () => BuiltApp; guarded: () => BuiltApp } {
  const scratch = createScratch();
  let plain: BuiltApp | undefined;
  let guarded: BuiltApp | undefined;
  beforeAll(async () => {
    plain = await buildChannelsApp(scratch.dir);
    guarded = await buildChannelsApp(scratch.dir, { guarded: true, ...(options.guardedStage ? { stage: options.guardedStage } : {}) });
  }, 120_000);
  afterAll(() => scratch.cleanup());
  return { plain: () => plain!, guarded: () => guarded! };
}
