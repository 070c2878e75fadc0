// Rewrites the references of resources that moved into a nested stack: whatever the stack does
// not define itself becomes a parameter of the same name (a GetAtt becomes `<Id><Attribute>`),
// so resource bodies are generated once and read the same in the root and in a child.

export interface ExternalReference {
  id: string;
  attribute?: string;
}

export interface Externalized<T> {
  value: T;
  /** Parameter name → what it stands for. */
  parameters: Map<string, ExternalReference>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function only(value: Json, key: string): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === key;
}

export function parameterName(id: string, attribute?: string): string {
  return attribute === undefined ? id : `${id}${attribute.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Rewrites `value` for a template that defines `local`; the references it cannot satisfy become parameters. */
export function externalize<T>(value: T, local: ReadonlySet<string>): Externalized<T> {
  const parameters = new Map<string, ExternalReference>();
  const need = (id: string, attribute?: string): string => {
    const name = parameterName(id, attribute);
    if (local.has(name)) throw new Error(`parameter ${name} would shadow a resource of the same stack`);
    parameters.set(name, attribute === undefined ? { id } : { id, attribute });
    return name;
  };
  const isExternal = (name: string) => !name.startsWith('AWS::') && !local.has(name);

  const rewriteSub = (text: string, variables: Set<string>): string =>
    text.replace(/\$\{([^}!][^}]*)\}/g, (whole, inner: string) => {
      const name = inner.trim();
      if (variables.has(name)) return whole;
      const dot = name.indexOf('.');
      const id = dot < 0 ? name : name.slice(0, dot);
      if (!isExternal(id)) return whole;
      return `\${${need(id, dot < 0 ? undefined : name.slice(dot + 1))}}`;
    });

  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk);
    if (!isObject(item)) return item;
    if (only(item, 'Ref') && typeof item['Ref'] === 'string') {
      if (isExternal(item['Ref'])) need(item['Ref']);
      return item;
    }
    if (only(item, 'Fn::GetAtt') && Array.isArray(item['Fn::GetAtt'])) {
      const [id, attribute] = item['Fn::GetAtt'] as [string, string];
      return isExternal(id) ? { Ref: need(id, attribute) } : item;
    }
    if (only(item, 'Fn::Sub')) {
      const args = item['Fn::Sub'];
      if (typeof args === 'string') return { 'Fn::Sub': rewriteSub(args, new Set()) };
      if (Array.isArray(args) && typeof args[0] === 'string' && isObject(args[1])) {
        return { 'Fn::Sub': [rewriteSub(args[0], new Set(Object.keys(args[1]))), walk(args[1])] };
      }
    }
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
  };
  return { value: walk(value) as T, parameters };
}

/**
 * The root's side of `externalize`: a root resource that uses something of a nested stack gets the
 * value itself (the stack's output) in place of the parameter name `externalize` left.
 */
export function bindParameters<T>(value: T, bindings: ReadonlyMap<string, unknown>): T {
  const bindSub = (text: string, variables: Record<string, unknown>): unknown => {
    const used = Object.fromEntries([...bindings].filter(([name]) => text.includes(`\${${name}}`)));
    const all = { ...used, ...variables };
    return Object.keys(all).length > 0 ? { 'Fn::Sub': [text, all] } : { 'Fn::Sub': text };
  };
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk);
    if (!isObject(item)) return item;
    if (only(item, 'Ref') && typeof item['Ref'] === 'string' && bindings.has(item['Ref'])) return bindings.get(item['Ref']);
    if (only(item, 'Fn::Sub')) {
      const args = item['Fn::Sub'];
      if (typeof args === 'string') return bindSub(args, {});
      if (Array.isArray(args) && typeof args[0] === 'string' && isObject(args[1])) return bindSub(args[0], walk(args[1]) as Record<string, unknown>);
    }
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
  };
  return walk(value) as T;
}
