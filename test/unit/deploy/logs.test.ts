import { FilterLogEventsCommand, type FilterLogEventsCommandInput, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/index.js';
import { createDeployContext, parseSince, tailLogs, type DeployEvent, type LogEvent } from '../../../src/deploy/index.js';
import { awsError, type FakeAws } from './fake-aws.js';
import { useDeployFixtures, captureOutput, testContext, type ScratchApp } from './support.js';

let app: ScratchApp;
let aws: FakeAws;
useDeployFixtures((fixtures) => ({ app, aws } = fixtures));

const event = (id: string, timestamp: number, message: string): FilteredLogEvent => ({ eventId: id, timestamp, message: `${message}\n`, logStreamName: '2030/01/01/[$LATEST]abc' });

describe('logs', () => {
  it('follows by polling, paging within a poll and never printing an event twice', async () => {
    // Each poll answers with what a real group would hold by then; polls overlap on the last timestamp.
    const polls: FilteredLogEvent[][] = [
      [event('1', 1000, 'START'), event('2', 1000, 'first')],
      [event('2', 1000, 'first'), event('3', 2000, 'second'), event('4', 2000, 'third')],
      [event('3', 2000, 'second'), event('4', 2000, 'third')],
      [event('4', 2000, 'third'), event('5', 3000, 'END')],
    ];
    const inputs: FilterLogEventsCommandInput[] = [];
    let poll = 0;
    aws.logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
      inputs.push(input);
      const events = polls[Math.min(poll, polls.length - 1)]!;
      // Two per page: the first page hands out a token, the second finishes the poll.
      if (!input.nextToken && events.length > 2) return { events: events.slice(0, 2), nextToken: 'more' };
      poll++;
      return { events: input.nextToken ? events.slice(2) : events };
    });

    const abort = new AbortController();
    const seen: LogEvent[] = [];
    const result = await tailLogs(testContext(app.config), {
      name: 'posts',
      since: 500,
      follow: true,
      signal: abort.signal,
      onLog: (log) => {
        seen.push(log);
        if (log.message === 'END') abort.abort();
      },
    });

    expect(seen.map((log) => log.message)).toEqual(['START', 'first', 'second', 'third', 'END']);
    expect(result.events).toBe(5);
    expect(seen[0]).toMatchObject({ functionName: 'example-app-dev-posts-controller', stream: '2030/01/01/[$LATEST]abc', timestamp: 1000 });
    expect(inputs[0]).toEqual({ logGroupName: '/aws/lambda/example-app-dev-posts-controller', startTime: 500 });
    expect(inputs.some((input) => input.nextToken === 'more')).toBe(true);
    // Events this close together stay inside the window for late events: every poll starts at --since.
    expect(inputs.every((input) => input.startTime === 500)).toBe(true);
  });

  it('prints an event ingested late, with an earlier timestamp than ones already printed, once', async () => {
    const t = Date.parse('2030-01-01T10:00:00Z');
    const polls: FilteredLogEvent[][] = [
      [event('a', t, 'START')],
      // 'late' happened before 'b' but reached CloudWatch Logs only after 'b' was read.
      [event('b', t + 5000, 'b')],
      [event('late', t + 2000, 'late'), event('b', t + 5000, 'b'), event('c', t + 120_000, 'c')],
      [event('c', t + 120_000, 'c'), event('end', t + 121_000, 'END')],
    ];
    const inputs: FilterLogEventsCommandInput[] = [];
    aws.logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
      inputs.push(input);
      // What a group holds at this poll, from the requested start on.
      return { events: polls[Math.min(inputs.length - 1, polls.length - 1)]!.filter((e) => e.timestamp! >= input.startTime!) };
    });
    const abort = new AbortController();
    const seen: string[] = [];
    await tailLogs(testContext(app.config), {
      name: 'posts', since: t - 60_000, follow: true, signal: abort.signal,
      onLog: (log) => {
        seen.push(log.message);
        if (log.message === 'END') abort.abort();
      },
    });
    expect(seen).toEqual(['START', 'b', 'late', 'c', 'END']);
    // The window moves on with the newest event: a poll does not re-read everything since --since.
    expect(inputs.at(-1)!.startTime).toBeGreaterThan(t + 5000);
    expect(inputs.at(-1)!.startTime).toBeLessThan(t + 120_000);
  });

  it('reads every function of the app, sorted by time, and warns once about a group that does not exist yet', async () => {
    aws.logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommandInput) => {
      if (input.logGroupName === '/aws/lambda/example-app-dev-hello') return { events: [event('h', 20, 'hello')] };
      if (input.logGroupName === '/aws/lambda/example-app-dev-posts-controller') return { events: [event('p', 10, 'posts')] };
      throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    });
    const events: DeployEvent[] = [];
    const seen: LogEvent[] = [];
    const ctx = createDeployContext({ config: app.config, pollDelayMs: 0, env: {}, onEvent: (e) => events.push(e) });
    await tailLogs(ctx, { since: 0, onLog: (log) => seen.push(log) });
    expect(seen.map((log) => log.message)).toEqual(['posts', 'hello']);
    const warnings = events.filter((e) => e.type === 'warning');
    // One for each of the app's 13 functions (its admin authorizer included) but the two that have logs.
    expect(warnings.length).toBe(11);
    expect(warnings[0]).toMatchObject({ diagnostic: { text: expect.stringMatching(/^no logs yet for example-app-dev-/) } });
  });

  it('prints one line per event from the CLI', async () => {
    aws.logs.on(FilterLogEventsCommand).resolves({ events: [event('1', Date.parse('2030-01-01T10:00:00.123Z'), 'hello world')] });
    const output = captureOutput();
    expect(await run(['node', 'sls-ts', 'logs', 'hello', '--since', '1h', '-C', app.root], output)).toBe(0);
    expect(output.stdout).toEqual(['2030-01-01 10:00:00.123 hello hello world']);
  });

  it('parses --since', () => {
    const now = Date.parse('2030-01-01T12:00:00Z');
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('30s', now)).toBe(now - 30_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
    expect(parseSince('2030-01-01T11:00:00Z', now)).toBe(now - 3_600_000);
    expect(() => parseSince('yesterday', now)).toThrow('--since yesterday: not a duration or a date');
  });
});
