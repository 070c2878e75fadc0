// Declared tables → DynamoDB CreateTable requests, and what tells an existing table apart from
// its declaration (keys, indexes) when the config changes or persisted data is reopened.
import type { ResolvedAttribute, ResolvedIndex, ResolvedTable } from '../config/index.js';

const ATTRIBUTE_TYPES = { string: 'S', number: 'N', binary: 'B' } as const;

interface KeyElement { AttributeName: string; KeyType: 'HASH' | 'RANGE' }

function keySchema(key: ResolvedAttribute, sort?: ResolvedAttribute): KeyElement[] {
  return [{ AttributeName: key.name, KeyType: 'HASH' }, ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : [])];
}

function projection(index: ResolvedIndex): Record<string, unknown> {
  if (index.projection === 'all') return { ProjectionType: 'ALL' };
  if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] };
}

/** The CreateTable request for `table` under `physicalName` (on-demand billing, as deployed). */
export function createTableRequest(table: ResolvedTable, physicalName: string): Record<string, unknown> {
  const attributes = new Map<string, string>();
  for (const attribute of [table.key, table.sort, ...table.indexes.flatMap((index) => [index.key, index.sort])]) {
    if (attribute) attributes.set(attribute.name, ATTRIBUTE_TYPES[attribute.type]);
  }
  return {
    TableName: physicalName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(table.key, table.sort),
    ...(table.indexes.length > 0 && {
      GlobalSecondaryIndexes: table.indexes.map((index) => ({ IndexName: index.name, KeySchema: keySchema(index.key, index.sort), Projection: projection(index) })),
    }),
  };
}

interface TableDescription {
  KeySchema?: KeyElement[];
  AttributeDefinitions?: Array<{ AttributeName: string; AttributeType: string }>;
  GlobalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeyElement[]; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } }>;
}

function describeKeys(keys: readonly KeyElement[] | undefined, types: ReadonlyMap<string, string>): string {
  return (keys ?? []).map((key) => `${key.KeyType}:${key.AttributeName}:${types.get(key.AttributeName) ?? '?'}`).join(',');
}

/**
 * A comparable summary of a table's keys and of its indexes. Both come from the same request
 * shape, so a CreateTable request and a DescribeTable reply of the same table summarise alike.
 */
export function summarizeTable(description: TableDescription): { keys: string; indexes: string } {
  const types = new Map((description.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const indexes = (description.GlobalSecondaryIndexes ?? [])
    .map((index) => `${index.IndexName}(${describeKeys(index.KeySchema, types)};${index.Projection?.ProjectionType ?? 'ALL'}:${[...(index.Projection?.NonKeyAttributes ?? [])].sort().join('+')})`)
    .sort();
  return { keys: describeKeys(description.KeySchema, types), indexes: indexes.join(' ') };
}
