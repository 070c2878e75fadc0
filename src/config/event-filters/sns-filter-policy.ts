// SNS subscription filter policies, on message attributes (the default scope) or on the JSON
// body: validated as Subscribe/SetSubscriptionAttributes would, matched as the topic does.
import { isPlainObject } from '../../shared/objects.js';
import { problem, type FilterDialect, type FilterProblem } from './dialect.js';
import { matchesObject } from './match-pattern.js';
import { checkObject, OR_KEY } from './validate-pattern.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';
export type SnsMessageAttribute = { Type: string; Value: string };
export type SnsMessage = { body: string; attributes: Record<string, SnsMessageAttribute> };

/** The documented limits ("Filter policy constraints in Amazon SNS"). */
export const FILTER_POLICY_LIMITS = {
  /** Keys a policy may have; on the body, only the top-level ones count. */
  keys: 5,
  /** The product of the lengths of the policy's lists. */
  combinations: 150,
  bytes: 256 * 1024,
  /** Operands of `numeric`: from -1e9 to 1e9. */
  numeric: 1e9,
} as const;

const SNS: Omit<FilterDialect, 'nested'> = {
  service: 'SNS',
  operators: ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr'],
  anythingButOperators: ['prefix'],
  affixIgnoreCase: false,
  numericLimit: FILTER_POLICY_LIMITS.numeric,
};

const DIALECTS: Record<FilterPolicyScope, FilterDialect> = {
  MessageAttributes: {
    ...SNS,
    nested: false,
    nestedRefusal: 'an attribute filter policy (scope MessageAttributes) cannot nest objects; use the MessageBody scope to filter on nested fields of a JSON body',
  },
  MessageBody: { ...SNS, nested: true },
};

type Fields = Record<string, unknown>;

/** SNS's count: multiply the lengths of every list; an $or contributes the sum over its alternatives. */
function combinations(node: Fields): number {
  let total = 1;
  for (const [key, value] of Object.entries(node)) {
    if (key === OR_KEY) total *= (value as Fields[]).reduce((sum, branch) => sum + combinations(branch), 0);
    else total *= Array.isArray(value) ? value.length : combinations(value as Fields);
  }
  return total;
}

/** The most top-level keys one alternative holds: an $or alternative's keys join the keys beside it. */
function topLevelKeys(node: Fields): number {
  const own = Object.keys(node).filter((key) => key !== OR_KEY).length;
  const branches = node[OR_KEY] as Fields[] | undefined;
  return own + (branches ? Math.max(...branches.map(topLevelKeys)) : 0);
}

function checkLimits(policy: Fields): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const keys = topLevelKeys(policy);
  if (keys > FILTER_POLICY_LIMITS.keys) {
    problems.push(problem('', `the policy has ${keys} keys; SNS accepts at most ${FILTER_POLICY_LIMITS.keys} (on a body policy, only top-level keys count)`));
  }
  const count = combinations(policy);
  if (count > FILTER_POLICY_LIMITS.combinations) {
    problems.push(problem('', `the policy's values make ${count} combinations (the product of its lists' lengths); SNS accepts at most ${FILTER_POLICY_LIMITS.combinations}`));
  }
  const bytes = new TextEncoder().encode(JSON.stringify(policy)).length;
  if (bytes > FILTER_POLICY_LIMITS.bytes) problems.push(problem('', `the policy is ${bytes} bytes of JSON; SNS accepts at most 256 KB`));
  return problems;
}

export function validateFilterPolicy(policy: unknown, scope: FilterPolicyScope): FilterProblem[] {
  const dialect = DIALECTS[scope] as FilterDialect | undefined;
  if (!dialect) return [problem('', `unknown filter policy scope ${JSON.stringify(scope)}; SNS accepts MessageAttributes or MessageBody`)];
  if (!isPlainObject(policy)) return [problem('', 'a filter policy must be a JSON object, like {"store": ["example_corp"]}')];
  const problems = checkObject(policy, '', dialect);
  // The counts presume well-formed lists and alternatives.
  return problems.length > 0 ? problems : checkLimits(policy);
}

/**
 * The value a policy sees for one attribute: a String as it is, a Number as a number, a
 * String.Array as its elements. Binary attributes (and malformed ones) are ignored, as SNS does.
 */
function attributeValue({ Type: type, Value: value }: SnsMessageAttribute): unknown {
  if (type === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  // Custom types keep their base: Number.float is a Number, String.id a String.
  if (type === 'Number' || type.startsWith('Number.')) return value.trim() === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
  if (type === 'String' || type.startsWith('String.')) return value;
  return undefined;
}

function parseBody(body: string): Fields | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a topic would deliver `message` to a subscription with this (valid) policy and scope. */
export function matchesFilterPolicy(policy: object, scope: FilterPolicyScope, message: SnsMessage): boolean {
  if (scope === 'MessageBody') {
    // A body that is not a JSON object has no properties to match.
    const body = parseBody(message.body);
    return body !== undefined && matchesObject(policy as Fields, body);
  }
  const fields: Fields = {};
  for (const [name, attribute] of Object.entries(message.attributes)) {
    const value = attributeValue(attribute);
    if (value !== undefined) fields[name] = value;
  }
  return matchesObject(policy as Fields, fields, { anythingButEvery: true });
}
