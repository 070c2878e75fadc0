// A deploy that starts from a stack left failed with rollback disabled says so in one normal line
// (not only with --verbose): which state, and what this deploy does about it.
import { describe, expect, it } from 'vitest';
import type { FakeAws } from '../deploy/fake-aws.js';
import { useDeployFixtures, type ScratchApp, runCli } from '../deploy/support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const cli = (...args: string[]) => runCli(app.root, ...args);

describe('deploying from a failed stack', () => {
  it('UPDATE_FAILED: names the state and says the deploy updates it from there', async () => {
    aws.setStack('UPDATE_FAILED', [], { ArtifactsBucketName: 'bucket' }, 'Resource handler returned message: "Memory size too large"');
    const result = await cli('deploy', '--yes');
    expect(result.code).toBe(0);
    expect(result.stderr).toContainEqual(expect.stringMatching(/^example-app-dev is UPDATE_FAILED: its last update failed with rollback disabled.*deploying over it/));
  });

  it('CREATE_FAILED: names the state and says it is rolled back, deleted and created again', async () => {
    aws.setStack('CREATE_FAILED', [], {});
    const result = await cli('deploy', '--yes');
    expect(result.code).toBe(0);
    expect(result.stderr).toContainEqual(expect.stringMatching(/^example-app-dev is CREATE_FAILED: its first deploy failed with rollback disabled.*rolls it back \(RollbackStack\), deletes it and creates it again/));
  });

  it('under --plan the line says nothing is changed', async () => {
    aws.setStack('CREATE_FAILED', [], {});
    const result = await cli('deploy', '--plan', '--yes');
    expect(result.code).toBe(0);
    expect(result.stderr).toContainEqual(expect.stringMatching(/^example-app-dev is CREATE_FAILED: .*the plan treats it as a first deploy \(nothing is changed\)/));
  });
});
