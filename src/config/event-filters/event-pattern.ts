// EventBridge event patterns (rules on a bus): validated as PutRule would, matched as the bus does.
import { isPlainObject } from '../../shared/objects.js';
import { problem, type FilterDialect, type FilterProblem } from './dialect.js';
import { matchesObject } from './match-pattern.js';
import { checkObject } from './validate-pattern.js';

const EVENTBRIDGE: FilterDialect = {
  service: 'EventBridge',
  operators: ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr', 'wildcard'],
  anythingButOperators: ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'],
  affixIgnoreCase: true,
  // "Numeric matching … is limited to values between -1.0e9 and +1.0e9 inclusive" (content filtering guide).
  numericLimit: 1e9,
  nested: true,
};

/** EventBridge's default quota for the length of an event pattern (characters of JSON). */
export const EVENT_PATTERN_MAX_LENGTH = 2048;
/** What Service Quotas can raise that quota to (and the API's own limit). */
export const EVENT_PATTERN_QUOTA_MAX = 4096;

export type EventPatternOptions = {
  /** The account's quota when it was raised (up to 4096); 2048 otherwise. */
  maxLength?: number;
};

export function validateEventPattern(pattern: unknown, options: EventPatternOptions = {}): FilterProblem[] {
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    return [problem('', 'an event pattern must be a non-empty JSON object, like {"source": ["my.app"]}')];
  }
  const problems = checkObject(pattern, '', EVENTBRIDGE);
  const max = Math.min(options.maxLength ?? EVENT_PATTERN_MAX_LENGTH, EVENT_PATTERN_QUOTA_MAX);
  const length = JSON.stringify(pattern).length;
  if (length > max) {
    problems.push(problem('', `the pattern is ${length} characters of JSON; EventBridge accepts at most ${max} (the default quota is ${EVENT_PATTERN_MAX_LENGTH}, Service Quotas raises it up to ${EVENT_PATTERN_QUOTA_MAX})`));
  }
  return problems;
}

/** Whether a bus would deliver `event` (the whole event: source, detail-type, detail, account, region, resources …) to a rule with this pattern. */
export function matchesEventPattern(pattern: object, event: object): boolean {
  return matchesObject(pattern as Record<string, unknown>, event);
}
