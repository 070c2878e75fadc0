import { describe, it, expect } from 'vitest';
import { cron, nextRun, rate, ScheduleError } from '../../../src/runtime/schedule.js';

/** Asserts a one-line ScheduleError that names the call, the field at fault and carries the hint. */
function expectScheduleError(run: () => unknown, field: string | undefined, ...fragments: string[]): ScheduleError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScheduleError);
  const error = caught as ScheduleError;
  expect(error.name).toBe('ScheduleError');
  expect(error.message).not.toContain('\n');
  expect(error.field).toBe(field);
  expect(error.message).toContain(` — ${error.hint}`);
  if (field) expect(error.message).toContain(field);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

const at = (iso: string): Date => new Date(iso);
const next = (expression: string, after: string): string => nextRun(cron(expression), at(after)).toISOString();

describe('rate', () => {
  it.each([
    ['1 minute', 'rate(1 minute)'],
    ['5 minutes', 'rate(5 minutes)'],
    ['1 hour', 'rate(1 hour)'],
    ['12 hours', 'rate(12 hours)'],
    ['1 day', 'rate(1 day)'],
    ['7 days', 'rate(7 days)'],
    ['  10   minutes ', 'rate(10 minutes)'],
    ['05 minutes', 'rate(5 minutes)'],
    ['rate(1 day)', 'rate(1 day)'],
  ])('accepts %j as %s', (text, expression) => {
    expect(rate(text)).toEqual({ kind: 'rate', expression });
  });

  it.each([
    ['1 hours', 'singular', 'rate(1 hour)'],
    ['1 minutes', 'singular', 'rate(1 minute)'],
    ['1 days', 'singular', 'rate(1 day)'],
    ['5 minute', 'plural', 'rate(5 minutes)'],
    ['2 hour', 'plural', 'rate(2 hours)'],
    ['3 day', 'plural', 'rate(3 days)'],
    ['5 Minutes', 'lowercase', 'rate(5 minutes)'],
  ])('rejects %j: the %s unit is required', (text, rule, fix) => {
    expectScheduleError(() => rate(text), 'unit', `rate(${JSON.stringify(text)})`, rule, `use ${fix}`);
  });

  it.each([
    ['2 weeks', 'rate(14 days)'],
    ['30 seconds', 'at most once a minute'],
    ['5 fortnights', 'minute(s), hour(s) or day(s)'],
  ])('rejects the unknown unit in %j with a hint', (text, hint) => {
    expectScheduleError(() => rate(text), 'unit', `rate(${JSON.stringify(text)})`, 'is not one of', hint);
  });

  it.each(['0 minutes', '-5 minutes', '1.5 hours', 'five minutes'])('rejects the value in %j', (text) => {
    expectScheduleError(() => rate(text), 'value', 'not a positive whole number', 'rate(90 minutes)');
  });

  it.each(['', 'hour', '1 hour please'])('rejects %j as not "<value> <unit>"', (text) => {
    expectScheduleError(() => rate(text), undefined, 'expected "<value> <unit>"', 'rate(5 minutes)');
  });
});

