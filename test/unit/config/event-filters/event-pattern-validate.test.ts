// What PutRule would refuse in an event pattern: each rule with a pattern EventBridge accepts and
// one it refuses, the problem's path and the words that name the rule.
import { describe, expect, it } from 'vitest';
import { EVENT_PATTERN_MAX_LENGTH, formatFilterProblem, validateEventPattern } from '../../../../src/config/index.js';

type Case = { rule: string; accepted: unknown; refused: unknown; path: string; text: string };

const CASES: Case[] = [
  { rule: 'a pattern is an object', accepted: { source: ['a'] }, refused: ['a'], path: '', text: 'must be a non-empty JSON object' },
  { rule: 'a pattern is not empty', accepted: { source: ['a'] }, refused: {}, path: '', text: 'must be a non-empty JSON object' },
  { rule: 'every leaf is a list', accepted: { detail: { state: ['on'] } }, refused: { detail: { state: 'on' } }, path: 'detail.state', text: 'must be a list or an object' },
  { rule: 'a list is not empty', accepted: { source: ['a'] }, refused: { source: [] }, path: 'source', text: 'an empty list matches nothing' },
  { rule: 'a list holds no list', accepted: { source: ['a', 'b'] }, refused: { source: [['a']] }, path: 'source[0]', text: 'may not hold another list' },
  { rule: 'an operator object holds one operator', accepted: { f: [{ prefix: 'a' }, { suffix: 'b' }] }, refused: { f: [{ prefix: 'a', suffix: 'b' }] }, path: 'f[0]', text: 'exactly one operator, got prefix, suffix' },
  { rule: 'operators are known', accepted: { f: [{ prefix: 'a' }] }, refused: { f: [{ prefx: 'a' }] }, path: 'f[0].prefx', text: 'unknown operator (did you mean "prefix"?)' },
  { rule: 'contains is no EventBridge operator', accepted: { f: [{ wildcard: '*a*' }] }, refused: { f: [{ contains: 'a' }] }, path: 'f[0].contains', text: 'unknown operator' },
  { rule: 'prefix takes a string', accepted: { f: [{ prefix: '' }] }, refused: { f: [{ prefix: 5 }] }, path: 'f[0].prefix', text: 'must be a string, got 5' },
  { rule: 'prefix takes equals-ignore-case only', accepted: { f: [{ prefix: { 'equals-ignore-case': 'a' } }] }, refused: { f: [{ prefix: { exact: 'a' } }] }, path: 'f[0].prefix', text: 'takes a string or {"equals-ignore-case"' },
  { rule: 'equals-ignore-case takes a string', accepted: { f: [{ 'equals-ignore-case': 'a' }] }, refused: { f: [{ 'equals-ignore-case': ['a'] }] }, path: 'f[0].equals-ignore-case', text: 'must be a string, got an array' },
  { rule: 'exists takes a boolean', accepted: { f: [{ exists: false }] }, refused: { f: [{ exists: 'false' }] }, path: 'f[0].exists', text: 'takes true or false' },
  { rule: 'anything-but lists only strings or only numbers', accepted: { f: [{ 'anything-but': ['a', 'b'] }] }, refused: { f: [{ 'anything-but': ['a', 1] }] }, path: 'f[0].anything-but', text: 'only strings or only numbers' },
  { rule: 'anything-but lists something', accepted: { f: [{ 'anything-but': [1] }] }, refused: { f: [{ 'anything-but': [] }] }, path: 'f[0].anything-but', text: 'at least one value' },
  { rule: 'anything-but wraps known operators', accepted: { f: [{ 'anything-but': { suffix: '.png' } }] }, refused: { f: [{ 'anything-but': { numeric: ['>', 1] } }] }, path: 'f[0].anything-but', text: 'EventBridge accepts inside anything-but only {"prefix": …}, {"suffix": …}' },
  { rule: 'anything-but prefix takes a string', accepted: { f: [{ 'anything-but': { prefix: 'a' } }] }, refused: { f: [{ 'anything-but': { prefix: ['a'] } }] }, path: 'f[0].anything-but.prefix', text: 'must be a string' },
  { rule: 'numeric is one comparison or a range', accepted: { f: [{ numeric: ['>=', 1] }] }, refused: { f: [{ numeric: ['>', 1, '<'] }] }, path: 'f[0].numeric', text: 'numeric takes ["<op>", number]' },
  { rule: 'numeric comparisons are known', accepted: { f: [{ numeric: ['<=', 1] }] }, refused: { f: [{ numeric: ['!=', 1] }] }, path: 'f[0].numeric[0]', text: 'unknown comparison "!="' },
  { rule: 'numeric operands are JSON numbers', accepted: { f: [{ numeric: ['=', 1] }] }, refused: { f: [{ numeric: ['=', '1'] }] }, path: 'f[0].numeric[1]', text: 'must be a number (a JSON number, not a string)' },
  { rule: 'numeric operands lie within ±1e9', accepted: { f: [{ numeric: ['<', 1e9] }] }, refused: { f: [{ numeric: ['<', 1e9 + 1] }] }, path: 'f[0].numeric[1]', text: 'outside the range EventBridge compares numerically' },
  { rule: 'a range has one lower and one upper bound', accepted: { f: [{ numeric: ['<', 10, '>=', 0] }] }, refused: { f: [{ numeric: ['>', 0, '>', 5] }] }, path: 'f[0].numeric', text: 'one lower bound (> or >=) and one upper bound' },
  { rule: '"=" stands alone', accepted: { f: [{ numeric: ['=', 5] }] }, refused: { f: [{ numeric: ['=', 5, '<', 9] }] }, path: 'f[0].numeric', text: '"=" stands alone' },
  { rule: 'a range is not empty', accepted: { f: [{ numeric: ['>', 0, '<', 1] }] }, refused: { f: [{ numeric: ['>', 5, '<', 5] }] }, path: 'f[0].numeric', text: 'the range is empty' },
  { rule: 'cidr is an address block', accepted: { ip: [{ cidr: '2001:db8::/32' }] }, refused: { ip: [{ cidr: '10.0.0.0/33' }] }, path: 'ip[0].cidr', text: 'is not an IP address block' },
  { rule: 'wildcard has no consecutive stars', accepted: { f: [{ wildcard: 'a*b*' }] }, refused: { f: [{ wildcard: 'a**b' }] }, path: 'f[0].wildcard', text: 'consecutive * characters' },
  { rule: 'wildcard escapes only * and \\', accepted: { f: [{ wildcard: 'a\\*\\\\' }] }, refused: { f: [{ wildcard: 'a\\b' }] }, path: 'f[0].wildcard', text: 'a backslash may only escape' },
  { rule: '$or has two alternatives at least', accepted: { $or: [{ a: ['1'] }, { b: ['2'] }] }, refused: { $or: [{ a: ['1'] }] }, path: '$or', text: 'at least two objects' },
  { rule: '$or alternatives are non-empty objects', accepted: { d: { $or: [{ a: ['1'] }, { b: ['2'] }] } }, refused: { d: { $or: [{ a: ['1'] }, {}] } }, path: 'd.$or[1]', text: 'must be a non-empty object' },
  { rule: 'problems inside $or name their path', accepted: { $or: [{ a: ['1'] }, { b: [{ exists: true }] }] }, refused: { $or: [{ a: ['1'] }, { b: [{ exists: 1 }] }] }, path: '$or[1].b[0].exists', text: 'takes true or false' },
];

