import { Command } from 'commander';
import { createDevServer, type DevServerEvent, type EngineListing } from '../../dev-server/index.js';
import type { ManifestRoute } from '../../build/types.js';
import { describeLocalApiKeys } from '../../dev-server/api-keys.js';
import { addCommonOptions, appRoot, type CommonOptions } from '../context.js';
import { integerFlag, portFlag } from '../flags.js';
import { batchedOutput, bold, dim, green, printDiagnostics, red, yellow, type Output } from '../output.js';

function printEvent(output: Output, event: DevServerEvent, started: boolean): void {
  switch (event.type) {
    case 'request': {
      const status = event.status >= 500 ? red(output, String(event.status)) : event.status >= 400 ? yellow(output, String(event.status)) : green(output, String(event.status));
      const fn = event.functionName ? ` ${event.functionName}` : '';
      const start = event.cold === undefined ? '' : event.cold ? ` ${yellow(output, 'cold')}${event.initMs !== undefined ? dim(output, ` init ${Math.round(event.initMs)}ms`) : ''}` : ` ${dim(output, 'warm')}`;
      output.out(`${event.method} ${event.path} ${status}${fn} ${Math.round(event.durationMs)}ms${start} ${dim(output, event.requestId)}`);
      return;
    }
    case 'function-error':
      output.err(`${red(output, 'error')} ${event.functionName} (${event.requestId}): ${event.error.errorType}: ${event.error.errorMessage}`);
      for (const line of event.error.trace.slice(1)) output.err(dim(output, `  ${line.trim()}`));
      return;
    case 'malformed':
      output.err(`${red(output, 'error')} ${event.functionName} returned a malformed proxy response (API Gateway answers 502): ${event.reason}`);
      return;
    case 'build-error':
      output.err(`${red(output, 'build failed')} ${event.functionName}:\n${event.message}`);
      return;
    case 'built':
      return;
    case 'reloaded':
      output.out(dim(output, `routes reloaded (${event.routes} ${event.routes === 1 ? 'route' : 'routes'})`));
      return;
    case 'reload-error':
      // Before the banner, nothing was loaded yet: the app is broken, not a reload.
      output.err(`${red(output, started ? 'reload failed' : 'the app does not load (answering 502 until it is fixed)')} ${event.message}`);
      return;
    case 'job':
      output.out(`${event.status === 'ok' ? green(output, 'job') : red(output, 'job failed')} ${event.functionName} ${event.schedule} ${Math.round(event.durationMs)}ms ${dim(output, event.detail ?? '')}`);
      return;
    case 'delivery': {
      // Like a request line: what fired it, the job, how it went, how long it took.
      const status = event.status === 'ok' ? green(output, 'ok') : event.status === 'partial' ? yellow(output, `partial (${event.failed} failed)`) : red(output, 'error');
      const records = `${event.records} ${event.records === 1 ? 'record' : 'records'}`;
      output.out(`${event.kind.toUpperCase()} ${event.source} ${status} ${event.functionName} ${records} ${Math.round(event.durationMs)}ms${event.error ? ` ${dim(output, event.error)}` : ''}`);
      return;
    }
    case 'authorizer': {
      // Before the request's own line: who let it through (or did not), and whether the cache answered.
      const outcome = event.outcome === 'allow' ? green(output, 'allow') : event.outcome === 'error' ? red(output, 'error') : yellow(output, event.outcome);
      const how = event.cached ? dim(output, 'cached') : event.invoked ? `${Math.round(event.durationMs)}ms` : dim(output, 'not invoked');
      output.out(`AUTH ${event.name} ${outcome} ${event.method} ${event.path} ${how}${event.detail ? ` ${dim(output, event.detail)}` : ''}`);
      return;
    }
    case 'websocket': {
      // Like a request line: WS, the channel and route, how it went, the connection.
      const status = event.status === 'ok' ? green(output, String(event.statusCode ?? 200)) : event.status === 'rejected' || event.status === 'no-route' ? yellow(output, event.status === 'no-route' ? 'no route' : String(event.statusCode)) : red(output, event.status === 'closed' ? `closed ${event.statusCode}` : 'error');
      output.out(`WS ${event.channel} ${event.routeKey} ${status}${event.functionName ? ` ${event.functionName}` : ''} ${Math.round(event.durationMs)}ms ${dim(output, `${event.connectionId}${event.detail ? ` ${event.detail}` : ''}`)}`);
      return;
    }
    case 'warning':
      printDiagnostics(output, [event.diagnostic]);
      return;
    case 'engines':
      for (const line of engineLines(output, event.engines)) output.out(line);
      return;
    case 'server-error':
      output.err(`${red(output, 'dev server error')} ${event.message}`);
  }
}