describe('cron', () => {
  it.each([
    ['0/15 * ? * MON-FRI *', 'cron(0/15 * ? * MON-FRI *)'],
    ['0 10 L * ? *', 'cron(0 10 L * ? *)'],
    ['0 8 ? * 6#3 *', 'cron(0 8 ? * 6#3 *)'],
    ['0 9 15W * ? *', 'cron(0 9 15W * ? *)'],
    ['0 12 * * ? *', 'cron(0 12 * * ? *)'],
    ['15 10 ? * 6L 2022-2025', 'cron(15 10 ? * 6L 2022-2025)'],
    ['0 0 LW * ? *', 'cron(0 0 LW * ? *)'],
    ['0 0 ? * L *', 'cron(0 0 ? * L *)'],
    ['0/5 8-17 ? * MON-FRI *', 'cron(0/5 8-17 ? * MON-FRI *)'],
    ['1-30/10 */2 1,15 JAN,JUL ? *', 'cron(1-30/10 */2 1,15 JAN,JUL ? *)'],
    ['0 18 ? * mon-fri *', 'cron(0 18 ? * MON-FRI *)'],
    ['  0   12 * * ?  * ', 'cron(0 12 * * ? *)'],
    ['cron(0 12 * * ? *)', 'cron(0 12 * * ? *)'],
    ['59 23 31 12 ? 2199', 'cron(59 23 31 12 ? 2199)'],
    ['0 0 1 1 ? 1970', 'cron(0 0 1 1 ? 1970)'],
    ['*/59 */23 1/31 1/12 ? *', 'cron(*/59 */23 1/31 1/12 ? *)'],
  ])('accepts %j as %s', (text, expression) => {
    expect(cron(text)).toEqual({ kind: 'cron', expression });
  });

  describe('field count', () => {
    it('explains the 6 AWS fields and fixes a Unix cron line', () => {
      expectScheduleError(
        () => cron('0 12 * * *'),
        undefined,
        'cron("0 12 * * *")',
        'expected 6 fields, got 5',
        'AWS cron has 6 fields',
        'the year is the 6th',
        "unlike Unix cron's 5",
        'e.g. cron(0 12 * * ? *)',
      );
    });

    it('warns that AWS counts day-of-week from SUN = 1 when a Unix line has one', () => {
      expectScheduleError(() => cron('0 9 * * 1'), undefined, 'e.g. cron(0 9 ? * 1 *)', 'counts 1–7 from SUN');
    });

    it.each([
      ['', 0],
      ['0 12 * *', 4],
      ['0 0 12 * * ? *', 7],
    ])('rejects %j with %i fields', (text, count) => {
      expectScheduleError(() => cron(text), undefined, `expected 6 fields, got ${count}`, 'the year is the 6th');
    });
  });

  describe('day-of-month and day-of-week', () => {
    it('rejects both set, with the message from the design', () => {
      const error = expectScheduleError(() => cron('0 12 * * * *'), 'day-of-month');
      expect(error.message).toBe(
        'cron("0 12 * * * *"): day-of-month and day-of-week cannot both be set — use "?" in one of them, e.g. cron(0 12 * * ? *)',
      );
    });

    it.each([
      ['0 12 * * MON *', 'cron(0 12 ? * MON *)'],
      ['0 12 1 * MON *', 'cron(0 12 1 * ? *)'],
    ])('suggests keeping the specific field of %j', (text, fix) => {
      expectScheduleError(() => cron(text), 'day-of-month', 'cannot both be set', fix);
    });

    it('rejects both "?"', () => {
      expectScheduleError(() => cron('0 12 ? * ? *'), 'day-of-month', 'cannot both be "?"', 'e.g. cron(0 12 * * ? *)');
    });
  });

  describe('ranges', () => {
    it.each([
      ['60 * * * ? *', 'minutes "60": 60', 'use 0–59'],
      ['0 24 * * ? *', 'hours "24": 24', 'use 0–23'],
      ['0 0 0 * ? *', 'day-of-month "0": 0', 'use 1–31'],
      ['0 0 32 * ? *', 'day-of-month "32": 32', 'use 1–31'],
      ['0 0 1-32 * ? *', 'day-of-month "1-32": 32', 'use 1–31'],
      ['0 0 1 0 ? *', 'month "0": 0', 'use 1–12 or JAN–DEC'],
      ['0 0 1 13 ? *', 'month "13": 13', 'use 1–12 or JAN–DEC'],
      ['0 0 ? * 8 *', 'day-of-week "8": 8', 'use 1–7 or SUN–SAT'],
      ['0 0 ? * 0 *', 'day-of-week "0": 0', "Unix cron's 0 is 1 here"],
      ['0 0 1 * ? 1969', 'year "1969": 1969', 'use 1970–2199'],
      ['0 0 1 * ? 2200', 'year "2200": 2200', 'use 1970–2199'],
    ])('rejects %j: %s is out of range', (text, problem, hint) => {
      const field = problem.slice(0, problem.indexOf(' '));
      expectScheduleError(() => cron(text), field, `${problem} is out of range`, hint);
    });

    it.each([
      ['0 0 32W * ? *', 'day-of-month', 'day 32', 'use 1–31'],
      ['0 0 0W * ? *', 'day-of-month', 'day 0', 'use 1–31'],
      ['0 0 ? * 8L *', 'day-of-week', 'weekday 8', 'use 1–7'],
      ['0 0 ? * 0#1 *', 'day-of-week', 'weekday 0', 'use 1–7'],
      ['0 0 ? * 2#6 *', 'day-of-week', 'occurrence 6', 'use 1–5'],
      ['0 0 ? * 2#0 *', 'day-of-week', 'occurrence 0', 'use 1–5'],
    ])('rejects %j: %s special out of range', (text, field, what, hint) => {
      expectScheduleError(() => cron(text), field, `${what} is out of range`, hint);
    });

    it.each([
      ['*/60 * * * ? *', 'minutes', 'step 60', 'from 1 to 59'],
      ['*/0 * * * ? *', 'minutes', 'step 0', 'from 1 to 59'],
      ['0 */24 * * ? *', 'hours', 'step 24', 'from 1 to 23'],
      ['0 0 1/32 * ? *', 'day-of-month', 'step 32', 'from 1 to 31'],
      ['0 0 1 1/13 ? *', 'month', 'step 13', 'from 1 to 12'],
    ])('rejects %j: %s step out of range', (text, field, what, hint) => {
      expectScheduleError(() => cron(text), field, `${what} is out of range`, hint);
    });

    it.each([
      ['50-10 * * * ? *', 'minutes', 'e.g. 50-59,0-10'],
      ['0 0 ? * FRI-MON *', 'day-of-week', 'e.g. 6-7,1-2'],
      ['0 0 1 * ? 2030-2020', 'year', 'e.g. 2020-2030'],
    ])('rejects the backwards range in %j', (text, field, hint) => {
      expectScheduleError(() => cron(text), field, 'runs backwards', hint);
    });
  });

  describe('names', () => {
    it.each([
      ['0 0 1 JANUARY ? *', 'month', 'unknown name "JANUARY"', 'use 1–12 or JAN–DEC'],
      ['0 0 ? * FOO *', 'day-of-week', 'unknown name "FOO"', 'use 1–7 or SUN–SAT'],
    ])('rejects %j', (text, field, problem, hint) => {
      expectScheduleError(() => cron(text), field, problem, hint);
    });

    it('rejects names in numeric fields', () => {
      expectScheduleError(() => cron('0 NOON * * ? *'), 'hours', '"N" is not allowed', 'allowed in hours: 0–23 and , - * /');
    });
  });

  describe('wildcards per field', () => {
    it.each([
      ['? * * * ? *', 'minutes', '?'],
      ['0 ? * * ? *', 'hours', '?'],
      ['0 0 1 ? ? *', 'month', '?'],
      ['0 0 1 * ? ?', 'year', '?'],
    ])('rejects "?" outside the day fields in %j', (text, field, char) => {
      expectScheduleError(() => cron(text), field, `"${char}" is not allowed`, `allowed in ${field}`, '"?" is only for day-of-month and day-of-week');
    });

    it.each([
      ['L * * * ? *', 'minutes', 'L', ', - * /'],
      ['0 L * * ? *', 'hours', 'L', ', - * /'],
      ['0 0 1 L ? *', 'month', 'L', ', - * /'],
      ['5W * * * ? *', 'minutes', 'W', ', - * /'],
      ['0 0 ? * 2W *', 'day-of-week', 'W', ', - * ? L #'],
      ['0 0 1#2 * ? *', 'day-of-month', '#', ', - * ? / L W'],
      ['0 0 1 1#2 ? *', 'month', '#', ', - * /'],
      ['0 0 1 * ? 2030#1', 'year', '#', ', - * /'],
      ['0 0 ? * */2 *', 'day-of-week', '/', ', - * ? L #'],
      ['0 0 1 * ? 2030W', 'year', 'W', ', - * /'],
    ])('rejects %j: %s does not allow "%s"', (text, field, char, allowed) => {
      expectScheduleError(() => cron(text), field, `"${char}" is not allowed`, `allowed in ${field}`, allowed);
    });

    it.each([
      ['0 0 1,L * ? *', 'day-of-month', 'L (last day)'],
      ['0 0 ?,1 * ? *', 'day-of-month', '15W'],
      ['0 0 1W,15W * ? *', 'day-of-month', '15W (weekday nearest the 15th)'],
      ['0 0 ? * 3#1,6#3 *', 'day-of-week', '"3#1,6#3" is not valid'],
      ['0 0 ? * L,2 *', 'day-of-week', '6L (last Friday)'],
    ])('rejects %j: specials stand alone', (text, field, hint) => {
      expectScheduleError(() => cron(text), field, 'mixes', hint);
    });

    it.each(['1,,2 * * * ? *', '1- * * * ? *', '5/ * * * ? *', '*-5 * * * ? *', '1-2-3 * * * ? *'])(
      'rejects the malformed part in %j',
      (text) => {
        expectScheduleError(() => cron(text), 'minutes', 'malformed part', 'a step (*/5, 0/15, 1-30/5)');
      },
    );
  });
});

