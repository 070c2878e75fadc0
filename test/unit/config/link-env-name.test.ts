import { describe, expect, it } from 'vitest';
import { linkEnvName } from '../../../src/index.js';

describe('linkEnvName()', () => {
  it('names the variable holding a linked resource’s name, ARN or URL', () => {
    expect(linkEnvName('posts', 'NAME')).toBe('SLS_TS_RESOURCE_POSTS_NAME');
    expect(linkEnvName('posts', 'ARN')).toBe('SLS_TS_RESOURCE_POSTS_ARN');
    expect(linkEnvName('emailQueue', 'URL')).toBe('SLS_TS_RESOURCE_EMAIL_QUEUE_URL');
  });

  it('splits camelCase words, digits included, so distinct resource names give distinct variables', () => {
    expect(linkEnvName('userUploads2024', 'NAME')).toBe('SLS_TS_RESOURCE_USER_UPLOADS2024_NAME');
    expect(linkEnvName('s3Backups', 'NAME')).toBe('SLS_TS_RESOURCE_S3_BACKUPS_NAME');
  });
});
