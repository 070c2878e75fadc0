// The local SNS service serves the declared topics under the names the deployed stack gives them.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { table, topic } from '../../../src/config/define-config.js';
import { physicalNames } from '../../../src/cloudformation/resource-ids.js';
import { localTopics } from '../../../src/local/sns/local-topics.js';
import { resolveConfig, type UserConfig } from '../../../src/index.js';

const configOf = (name: string, resources: UserConfig['resources']) => resolveConfig({ name, resources }, { stage: 'dev', root: tmpdir() });

describe('localTopics', () => {
  it('names each declared topic as the deployed stack does, FIFO and over-long names included', () => {
    for (const app of ['blog', 'a'.repeat(250)]) {
      const config = configOf(app, { alerts: topic(), orders: topic({ fifo: true }), posts: table({ key: 'id' }) });
      const local = localTopics(config.name, config.stage, config.resources);
      expect(local.map((entry) => entry.name)).toEqual(['alerts', 'orders']);
      for (const entry of local) {
        const declared = config.resources.find((resource) => resource.name === entry.name)!;
        expect(entry.physicalName).toBe(physicalNames(config, declared).name);
      }
      expect(local[1]).toMatchObject({ fifo: true, physicalName: expect.stringMatching(/\.fifo$/) });
      expect(local.every((entry) => entry.physicalName.length <= 256)).toBe(true);
    }
  });
});
