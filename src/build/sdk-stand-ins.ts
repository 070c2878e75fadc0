// Stand-ins for the AWS SDK while the app check runs the app's modules. What it learns from them
// (routes, classes, actions, schedules) never comes from the SDK, yet loading the real clients
// costs ~100 ms each, on every first start and after every edit of a module that imports one.
// This file is bundled into each inspection pass (a fresh copy, so its verdict is that pass's
// own) and must import nothing.
//
// Module-scope code as apps write it — `DynamoDBDocumentClient.from(new DynamoDBClient({}))`,
// `new GetCommand({...})` — runs against the stand-ins. What they cannot answer for — a method of
// a client or command called, a result awaited, iterated or turned into a string or number —
// throws where it can (a stand-in answer could send module-scope code down a wrong path, or loop
// for ever on a paging token) and makes the pass unusable, even if the app catches the error: the
// app check then loads the modules again with the real SDK.

let unusable: string | undefined;

/** Why the stand-ins could not serve this pass (undefined while they could). */
export function standInsUnusable(): string | undefined {
  return unusable;
}

/**
 * What stands for one of the SDK's packages: any export is a stand-in; `__esModule` is left
 * undefined so that bundlers' interop hands the module out as it is. A plain object over the
 * proxy: the interop copies own properties, and there are none to look for.
 */
export function standInModule(name: string): object {
  return Object.create(standIn(name, 'export'));
}

/**
 * `export`: an export or a static member (a class, a factory, a namespace): calling or
 * constructing one makes a value. `value`: what that made, and members of it; calling a member
 * of a value (`client.send(…)`) is a call into the SDK, which stand-ins cannot answer.
 */
function standIn(path: string, kind: 'export' | 'value'): Function {
  const distrust = (what: string) => {
    unusable ??= `${what} at module scope`;
  };
  const giveUp = (what: string): never => {
    distrust(what);
    throw new Error(`the app check's stand-in for the AWS SDK cannot answer for ${what}`);
  };
  return new Proxy(function standInFunction() {}, {
    get(_target, key) {
      if (key === '__esModule') return undefined;
      if (typeof key === 'symbol') {
        if (key === Symbol.toPrimitive) giveUp(`${path} used as a value`);
        if (key === Symbol.iterator || key === Symbol.asyncIterator) giveUp(`${path} iterated`);
        return undefined;
      }
      if (key === 'then') {
        // Awaiting an export (a module namespace) is no call; awaiting what the SDK made may be.
        // Not thrown: the engine reads `then` itself when a promise resolves to a value (an
        // async function returning a client), and the rejection would go unhandled.
        if (kind === 'value') distrust(`${path} awaited`);
        return undefined;
      }
      if (key === 'toString' || key === 'valueOf' || key === 'toJSON') giveUp(`${path} used as a value`);
      return standIn(`${path}.${key}`, kind);
    },
    apply() {
      if (kind === 'value') giveUp(`${path}()`);
      return standIn(`${path}()`, 'value');
    },
    construct() {
      return standIn(`new ${path}`, 'value');
    },
  });
}
