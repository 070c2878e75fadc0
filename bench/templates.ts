// bench/templates.ts (`npx tsx bench/templates.ts`): the cost of CloudFormation generation.
//  1. generation time of an app of 1,000 routes over 100 controllers (CORS on), which splits
//     into nested stacks, and its resource count per template;
//  2. the same for a small one-template app, as the in-run baseline.
// Target (issue #5): ≤ 1 s for the 1,000-route app.
import { generateTemplates, serializeTemplate, type GeneratedTemplates } from '../src/cloudformation/index.js';
import type { BuildManifest } from '../src/build/types.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { largeApp, makeConfig, makeManifest, SMALL_APP } from '../test/unit/cloudformation/fixtures.js';

interface Timing {
  first: number;
  median: number;
  best: number;
}

function time(config: ResolvedConfig, manifest: BuildManifest, runs: number): { timing: Timing; result: GeneratedTemplates } {
  const samples: number[] = [];
  let result: GeneratedTemplates | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = generateTemplates({ config, manifest });
    samples.push(performance.now() - started);
  }
  const first = samples[0]!;
  const sorted = [...samples].sort((a, b) => a - b);
  return { timing: { first, median: sorted[Math.floor(sorted.length / 2)]!, best: sorted[0]! }, result: result! };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function describe(name: string, config: ResolvedConfig, manifest: BuildManifest, runs: number): Timing {
  const routes = manifest.functions.reduce((sum, fn) => sum + fn.routes.length, 0);
  const { timing, result } = time(config, manifest, runs);
  const counts = Object.entries(result.stats.perTemplate);
  const children = counts.filter(([id]) => id !== 'root').map(([, count]) => count);
  const bodies = [serializeTemplate(result.root), ...result.children.map((child) => child.body)].map((body) => Buffer.byteLength(body));
  console.log(`\n${name}: ${routes} routes, ${manifest.functions.length} functions, layout ${manifest.layout}`);
  console.log(`  generation      first ${ms(timing.first)}, median ${ms(timing.median)}, best ${ms(timing.best)} (${runs} runs)`);
  console.log(`  templates       ${counts.length} (root + ${result.children.length} nested), ${result.stats.resources} resources in all, ${result.stats.apiResources} API resources`);
  console.log(`  root            ${result.stats.perTemplate['root']} resources, ${Object.keys(result.root.Outputs ?? {}).length} outputs, ${kb(bodies[0]!)}`);
  if (children.length > 0) {
    const byKind = (suffix: RegExp) => counts.filter(([id]) => suffix.test(id)).map(([, count]) => count);
    const summary = (values: number[]) => (values.length ? `${values.length} stacks, ${Math.min(...values)}–${Math.max(...values)} resources each` : 'none');
    console.log(`  controller/job  ${summary(byKind(/^(?!Api).*Stack$/))}`);
    console.log(`  API paths       ${summary(byKind(/^Api.*Stack$/))}`);
    console.log(`  largest body    ${kb(Math.max(...bodies.slice(1)))}`);
    const top = counts.filter(([id]) => id !== 'root').sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`  most resources  ${top.map(([id, count]) => `${id} ${count}`).join(', ')}`);
  }
  for (const warning of result.warnings) console.log(`  warning         ${warning.text}`);
  return timing;
}

const config = makeConfig({ cors: true, binaryMediaTypes: ['image/png'] });
const small = describe('small app (baseline)', config, makeManifest(config, SMALL_APP), 50);
const large = describe('large app', config, makeManifest(config, largeApp(100)), 15);
const action = describe('large app, action layout', config, makeManifest(config, largeApp(100), 'action'), 5);

console.log(`\nlarge / small median: ${(large.median / small.median).toFixed(0)}×`);
const verdict = large.first <= 1000 ? 'within' : 'OVER';
console.log(`target ≤ 1 s for the 1,000-route app: ${ms(large.first)} on a cold first run — ${verdict} target (action layout: ${ms(action.first)})`);
