// Where the AWS SDK looks for named profiles, read the way it reads them, so a credentials
// failure can say "no such profile" (and where it looked) instead of "pass --profile".
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SharedFiles {
  config: string;
  credentials: string;
}

/** AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials, as the SDK resolves them. */
export function sharedFiles(env: Record<string, string | undefined> = process.env): SharedFiles {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    config: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** Profile names the shared files define: `[profile x]` and `[default]` in config, `[x]` in credentials. */
export function definedProfiles(files: SharedFiles = sharedFiles()): string[] {
  const names = new Set<string>();
  for (const file of [files.config, files.credentials]) {
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)) {
      const section = match[1]!;
      // sso-session and services sections hold settings, not profiles.
      if (/^(sso-session|services)\s/.test(section)) continue;
      names.add(section.replace(/^profile\s+/, ''));
    }
  }
  return [...names];
}