describe('EventBridge event patterns: validation', () => {
  it.each(CASES)('$rule', ({ accepted, refused, path, text }) => {
    expect(validateEventPattern(accepted)).toEqual([]);
    const problems = validateEventPattern(refused);
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    expect(problems[0]!.path).toBe(path);
    expect(problems[0]!.text).toContain(text);
  });

  it('reports every problem of a pattern in one pass, each on one line', () => {
    const problems = validateEventPattern({ source: 'a', detail: { price: [{ numeric: ['<', 'x'] }], tag: [{ nope: 1 }] } });
    expect(problems.map((found) => found.path)).toEqual(['source', 'detail.price[0].numeric[1]', 'detail.tag[0].nope']);
    expect(problems.map(formatFilterProblem).every((line) => !line.includes('\n'))).toBe(true);
    expect(formatFilterProblem(problems[0]!)).toMatch(/^source: must be a list or an object .*write \["a"\]/);
  });

  it('refuses a pattern longer than the default quota unless the raised quota is given, and never past 4096', () => {
    const long = { source: ['x'.repeat(EVENT_PATTERN_MAX_LENGTH)] };
    expect(validateEventPattern({ source: ['x'.repeat(EVENT_PATTERN_MAX_LENGTH - 20)] })).toEqual([]);
    const [tooLong] = validateEventPattern(long);
    expect(tooLong).toMatchObject({ path: '', text: expect.stringContaining('accepts at most 2048') });
    expect(validateEventPattern(long, { maxLength: 4096 })).toEqual([]);
    expect(validateEventPattern({ source: ['x'.repeat(4096)] }, { maxLength: 10_000 })[0]!.text).toContain('at most 4096');
  });
});
