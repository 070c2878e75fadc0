// `npm run example:tour`: drives the example app through its real Lambda handler path with real
// API Gateway events (via sls-ts/testing), prints each exchange and exits. (`npm run example`
// serves the same app with `sls-ts server`.)
import { loadApp, request, useLocalResources, type TestResponse } from 'sls-ts/testing';
import { simulateFeed } from './app/lib/quotes-feed';

process.env.ADMIN_TOKEN ??= 'dev-admin-token';
// The posts table on an in-memory local DynamoDB engine, as in the app's tests: nothing touches AWS.
// jobs: AnnounceJob (fed by performLater from POST /posts) has its queue and runs in this process.
const local = await useLocalResources(new URL('.', import.meta.url), { stage: 'dev', jobs: true });
const app = request(loadApp(new URL('.', import.meta.url), { stage: 'dev' }));

function show(label: string, response: TestResponse): void {
  const body = Buffer.isBuffer(response.body)
    ? `<${response.body.length} bytes of ${response.headers['content-type']}>`
    : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  console.log(`${label.padEnd(34)} → ${response.status} ${body.length > 100 ? `${body.slice(0, 97)}...` : body}`);
}

show('GET /', await app.get('/'));
show('GET /health', await app.get('/health'));
const created = await app.post('/posts').send({ title: 'Hello', body: 'from the tour' });
show('POST /posts', created);
const id: string = created.body.post.id;
const [announced] = await local.settled();
console.log(`${'AnnounceJob (performLater)'.padEnd(34)} → ${announced?.outcome.ok ? 'ran' : 'did not run'}`);
show('GET /posts', await app.get('/posts'));
show(`PATCH /posts/${id.slice(0, 8)}…`, await app.patch(`/posts/${id}`).send({ title: 'Hello again' }));
show('POST /posts (invalid)', await app.post('/posts').send({ title: '' }));
show('GET /logo.png', await app.get('/logo.png'));
show('GET /hello/Ada%20Lovelace', await app.get('/hello/Ada%20Lovelace'));
// QuotesController calls a flaky feed through guard(): its events print as JSON lines.
show('GET /quotes/today', await app.get('/quotes/today'));
simulateFeed({ fail: 3 }); // every attempt of the next call fails: the guard answers its fallback
show('GET /quotes/today (feed down)', await app.get('/quotes/today'));
// AdminAuthorizer (app/authorizers/) answers before StatsController runs, as on API Gateway.
show('GET /admin/stats (no token)', await app.get('/admin/stats'));
show('GET /admin/stats (wrong token)', await app.get('/admin/stats').set('Authorization', 'Bearer guessed-token'));
show('GET /admin/stats (token)', await app.get('/admin/stats').set('Authorization', `Bearer ${process.env.ADMIN_TOKEN}`));
show(`DELETE /posts/${id.slice(0, 8)}…`, await app.delete(`/posts/${id}`));
show('GET /nowhere', await app.get('/nowhere'));
await local.stop();
