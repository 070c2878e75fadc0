import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadApp, request, useLocalResources, type LocalResources } from 'sls-ts/testing';

const root = new URL('..', import.meta.url);
const app = request(loadApp(root));

// The uploads bucket on a fresh local S3 engine (s3rver); SummarizeUploadJob runs in this process
// on each object created under incoming/, with the S3 event AWS would send.
let local: LocalResources;
beforeAll(async () => {
  local = await useLocalResources(root, { jobs: true });
});
beforeEach(() => local.reset());
afterAll(() => local?.stop());

describe('uploads', () => {
  it('POST /uploads stores the file; a job on the bucket event summarizes it', async () => {
    const uploaded = await app.post('/uploads').set('content-type', 'text/plain').send('one\ntwo\nthree');
    expect(uploaded.status).toBe(202);
    const { id, key } = uploaded.body;
    expect(key).toBe(`incoming/${id}`);

    const runs = await local.settled();
    // The summary the job writes goes to summaries/, outside its prefix: it does not run again on it.
    expect(runs).toEqual([expect.objectContaining({ job: 'summarize-upload-job', kind: 'bucket', source: 'uploads', records: 1, outcome: expect.objectContaining({ ok: true }) })]);

    const shown = await app.get(`/uploads/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.summary).toMatchObject({ key, bytes: 13, lines: 3 });
    expect(shown.body.summary.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('404 until the job has run, and 422 for an empty upload', async () => {
    expect((await app.get('/uploads/nothing-yet')).status).toBe(404);
    expect((await app.post('/uploads').set('content-type', 'text/plain').send('')).status).toBe(422);
    expect(await local.settled()).toEqual([]);
  });
});