describe('nextRun', () => {
  describe('rate', () => {
    it.each([
      ['5 minutes', '2024-01-01T00:00:30.000Z', '2024-01-01T00:05:30.000Z'],
      ['1 hour', '2024-06-30T23:30:00.000Z', '2024-07-01T00:30:00.000Z'],
      ['1 day', '2024-12-31T12:00:00.000Z', '2025-01-01T12:00:00.000Z'],
      ['2 days', '2024-02-28T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ])('runs rate(%s) one period after %s', (text, after, expected) => {
      expect(nextRun(rate(text), at(after)).toISOString()).toBe(expected);
    });
  });

  describe('cron', () => {
    it('runs strictly after the given time, at whole minutes', () => {
      expect(next('0 12 * * ? *', '2024-03-10T11:59:59.999Z')).toBe('2024-03-10T12:00:00.000Z');
      expect(next('0 12 * * ? *', '2024-03-10T12:00:00.000Z')).toBe('2024-03-11T12:00:00.000Z');
      expect(next('0 12 * * ? *', '2024-03-10T12:00:30.000Z')).toBe('2024-03-11T12:00:00.000Z');
    });

    it('walks minute lists within and across hours and into a new year', () => {
      expect(next('5,35 * * * ? *', '2024-05-05T10:05:00.000Z')).toBe('2024-05-05T10:35:00.000Z');
      expect(next('5,35 * * * ? *', '2024-05-05T10:35:00.000Z')).toBe('2024-05-05T11:05:00.000Z');
      expect(next('5,35 * * * ? *', '2024-12-31T23:40:00.000Z')).toBe('2025-01-01T00:05:00.000Z');
      expect(next('0 0 * * ? *', '2024-12-31T23:59:30.000Z')).toBe('2025-01-01T00:00:00.000Z');
    });

    it('skips the weekend for MON-FRI', () => {
      // 2025-01-03 is a Friday.
      expect(next('0/15 * ? * MON-FRI *', '2025-01-03T23:50:00.000Z')).toBe('2025-01-06T00:00:00.000Z');
      expect(next('0/15 * ? * MON-FRI *', '2025-01-03T10:16:00.000Z')).toBe('2025-01-03T10:30:00.000Z');
    });

    it('finds the last day of the month, leap years included', () => {
      expect(next('0 10 L * ? *', '2024-02-01T00:00:00.000Z')).toBe('2024-02-29T10:00:00.000Z');
      expect(next('0 10 L * ? *', '2023-02-01T00:00:00.000Z')).toBe('2023-02-28T10:00:00.000Z');
      expect(next('0 10 L * ? *', '2024-04-30T10:00:00.000Z')).toBe('2024-05-31T10:00:00.000Z');
      expect(next('0 10 L * ? *', '2024-12-31T10:00:00.000Z')).toBe('2025-01-31T10:00:00.000Z');
    });

    it('finds the nth weekday with #', () => {
      // Third Friday: 2025-01-17, then February 2025 starts on a Saturday → 2025-02-21.
      expect(next('0 8 ? * 6#3 *', '2025-01-01T00:00:00.000Z')).toBe('2025-01-17T08:00:00.000Z');
      expect(next('0 8 ? * 6#3 *', '2025-01-17T08:00:00.000Z')).toBe('2025-02-21T08:00:00.000Z');
      // A fifth Monday only exists in some months: after 2025-03-31 the next is 2025-06-30.
      expect(next('0 8 ? * MON#5 *', '2025-03-31T08:00:00.000Z')).toBe('2025-06-30T08:00:00.000Z');
    });

    it('finds the last given weekday with nL and Saturday with L', () => {
      expect(next('0 0 ? * 6L *', '2025-08-01T00:00:00.000Z')).toBe('2025-08-29T00:00:00.000Z');
      // January 2025 has Fridays on the 24th and 31st: a week before the month's end is not "last".
      expect(next('0 0 ? * 6L *', '2025-01-01T00:00:00.000Z')).toBe('2025-01-31T00:00:00.000Z');
      expect(next('0 0 ? * L *', '2025-08-01T00:00:00.000Z')).toBe('2025-08-02T00:00:00.000Z');
    });

    it('moves W to the nearest weekday without leaving the month', () => {
      // 2025-01-15 is a Wednesday; 2025-03-15 a Saturday; 2025-06-15 a Sunday.
      expect(next('0 9 15W * ? *', '2025-01-01T00:00:00.000Z')).toBe('2025-01-15T09:00:00.000Z');
      expect(next('0 9 15W * ? *', '2025-03-01T00:00:00.000Z')).toBe('2025-03-14T09:00:00.000Z');
      expect(next('0 9 15W * ? *', '2025-06-01T00:00:00.000Z')).toBe('2025-06-16T09:00:00.000Z');
      // 2025-02-01 is a Saturday: 1W is Monday the 3rd, not Friday 31 January.
      expect(next('0 9 1W * ? *', '2025-01-02T00:00:00.000Z')).toBe('2025-02-03T09:00:00.000Z');
      // 2025-08-31 is a Sunday: LW is Friday the 29th.
      expect(next('0 0 LW * ? *', '2025-08-01T00:00:00.000Z')).toBe('2025-08-29T00:00:00.000Z');
    });

    it('honours month names and years, leaping to a far year', () => {
      expect(next('0 12 1 JAN,JUL ? *', '2024-01-01T12:00:00.000Z')).toBe('2024-07-01T12:00:00.000Z');
      expect(next('30 9 29 FEB ? *', '2024-03-01T00:00:00.000Z')).toBe('2028-02-29T09:30:00.000Z');
      expect(next('0 0 1 1 ? 2035', '2024-06-01T00:00:00.000Z')).toBe('2035-01-01T00:00:00.000Z');
    });

    it('gives up on schedules that never fire', () => {
      expectScheduleError(() => nextRun(cron('0 0 30 2 ? *'), at('2024-01-01T00:00:00Z')), undefined, 'cron(0 0 30 2 ? *)', 'found no run in 5 years', '30 FEB');
      expectScheduleError(() => nextRun(cron('0 0 1 1 ? 2020'), at('2024-01-01T00:00:00Z')), undefined, 'found no run', 'year');
    });
  });

  it('rejects an invalid Date', () => {
    expectScheduleError(() => nextRun(rate('1 hour'), new Date(Number.NaN)), undefined, 'rate(1 hour)', 'valid Date');
  });

  it('validates a hand-built schedule', () => {
    expectScheduleError(() => nextRun({ kind: 'cron', expression: 'cron(0 12 * * * *)' }, at('2024-01-01T00:00:00Z')), 'day-of-month', 'cannot both be set');
    expectScheduleError(() => nextRun({ kind: 'rate', expression: 'rate(1 hours)' }, at('2024-01-01T00:00:00Z')), 'unit', 'rate(1 hour)');
  });
});
