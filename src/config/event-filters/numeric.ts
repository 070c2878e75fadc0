// The `numeric` operator: ["=", 5], ["<", 5], [">", 0, "<=", 150]. One comparison, or one lower
// bound and one upper bound; "=" stands alone.
import { itemPath, problem, type FilterProblem } from './dialect.js';

const LOWER = ['>', '>='];
const UPPER = ['<', '<='];
const OPERATORS = ['=', ...LOWER, ...UPPER];
const SHAPE = 'numeric takes ["<op>", number] or a range [">" or ">=", low, "<" or "<=", high]';

function compare(value: number, operator: string, operand: number): boolean {
  switch (operator) {
    case '=': return value === operand;
    case '<': return value < operand;
    case '<=': return value <= operand;
    case '>': return value > operand;
    default: return value >= operand;
  }
}

/** True when `value` satisfies every comparison of a (valid) numeric condition. */
export function matchesNumeric(value: number, condition: readonly unknown[]): boolean {
  for (let i = 0; i + 1 < condition.length; i += 2) {
    if (!compare(value, String(condition[i]), Number(condition[i + 1]))) return false;
  }
  return true;
}

export function checkNumeric(condition: unknown, path: string, limit: number, service: string): FilterProblem[] {
  if (!Array.isArray(condition) || (condition.length !== 2 && condition.length !== 4)) return [problem(path, SHAPE)];
  const problems: FilterProblem[] = [];
  for (let i = 0; i < condition.length; i += 2) {
    const operator = condition[i];
    const operand = condition[i + 1];
    if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
      problems.push(problem(itemPath(path, i), `unknown comparison ${JSON.stringify(operator)}; use one of ${OPERATORS.join(' ')}`));
    }
    if (typeof operand !== 'number' || !Number.isFinite(operand)) {
      problems.push(problem(itemPath(path, i + 1), `must be a number (a JSON number, not a string), got ${JSON.stringify(operand)}`));
    } else if (Math.abs(operand) > limit) {
      problems.push(problem(itemPath(path, i + 1), `${operand} is outside the range ${service} compares numerically (-${limit.toExponential()} to ${limit.toExponential()})`));
    }
  }
  if (problems.length > 0 || condition.length === 2) return problems;
  const [first, low, second, high] = condition as [string, number, string, number];
  const bounds = [first, second].map((operator) => (LOWER.includes(operator) ? 'lower' : UPPER.includes(operator) ? 'upper' : 'equal'));
  if (bounds.includes('equal') || bounds[0] === bounds[1]) return [problem(path, `a range needs one lower bound (> or >=) and one upper bound (< or <=); "=" stands alone. ${SHAPE}`)];
  const [bottom, top] = bounds[0] === 'lower' ? [low, high] : [high, low];
  return bottom < top ? [] : [problem(path, `the range is empty: the lower bound ${bottom} must be less than the upper bound ${top}`)];
}
