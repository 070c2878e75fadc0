import { describe, expect, it } from 'vitest';
import { resourceEnvName } from '../../../src/index.js';

describe('resourceEnvName()', () => {
  it('names the variable holding a linked resource’s name, ARN or URL', () => {
    expect(resourceEnvName('posts', 'name')).toBe('SLS_TS_RESOURCE_POSTS_NAME');
    expect(resourceEnvName('posts', 'arn')).toBe('SLS_TS_RESOURCE_POSTS_ARN');
    expect(resourceEnvName('emailQueue', 'url')).toBe('SLS_TS_RESOURCE_EMAIL_QUEUE_URL');
  });

  it('splits camelCase words, digits included, so distinct resource names give distinct variables', () => {
    expect(resourceEnvName('userUploads2024', 'name')).toBe('SLS_TS_RESOURCE_USER_UPLOADS2024_NAME');
    expect(resourceEnvName('s3Backups', 'name')).toBe('SLS_TS_RESOURCE_S3_BACKUPS_NAME');
  });
});
