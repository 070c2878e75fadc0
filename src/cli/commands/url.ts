import { Command } from 'commander';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import type { Output } from '../output.js';

export function urlCommand(output: Output): Command {
  return addCommonOptions(new Command('url'))
    .description("print the deployed API's base URL")
    .option('--json', 'print {stackName, url, from, domain?} as JSON')
    .addHelpText('after', '\nExamples:\n  sls-ts url\n  curl "$(sls-ts url --stage prod)/posts"')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const { createDeployContext, destroyClients, url } = await loadDeployRoom();
      const { config } = await loadAppConfig(output, options, 'deploy');
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }) });
      try {
        const result = await url(ctx);
        output.out(options.json ? JSON.stringify(result, null, 2) : result.url);
      } finally {
        destroyClients(ctx.clients);
      }
    });
}
