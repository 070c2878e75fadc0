import { HttpError } from 'sls-ts';
import AnnounceJob from '../jobs/announce-job';
import { posts, type Post, type PostInput } from '../models/post-store';
import ApplicationController from './application-controller';

export default class PostsController extends ApplicationController {
  static {
    this.before('loadPost', { only: ['show', 'update', 'destroy'] });
  }

  post!: Post;

  protected async loadPost() {
    this.post = await posts.find(this.params.id);
  }

  async index() {
    return this.json({ posts: await posts.list() });
  }

  show() {
    return this.json({ post: this.post });
  }

  async create() {
    const post = await posts.create(this.#input({ partial: false }) as PostInput);
    // Off the request's path: AnnounceJob runs from its own queue a moment later.
    await AnnounceJob.performLater({ id: post.id });
    this.setHeader('Location', `/posts/${post.id}`);
    return this.json({ post }, { status: 201 });
  }

  async update() {
    return this.json({ post: await posts.update(this.post.id, this.#input({ partial: true })) });
  }

  async destroy() {
    await posts.destroy(this.post.id);
    return this.head(204);
  }

  /** Accepts `{ title, body }` or Rails-style `{ post: { title, body } }`, as JSON or a form. */
  #input({ partial }: { partial: boolean }): Partial<PostInput> {
    const source = typeof this.params.post === 'object' && this.params.post !== null ? this.params.post : this.params;
    const input: Partial<PostInput> = {};
    const errors: Record<string, string> = {};
    for (const field of ['title', 'body'] as const) {
      const value = source[field];
      if (value === undefined && partial) continue;
      if (typeof value !== 'string' || value.trim() === '') errors[field] = 'must be a non-empty string';
      else input[field] = value.trim();
    }
    if (Object.keys(errors).length > 0) throw new HttpError(422, 'Invalid post', { details: { fields: errors } });
    return input;
  }
}
