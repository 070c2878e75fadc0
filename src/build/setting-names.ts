// Per-function settings keyed by a name the app does not have (a typo, a renamed controller) would
// otherwise configure nothing, silently: each is refused with the nearest real name.
import { formatKeyPath, type KeyPath } from '../config/report.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';
import { appPaths } from './app-files.js';
import { authDiagnostics } from './auth.js';
import { channelConnectionDiagnostics } from './channel-connections.js';
import { inspectApp, type AppModel, type InspectOptions } from './inspect.js';
import { appCheckEnv } from './sdk-notice.js';
import { listSources } from '../shared/source-files.js';

/** Errors for `controllers`, `controllers.<c>.actions`, `jobs` and `functions` keys that name nothing. */
export function checkSettingNames(config: ResolvedConfig, app: AppModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (path: KeyPath, what: string, known: readonly string[], listed: string) => {
    const name = String(path[path.length - 1]);
    const near = closestMatch(name, known);
    diagnostics.push({
      text: `${formatKeyPath(path)} names no ${what}, so its settings would apply to nothing`,
      hint: near ? `did you mean \`${near}\`?` : known.length > 0 ? `${listed}: ${known.join(', ')}` : `the app has no ${listed}`,
      ...(config.configFile ? { file: config.configFile } : {}),
    });
  };

  const controllers = [...app.controllers.keys()];
  const controllerFiles = listSources(appPaths(config.root).controllers, '-controller').map((bare) => bare.slice(0, -'-controller'.length));
  for (const [key, settings] of Object.entries(config.controllers)) {
    const info = app.controllers.get(key);
    if (!info && controllerFiles.includes(key)) {
      // A controller whose routes are gone for now (being reworked, the last one removed) is no
      // typo: its settings wait for a route, and the build goes on.
      diagnostics.push({
        level: 'warning',
        text: `${formatKeyPath(['controllers', key])}: no route reaches this controller, so its settings apply to nothing for now`,
        hint: 'add a route to it, or remove its settings',
        ...(config.configFile ? { file: config.configFile } : {}),
      });
      continue;
    }
    if (!info) {
      report(['controllers', key], 'controller the routes reach', controllers, 'routed controllers');
      continue;
    }
    // A controller that failed to load (dev server) has no known actions: nothing to compare with.
    if (info.loadError) continue;
    for (const action of Object.keys(settings?.actions ?? {})) {
      if (!info.actions.includes(action)) report(['controllers', key, 'actions', action], `action of ${info.className}`, info.actions, 'its actions');
    }
  }
  // A job is configured by its short name (`cleanup`) or its key (`cleanup-job`), as plan.ts reads it.
  const jobs = app.jobs.flatMap((job) => [job.key.replace(/-job$/, ''), job.key]);
  for (const key of Object.keys(config.jobs)) {
    if (!jobs.includes(key)) report(['jobs', key], 'job in app/jobs', app.jobs.map((job) => job.key.replace(/-job$/, '')), 'jobs');
  }
  // An authorizer's or a channel's function is configured by its key, as a plain function is (plan.ts).
  const functions = [...app.functions.map((fn) => fn.name), ...app.authorizers.map((authorizer) => authorizer.key), ...app.channels.map((channel) => channel.key)];
  for (const key of Object.keys(config.functions)) {
    if (!functions.includes(key)) report(['functions', key], 'function in app/functions, authorizer in app/authorizers or channel in app/channels', functions, 'functions');
  }
  return diagnostics;
}

/** inspectApp, with the config's per-function settings checked against the app it found. */
export async function inspectConfiguredApp(config: ResolvedConfig, options: Omit<InspectOptions, 'env'> = {}): Promise<{ app?: AppModel; diagnostics: Diagnostic[] }> {
  const { app, diagnostics } = await inspectApp(config.root, { env: appCheckEnv(config), ...options });
  return app ? { app, diagnostics: [...diagnostics, ...checkSettingNames(config, app), ...authDiagnostics(config, app), ...channelConnectionDiagnostics(config, app)] } : { diagnostics };
}
