// SNS filter policy matching through the config room's public API, on message attributes and on
// the JSON body. The cases marked "AWS doc" are the examples of the SNS developer guide's "String
// value matching", "Numeric value matching" and "Filter policy constraints" pages (read with the
// search tool), with the messages those pages show; the others follow the rules those pages state.
import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy, validateFilterPolicy, type SnsMessage, type SnsMessageAttribute } from '../../../../src/config/index.js';
import { awsSample } from '../../runtime/aws-samples.js';

const string = (Value: string): SnsMessageAttribute => ({ Type: 'String', Value });
const number = (Value: number | string): SnsMessageAttribute => ({ Type: 'Number', Value: String(Value) });
const strings = (values: unknown[]): SnsMessageAttribute => ({ Type: 'String.Array', Value: JSON.stringify(values) });
const attributes = (named: Record<string, SnsMessageAttribute>): SnsMessage => ({ body: 'not json', attributes: named });
const body = (json: object): SnsMessage => ({ body: JSON.stringify(json), attributes: {} });

type Case = { rule: string; policy: object; matches: Array<Record<string, SnsMessageAttribute>>; misses: Array<Record<string, SnsMessageAttribute>> };

const ATTRIBUTE_CASES: Case[] = [
  {
    rule: 'exact strings; a String.Array matches when an element does (AWS doc: customer_interests)',
    policy: { customer_interests: ['rugby', 'tennis'] },
    matches: [{ customer_interests: string('rugby') }, { customer_interests: string('tennis') }, { customer_interests: strings(['rugby', 'tennis']) }],
    misses: [{ customer_interests: string('baseball') }, { customer_interests: strings(['baseball']) }, {}],
  },
  {
    rule: 'AND across keys',
    policy: { store: ['example_corp'], event: ['order_placed'] },
    matches: [{ store: string('example_corp'), event: string('order_placed'), extra: string('ignored') }],
    misses: [{ store: string('example_corp'), event: string('order_cancelled') }, { store: string('example_corp') }],
  },
  {
    rule: 'anything-but a list of strings; on a String.Array none of the elements may be listed (AWS doc, current revision: an earlier one let [rugby, baseball] match)',
    policy: { customer_interests: [{ 'anything-but': ['rugby', 'tennis'] }] },
    matches: [{ customer_interests: string('baseball') }, { customer_interests: string('football') }, { customer_interests: strings(['baseball', 'football']) }],
    misses: [{ customer_interests: string('rugby') }, { customer_interests: strings(['rugby', 'baseball']) }, {}],
  },
  {
    rule: 'anything-but a prefix',
    policy: { event: [{ 'anything-but': { prefix: 'order-' } }] },
    matches: [{ event: string('data-entry') }],
    misses: [{ event: string('order-cancelled') }],
  },
  {
    rule: 'anything-but combined with exists false (AWS doc says they combine)',
    policy: { customer_interests: [{ 'anything-but': ['rugby'] }, { exists: false }] },
    matches: [{}, { customer_interests: string('tennis') }],
    misses: [{ customer_interests: string('rugby') }],
  },
  {
    rule: 'prefix (AWS doc: bas)',
    policy: { customer_interests: [{ prefix: 'bas' }] },
    matches: [{ customer_interests: string('baseball') }, { customer_interests: string('basketball') }],
    misses: [{ customer_interests: string('rugby') }],
  },
  {
    rule: 'suffix',
    policy: { customer_interests: [{ suffix: 'ball' }] },
    matches: [{ customer_interests: string('baseball') }, { customer_interests: string('basketball') }],
    misses: [{ customer_interests: string('rugby') }],
  },
  {
    rule: 'equals-ignore-case',
    policy: { customer_interests: [{ 'equals-ignore-case': 'tennis' }] },
    matches: [{ customer_interests: string('TENNIS') }, { customer_interests: string('Tennis') }],
    misses: [{ customer_interests: string('baseball') }],
  },
  {
    rule: 'strings compare with case (documented constraint)',
    policy: { customer_interests: ['tennis'] },
    matches: [{ customer_interests: string('tennis') }],
    misses: [{ customer_interests: string('Tennis') }],
  },
  {
    rule: 'cidr',
    policy: { source_ip: [{ cidr: '10.0.0.0/24' }] },
    matches: [{ source_ip: string('10.0.0.0') }, { source_ip: string('10.0.0.255') }],
    misses: [{ source_ip: string('10.1.1.0') }],
  },
  {
    rule: 'numeric equality on Number attributes, in any notation (AWS doc: price_usd)',
    policy: { price_usd: [{ numeric: ['=', 301.5] }] },
    matches: [{ price_usd: number(301.5) }, { price_usd: number('3.015e2') }, { price_usd: { Type: 'Number.float', Value: '301.50' } }],
    misses: [{ price_usd: number(301.6) }, { price_usd: string('301.5') }],
  },
  {
    rule: 'numeric anything-but (AWS doc: price)',
    policy: { price: [{ 'anything-but': [100, 500] }] },
    matches: [{ price: number(101) }, { price: number(100.1) }],
    misses: [{ price: number(100) }],
  },
  {
    rule: 'numeric ranges (AWS doc: price_usd)',
    policy: { price_usd: [{ numeric: ['>', 0, '<=', 150] }] },
    matches: [{ price_usd: number(150) }, { price_usd: number(0.5) }],
    misses: [{ price_usd: number(0) }, { price_usd: number(150.01) }],
  },
  {
    rule: 'exists true',
    policy: { store: [{ exists: true }] },
    matches: [{ store: string('example_corp') }],
    misses: [{ other: string('x') }],
  },
  {
    rule: '$or: one alternative, AND-ed with the keys beside it',
    policy: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    matches: [{ source: string('aws.cloudwatch'), metricName: string('CPUUtilization') }, { source: string('aws.cloudwatch'), namespace: string('AWS/EC2') }],
    misses: [{ source: string('aws.cloudwatch'), metricName: string('DiskIO') }, { source: string('aws.ec2'), namespace: string('AWS/EC2') }],
  },
];

