// EventBridge `rate()` and AWS 6-field `cron()` schedules. Validation follows the EventBridge
// rules so that a bad schedule fails where the job is defined, not halfway through a deploy.

export type Schedule = { kind: 'rate' | 'cron'; expression: string };

export class ScheduleError extends Error {
  override name = 'ScheduleError';
  /** The part at fault (`value`, `unit`, `minutes` … `year`), for tooling that points at it. */
  readonly field: string | undefined;
  readonly hint: string;

  constructor(call: string, problem: string, hint: string, field?: string) {
    super(`${call}: ${problem} — ${hint}`);
    this.field = field;
    this.hint = hint;
  }
}

export function rate(text: string): Schedule {
  const { value, unit } = parseRate(text);
  return { kind: 'rate', expression: `rate(${value} ${unit})` };
}

export function cron(text: string): Schedule {
  return { kind: 'cron', expression: `cron(${parseCron(text).fields.join(' ')})` };
}

/** Next firing strictly after `after`, in UTC as EventBridge runs schedules; used to run jobs locally. */
export function nextRun(schedule: Schedule, after: Date): Date {
  const from = after.getTime();
  if (Number.isNaN(from)) {
    throw new ScheduleError(schedule.expression, 'nextRun needs a valid Date', 'pass e.g. new Date()');
  }
  if (schedule.kind === 'rate') return new Date(from + parseRate(schedule.expression).ms);
  return findNextCron(parseCron(schedule.expression), from, schedule.expression);
}

const UNITS = ['minute', 'hour', 'day'];
const UNIT_MS = [60_000, 3_600_000, 86_400_000];

function parseRate(input: string): { value: number; unit: string; ms: number } {
  const text = unwrap(input, 'rate');
  const fail = (problem: string, hint: string, field?: string): never => {
    throw new ScheduleError(`rate(${JSON.stringify(input)})`, problem, hint, field);
  };
  const parts = text.trim().split(/\s+/);
  const [rawValue = '', rawUnit = ''] = parts;
  if (parts.length !== 2) fail('expected "<value> <unit>"', 'e.g. rate(5 minutes) or rate(1 hour)');
  if (!/^\d+$/.test(rawValue) || Number(rawValue) === 0) {
    fail(`value "${rawValue}" is not a positive whole number`, 'use a whole number of at least 1, e.g. rate(90 minutes) for 1.5 hours', 'value');
  }
  const value = Number(rawValue);
  const base = rawUnit.toLowerCase().replace(/s$/, '');
  const index = UNITS.indexOf(base);
  if (index < 0) {
    const hint =
      base === 'week'
        ? `use days, e.g. rate(${value * 7} days)`
        : base === 'second'
          ? 'EventBridge runs schedules at most once a minute, e.g. rate(1 minute)'
          : `use minute(s), hour(s) or day(s), e.g. rate(${value} ${value === 1 ? 'hour' : 'hours'})`;
    fail(`unit "${rawUnit}" is not one of minute(s), hour(s), day(s)`, hint, 'unit');
  }
  const unit = value === 1 ? base : `${base}s`;
  if (rawUnit !== unit) {
    const rule =
      rawUnit !== rawUnit.toLowerCase()
        ? 'units are lowercase'
        : value === 1
          ? 'AWS requires the singular unit when the value is 1'
          : 'AWS requires the plural unit when the value is not 1';
    fail(`unit "${rawUnit}" is wrong for value ${value}: ${rule}`, `use rate(${value} ${unit})`, 'unit');
  }
  return { value, unit, ms: value * (UNIT_MS[index] ?? 0) };
}

type Field = { name: string; min: number; max: number; wild: string; names?: string[] };
/** Day rules get the whole date because L, W and # depend on the month's length and weekdays. */
type DayTest = (year: number, month: number, day: number) => boolean;
type CronSpec = {
  fields: string[];
  minutes: number[];
  hours: number[];
  months: number[];
  years: number[];
  day: DayTest;
};

