import { posts } from '../../models/post-store';
import ApplicationController from '../application-controller';

/** Admin-only endpoints under /admin: AdminAuthorizer (app/authorizers/) lets callers in before any action runs. */
export default class StatsController extends ApplicationController {
  async index() {
    const all = await posts.list();
    // request.auth: what the authorizer said about the caller (principalId, context).
    return this.json({ posts: all.length, latest: all.at(-1)?.updatedAt ?? null, by: this.request.auth?.principalId ?? null });
  }

  async purge() {
    const removed = await posts.prune(new Date(8.64e15));
    return this.json({ removed });
  }
}
