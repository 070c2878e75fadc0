import { Command } from 'commander';
import type { ListedResource, ResourceListing } from '../../deploy/index.js';
import { loadDeployRoom } from '../lazy.js';
import { addCommonOptions, loadAppConfig, type CommonOptions } from '../context.js';
import { bold, dim, formatTable, type Output } from '../output.js';

/** Where a deployed resource is: its name, and with --verbose its ARN and URL too. */
function deployedAs(output: Output, resource: ListedResource, verbose: boolean): string {
  if (!resource.deployed) return dim(output, 'not deployed');
  const { name, arn, url } = resource.deployed;
  return verbose ? [name, arn, url].filter(Boolean).join(' ') : (name ?? arn ?? url ?? '');
}

function linkedBy(resource: ListedResource): string {
  return resource.linkedBy.map((link) => `${link.function}${link.access === 'read-only' ? ' (read-only)' : ''}`).join(', ') || '-';
}

export function printResources(output: Output, listing: ResourceListing, verbose = false): void {
  if (listing.resources.length === 0) {
    output.out('no resources declared');
    output.out(dim(output, "declare them in sls-ts.config.ts: resources: { posts: table({ key: 'id' }) }, and link them: controllers: { posts: { link: ['posts'] } }"));
    return;
  }
  output.out(listing.deployed ? `${bold(output, listing.stackName)} (${listing.region})` : `${listing.stackName} is not deployed in ${listing.region}`);
  const rows = listing.resources.map((resource) => [
    resource.name,
    resource.kind,
    resource.settings + (resource.removal ? `, removal ${resource.removal}` : ''),
    deployedAs(output, resource, verbose),
    linkedBy(resource),
  ]);
  for (const row of formatTable(['Name', 'Kind', 'Settings', 'Deployed as', 'Linked by'], rows)) output.out(`  ${row}`);
}

export function resourcesCommand(output: Output): Command {
  return addCommonOptions(new Command('resources'))
    .description('list the declared resources (tables, buckets, queues, topics), what each is deployed as, and which functions link them')
    .option('--json', 'print the list as JSON (names, ARNs and URLs of what is deployed)')
    .addHelpText('after', '\nExamples:\n  sls-ts resources\n  sls-ts resources --stage prod --json\n  sls-ts resources --verbose    # ARNs and URLs too')
    .action(async (options: CommonOptions & { json?: boolean }) => {
      const { createDeployContext, destroyClients, listResources } = await loadDeployRoom();
      const { config } = await loadAppConfig(output, options, 'deploy');
      const ctx = createDeployContext({ config, ...(options.profile && { profile: options.profile }) });
      try {
        const listing = await listResources(ctx);
        if (options.json) output.out(JSON.stringify(listing, null, 2));
        else printResources(output, listing, options.verbose);
      } finally {
        destroyClients(ctx.clients);
      }
    });
}
