// The shared diagnostics helpers the config room reports through.
import { describe, expect, it } from 'vitest';
import { SlsError, formatDiagnostic, hasErrors } from '../../../src/shared/errors.js';
import { closestMatch, editDistance } from '../../../src/shared/suggest.js';

describe('SlsError', () => {
  it('takes its message and hint from the first diagnostic and keeps them all', () => {
    const error = new SlsError([{ text: 'first', hint: 'fix it' }, { text: 'second' }]);
    expect(error.message).toBe('first');
    expect(error.hint).toBe('fix it');
    expect(error.diagnostics).toHaveLength(2);
    expect(error.name).toBe('SlsError');
  });

  it('accepts a single diagnostic or a text with a hint', () => {
    expect(new SlsError({ text: 'one', file: '/a' }).diagnostics).toEqual([{ text: 'one', file: '/a' }]);
    const error = new SlsError('plain', { hint: 'do this', cause: 'why' });
    expect(error.diagnostics).toEqual([{ text: 'plain', hint: 'do this' }]);
    expect(error.cause).toBe('why');
  });
});

describe('formatDiagnostic()', () => {
  it('prints file:line: text — hint, leaving out what is missing', () => {
    expect(formatDiagnostic({ text: 'bad', file: '/app/x.ts', line: 3, hint: 'fix' })).toBe('/app/x.ts:3: bad — fix');
    expect(formatDiagnostic({ text: 'bad', file: '/app/x.ts' })).toBe('/app/x.ts: bad');
    expect(formatDiagnostic({ text: 'bad' })).toBe('bad');
  });
});

describe('hasErrors()', () => {
  it('counts diagnostics without a level as errors, and ignores warnings', () => {
    expect(hasErrors([{ text: 'w', level: 'warning' }])).toBe(false);
    expect(hasErrors([{ text: 'w', level: 'warning' }, { text: 'e' }])).toBe(true);
  });
});

describe('closestMatch()', () => {
  it('finds typos within two edits, a swap counting as one', () => {
    expect(editDistance('memroy', 'memory')).toBe(1);
    expect(closestMatch('memroy', ['memory', 'timeout'])).toBe('memory');
    expect(closestMatch('tmeout', ['memory', 'timeout'])).toBe('timeout');
    expect(closestMatch('Memory', ['memory', 'memoir'])).toBe('memory');
  });

  it('suggests nothing for unrelated or very short keys', () => {
    expect(closestMatch('database', ['memory', 'timeout'])).toBeUndefined();
    expect(closestMatch('ab', ['env', 'iam'])).toBeUndefined();
  });
});
