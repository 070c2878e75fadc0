import { describe, expect, it } from 'vitest';
import { insertRoute, removeRoute } from '../../../src/generators/index.js';
import { sameCall } from '../../../src/generators/routes-file.js';

const add = (source: string, call = "resources('posts')") => {
  const result = insertRoute(source, call);
  if (!result.ok) throw new Error('no insertion point');
  return result.source;
};

const example = `import { defineRoutes } from 'sls-ts';

export default defineRoutes((r) => {
  r.root('home#index');
  r.get('/health', 'health#show');

  r.namespace('admin', (r) => {
    r.get('/stats', 'stats#index');
  });
});
`;

describe('adding a route to config/routes.ts', () => {
  it('puts the line last in the callback, at the statements\' indentation, changing nothing else', () => {
    expect(add(example)).toBe(example.replace("  });\n});", "  });\n  r.resources('posts');\n});"));
  });

  it('follows the file: four-space indentation, double quotes, no semicolons, another parameter name', () => {
    const source = 'import { defineRoutes } from "sls-ts"\n\nexport default defineRoutes((routes) => {\n    routes.root("home#index")\n})\n';
    expect(add(source)).toBe('import { defineRoutes } from "sls-ts"\n\nexport default defineRoutes((routes) => {\n    routes.root("home#index")\n    routes.resources("posts")\n})\n');
  });

  it('follows tabs and a function expression', () => {
    const source = "export default defineRoutes(function (map) {\n\tmap.root('home#index');\n});\n";
    expect(add(source, "get('/hello', { function: 'hello' })")).toBe("export default defineRoutes(function (map) {\n\tmap.root('home#index');\n\tmap.get('/hello', { function: 'hello' });\n});\n");
  });

  it('reads a typed parameter', () => {
    const source = "import { defineRoutes, type RouteBuilder } from 'sls-ts';\n\nexport default defineRoutes((r: RouteBuilder) => {\n  r.root('home#index');\n});\n";
    expect(add(source)).toBe(source.replace("  r.root('home#index');\n", "  r.root('home#index');\n  r.resources('posts');\n"));
  });

  it('indents the first line of an empty callback one step in', () => {
    expect(add('export default defineRoutes((r) => {\n});\n')).toBe("export default defineRoutes((r) => {\n  r.resources('posts');\n});\n");
    expect(add('export default defineRoutes((r) => {});\n')).toBe("export default defineRoutes((r) => {\n  r.resources('posts');\n});\n");
  });

  it('breaks a one-line callback to add its line', () => {
    expect(add("export default defineRoutes((r) => { r.root('home#index') })\n")).toBe("export default defineRoutes((r) => { r.root('home#index')\n  r.resources('posts')\n})\n");
  });

  it('is not fooled by braces in strings, comments and templates, or by a trailing comma', () => {
    const source = [
      "// defineRoutes((x) => { nope })",
      'export default defineRoutes(',
      '  (r) => {',
      "    r.get('/a', 'a#show'); // not the end: }",
      '    /* } ) */',
      "    r.get(`/b`, 'b#show');",
      "    r.get('/c}', 'c#show');",
      '  },',
      ');',
      '',
    ].join('\n');
    expect(add(source)).toBe(source.replace('  },\n', "    r.resources('posts');\n  },\n"));
  });

  it('leaves the file alone when the line is there already (in any quote style)', () => {
    const source = 'export default defineRoutes((r) => {\n  r.resources( "posts" )\n});\n';
    expect(insertRoute(source, "resources('posts')")).toMatchObject({ ok: true, changed: false, source });
  });

  it.each([
    ['no defineRoutes call', "export default [{ path: '/' }];\n"],
    ['an expression body', "export default defineRoutes((r) => r.root('home#index'));\n"],
    ['a callback without a parameter', "export default defineRoutes(() => {\n  console.log('hi');\n});\n"],
    ['a function reference', 'export default defineRoutes(draw);\n'],
    ['unbalanced brackets', 'export default defineRoutes((r) => {\n  r.root(\n'],
    ['defineRoutes only in a comment', "// export default defineRoutes((r) => { r.root('home#index') })\n"],
  ])('reports no insertion point with %s', (_, source) => {
    expect(insertRoute(source, "resources('posts')")).toEqual({ ok: false });
  });
});

describe('removing a route from config/routes.ts', () => {
  it('removes exactly the line it added, restoring the file', () => {
    expect(removeRoute(add(example), sameCall("resources('posts')"))).toMatchObject({ ok: true, changed: true, source: example });
  });

  it('matches whatever the quote style and spacing', () => {
    const source = 'export default defineRoutes((routes) => {\n    routes.root("home#index")\n    routes.resources( "posts" );\n})\n';
    expect(removeRoute(source, sameCall("resources('posts')"))).toMatchObject({ changed: true, source: 'export default defineRoutes((routes) => {\n    routes.root("home#index")\n})\n' });
  });

  it('leaves the file alone when the line is not there', () => {
    expect(removeRoute(example, sameCall("resources('comments')"))).toMatchObject({ ok: true, changed: false, source: example });
  });

  it('reports a file it cannot read', () => {
    expect(removeRoute('export default defineRoutes(draw);\n', sameCall("resources('posts')"))).toEqual({ ok: false });
  });
});
