// One element of a leaf list: a plain value (string, number, true/false, null) or an object
// holding exactly one operator with its operand.
import { isPlainObject } from '../../shared/objects.js';
import { closestMatch } from '../../shared/suggest.js';
import { describeValue as describe } from '../report.js';
import { childPath, itemPath, problem, type FilterDialect, type FilterProblem } from './dialect.js';
import { parseCidr } from './ip-ranges.js';
import { checkNumeric } from './numeric.js';
import { wildcardProblem } from './wildcard.js';

type OperandCheck = (operand: unknown, path: string, dialect: FilterDialect) => FilterProblem[];

function checkString(operand: unknown, path: string): FilterProblem[] {
  return typeof operand === 'string' ? [] : [problem(path, `must be a string, got ${describe(operand)}`)];
}

const checkWildcard: OperandCheck = (operand, path) => {
  if (typeof operand !== 'string') return checkString(operand, path);
  const why = wildcardProblem(operand);
  return why ? [problem(path, why)] : [];
};

/** A string, or a non-empty list of them (anything-but's equals-ignore-case and wildcard take both). */
function stringOrList(check: OperandCheck): OperandCheck {
  return (operand, path, dialect) => {
    if (!Array.isArray(operand)) return check(operand, path, dialect);
    if (operand.length === 0) return [problem(path, 'must list at least one value')];
    return operand.flatMap((item, index) => check(item, itemPath(path, index), dialect));
  };
}

const checkAffix: OperandCheck = (operand, path, dialect) => {
  if (dialect.affixIgnoreCase && isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 1 && keys[0] === 'equals-ignore-case') return checkString(operand[keys[0]], childPath(path, keys[0]));
    return [problem(path, `takes a string or {"equals-ignore-case": "…"}, got an object with ${keys.map((key) => JSON.stringify(key)).join(', ') || 'no keys'}`)];
  }
  return checkString(operand, path);
};

const ANYTHING_BUT_OPERANDS: Record<string, OperandCheck> = {
  prefix: checkString,
  suffix: checkString,
  'equals-ignore-case': stringOrList(checkString),
  wildcard: stringOrList(checkWildcard),
};

const checkAnythingBut: OperandCheck = (operand, path, dialect) => {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return [];
  if (Array.isArray(operand)) {
    if (operand.length === 0) return [problem(path, 'must list at least one value')];
    const kinds = new Set(operand.map((item) => typeof item));
    if (kinds.size === 1 && (kinds.has('string') || kinds.has('number'))) return [];
    return [problem(path, 'a list must hold only strings or only numbers')];
  }
  if (!isPlainObject(operand)) return [problem(path, `takes a string, a number, a list of either, or an operator object, got ${describe(operand)}`)];
  const keys = Object.keys(operand);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined || !dialect.anythingButOperators.includes(key)) {
    return [problem(path, `${dialect.service} accepts inside anything-but only ${dialect.anythingButOperators.map((name) => `{"${name}": …}`).join(', ')}; got ${keys.map((name) => JSON.stringify(name)).join(', ') || 'an empty object'}`)];
  }
  return ANYTHING_BUT_OPERANDS[key]!(operand[key], childPath(path, key), dialect);
};

const OPERAND_CHECKS: Record<string, OperandCheck> = {
  exists: (operand, path) => (typeof operand === 'boolean' ? [] : [problem(path, `takes true or false, got ${describe(operand)}`)]),
  prefix: checkAffix,
  suffix: checkAffix,
  'equals-ignore-case': checkString,
  wildcard: checkWildcard,
  'anything-but': checkAnythingBut,
  numeric: (operand, path, dialect) => checkNumeric(operand, path, dialect.numericLimit, dialect.service),
  cidr: (operand, path) => {
    if (typeof operand !== 'string') return checkString(operand, path);
    return parseCidr(operand) ? [] : [problem(path, `${JSON.stringify(operand)} is not an IP address block like 10.0.0.0/24 or 2001:db8::/32`)];
  },
};

export function checkMatcher(element: unknown, path: string, dialect: FilterDialect): FilterProblem[] {
  if (element === null || typeof element === 'string' || typeof element === 'boolean') return [];
  if (typeof element === 'number') return Number.isFinite(element) ? [] : [problem(path, 'must be a finite number')];
  if (Array.isArray(element)) return [problem(path, 'a list may not hold another list; write its values in the outer list')];
  if (!isPlainObject(element)) return [problem(path, `must be a string, a number, true, false, null or an operator object, got ${describe(element)}`)];
  const keys = Object.keys(element);
  if (keys.length !== 1) {
    return [problem(path, `an operator object holds exactly one operator, got ${keys.length === 0 ? 'none' : keys.join(', ')}; list several objects to match any of them`)];
  }
  const operator = keys[0]!;
  if (!dialect.operators.includes(operator)) {
    const near = closestMatch(operator, dialect.operators);
    return [problem(childPath(path, operator), `unknown operator${near ? ` (did you mean "${near}"?)` : ''}; ${dialect.service} accepts ${dialect.operators.join(', ')}`)];
  }
  return OPERAND_CHECKS[operator]!(element[operator], childPath(path, operator), dialect);
}
