// What Subscribe / SetSubscriptionAttributes would refuse in a filter policy: each rule with a
// policy SNS accepts and one it refuses, in the scope the rule is about, with the problem's path
// and the words that name the rule. Limits from AWS's "Filter policy constraints in Amazon SNS".
import { describe, expect, it } from 'vitest';
import { FILTER_POLICY_LIMITS, validateFilterPolicy, type FilterPolicyScope } from '../../../../src/config/index.js';

type Case = { rule: string; scope: FilterPolicyScope; accepted: unknown; refused: unknown; path: string; text: string };

const values = (count: number) => Array.from({ length: count }, (_, index) => `v${index}`);

const CASES: Case[] = [
  { rule: 'a policy is an object', scope: 'MessageAttributes', accepted: { a: ['x'] }, refused: [['x']], path: '', text: 'must be a JSON object' },
  { rule: 'values are lists', scope: 'MessageAttributes', accepted: { a: ['x'] }, refused: { a: 'x' }, path: 'a', text: 'must be a list (SNS matches each field against a list of values: write ["x"])' },
  { rule: 'attribute policies do not nest', scope: 'MessageAttributes', accepted: { a: ['x'] }, refused: { a: { b: ['x'] } }, path: 'a', text: 'cannot nest objects; use the MessageBody scope' },
  { rule: 'body policies nest, their leaves are lists', scope: 'MessageBody', accepted: { a: { b: ['x'] } }, refused: { a: { b: 'x' } }, path: 'a.b', text: 'must be a list or an object' },
  { rule: 'lists are not empty', scope: 'MessageAttributes', accepted: { a: ['x'] }, refused: { a: [] }, path: 'a', text: 'empty list' },
  { rule: 'operators are the ones SNS knows (no wildcard)', scope: 'MessageAttributes', accepted: { a: [{ suffix: 'x' }] }, refused: { a: [{ wildcard: 'x*' }] }, path: 'a[0].wildcard', text: 'unknown operator; SNS accepts prefix, suffix, anything-but, numeric, exists, equals-ignore-case, cidr' },
  { rule: 'prefix takes a plain string (no equals-ignore-case inside, unlike EventBridge)', scope: 'MessageAttributes', accepted: { a: [{ prefix: 'x' }] }, refused: { a: [{ prefix: { 'equals-ignore-case': 'x' } }] }, path: 'a[0].prefix', text: 'must be a string, got an object' },
  { rule: 'anything-but wraps only prefix', scope: 'MessageAttributes', accepted: { a: [{ 'anything-but': { prefix: 'x' } }] }, refused: { a: [{ 'anything-but': { suffix: 'x' } }] }, path: 'a[0].anything-but', text: 'SNS accepts inside anything-but only {"prefix": …}' },
  { rule: 'anything-but lists one kind of value', scope: 'MessageAttributes', accepted: { a: [{ 'anything-but': [100, 500] }] }, refused: { a: [{ 'anything-but': [100, 'x'] }] }, path: 'a[0].anything-but', text: 'only strings or only numbers' },
  { rule: 'exists takes a boolean', scope: 'MessageBody', accepted: { a: [{ exists: true }] }, refused: { a: [{ exists: 'yes' }] }, path: 'a[0].exists', text: 'takes true or false' },
  { rule: 'equals-ignore-case takes a string', scope: 'MessageAttributes', accepted: { a: [{ 'equals-ignore-case': 'x' }] }, refused: { a: [{ 'equals-ignore-case': 1 }] }, path: 'a[0].equals-ignore-case', text: 'must be a string, got 1' },
  { rule: 'cidr is an address block', scope: 'MessageAttributes', accepted: { ip: [{ cidr: '10.0.0.0/24' }] }, refused: { ip: [{ cidr: '10.0.0/24' }] }, path: 'ip[0].cidr', text: 'is not an IP address block' },
  { rule: 'numeric operands lie within ±1e9 (documented constraint)', scope: 'MessageAttributes', accepted: { p: [{ numeric: ['>=', -1e9] }] }, refused: { p: [{ numeric: ['>=', -1e9 - 1] }] }, path: 'p[0].numeric[1]', text: 'outside the range SNS compares numerically' },
  { rule: 'numeric ranges are lower then upper bound', scope: 'MessageBody', accepted: { p: [{ numeric: ['>', 0, '<=', 150] }] }, refused: { p: [{ numeric: ['<', 0, '<=', 150] }] }, path: 'p[0].numeric', text: 'one lower bound (> or >=) and one upper bound' },
  { rule: '$or has two alternatives at least', scope: 'MessageAttributes', accepted: { $or: [{ a: ['x'] }, { b: ['y'] }] }, refused: { $or: [{ a: ['x'] }] }, path: '$or', text: 'at least two objects' },
  {
    rule: 'at most 5 keys (AWS doc)', scope: 'MessageAttributes',
    accepted: { a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'] },
    refused: { a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: ['x'] },
    path: '', text: 'has 6 keys; SNS accepts at most 5',
  },
  {
    rule: "on a body policy only top-level keys count (AWS doc's example: 4 top-level keys, 6 leaves)", scope: 'MessageBody',
    accepted: { state: ['SUCCESS'], severity: [{ exists: true }], message: [{ exists: true }], finding: { standard_control: [{ exists: true }], region: [{ exists: true }], account: [{ exists: true }] } },
    refused: { a: ['x'], b: ['x'], c: ['x'], d: ['x'], e: ['x'], f: { g: ['x'] } },
    path: '', text: 'has 6 keys',
  },
  {
    rule: "$or alternatives add their keys to the ones beside them", scope: 'MessageAttributes',
    accepted: { a: ['x'], b: ['x'], c: ['x'], $or: [{ d: ['x'], e: ['x'] }, { f: ['x'] }] },
    refused: { a: ['x'], b: ['x'], c: ['x'], $or: [{ d: ['x'], e: ['x'], g: ['x'] }, { f: ['x'] }] },
    path: '', text: 'has 6 keys',
  },
  {
    rule: 'at most 150 combinations, the product of the lists\' lengths (AWS doc: 3 x 1 x 2 = 6)', scope: 'MessageAttributes',
    accepted: { key_a: values(3), key_b: values(1), key_c: values(2), key_d: values(25) },
    refused: { key_a: values(3), key_b: values(1), key_c: values(2), key_d: values(26) },
    path: '', text: 'make 156 combinations',
  },
  {
    rule: 'nested lists multiply too', scope: 'MessageBody',
    accepted: { a: { b: values(10) }, c: values(15) },
    refused: { a: { b: values(11) }, c: values(15) },
    path: '', text: 'make 165 combinations',
  },
  {
    rule: '$or alternatives add up their combinations', scope: 'MessageAttributes',
    accepted: { a: values(2), $or: [{ b: values(50) }, { c: values(25) }] },
    refused: { a: values(2), $or: [{ b: values(50) }, { c: values(26) }] },
    path: '', text: 'make 152 combinations',
  },
];

describe('SNS filter policies: validation', () => {
  it.each(CASES)('$rule', ({ scope, accepted, refused, path, text }) => {
    expect(validateFilterPolicy(accepted, scope)).toEqual([]);
    const problems = validateFilterPolicy(refused, scope);
    expect(problems, JSON.stringify(problems)).toHaveLength(1);
    expect(problems[0]!.path).toBe(path);
    expect(problems[0]!.text).toContain(text);
  });

  it('refuses a policy over 256 KB (AWS doc)', () => {
    const big = (length: number) => ({ a: ['x'.repeat(length)] });
    expect(validateFilterPolicy(big(FILTER_POLICY_LIMITS.bytes - 20), 'MessageAttributes')).toEqual([]);
    expect(validateFilterPolicy(big(FILTER_POLICY_LIMITS.bytes), 'MessageAttributes')).toEqual([
      { path: '', text: expect.stringContaining('SNS accepts at most 256 KB') },
    ]);
  });

  it('names an unknown scope', () => {
    expect(validateFilterPolicy({ a: ['x'] }, 'Body' as FilterPolicyScope)).toEqual([{ path: '', text: expect.stringContaining('MessageAttributes or MessageBody') }]);
  });
});
