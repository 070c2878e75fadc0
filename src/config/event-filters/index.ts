// SNS filter policies and EventBridge event patterns: the build validates them, the local
// emulators match messages and events against them. Pure, no I/O.
export { formatFilterProblem, type FilterProblem } from './dialect.js';
export {
  FILTER_POLICY_LIMITS, matchesFilterPolicy, validateFilterPolicy,
  type FilterPolicyScope, type SnsMessage, type SnsMessageAttribute,
} from './sns-filter-policy.js';
export {
  EVENT_PATTERN_MAX_LENGTH, EVENT_PATTERN_QUOTA_MAX, matchesEventPattern, validateEventPattern, type EventPatternOptions,
} from './event-pattern.js';
