// The custom domain after a deploy: `url` prints its URL when the stack's outputs have it (the
// programmatic API and the CLI, --json keeping its fields and adding `domain`), and `deploy`
// sends the domain's resources and prints its URL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { url } from '../../../src/deploy/index.js';
import { API_URL, FULL_OUTPUTS, type FakeAws } from './fake-aws.js';
import { runCli, testContext, useDeployFixtures, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const DOMAIN_OUTPUTS = { ...FULL_OUTPUTS, DomainUrl: 'https://api.example.com/v1', DomainTarget: 'd-abc123.execute-api.us-east-1.amazonaws.com' };

describe('url with a custom domain', () => {
  it('returns the domain\'s URL and hostname from the outputs (the API\'s own URL otherwise)', async () => {
    aws.setStack('UPDATE_COMPLETE', [], DOMAIN_OUTPUTS);
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: 'https://api.example.com/v1', from: 'outputs', domain: 'api.example.com' });
    aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
    expect(await url(testContext(app.config))).toEqual({ stackName: 'example-app-dev', url: API_URL, from: 'outputs' });
  });

  it('prints it, and as JSON with the same fields plus domain', async () => {
    aws.setStack('UPDATE_COMPLETE', [], DOMAIN_OUTPUTS);
    expect(await runCli(app.root, 'url')).toMatchObject({ code: 0, stdout: ['https://api.example.com/v1'] });
    const json = await runCli(app.root, 'url', '--json');
    expect(JSON.parse(json.stdout.join('\n'))).toEqual({ stackName: 'example-app-dev', url: 'https://api.example.com/v1', from: 'outputs', domain: 'api.example.com' });
  });
});

describe('deploy with a custom domain', () => {
  it('sends the DomainName, the mapping and the records in the change set, and prints the domain\'s URL', async () => {
    const configFile = join(app.root, 'sls-ts.config.ts');
    const original = readFileSync(configFile, 'utf8');
    writeFileSync(configFile, original.replace("region: 'us-east-1',", "region: 'us-east-1',\n  domain: { name: 'api.example.com', hostedZone: 'Z1D633PJN98FT9', basePath: 'v1' },"));
    try {
      aws.setStack('UPDATE_COMPLETE', [], FULL_OUTPUTS);
      const execute = aws.onExecute;
      aws.onExecute = () => {
        execute();
        aws.setStack('UPDATE_COMPLETE', [], DOMAIN_OUTPUTS);
      };
      const result = await runCli(app.root, 'deploy', '--yes');
      expect(result.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
      expect(result.code).toBe(0);
      const sent = JSON.parse(aws.changeSetTemplate ?? '{}') as { Resources: Record<string, { Type: string }>; Outputs: Record<string, { Value: unknown }> };
      expect(Object.entries(sent.Resources).filter(([, resource]) => /DomainName|BasePathMapping|RecordSet|Certificate$/.test(resource.Type)).map(([id]) => id).sort())
        .toEqual(['ApiDomainBasePathMapping', 'ApiDomainCertificate', 'ApiDomainName', 'ApiDomainRecordA', 'ApiDomainRecordAAAA']);
      expect(sent.Outputs['DomainUrl']?.Value).toBe('https://api.example.com/v1');
      expect(result.stdout).toContainEqual(expect.stringMatching(/^Domain {2}https:\/\/api\.example\.com\/v1$/));
    } finally {
      writeFileSync(configFile, original);
    }
  }, 120_000);
});
