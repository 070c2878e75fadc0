import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { resources } from 'sls-ts';

export interface Post {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Set by AnnounceJob, shortly after the post is created. */
  announcedAt?: string;
}

export type PostInput = Pick<Post, 'title' | 'body'>;

export class RecordNotFound extends Error {
  constructor(readonly model: string, readonly id: string) {
    super(`${model} ${id} not found`);
    this.name = 'RecordNotFound';
  }
}

/** Where posts live: the `posts` table of sls-ts.config.ts. */
export interface PostStore {
  list(): Promise<Post[]>;
  find(id: string): Promise<Post>;
  create(input: PostInput): Promise<Post>;
  update(id: string, changes: Partial<PostInput>): Promise<Post>;
  destroy(id: string): Promise<void>;
  /** Removes posts last updated before `cutoff`; returns how many went. */
  prune(cutoff: Date): Promise<number>;
  /** Records when the post was announced; false when it no longer exists. */
  markAnnounced(id: string, at: Date): Promise<boolean>;
}

/** A condition that failed means the item is not there: the caller asked for an id that does not exist. */
function notFoundOn(id: string) {
  return (error: unknown): never => {
    throw error instanceof ConditionalCheckFailedException ? new RecordNotFound('Post', id) : error;
  };
}

/**
 * Posts in DynamoDB, one item per post keyed by `id`. The same code runs deployed and locally:
 * `sls-ts server` and `useLocalResources` (in tests) point the SDK at the local engine through
 * AWS_ENDPOINT_URL_DYNAMODB, and `resources.posts.name` is the table the config links.
 */
export class DynamoPostStore implements PostStore {
  // Made on first use, not at import: the endpoint and region come from the environment, which a
  // test (useLocalResources) sets after importing the app.
  #documents?: DynamoDBDocumentClient;

  get #client(): DynamoDBDocumentClient {
    return (this.#documents ??= DynamoDBDocumentClient.from(new DynamoDBClient({})));
  }

  get #table(): string {
    return resources.posts.name;
  }

  /** Every post, oldest first. A Scan reads the whole table: fine for a blog, not for millions of items. */
  async list(): Promise<Post[]> {
    const found: Post[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(new ScanCommand({ TableName: this.#table, ExclusiveStartKey: start }));
      found.push(...((page.Items ?? []) as Post[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async find(id: string): Promise<Post> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#table, Key: { id } }));
    if (!Item) throw new RecordNotFound('Post', id);
    return Item as Post;
  }

  async create(input: PostInput): Promise<Post> {
    const now = new Date().toISOString();
    const post: Post = { id: randomUUID(), title: input.title, body: input.body, createdAt: now, updatedAt: now };
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: post, ConditionExpression: 'attribute_not_exists(id)' }));
    return post;
  }

  async update(id: string, changes: Partial<PostInput>): Promise<Post> {
    const values: Record<string, unknown> = { ...changes, updatedAt: new Date().toISOString() };
    const fields = Object.keys(values).filter((field) => values[field] !== undefined);
    const { Attributes } = await this.#client.send(new UpdateCommand({
      TableName: this.#table,
      Key: { id },
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map((field, i) => [`#f${i}`, field])),
      ExpressionAttributeValues: Object.fromEntries(fields.map((field, i) => [`:v${i}`, values[field]])),
      ConditionExpression: 'attribute_exists(id)',
      ReturnValues: 'ALL_NEW',
    })).catch(notFoundOn(id));
    return Attributes as Post;
  }

  async destroy(id: string): Promise<void> {
    await this.#client.send(new DeleteCommand({ TableName: this.#table, Key: { id }, ConditionExpression: 'attribute_exists(id)' })).catch(notFoundOn(id));
  }

  async markAnnounced(id: string, at: Date): Promise<boolean> {
    const marked = this.#client.send(new UpdateCommand({
      TableName: this.#table,
      Key: { id },
      UpdateExpression: 'SET announcedAt = :at',
      ExpressionAttributeValues: { ':at': at.toISOString() },
      ConditionExpression: 'attribute_exists(id)',
    }));
    return marked.then(() => true, (error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    });
  }

  async prune(cutoff: Date): Promise<number> {
    const stale = (await this.list()).filter((post) => new Date(post.updatedAt) < cutoff);
    await Promise.all(stale.map((post) => this.#client.send(new DeleteCommand({ TableName: this.#table, Key: { id: post.id } }))));
    return stale.length;
  }
}

// Module scope: one client per warm Lambda environment (or per dev-server worker), reused across requests.
export const posts: PostStore = new DynamoPostStore();
