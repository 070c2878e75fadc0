import { randomUUID } from 'node:crypto';

export interface Post {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export type PostInput = Pick<Post, 'title' | 'body'>;

export class RecordNotFound extends Error {
  constructor(readonly model: string, readonly id: string) {
    super(`${model} ${id} not found`);
    this.name = 'RecordNotFound';
  }
}

/** Where posts live. The example keeps them in memory; a real app would put DynamoDB behind this. */
export interface PostStore {
  list(): Promise<Post[]>;
  find(id: string): Promise<Post>;
  create(input: PostInput): Promise<Post>;
  update(id: string, changes: Partial<PostInput>): Promise<Post>;
  destroy(id: string): Promise<void>;
  /** Removes posts last updated before `cutoff`; returns how many went. */
  prune(cutoff: Date): Promise<number>;
}

export class InMemoryPostStore implements PostStore {
  readonly #posts = new Map<string, Post>();

  async list(): Promise<Post[]> {
    return [...this.#posts.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async find(id: string): Promise<Post> {
    const post = this.#posts.get(id);
    if (!post) throw new RecordNotFound('Post', id);
    return post;
  }

  async create(input: PostInput): Promise<Post> {
    const now = new Date().toISOString();
    const post = { id: randomUUID(), title: input.title, body: input.body, createdAt: now, updatedAt: now };
    this.#posts.set(post.id, post);
    return post;
  }

  async update(id: string, changes: Partial<PostInput>): Promise<Post> {
    const post = { ...(await this.find(id)), ...changes, updatedAt: new Date().toISOString() };
    this.#posts.set(id, post);
    return post;
  }

  async destroy(id: string): Promise<void> {
    await this.find(id);
    this.#posts.delete(id);
  }

  async prune(cutoff: Date): Promise<number> {
    let removed = 0;
    for (const post of this.#posts.values()) {
      if (new Date(post.updatedAt) < cutoff && this.#posts.delete(post.id)) removed++;
    }
    return removed;
  }
}

// Module scope: one store per warm Lambda environment (or per dev-server worker).
export const posts: PostStore = new InMemoryPostStore();
