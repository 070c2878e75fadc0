// What the checks against the resource specification share: the problems found so far, and
// small helpers for JSON values and the JSON-path-like locations problems carry. The template
// validator of the tests (test/support/cfn-validator.ts) builds on the same helpers.

export interface TemplateProblem {
  /** Where, e.g. `Resources.ApiMethodPostsGet.Properties.Integration.Uri`; `''` is the template as a whole. */
  path: string;
  message: string;
}

/** Where checks put what they find: every problem is collected, not just the first. */
export interface ProblemSink {
  problems: TemplateProblem[];
}

export type JsonObject = Record<string, unknown>;

const INTRINSICS = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::If', 'Fn::Select', 'Fn::Split',
  'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::Equals',
  'Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::Transform', 'Fn::ToJsonString', 'Fn::Length',
]);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function a value calls (`{ "Fn::Sub": ... }` → `Fn::Sub`), if it is one. */
export function intrinsicOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0]!) ? keys[0] : undefined;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z0-9_]+$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function report(sink: ProblemSink, path: string, message: string): void {
  sink.problems.push({ path, message });
}
