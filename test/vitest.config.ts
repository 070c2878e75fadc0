import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// This file lives in test/; the project root is one level up.
const root = fileURLToPath(new URL('..', import.meta.url));
const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export default defineConfig({
  root,
  resolve: {
    // Tests (and example-app's tests) exercise the sources, so a stale dist/ can never hide a bug.
    alias: [
      { find: /^sls-ts\/testing$/, replacement: src('testing/index.ts') },
      { find: /^sls-ts\/tooling$/, replacement: src('index.ts') },
      { find: /^sls-ts\/config$/, replacement: src('config/define-config.ts') },
      { find: /^sls-ts$/, replacement: src('runtime/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'example-app/test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
  },
});