describe('SNS filter policies on message attributes: matching', () => {
  describe.each(ATTRIBUTE_CASES)('$rule', ({ policy, matches, misses }) => {
    it('is a policy SNS accepts', () => expect(validateFilterPolicy(policy, 'MessageAttributes')).toEqual([]));
    it.each(matches.map((named) => [JSON.stringify(named), named]))('matches %s', (_, named) => {
      expect(matchesFilterPolicy(policy, 'MessageAttributes', attributes(named))).toBe(true);
    });
    it.each(misses.map((named) => [JSON.stringify(named), named]))('does not match %s', (_, named) => {
      expect(matchesFilterPolicy(policy, 'MessageAttributes', attributes(named))).toBe(false);
    });
  });

  it("ignores Binary attributes (AWS's sample SNS event: TestBinary is Binary, Test a String)", () => {
    const sns = awsSample('sns-event.json').Records[0].Sns;
    const message = { body: sns.Message, attributes: sns.MessageAttributes };
    expect(matchesFilterPolicy({ Test: ['TestString'] }, 'MessageAttributes', message)).toBe(true);
    expect(matchesFilterPolicy({ TestBinary: [{ exists: true }] }, 'MessageAttributes', message)).toBe(false);
    expect(matchesFilterPolicy({ TestBinary: [{ exists: false }] }, 'MessageAttributes', message)).toBe(true);
  });
});

type BodyCase = { rule: string; policy: object; matches: object[]; misses: object[] };

const BODY_CASES: BodyCase[] = [
  {
    rule: 'exact strings on body properties (AWS doc: customer_interests)',
    policy: { customer_interests: ['rugby', 'tennis'] },
    matches: [{ customer_interests: 'rugby' }, { customer_interests: 'tennis' }],
    misses: [{ customer_interests: 'baseball' }],
  },
  {
    rule: 'nested keys reach into the body',
    policy: { store: ['example_corp'], event: { type: ['order_placed'] } },
    matches: [{ store: 'example_corp', event: { type: 'order_placed', id: 1 } }],
    misses: [{ store: 'example_corp', event: { type: 'order_cancelled' } }, { store: 'example_corp', event: 'order_placed' }],
  },
  {
    rule: 'a body array matches when any element does (AWS doc: price anything-but [100, 500] matches [100, 50])',
    policy: { price: [{ 'anything-but': [100, 500] }] },
    matches: [{ price: 101 }, { price: [100, 50] }],
    misses: [{ price: 100 }],
  },
  {
    rule: 'numeric equality in any notation (AWS doc: price_usd)',
    policy: { price_usd: [{ numeric: ['=', 301.5] }] },
    matches: [{ price_usd: 301.5 }, { price_usd: 3.015e2 }],
    misses: [{ price_usd: '301.5' }],
  },
  {
    rule: 'null, true and false are values',
    policy: { gift: [true], note: [null] },
    matches: [{ gift: true, note: null }],
    misses: [{ gift: 'true', note: null }, { gift: true }],
  },
  {
    rule: 'exists inside nested objects (shaped after the key-counting example of AWS doc: finding)',
    policy: { state: ['SUCCESS'], finding: { region: [{ exists: true }], account: [{ exists: false }] } },
    matches: [{ state: 'SUCCESS', finding: { region: 'us-east-1' } }],
    misses: [{ state: 'SUCCESS', finding: { region: 'us-east-1', account: '1' } }, { state: 'SUCCESS' }],
  },
  {
    rule: '$or inside a nested object',
    policy: { order: { $or: [{ total: [{ numeric: ['>=', 100] }] }, { vip: [true] }] } },
    matches: [{ order: { total: 120 } }, { order: { total: 5, vip: true } }],
    misses: [{ order: { total: 5 } }],
  },
];

describe('SNS filter policies on the message body: matching', () => {
  describe.each(BODY_CASES)('$rule', ({ policy, matches, misses }) => {
    it('is a policy SNS accepts', () => expect(validateFilterPolicy(policy, 'MessageBody')).toEqual([]));
    it.each(matches.map((json) => [JSON.stringify(json), json]))('matches %s', (_, json) => expect(matchesFilterPolicy(policy, 'MessageBody', body(json))).toBe(true));
    it.each(misses.map((json) => [JSON.stringify(json), json]))('does not match %s', (_, json) => expect(matchesFilterPolicy(policy, 'MessageBody', body(json))).toBe(false));
  });

  it('matches nothing in a body that is not a JSON object, and reads no attributes', () => {
    const policy = { state: [{ exists: false }] };
    expect(matchesFilterPolicy(policy, 'MessageBody', { body: '{}', attributes: {} })).toBe(true);
    expect(matchesFilterPolicy(policy, 'MessageBody', { body: 'Hello from SNS!', attributes: {} })).toBe(false);
    expect(matchesFilterPolicy(policy, 'MessageBody', { body: '[1]', attributes: {} })).toBe(false);
    expect(matchesFilterPolicy({ store: ['x'] }, 'MessageBody', { body: '{}', attributes: { store: string('x') } })).toBe(false);
  });
});
