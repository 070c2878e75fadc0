import { defineConfig } from 'sls-ts/config';

export default defineConfig({
  name: 'example-app',
  region: 'us-east-1',
  // One Lambda per controller; try `sls-ts build --layout single` for one Lambda behind /{proxy+}.
  layout: 'controller',
  memory: 512,
  timeout: 10,
  binaryMediaTypes: ['image/png'],
  logRetentionDays: 14,
  tags: { project: 'sls-ts-example' },
  controllers: {
    posts: { memory: 1024 },
  },
  stages: {
    prod: { memory: 1024, logRetentionDays: 90 },
  },
});
