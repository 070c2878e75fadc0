// SNS filter policies and EventBridge event patterns share one grammar (objects of keys whose
// leaves are lists of values and one-operator matchers, plus `$or`). What differs between the two
// services is data: which operators exist, what anything-but may wrap, the numeric range, whether
// objects may nest. One walker and one matcher read a dialect instead of two copies drifting apart.

/** One rule a policy or pattern breaks; `path` points into it, like `detail.price[0].numeric`. */
export type FilterProblem = { path: string; text: string };

export interface FilterDialect {
  /** The service that would refuse it, for messages. */
  service: string;
  operators: readonly string[];
  /** Operators anything-but accepts as an object operand (`{"anything-but": {"prefix": "x"}}`). */
  anythingButOperators: readonly string[];
  /** prefix/suffix accept `{"equals-ignore-case": "…"}` as their operand. */
  affixIgnoreCase: boolean;
  /** Operands of `numeric` must lie within ±this. */
  numericLimit: number;
  /** Whether a key may hold an object (a nested pattern) instead of a list. */
  nested: boolean;
  /** Why nesting is refused, when it is. */
  nestedRefusal?: string;
}

export const problem = (path: string, text: string): FilterProblem => ({ path, text });

export const childPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

export const itemPath = (path: string, index: number): string => `${path}[${index}]`;

/** `path: text`, the one line a caller prefixes with the job or subscription at fault. */
export function formatFilterProblem(found: FilterProblem): string {
  return found.path === '' ? found.text : `${found.path}: ${found.text}`;
}
