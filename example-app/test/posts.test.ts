import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadApp, request, useLocalResources, type LocalResources } from 'sls-ts/testing';

const root = new URL('..', import.meta.url);
const app = request(loadApp(root));

// The posts table on a fresh in-memory DynamoDB engine (dynalite) for this file, emptied before each test.
let local: LocalResources;
beforeAll(async () => {
  // jobs: AnnounceJob (fed by performLater from PostsController#create) runs in this process.
  local = await useLocalResources(root, { jobs: true });
});
beforeEach(() => local.reset());
afterAll(() => local?.stop());

describe('posts', () => {

  it('creates, lists, shows, updates and deletes a post', async () => {
    const created = await app.post('/posts').send({ title: 'Hello', body: 'First post' });
    expect(created.status).toBe(201);
    const id = created.body.post.id;
    expect(created.headers.location).toBe(`/posts/${id}`);

    const list = await app.get('/posts');
    expect(list.body.posts.map((p: { title: string }) => p.title)).toEqual(['Hello']);

    const shown = await app.get(`/posts/${id}`);
    expect(shown.body.post).toMatchObject({ id, title: 'Hello', body: 'First post' });
    expect(shown.event.resource).toBe('/posts/{id}');

    const updated = await app.patch(`/posts/${id}`).send({ title: 'Hello again' });
    expect(updated.body.post).toMatchObject({ title: 'Hello again', body: 'First post' });

    const deleted = await app.delete(`/posts/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await app.get(`/posts/${id}`)).status).toBe(404);
    expect((await app.patch(`/posts/${id}`).send({ title: 'gone' })).status).toBe(404);
  });

  it('announces a new post from its own queue: performLater → AnnounceJob', async () => {
    const created = await app.post('/posts').send({ title: 'News', body: 'Read all about it' });
    expect(created.status).toBe(201);
    const runs = await local.settled();
    expect(runs).toEqual([expect.objectContaining({ job: 'announce-job', kind: 'later', records: 1, outcome: expect.objectContaining({ ok: true }) })]);
    const shown = await app.get(`/posts/${created.body.post.id}`);
    expect(Date.parse(shown.body.post.announcedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.post.createdAt));
  });

  it('keeps posts in the declared DynamoDB table', async () => {
    const created = await app.post('/posts').send({ title: 'Stored', body: 'in DynamoDB' });
    await local.settled();
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const { Item } = await client.send(new GetCommand({ TableName: local.names.posts, Key: { id: created.body.post.id } }));
    expect(local.names.posts).toBe('example-app-test-posts');
    expect(Item).toEqual({ ...created.body.post, announcedAt: expect.any(String) });
  });

  it('starts each test with an empty table', async () => {
    expect((await app.get('/posts')).body).toEqual({ posts: [] });
  });

  it('accepts a Rails-style form post', async () => {
    const created = await app
      .post('/posts')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('post[title]=From+a+form&post[body]=with%20fields');
    expect(created.status).toBe(201);
    expect(created.body.post).toMatchObject({ title: 'From a form', body: 'with fields' });
  });

  it('answers 422 with the invalid fields', async () => {
    const response = await app.post('/posts').send({ title: ' ' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: 'Invalid post', fields: { title: 'must be a non-empty string', body: 'must be a non-empty string' } });
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await app.post('/posts').set('Content-Type', 'application/json').send('{"title": ');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/Malformed JSON/);
  });

  it('rescues RecordNotFound as a 404 from the application controller', async () => {
    const response = await app.get('/posts/does-not-exist');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'Post does-not-exist not found' });
  });

  it('answers a verb the routes do not declare as API Gateway does', async () => {
    const response = await app.put('/posts');
    expect(response.status).toBe(403);
    expect(response.text).toBe('{"message":"Missing Authentication Token"}');
  });
});