const FIELDS: Field[] = [
  { name: 'minutes', min: 0, max: 59, wild: ',-*/' },
  { name: 'hours', min: 0, max: 23, wild: ',-*/' },
  { name: 'day-of-month', min: 1, max: 31, wild: ',-*?/LW' },
  { name: 'month', min: 1, max: 12, wild: ',-*/', names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ') },
  // AWS documents no "/" for day-of-week (unlike Quartz), so it is rejected here too.
  { name: 'day-of-week', min: 1, max: 7, wild: ',-*?L#', names: 'SUN MON TUE WED THU FRI SAT'.split(' ') },
  { name: 'year', min: 1970, max: 2199, wild: ',-*/' },
];
const LAYOUT = 'minutes hours day-of-month month day-of-week year';

function parseCron(input: string): CronSpec {
  const call = `cron(${JSON.stringify(input)})`;
  const tokens = unwrap(input, 'cron').trim().split(/\s+/).filter(Boolean);
  const fail = (problem: string, hint: string, field?: string): never => {
    throw new ScheduleError(call, problem, hint, field);
  };
  if (tokens.length !== 6) {
    let hint = `AWS cron has 6 fields (${LAYOUT}); the year is the 6th, unlike Unix cron's 5`;
    if (tokens.length === 5) {
      hint += `, e.g. cron(${withOneQuestionMark([...tokens, '*']).join(' ')})`;
      if (/\d/.test(tokens[4] ?? '')) hint += ' (AWS day-of-week counts 1–7 from SUN, not 0–6)';
    }
    fail(`expected 6 fields, got ${tokens.length}`, hint);
  }
  const fields = tokens.map((token) => token.toUpperCase());
  const lists: number[][] = [];
  const days: (DayTest | null)[] = [];
  fields.forEach((token, i) => {
    const field = FIELDS[i] as Field;
    const text = replaceNames(field, token, fail);
    checkWildcards(field, token, text, fail);
    if (i === 2 || i === 4) days.push(parseDays(field, token, text, fail));
    else lists.push(parseList(field, token, text, fail));
  });
  const [dom, dow] = days;
  if (dom && dow) {
    fail('day-of-month and day-of-week cannot both be set', `use "?" in one of them, e.g. cron(${withOneQuestionMark(fields).join(' ')})`, 'day-of-month');
  }
  if (!dom && !dow) {
    fail('day-of-month and day-of-week cannot both be "?"', `set exactly one of them, e.g. cron(${withOneQuestionMark(fields).join(' ')})`, 'day-of-month');
  }
  const [minutes = [], hours = [], months = [], years = []] = lists;
  return { fields, minutes, hours, months, years, day: (dom ?? dow) as DayTest };
}

type Fail = (problem: string, hint: string, field?: string) => never;

function rangeOf(field: Field): string {
  const names = field.names ? ` or ${field.names[0]}–${field.names.at(-1)}` : '';
  return `${field.min}–${field.max}${names}`;
}

function replaceNames(field: Field, token: string, fail: Fail): string {
  const names = field.names;
  if (!names) return token;
  return token.replace(/[A-Z]{2,}/g, (name) => {
    const index = names.indexOf(name);
    if (index < 0) fail(`${field.name} "${token}": unknown name "${name}"`, `use ${rangeOf(field)}`, field.name);
    return String(index + 1);
  });
}

function checkWildcards(field: Field, token: string, text: string, fail: Fail): void {
  for (const char of text) {
    if ((char >= '0' && char <= '9') || field.wild.includes(char)) continue;
    const only = char === '?' ? '; "?" is only for day-of-month and day-of-week' : '';
    fail(
      `${field.name} "${token}": "${char}" is not allowed there`,
      `allowed in ${field.name}: ${rangeOf(field)} and ${[...field.wild].join(' ')}${only}`,
      field.name,
    );
  }
}

function parseList(field: Field, token: string, text: string, fail: Fail): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(?:\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) {
      fail(`${field.name} "${token}": malformed part "${item}"`, 'write a value (5), a range (1-5), a list (1,5), or a step (*/5, 0/15, 1-30/5)', field.name);
    }
    const [, from, to, by] = match as RegExpExecArray;
    const low = from === undefined ? field.min : Number(from);
    const high = to !== undefined ? Number(to) : from === undefined || by !== undefined ? field.max : low;
    for (const value of [low, high]) {
      if (value < field.min || value > field.max) {
        const unix = field.name === 'day-of-week' && value === 0 ? ' (1 = SUN; Unix cron\'s 0 is 1 here)' : '';
        fail(`${field.name} "${token}": ${value} is out of range`, `use ${rangeOf(field)}${unix}`, field.name);
      }
    }
    if (low > high) {
      const hint = field.name === 'year' ? `write it low to high, e.g. ${high}-${low}` : `split it, e.g. ${low}-${field.max},${field.min}-${high}`;
      fail(`${field.name} "${token}": range ${item} runs backwards`, hint, field.name);
    }
    const step = by === undefined ? 1 : Number(by);
    // Quartz's bound, which EventBridge shares: cron(*/60 * * * ? *) is refused by AWS.
    if (step < 1 || step > field.max) {
      fail(`${field.name} "${token}": step ${step} is out of range`, `use a step from 1 to ${field.max}`, field.name);
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** Returns null for "?" (the other day field decides). */
function parseDays(field: Field, token: string, text: string, fail: Fail): DayTest | null {
  if (text === '?') return null;
  const check = (value: number, min: number, max: number, what: string): number => {
    if (value < min || value > max) fail(`${field.name} "${token}": ${what} ${value} is out of range`, `use ${min}–${max}`, field.name);
    return value;
  };
  if (field.name === 'day-of-month') {
    if (text === 'L') return (y, m, d) => d === daysIn(y, m);
    if (text === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
    const near = /^(\d+)W$/.exec(text);
    if (near) {
      const target = check(Number(near[1]), 1, 31, 'day');
      return (y, m, d) => d === nearestWeekday(y, m, target);
    }
    if (/[?LW]/.test(text)) {
      fail(`day-of-month "${token}": mixes "?", "L" or "W" with other values`, 'they stand alone: ?, L (last day), LW (last weekday) or 15W (weekday nearest the 15th)', field.name);
    }
  } else {
    if (text === 'L') return (y, m, d) => weekday(y, m, d) === 7;
    const last = /^(\d+)L$/.exec(text);
    if (last) {
      const wanted = check(Number(last[1]), 1, 7, 'weekday');
      return (y, m, d) => weekday(y, m, d) === wanted && d + 7 > daysIn(y, m);
    }
    const nth = /^(\d+)#(\d+)$/.exec(text);
    if (nth) {
      const wanted = check(Number(nth[1]), 1, 7, 'weekday');
      const week = check(Number(nth[2]), 1, 5, 'occurrence');
      return (y, m, d) => weekday(y, m, d) === wanted && Math.ceil(d / 7) === week;
    }
    if (/[?L#]/.test(text)) {
      fail(`day-of-week "${token}": mixes "?", "L" or "#" with other values`, 'they stand alone: ?, L (Saturday), 6L (last Friday) or 6#3 (third Friday); "3#1,6#3" is not valid', field.name);
    }
  }
  const values = parseList(field, token, text, fail);
  return field.name === 'day-of-month' ? (_y, _m, d) => values.includes(d) : (y, m, d) => values.includes(weekday(y, m, d));
}

/** EventBridge's rule: exactly one of day-of-month and day-of-week is "?"; prefer keeping a specific one. */
function withOneQuestionMark(fields: string[]): string[] {
  const [dom, dow] = [fields[2], fields[4]];
  if (dom === '?' && dow === '?') return fields.map((token, i) => (i === 2 ? '*' : token));
  if (dom === '?' || dow === '?') return fields;
  const blank = dow === '*' || dom !== '*' ? 4 : 2;
  return fields.map((token, i) => (i === blank ? '?' : token));
}

function unwrap(text: string, kind: string): string {
  const trimmed = String(text).trim();
  return trimmed.startsWith(`${kind}(`) && trimmed.endsWith(')') ? trimmed.slice(kind.length + 1, -1) : trimmed;
}

const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));
const daysIn = (y: number, m: number): number => utc(y, m + 1, 0).getUTCDate();
/** 1 = SUN … 7 = SAT, as AWS cron counts. */
const weekday = (y: number, m: number, d: number): number => utc(y, m, d).getUTCDay() + 1;

/** Weekday nearest `target` without leaving the month (Quartz's W, which EventBridge follows). */
function nearestWeekday(y: number, m: number, target: number): number {
  const last = daysIn(y, m);
  if (target > last) return -1;
  const day = weekday(y, m, target);
  if (day === 7) return target === 1 ? 3 : target - 1;
  if (day === 1) return target === last ? target - 2 : target + 1;
  return target;
}

const SEARCH_DAYS = 5 * 366;

// Walks day by day (a few thousand cheap checks at most) and only scans hours and minutes on a
// matching day, so even schedules years apart resolve quickly. The 5-year bound ends schedules
// that can never fire (30 FEB) or whose years are all past.
function findNextCron(spec: CronSpec, after: number, expression: string): Date {
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  let [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  let [fromHour, fromMinute] = [start.getUTCHours(), start.getUTCMinutes()];
  for (let i = 0; i < SEARCH_DAYS; i++) {
    if (!spec.years.includes(y)) {
      // Leap to the next listed year so cron(0 0 1 1 ? 2035) is found however far off it is.
      const year = spec.years.find((value) => value > y);
      if (year === undefined) break;
      [y, m, d, fromHour, fromMinute] = [year, 1, 1, 0, 0];
    }
    if (spec.months.includes(m) && spec.day(y, m, d)) {
      for (const hour of spec.hours) {
        if (hour < fromHour) continue;
        const minute = spec.minutes.find((value) => hour > fromHour || value >= fromMinute);
        if (minute !== undefined) return new Date(Date.UTC(y, m - 1, d, hour, minute));
      }
    }
    const next = utc(y, m, d + 1);
    [y, m, d] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
    [fromHour, fromMinute] = [0, 0];
  }
  throw new ScheduleError(
    expression,
    `found no run in 5 years of search after ${new Date(after).toISOString()}`,
    'check that the day, month and year fields can meet (e.g. 30 FEB never happens)',
  );
}
