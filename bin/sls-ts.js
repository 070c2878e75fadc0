#!/usr/bin/env node
// Thin shim: all behaviour lives in dist/cli (built from src/cli by `npm run build`).
import { run } from '../dist/cli/index.js';

process.exitCode = await run(process.argv);
