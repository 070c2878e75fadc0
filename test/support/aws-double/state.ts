// What the AWS test double remembers between requests: buckets with object versions, stacks with
// their resources and events, and the Lambda functions and log groups the stacks created.
import { createHash, randomBytes } from 'node:crypto';

export interface ObjectVersion {
  versionId: string;
  deleteMarker: boolean;
  body: Buffer;
  contentType?: string;
  lastModified: Date;
}

export interface FakeEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: Date;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

export interface FakeResource {
  type: string;
  physicalId: string;
  definition: unknown;
}

export interface FakeChange {
  Action: string;
  LogicalResourceId: string;
  ResourceType: string;
  PhysicalResourceId?: string;
  Replacement?: string;
  Scope?: string[];
  Details?: Array<{ Evaluation: string; ChangeSource: string; Target: Record<string, string> }>;
  /** A nested stack's own change set (IncludeNestedStacks). */
  ChangeSetId?: string;
}

export interface FakeChangeSet {
  id: string;
  name: string;
  stackId: string;
  /** The stack it is for; a nested change set's is the nested stack's. */
  stackName?: string;
  /** Set on a nested change set: the change set it belongs to. */
  parentId?: string;
  status: 'CREATE_COMPLETE' | 'FAILED';
  reason?: string;
  template?: Template;
  tags?: Array<{ Key: string; Value: string }>;
  changes: FakeChange[];
}

export interface Template {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface FakeStack {
  id: string;
  name: string;
  status: string;
  reason?: string;
  /** Status to move to after this many more DescribeStacks calls (to make clients poll). */
  settle?: { status: string; after: number };
  template: Template;
  resources: Map<string, FakeResource>;
  outputs: Record<string, string>;
  events: FakeEvent[];
  tags: Array<{ Key: string; Value: string }>;
  created: Date;
  updated?: Date;
}

export interface FakeFunction {
  name: string;
  codeSha256: string;
  /** What an invocation returns; tests set it. */
  respond?: (event: unknown) => { payload: unknown; error?: string; log?: string };
}

export interface LogRecord {
  eventId: string;
  timestamp: number;
  message: string;
  logStreamName: string;
}

export class DoubleState {
  readonly region: string;
  readonly account = '123456789012';
  readonly buckets = new Map<string, Map<string, ObjectVersion[]>>();
  /** Tables, queues and topics in the account by physical id (table name, queue URL, topic ARN): a retained one outlives its stack. */
  readonly dataResources = new Map<string, { type: string; properties: Record<string, unknown> }>();
  readonly stacks = new Map<string, FakeStack>();
  readonly changeSets = new Map<string, FakeChangeSet>();
  readonly functions = new Map<string, FakeFunction>();
  readonly logGroups = new Map<string, LogRecord[]>();
  /** Errors to answer with before anything else: service → queue of AWS error codes. */
  readonly failures: Array<{ service: string; action?: string; code: string; message: string; status: number; raw?: { contentType: string; body: string } }> = [];
  /**
   * A nested stack (by logical id) whose next template CloudFormation rejects, with its reason: its
   * nested change set fails, and the root's reason only points at it, as on AWS.
   */
  rejectNested?: { logicalId: string; reason: string };
  /** How many DescribeStacks calls a stack stays *_IN_PROGRESS. */
  settleAfter = 1;
  /** S3 ListObjectVersions page size. */
  pageSize = 1000;
  private tick = Date.parse('2030-01-01T00:00:00Z');

  constructor(region: string) {
    this.region = region;
  }

  /** A clock that moves forward 1 ms per reading, so events sort the same way every run. */
  now(): Date {
    return new Date((this.tick += 1));
  }

  id(length = 10): string {
    return randomBytes(length).toString('hex').slice(0, length);
  }

  findStack(nameOrId: string): FakeStack | undefined {
    const byId = this.stacks.get(nameOrId);
    if (byId) return byId;
    return [...this.stacks.values()].find((stack) => stack.name === nameOrId && stack.status !== 'DELETE_COMPLETE');
  }

  latest(bucket: string, key: string): ObjectVersion | undefined {
    const version = this.buckets.get(bucket)?.get(key)?.at(-1);
    return version && !version.deleteMarker ? version : undefined;
  }

  putObject(bucket: string, key: string, body: Buffer, contentType?: string): ObjectVersion {
    const objects = this.buckets.get(bucket)!;
    const version: ObjectVersion = { versionId: this.id(16), deleteMarker: false, body, ...(contentType && { contentType }), lastModified: this.now() };
    objects.set(key, [...(objects.get(key) ?? []), version]);
    return version;
  }

  countVersions(bucket: string): number {
    return [...(this.buckets.get(bucket)?.values() ?? [])].reduce((sum, versions) => sum + versions.length, 0);
  }
}

export function sha256Base64(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}
