// Shared by the config tests: the errors validateUserConfig finds (warnings left out), and the
// check that a config has exactly one, at a given path, worded as every config error is.
import { expect } from 'vitest';
import { validateUserConfig } from '../../../src/index.js';

export const errorsOf = (config: unknown) => validateUserConfig(config).filter((d) => d.level !== 'warning');

/** The one error of `config`, which must be at `path`, name it first and carry a hint. */
export function onlyErrorAt(config: unknown, path: string): string {
  const errors = errorsOf(config);
  expect(errors.map((d) => d.path), JSON.stringify(errors, null, 2)).toEqual([path]);
  expect(errors[0]!.text.startsWith(`${path}: `)).toBe(true);
  expect(errors[0]!.hint).toBeTruthy();
  return `${errors[0]!.text} — ${errors[0]!.hint}`;
}
