// The walk shared by both services: keys hold a list of matchers or (where the dialect allows) a
// nested object; `$or` holds alternatives. Every problem is collected, none thrown, so a build
// reports all of them at once.
import { isPlainObject } from '../../shared/objects.js';
import { childPath, itemPath, problem, type FilterDialect, type FilterProblem } from './dialect.js';
import { checkMatcher } from './validate-matcher.js';

export const OR_KEY = '$or';

function checkOr(branches: unknown, path: string, dialect: FilterDialect): FilterProblem[] {
  // AWS's matcher refuses an $or of fewer than two alternatives: one alternative is just the object itself.
  if (!Array.isArray(branches) || branches.length < 2) return [problem(path, `${OR_KEY} takes a list of at least two objects, each one alternative`)];
  return branches.flatMap((branch, index) => {
    const at = itemPath(path, index);
    if (!isPlainObject(branch) || Object.keys(branch).length === 0) return [problem(at, `each ${OR_KEY} alternative must be a non-empty object`)];
    return checkObject(branch, at, dialect);
  });
}

function checkField(value: unknown, path: string, dialect: FilterDialect): FilterProblem[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [problem(path, `an empty list matches nothing and ${dialect.service} refuses it`)];
    return value.flatMap((element, index) => checkMatcher(element, itemPath(path, index), dialect));
  }
  if (isPlainObject(value)) return dialect.nested ? checkObject(value, path, dialect) : [problem(path, dialect.nestedRefusal ?? 'may not hold an object')];
  const wrapped = JSON.stringify(value) ?? String(value);
  return [problem(path, `must be a list${dialect.nested ? ' or an object' : ''} (${dialect.service} matches each field against a list of values: write [${wrapped}])`)];
}

export function checkObject(pattern: Record<string, unknown>, path: string, dialect: FilterDialect): FilterProblem[] {
  return Object.entries(pattern).flatMap(([key, value]) => {
    const at = childPath(path, key);
    return key === OR_KEY ? checkOr(value, at, dialect) : checkField(value, at, dialect);
  });
}
