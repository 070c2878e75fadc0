// WebSocket route selection expressions (API Gateway v2): `$request.body.action`,
// `${request.body.service}/${request.body.action}`, static text between variables. Pure, so the
// build checks a channel's actions with the same reading the runtime and the dev server route by.
// Doc: API Gateway Developer Guide, "WebSocket selection expressions" and "Routes" (routeSelectionExpression).

export const DEFAULT_ROUTE_SELECTION = '$request.body.action';

/** One piece of an expression: static text, or a JSON path into the message body (`['data', 'room']`). */
export type SelectionPart = { text: string } | { body: string[] };

/** The expression's parts, or a one-line reason it is not one API Gateway accepts for a WebSocket API. */
export function parseRouteSelection(expression: string): { parts: SelectionPart[] } | { problem: string } {
  const parts: SelectionPart[] = [];
  const variable = /\\\$|\$\{([^}]*)\}|\$([A-Za-z0-9_.]+)/g;
  let last = 0;
  const text = (value: string) => value && parts.push({ text: value });
  for (let match = variable.exec(expression); match; match = variable.exec(expression)) {
    text(expression.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[0] === '\\$') {
      text('$');
      continue;
    }
    const name = (match[1] ?? match[2])!;
    if (!name.startsWith('request.body.') || name.length === 'request.body.'.length) {
      return { problem: `"$${match[1] !== undefined ? `{${name}}` : name}" is not a route selection variable: a WebSocket API routes on the message body, $request.body.<path>` };
    }
    parts.push({ body: name.slice('request.body.'.length).split('.') });
  }
  text(expression.slice(last));
  if (!parts.some((part) => 'body' in part)) return { problem: 'it names no $request.body.<path>: every message would take the same route' };
  return { parts };
}

/**
 * The route key a message selects: the expression evaluated on its JSON body, or undefined when
 * the body is not JSON or lacks a variable's field (API Gateway then takes `$default`).
 */
export function selectRoute(parts: readonly SelectionPart[], body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  let key = '';
  for (const part of parts) {
    if ('text' in part) {
      key += part.text;
      continue;
    }
    let value: unknown = parsed;
    for (const field of part.body) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
    if (value === undefined || value === null) return undefined;
    // API Gateway stringifies what the path finds (an array reads as `[a, b]`); a string stays bare.
    key += typeof value === 'string' ? value : JSON.stringify(value);
  }
  return key;
}

/** Whether some message can select `key`: its static text in order, each variable one or more characters. */
export function canSelect(parts: readonly SelectionPart[], key: string): boolean {
  const pattern = parts.map((part) => ('text' in part ? part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '.+')).join('');
  return new RegExp(`^${pattern}$`, 's').test(key);
}
