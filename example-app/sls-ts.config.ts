import { bucket, defineConfig, table } from 'sls-ts/config';

export default defineConfig({
  name: 'example-app',
  region: 'us-east-1',
  // One Lambda per controller; try `sls-ts build --layout single` for one Lambda behind /{proxy+}.
  layout: 'controller',
  memory: 512,
  timeout: 10,
  // API Gateway decodes a binary response (the logo) only when the request's FIRST Accept type is
  // listed: browsers lead with text/html or image/avif, so only '*/*' serves the PNG to them.
  binaryMediaTypes: ['*/*'],
  logRetentionDays: 14,
  tags: { project: 'sls-ts-example' },
  // Posts live in DynamoDB: a table per stage (`example-app-<stage>-posts`), retained on prod.
  // Linking gives a function IAM for exactly this table and its name (`resources.posts.name`).
  resources: {
    posts: table({ key: 'id' }),
    // Uploaded files; SummarizeUploadJob runs on each new one (an S3 notification).
    uploads: bucket(),
    // The chat channel's open connections (app/channels/chat-channel.ts `static connections`): a
    // row per connection, gone after its TTL if a $disconnect never came.
    connections: table({ key: 'channel', sort: 'connectionId', ttl: 'expiresAt' }),
  },
  controllers: {
    posts: { memory: 1024, link: ['posts'] },
    'admin/stats': { link: ['posts'] },
    uploads: { link: ['uploads'] },
  },
  jobs: {
    cleanup: { link: ['posts'] },
    announce: { link: ['posts'] },
    'summarize-upload': { link: ['uploads'] },
  },
  stages: {
    prod: { memory: 1024, logRetentionDays: 90 },
  },
});
