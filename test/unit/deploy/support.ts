// Shared by the deploy tests: a scratch copy of example-app (real builds, real zips) and a deploy
// context that polls without waiting and records every event.
import { createDeployContext, type DeployContext, type DeployEvent } from '../../../src/deploy/index.js';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { run } from '../../../src/cli/index.js';
import type { Output } from '../../../src/cli/output.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { configFor, copyApp, createScratch, exampleApp } from '../build/support.js';
import { createFakeAws, type FakeAws } from './fake-aws.js';

// The CLI builds its own deploy context: make it poll without waiting too (each test file runs in its own process).
process.env.SLS_TS_POLL_MS = '0';

export interface ScratchApp {
  root: string;
  config: ResolvedConfig;
  cleanup: () => void;
}

export async function scratchExampleApp(stage = 'dev'): Promise<ScratchApp> {
  const scratch = createScratch();
  const root = copyApp(exampleApp, scratch.dir);
  return { root, config: await configFor(root, stage), cleanup: scratch.cleanup };
}

/**
 * The usual deploy-test setup: one scratch example-app for the file, a fresh fake AWS for each
 * test (restored after it). `bind` receives both whenever one changes, so a test file keeps its
 * own `app` and `aws` variables; `prepare` runs on each new fake before the test.
 */
export function useDeployFixtures(bind: (fixtures: { app: ScratchApp; aws: FakeAws }) => void, prepare?: (aws: FakeAws) => void): void {
  const fixtures = {} as { app: ScratchApp; aws: FakeAws };
  beforeAll(async () => {
    fixtures.app = await scratchExampleApp();
    bind(fixtures);
  });
  afterAll(() => fixtures.app.cleanup());
  beforeEach(() => {
    fixtures.aws = createFakeAws();
    prepare?.(fixtures.aws);
    bind(fixtures);
  });
  afterEach(() => fixtures.aws.restore());
}

export function testContext(config: ResolvedConfig, events: DeployEvent[] = []): DeployContext {
  // env: {} keeps any AWS_ENDPOINT_URL of the machine running the tests out of the picture.
  return createDeployContext({ config, pollDelayMs: 0, env: {}, onEvent: (event) => events.push(event) });
}

export function eventTypes(events: readonly DeployEvent[]): string[] {
  return events.map((event) => event.type);
}

/** Captures what the CLI prints. */
export function captureOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), color: false };
}

/** Runs the CLI in-process on the app at `root` (`-C root` added), capturing what it prints. */
export async function runCli(root: string, ...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const output = captureOutput();
  const code = await run(['node', 'sls-ts', ...args, '-C', root], output);
  return { code, stdout: output.stdout, stderr: output.stderr };
}
