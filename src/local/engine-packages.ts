// The two engine packages ship no types; this is the part of their API sls-ts uses. They are
// imported by a name typed as a plain string, so no compile (an app type-checking its tests
// against `sls-ts/testing` included) ever has to resolve them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface DynaliteOptions {
  /** A LevelDB directory; in memory without it. */
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

export interface DynaliteModule {
  default: (options?: DynaliteOptions) => Server;
}

interface S3rverOptions {
  address?: string;
  port?: number;
  directory?: string;
  silent?: boolean;
  allowMismatchedSignatures?: boolean;
  vhostBuckets?: boolean;
}

export interface S3rverInstance {
  run(): Promise<AddressInfo>;
  /** The server run() started. */
  httpServer: Server;
  close(): Promise<void>;
  /** Koa's middleware list: s3rver is a Koa application. */
  middleware: Array<(ctx: any, next: () => Promise<void>) => Promise<void>>;
  /** Koa is an EventEmitter: s3rver emits 'event' with an S3-shaped notification on object writes. */
  on(event: 'event', listener: (event: any) => void): unknown;
  store: { deleteObject(bucket: string, key: string): Promise<void> };
}

export interface S3rverModule {
  default: new (options?: S3rverOptions) => S3rverInstance;
}

const DYNALITE: string = 'dynalite';
const S3RVER: string = 's3rver';

export const importDynalite = async (): Promise<DynaliteModule> => (await import(DYNALITE)) as DynaliteModule;
export const importS3rver = async (): Promise<S3rverModule> => (await import(S3RVER)) as S3rverModule;
