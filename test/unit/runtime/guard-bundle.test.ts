// guard() ships only in functions that import it: a controller bundle without it must not grow
// (bench:runtime holds the one-controller bundle to 15,360 bytes with little room left).
import { describe, expect, it } from 'vitest';
import { bundleRuntime as bundle, runtimeIndex } from '../../support/runtime-bundle.js';

const controller = (extra: string) => `
  import { Controller, createRouteHandler, routeTable${extra ? ', guard' : ''} } from ${JSON.stringify(runtimeIndex)};
  ${extra}
  class HelloController extends Controller { async show() { return this.json({ hello: ${extra ? 'await prices(this.params.id)' : 'this.params.id'} }); } }
  export const handler = createRouteHandler({ routes: routeTable([{ method: 'GET', path: '/hello/{id}', resource: '/hello/{id}', target: { controller: 'hello', action: 'show' } }]), controllers: { hello: HelloController } });
`;

describe('what guard adds to bundles', () => {
  it('adds nothing to a controller bundle that does not import it', async () => {
    const code = await bundle(controller(''));
    expect(code).toContain('integrationLatency');
    expect(code).not.toMatch(/circuit breaker|maxConcurrent|GuardTimeoutError|halfOpenCalls/);
  });

  it('brings the guard, its errors and option checks to a bundle that uses it', async () => {
    const plain = await bundle(controller(''));
    const code = await bundle(controller(`const prices = guard(async ({ signal }, id) => id, { name: 'prices', timeoutMs: 500, breaker: {} });`));
    expect(code).toMatch(/circuit breaker/);
    expect(code).toContain('GuardTimeoutError');
    expect(code).toContain('breaker.halfOpenCalls');
    // The whole of guard is about 7 KB minified (within() and breaker.on added 0.5 KB), most of it
    // the messages; this catches a runaway import.
    expect(code.length - plain.length).toBeLessThan(7600);
  });
});