/**
 * The banner's rows: the method (or JOB) column as wide as the longest method, OPTIONS, so it
 * never shifts; the URL column as wide as its widest cell, so the targets line up.
 */
function alignColumns(output: Output, rows: Array<[string, string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([, where]) => where.length));
  return rows.map(([kind, where, what]) => `  ${kind.padEnd(7)} ${where.padEnd(width)}  ${dim(output, what)}`);
}

/** `  DynamoDB  http://127.0.0.1:PORT  (tables: posts, comments)`: where app code's SDK calls go locally. */
function engineLines(output: Output, engines: readonly EngineListing[]): string[] {
  // As wide as the widest service listed (EventBridge), so the endpoints line up.
  const width = Math.max(8, ...engines.map((engine) => engine.service.length));
  return engines.map((engine) => `  ${engine.service.padEnd(width)} ${engine.endpoint}  ${dim(output, `(${engine.kind}: ${engine.names.join(', ') || 'none'})`)}`);
}

/** ` (auth: admin, API key)` after a guarded route's target in the banner. */
function guardNote(route: ManifestRoute | undefined): string {
  const auth = route?.auth;
  const parts = [
    ...(auth ? [`auth: ${auth.type === 'iam' ? 'iam' : auth.authorizer}${auth.type === 'cognito' && auth.scopes ? ` [${auth.scopes.join(' ')}]` : ''}`] : []),
    ...(route?.apiKey ? ['API key'] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function serverCommand(output: Output): Command {
  return addCommonOptions(new Command('server'))
    .alias('s')
    .description('run the app locally as API Gateway + Lambda would, rebuilding on every change')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', portFlag, 8888)
    .option('-H, --host <host>', 'address to bind', '127.0.0.1')
    .option('--jobs', 'also run jobs on their schedules')
    .option('--persist', 'keep the local tables\' and buckets\' data under .sls-ts/local/ (default: in memory)')
    .option('--max-workers <n>', 'concurrent workers per function before requests queue', integerFlag(1), 8)
    .option('--websocket-port <port>', 'port of the WebSocket channels and their @connections API (default: --port + 1; 0: any free port)', portFlag)
    .addHelpText('after', '\nExamples:\n  sls-ts server\n  sls-ts server --port 3000 --jobs\n  sls-ts server --persist\n  sls-ts server --stage staging')
    .action(async (options: CommonOptions & { port: number; host: string; jobs?: boolean; persist?: boolean; maxWorkers: number; websocketPort?: number }) => {
      const { port } = options;
      const log = batchedOutput(output);
      let started = false;
      const server = await createDevServer({
        root: appRoot(options), stage: options.stage, port, host: options.host, jobs: Boolean(options.jobs), persist: Boolean(options.persist),
        maxWorkersPerFunction: options.maxWorkers, onEvent: (event) => printEvent(log, event, started),
        ...(options.region && { region: options.region }),
        ...(options.websocketPort !== undefined && { websocketPort: options.websocketPort }),
      });
      started = true;
      const state = server.state();
      log.flush();
      output.out(`${bold(output, 'sls-ts server')} ${state.config.name} (${state.config.stage}, ${state.config.layout} layout) on ${server.url}`);
      const rows = state.app.table.routes.map((route): [string, string, string] => [route.method, `${server.url}${route.path}`, `${route.targetName}${guardNote(state.edgeByRoute.get(`${route.method} ${route.resource}`))}`]);
      const websocketUrl = server.websocketUrl();
      if (websocketUrl) rows.push(...state.functions.flatMap((fn): Array<[string, string, string]> => (fn.channel ? [['WS', `${websocketUrl}/${fn.channel.name}`, `${fn.source} (${fn.channel.routeKeys.join(', ')})`]] : [])));
      if (options.jobs) rows.push(...state.app.jobs.map((job): [string, string, string] => ['JOB', job.className, job.schedules.map((s) => s.expression).join(', ')]));
      for (const line of alignColumns(output, rows)) output.out(line);
      const keys = describeLocalApiKeys(server.apiKeys());
      if (keys.length > 0) {
        output.out('API keys (send one as x-api-key to routes with apiKey: true):');
        for (const line of keys) output.out(`  ${line}`);
      }
      const engines = server.engines();
      if (engines.length > 0) {
        output.out(`local data${options.persist ? ' (kept in .sls-ts/local/)' : ' (in memory; --persist keeps it)'}:`);
        for (const line of engineLines(output, engines)) output.out(line);
      }
      // The engines may still be starting: one that cannot is this command's error (exit 1).
      await server.ready().catch(async (error: unknown) => {
        await server.close();
        log.flush();
        throw error;
      });
      await new Promise<void>((resolveStop) => {
        const stop = () => void server.close().then(() => {
          log.flush();
          resolveStop();
        });
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
