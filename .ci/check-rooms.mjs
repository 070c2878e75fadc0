#!/usr/bin/env node
// Enforces the may-import rule of DESIGN.md §2 on src/: which room may import which, and
// that the rooms shipped into Lambda (router, runtime, testing) use no npm packages.
// It runs before `tsc` in `npm run build`, so a violation fails the build, not a review.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** room → rooms it may import (besides itself). `npm`: may use npm packages; `node`: node built-ins. */
export const ROOM_RULES = {
  router: { rooms: [], node: false, npm: false },
  runtime: { rooms: ['router'], node: true, npm: false },
  testing: { rooms: ['runtime', 'router', 'local'], node: true, npm: false },
  shared: { rooms: [], node: true, npm: false },
  config: { rooms: ['shared', 'router'], node: true, npm: true },
  build: { rooms: ['shared', 'config', 'router'], node: true, npm: true },
  generators: { rooms: ['shared', 'config', 'router'], node: true, npm: true },
  cloudformation: { rooms: ['shared', 'config', 'router', 'build'], node: true, npm: true },
  deploy: { rooms: ['shared', 'config', 'cloudformation', 'build'], node: true, npm: true },
  local: { rooms: ['shared', 'config'], node: true, npm: true },
  'dev-server': { rooms: ['shared', 'config', 'router', 'build', 'runtime', 'local'], node: true, npm: true },
  // The programmatic API (src/index.ts) may use every room except the CLI.
  api: {
    rooms: ['shared', 'config', 'router', 'runtime', 'testing', 'build', 'generators', 'cloudformation', 'deploy', 'dev-server', 'local'],
    node: true,
    npm: true,
  },
  cli: { rooms: '*', node: true, npm: true },
};

const IMPORT_PATTERN = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const BUILTINS = new Set(builtinModules);

function roomOf(srcDir, file) {
  const rel = relative(srcDir, file);
  const first = rel.split(sep)[0];
  return rel === first ? 'api' : first;
}

function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Returns one message per forbidden import; an empty list means the tree obeys the rule. */
export function checkRooms(srcDir) {
  const violations = [];
  for (const file of listSources(srcDir)) {
    const room = roomOf(srcDir, file);
    const rule = ROOM_RULES[room];
    const where = relative(process.cwd(), file);
    if (!rule) {
      violations.push(`${where}: unknown room "${room}" — add it to ROOM_RULES in .ci/check-rooms.mjs and to DESIGN.md`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier.startsWith('.')) {
        const target = roomOf(srcDir, resolve(dirname(file), specifier));
        if (target === room) continue;
        if (target === 'cli') violations.push(`${where}: imports "${specifier}" — nothing may import cli/`);
        else if (rule.rooms !== '*' && !rule.rooms.includes(target)) {
          violations.push(`${where}: room ${room}/ may not import ${target}/ ("${specifier}")`);
        }
      } else if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) {
        if (!rule.node) violations.push(`${where}: room ${room}/ must not use node built-ins ("${specifier}")`);
      } else if (!rule.npm) {
        violations.push(`${where}: room ${room}/ ships into Lambda and must not use npm packages ("${specifier}")`);
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const srcDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const violations = checkRooms(srcDir);
  for (const line of violations) console.error(`check-rooms: ${line}`);
  process.exitCode = violations.length > 0 ? 1 : 0;
}
