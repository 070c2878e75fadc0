// EventBridge matching through the config room's public API. Each documented rule has an event
// that matches and one that does not; the patterns marked "AWS doc" are examples of AWS's
// "Content filtering in Amazon EventBridge event patterns" and "Comparison operators for use in
// event patterns" pages (read with the search tool), the events built to fit them; the others
// follow the rules those pages state.
import { describe, expect, it } from 'vitest';
import { matchesEventPattern, validateEventPattern } from '../../../../src/config/index.js';
import { awsSample } from '../../runtime/aws-samples.js';

type Case = { rule: string; pattern: object; matches: object[]; misses: object[] };

const ec2 = (state: unknown) => ({ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: { state } });

const CASES: Case[] = [
  {
    rule: 'exact values; a list is OR, keys are AND',
    pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running', 'stopped'] } },
    matches: [ec2('running'), ec2('stopped')],
    misses: [ec2('pending'), { ...ec2('running'), source: 'aws.s3' }, { source: 'aws.ec2', detail: { state: 'running' } }],
  },
  {
    rule: 'numbers compare by value, strings do not match numbers',
    pattern: { detail: { count: [300] } },
    matches: [{ detail: { count: 300 } }, { detail: { count: 3.0e2 } }],
    misses: [{ detail: { count: '300' } }, { detail: { count: 301 } }],
  },
  {
    rule: 'booleans, null and the empty string are values',
    pattern: { detail: { responseElements: [null], eventVersion: [''], ok: [true] } },
    matches: [{ detail: { responseElements: null, eventVersion: '', ok: true } }],
    misses: [
      { detail: { responseElements: {}, eventVersion: '', ok: true } },
      { detail: { responseElements: null, eventVersion: ' ', ok: true } },
      { detail: { responseElements: null, eventVersion: '', ok: 'true' } },
      { detail: { eventVersion: '', ok: true } },
    ],
  },
  {
    rule: 'an event array matches when any element does',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: [{ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-0', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }],
    misses: [{ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-0'] }, { resources: [] }],
  },
  {
    rule: 'nested patterns under an array of objects need one element to satisfy all their keys',
    pattern: { detail: { items: { sku: ['A'], qty: [2] } } },
    matches: [{ detail: { items: [{ sku: 'B', qty: 2 }, { sku: 'A', qty: 2 }] } }],
    misses: [{ detail: { items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] } }],
  },
  {
    rule: 'prefix (AWS doc: time)',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    matches: [{ time: '2017-10-02T18:43:48Z' }],
    misses: [{ time: '2017-10-03T18:43:48Z' }, { time: 20171002 }],
  },
  {
    rule: 'prefix ignoring case (AWS doc: service begins with eventb)',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    matches: [{ service: 'EventBridge' }, { service: 'eventbus' }],
    misses: [{ service: 'Events' }],
  },
  {
    rule: 'suffix (AWS doc: FileName ends with .png)',
    pattern: { FileName: [{ suffix: '.png' }] },
    matches: [{ FileName: 'image.png' }],
    misses: [{ FileName: 'image.PNG' }, { FileName: 'image.png.txt' }],
  },
  {
    rule: 'suffix ignoring case (AWS doc: FileName ends with .png in any case)',
    pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    matches: [{ FileName: 'IMAGE.PNG' }],
    misses: [{ FileName: 'image.jpg' }],
  },
  {
    rule: 'anything-but a value (AWS doc: state)',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    matches: [{ detail: { state: 'running' } }],
    misses: [{ detail: { state: 'initializing' } }, { detail: {} }],
  },
  {
    rule: 'anything-but a list of numbers (AWS doc: x-limit)',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    matches: [{ detail: { 'x-limit': 150 } }],
    misses: [{ detail: { 'x-limit': 200 } }],
  },
  {
    rule: 'anything-but a prefix (AWS doc: Region is not in the US)',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    matches: [{ Region: 'eu-west-1' }],
    misses: [{ Region: 'us-east-1' }],
  },
  {
    rule: 'anything-but a suffix, ignoring case, or a wildcard (AWS doc)',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }], state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }], FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    matches: [{ FileName: 'a.jpg', state: 'running', FilePath: '/src/a.ts' }],
    misses: [
      { FileName: 'a.png', state: 'running', FilePath: '/src/a.ts' },
      { FileName: 'a.jpg', state: 'INITIALIZING', FilePath: '/src/a.ts' },
      { FileName: 'a.jpg', state: 'running', FilePath: '/usr/lib/a.so' },
    ],
  },
  {
    rule: 'numeric ranges and equality',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    matches: [{ detail: { 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 } }],
    misses: [
      { detail: { 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 } },
      { detail: { 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 } },
      { detail: { 'c-count': 5, 'd-count': 7, 'x-limit': '301.8' } },
    ],
  },
  {
    rule: 'exists false: the field is absent',
    pattern: { detail: { state: [{ exists: false }] } },
    matches: [{ detail: {} }, {}],
    misses: [{ detail: { state: 'running' } }, { detail: { state: null } }],
  },
  {
    rule: 'exists true: a leaf is present (an object is no leaf)',
    pattern: { detail: { state: [{ exists: true }] } },
    matches: [{ detail: { state: 'running' } }],
    misses: [{ detail: {} }, { detail: { state: { name: 'running' } } }, { detail: { state: [] } }],
  },
  {
    rule: 'equals-ignore-case',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    matches: [{ 'detail-type': 'EC2 Instance State-change Notification' }],
    misses: [{ 'detail-type': 'EC2 Instance State-change' }],
  },
  {
    rule: 'cidr, IPv4 and IPv6',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }, { cidr: '::ffff:0:0/96' }] } },
    matches: [{ detail: { sourceIPAddress: '10.0.0.255' } }, { detail: { sourceIPAddress: '2001:db8:1::5' } }, { detail: { sourceIPAddress: '::ffff:192.168.1.1' } }],
    misses: [{ detail: { sourceIPAddress: '10.0.1.0' } }, { detail: { sourceIPAddress: '2001:db9::1' } }, { detail: { sourceIPAddress: '192.168.1.1' } }, { detail: { sourceIPAddress: 'nope' } }],
  },
  {
    rule: 'wildcard, with * for any run and \\* for a star',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }], note: [{ wildcard: 'a\\*b' }] },
    matches: [{ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders', note: 'a*b' }],
    misses: [{ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders', note: 'a*b' }, { EventBusArn: 'arn:aws:events:us-east-1:1:event-bus/x', note: 'axb' }],
  },
  {
    rule: '$or: any alternative, AND-ed with the keys beside it',
    pattern: {
      source: ['my.app'],
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] },
    },
    matches: [{ source: 'my.app', detail: { 'c-count': 3 } }, { source: 'my.app', detail: { 'x-limit': 301.8 } }],
    misses: [{ source: 'my.app', detail: { 'c-count': 9, 'd-count': 12 } }, { source: 'other', detail: { 'c-count': 3 } }],
  },
];

describe('EventBridge event patterns: matching', () => {
  describe.each(CASES)('$rule', ({ pattern, matches, misses }) => {
    it('is a pattern EventBridge accepts', () => expect(validateEventPattern(pattern)).toEqual([]));
    it.each(matches.map((event) => [JSON.stringify(event), event]))('matches %s', (_, event) => expect(matchesEventPattern(pattern, event)).toBe(true));
    it.each(misses.map((event) => [JSON.stringify(event), event]))('does not match %s', (_, event) => expect(matchesEventPattern(pattern, event)).toBe(false));
  });

  it("matches AWS's own sample scheduled event on its source and detail-type, and not on another source", () => {
    const event = awsSample('cloudwatch-scheduled-event.json');
    expect(matchesEventPattern({ source: ['aws.events'], 'detail-type': ['Scheduled Event'], resources: [{ prefix: 'arn:aws:events:us-east-1:' }] }, event)).toBe(true);
    expect(matchesEventPattern({ source: ['aws.ec2'], 'detail-type': ['Scheduled Event'] }, event)).toBe(false);
  });
});
