import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without type declarations
import { checkRooms } from '../../../.ci/check-rooms.mjs';

const check = checkRooms as (srcDir: string) => string[];

describe('room checker (DESIGN.md §2 may-import rule)', () => {
  it('passes on the real source tree', () => {
    expect(check(fileURLToPath(new URL('../../../src', import.meta.url)))).toEqual([]);
  });

  it('reports every forbidden import in a tree that breaks the rule', () => {
    const violations = check(fileURLToPath(new URL('../../fixtures/rooms-violation/src', import.meta.url)));
    expect(violations).toHaveLength(5);
    expect(violations.join('\n')).toMatch(/runtime\/bad\.ts: room runtime\/ may not import config\//);
    expect(violations.join('\n')).toMatch(/runtime\/bad\.ts: room runtime\/ ships into Lambda and must not use npm packages \("esbuild"\)/);
    expect(violations.join('\n')).toMatch(/router\/bad\.ts: room router\/ must not use node built-ins/);
    expect(violations.join('\n')).toMatch(/deploy\/bad\.ts: imports "\.\.\/cli\/index\.js" — nothing may import cli\//);
    expect(violations.join('\n')).toMatch(/deploy\/bad\.ts: room deploy\/ may not import router\//);
  });
});
