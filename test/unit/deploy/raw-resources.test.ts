// Deploy builds first, so a raw resource the resource spec refuses stops it before anything is
// uploaded or any change set is made: the mistake is not found by CloudFormation as a rollback.
import { CreateChangeSetCommand, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { deploy } from '../../../src/deploy/index.js';
import { SlsError } from '../../../src/shared/errors.js';
import type { FakeAws } from './fake-aws.js';
import { testContext, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

describe('deploy with a raw resource the spec refuses', () => {
  it('fails with the config path at fault, having uploaded nothing and changed no stack', async () => {
    const signingKey = { name: 'signingKey', kind: 'cloudformation', resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolcy: {} } } } as const;
    const config: ResolvedConfig = { ...app.config, resources: [...app.config.resources, signingKey] };
    const error = await deploy(testContext(config), { yes: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlsError);
    expect((error as SlsError).diagnostics.map((d) => d.text)).toEqual([
      'resources.signingKey.resource.Properties.KeyPolcy: unknown property of AWS::KMS::Key — did you mean KeyPolicy?',
    ]);
    expect(aws.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });
});
