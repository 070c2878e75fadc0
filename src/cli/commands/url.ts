import { Command } from 'commander';
import { SlsError } from '../../shared/errors.js';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import type { Output } from '../output.js';

export function urlCommand(output: Output): Command {
  return addCommonOptions(new Command('url'))
    .description("print the deployed API's base URL, and each WebSocket channel's wss:// URL")
    .option('--json', 'print {stackName, url, from, domain?, channels?} as JSON')
    .option('--channel <name>', "print only this channel's wss:// URL (chat for app/channels/chat-channel.ts)")
    .addHelpText('after', '\nThe API\'s URL comes first, then one line per channel: `<wss:// URL>  (channel <name>)`.\n\nExamples:\n  sls-ts url\n  curl "$(sls-ts url --stage prod | head -1)/posts"\n  wscat -c "$(sls-ts url --channel chat)"')
    .action(async (options: CommonOptions & { json?: boolean; channel?: string }) => {
      const { createDeployContext, destroyClients, url } = await loadDeployRoom();
      const { config } = await loadAppConfig(output, options, 'deploy');
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }) });
      try {
        const result = await url(ctx);
        const channels = result.channels ?? [];
        if (options.channel !== undefined) {
          const found = channels.find((channel) => channel.channel === options.channel);
          if (!found) throw new SlsError({ text: `${result.stackName} has no channel ${options.channel} (its channels: ${channels.map((channel) => channel.channel).join(', ') || 'none'})`, hint: 'channels are app/channels/<name>-channel.ts; deploy after adding one' });
          output.out(options.json ? JSON.stringify(found, null, 2) : found.url);
          return;
        }
        if (options.json) {
          output.out(JSON.stringify(result, null, 2));
          return;
        }
        // An app of channels only has no HTTP API: its `url` is then its first channel's, printed below.
        if (!channels.some((channel) => channel.url === result.url)) output.out(result.url);
        for (const channel of channels) output.out(`${channel.url}  (channel ${channel.channel})`);
      } finally {
        destroyClients(ctx.clients);
      }
    });
}
