import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJobHandler } from 'sls-ts';
import { invoke, loadApp, request, scheduledEvent, useLocalResources, type LocalResources } from 'sls-ts/testing';
import CleanupJob from '../app/jobs/cleanup-job';
import { posts } from '../app/models/post-store';

const root = new URL('..', import.meta.url);
// The dev stage's config (and .env); each test file's client caches authorizer answers as one stage does.
const app = request(loadApp(root, { stage: 'dev' }));

let local: LocalResources;
beforeAll(async () => {
  // jobs: AnnounceJob (fed by performLater from PostsController#create) runs in this process.
  local = await useLocalResources(root, { jobs: true });
});
beforeEach(() => local.reset());
afterEach(() => vi.unstubAllEnvs());
afterAll(() => local?.stop());

describe('example app', () => {
  it('serves the home page and health check', async () => {
    const home = await app.get('/');
    expect(home.status).toBe(200);
    expect(home.body.links.posts).toBe('/posts');

    const health = await app.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', stage: 'dev' });
    expect(health.body.requestId).toBe(health.event.requestContext.requestId);
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it('serves a binary PNG', async () => {
    const logo = await app.get('/logo.png');
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect((logo.result as { isBase64Encoded: boolean }).isBase64Encoded).toBe(true);
    expect(Buffer.isBuffer(logo.body)).toBe(true);
    expect(logo.body.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('routes to a plain function with the raw event', async () => {
    const hello = await app.get('/hello/Ada%20Lovelace?greeting=Hi');
    expect(hello.text).toBe('Hi, Ada Lovelace!');
    expect(hello.event.pathParameters).toEqual({ name: 'Ada%20Lovelace' });
  });

  describe('the admin namespace, behind AdminAuthorizer (a TOKEN authorizer run as API Gateway runs it)', () => {
    beforeEach(() => vi.stubEnv('ADMIN_TOKEN', 'secret-token'));

    it('lets the admin token in; the controller reads who through request.auth', async () => {
      const allowed = await app.get('/admin/stats').set('Authorization', 'Bearer secret-token');
      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({ posts: 0, latest: null, by: 'admin' });
      expect(allowed.event.requestContext.authorizer).toMatchObject({ principalId: 'admin', role: 'admin' });
    });

    it('denies another token with API Gateway\'s 403', async () => {
      const denied = await app.get('/admin/stats').set('Authorization', 'Bearer guessed-token');
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ Message: 'User is not authorized to access this resource with an explicit deny' });
      expect(denied.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    });

    it('answers 401 to a request without a bearer token, before the authorizer or the controller runs', async () => {
      const missing = await app.delete('/admin/posts');
      expect([missing.status, missing.body]).toEqual([401, { message: 'Unauthorized' }]);
      const basic = await app.get('/admin/stats').set('Authorization', 'Basic YWRtaW46c2VjcmV0');
      expect(basic.status).toBe(401);
    });
  });

  it('runs the cleanup job on a scheduled event', async () => {
    const old = await posts.create({ title: 'old', body: 'stale' });
    await posts.update(old.id, {});
    const now = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
    const result = await invoke(createJobHandler(CleanupJob), scheduledEvent({ time: now, ruleName: 'cleanup' }));
    expect(result).toEqual({ removed: 1 });
    expect(await posts.list()).toEqual([]);
    await expect(posts.find(old.id)).rejects.toThrow(`Post ${old.id} not found`);
    expect(CleanupJob.schedule).toEqual({ kind: 'rate', expression: 'rate(1 day)' });
  });
});
