import { defineRoutes } from 'sls-ts';

export default defineRoutes((r) => {
  r.root('home#index');
  r.get('/health', 'health#show');
  r.resources('posts');
  r.get('/logo.png', 'images#logo');
  r.post('/uploads', 'uploads#create');
  r.get('/uploads/:id', 'uploads#show');
  r.get('/hello/:name', { function: 'hello' });
  r.get('/quotes/today', 'quotes#today'); // a flaky downstream behind guard() (app/lib/quotes-feed.ts)

  r.namespace('admin', { auth: 'admin' }, (r) => { // app/authorizers/admin-authorizer.ts guards each route here
    r.get('/stats', 'stats#index');
    r.delete('/posts', 'stats#purge');
  });
});
