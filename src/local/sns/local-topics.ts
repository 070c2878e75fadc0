// The app's declared topics as the local SNS service serves them: under the names a deployed app
// gives them (cloudformation/resource-ids.ts's physicalNames, the same rule through the same
// fitName), `.fifo` kept last where SNS wants it.
import type { ResolvedResource, ResolvedTopic } from '../../config/resources.js';
import { fitName } from '../../shared/names.js';
import type { LocalTopic } from './sns-topics.js';

const TOPIC_NAME_MAX = 256;
const FIFO = '.fifo';

export function localTopicName(app: string, stage: string, resource: string, fifo: boolean): string {
  const suffix = fifo ? FIFO : '';
  return `${fitName(`${app}-${stage}-${resource}`, TOPIC_NAME_MAX - suffix.length)}${suffix}`;
}

export function localTopics(app: string, stage: string, resources: readonly ResolvedResource[]): LocalTopic[] {
  return resources
    .filter((resource): resource is ResolvedTopic => resource.kind === 'topic')
    .map((topic) => ({ name: topic.name, physicalName: localTopicName(app, stage, topic.name, topic.fifo), fifo: topic.fifo }));
}
