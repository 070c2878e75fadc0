// Matching shared by both services: every key of the pattern must match (AND), a list matches when
// any of its elements does (OR), `$or` needs one alternative, and an array in the message or event
// matches when any of its elements does. Assumes a pattern its validator accepted.
import { isInCidr } from './ip-ranges.js';
import { matchesNumeric } from './numeric.js';
import { OR_KEY } from './validate-pattern.js';
import { matchesWildcard } from './wildcard.js';

export type MatchOptions = {
  /**
   * SNS documents anything-but on a String.Array attribute as "none of its elements is listed",
   * where everywhere else an array matches when any one element does.
   */
  anythingButEvery?: boolean;
};

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const fold = (text: string): string => text.toLowerCase();

/** The leaf values at a field: arrays are flattened, objects are no leaf (exists looks at leaves only). */
function leavesOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return isObject(value) ? [] : [value];
}

function matchesAffix(operand: unknown, text: string, test: (text: string, part: string) => boolean): boolean {
  // {"prefix": {"equals-ignore-case": "eventb"}}
  if (isObject(operand)) return test(fold(text), fold(String(operand['equals-ignore-case'])));
  return test(text, String(operand));
}

function matchesAnythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    const [operator = '', inner] = Object.entries(operand)[0] ?? [];
    if (typeof value !== 'string') return false;
    const excluded: unknown[] = Array.isArray(inner) ? inner : [inner];
    return !excluded.some((item) => matchesOperator(operator, item, value));
  }
  const excluded: unknown[] = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value);
}

function matchesOperator(operator: string, operand: unknown, value: unknown): boolean {
  if (operator === 'anything-but') return matchesAnythingBut(operand, value);
  if (operator === 'numeric') return typeof value === 'number' && matchesNumeric(value, operand as unknown[]);
  if (typeof value !== 'string') return false;
  switch (operator) {
    case 'prefix': return matchesAffix(operand, value, (text, part) => text.startsWith(part));
    case 'suffix': return matchesAffix(operand, value, (text, part) => text.endsWith(part));
    case 'equals-ignore-case': return fold(value) === fold(String(operand));
    case 'wildcard': return matchesWildcard(value, String(operand));
    case 'cidr': return isInCidr(value, String(operand));
    default: return false;
  }
}

function matchesElement(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator = '', operand] = Object.entries(matcher)[0] ?? [];
  return matchesOperator(operator, operand, value);
}

function matchesField(matchers: readonly unknown[], value: unknown, options: MatchOptions): boolean {
  const leaves = leavesOf(value);
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return (leaves.length > 0) === matcher.exists;
    if (options.anythingButEvery && Array.isArray(value) && isObject(matcher) && 'anything-but' in matcher) {
      return leaves.length > 0 && leaves.every((leaf) => matchesElement(matcher, leaf));
    }
    return leaves.some((leaf) => matchesElement(matcher, leaf));
  });
}

/** Whether `value` (an object, or an array of objects: any of them) satisfies every key of `pattern`. */
export function matchesObject(pattern: Fields, value: unknown, options: MatchOptions = {}): boolean {
  if (Array.isArray(value)) {
    return value.length === 0 ? matchesObject(pattern, undefined, options) : value.some((item) => matchesObject(pattern, item, options));
  }
  const fields: Fields = isObject(value) ? value : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === OR_KEY) return (sub as Fields[]).some((branch) => matchesObject(branch, value, options));
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    return Array.isArray(sub) ? matchesField(sub, field, options) : matchesObject(sub as Fields, field, options);
  });
}
