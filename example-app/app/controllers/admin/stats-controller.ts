import { posts } from '../../models/post-store';
import ApplicationController from '../application-controller';

/** Admin-only endpoints under /admin, guarded by a bearer token from the ADMIN_TOKEN variable. */
export default class StatsController extends ApplicationController {
  static {
    this.before('requireAdmin');
  }

  protected requireAdmin() {
    const expected = process.env.ADMIN_TOKEN;
    if (!expected || this.request.headers.get('authorization') !== `Bearer ${expected}`) {
      this.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      return this.json({ error: 'admin token required' }, { status: 401 });
    }
  }

  async index() {
    const all = await posts.list();
    return this.json({ posts: all.length, latest: all.at(-1)?.updatedAt ?? null });
  }

  async purge() {
    const removed = await posts.prune(new Date(8.64e15));
    return this.json({ removed });
  }
}
