// Lambda's answer to an environment over 4 KB quotes the whole environment ("String measured:
// {"NAME":"value",…}"), secrets included, and CloudFormation copies it into event and status
// reasons. Every reason and AWS error message passes through here before anyone can print it.

const MEASURED = 'String measured:';

/**
 * The top-level names of the quoted object. Inside a CloudFormation reason the object is itself
 * quoted, so its names look like \"NAME\": and names inside values one level deeper; the first
 * key tells which quoting is the top level.
 */
function namesIn(quoted: string): string[] {
  const escaped = /^\{\s*\\"/.test(quoted);
  const key = escaped ? /(?<!\\)\\"([A-Za-z_][A-Za-z0-9_]*)\\"\s*:/g : /(?<!\\)"([A-Za-z_][A-Za-z0-9_]*)"\s*:/g;
  return [...new Set([...quoted.matchAll(key)].map((match) => match[1]!))];
}

/** The text with the values of a quoted Lambda environment replaced by its variable names. */
export function redactSecrets(text: string): string;
export function redactSecrets(text: string | undefined): string | undefined;
export function redactSecrets(text: string | undefined): string | undefined {
  if (!text) return text;
  const at = text.indexOf(MEASURED);
  if (at < 0) return text;
  const open = text.indexOf('{', at);
  // The object runs to the last brace: what follows it (CloudFormation's RequestToken part) has none.
  // A reason cut short by AWS has no closing brace, so everything after the marker goes.
  const close = text.lastIndexOf('}');
  const quoted = open < 0 ? '' : close > open ? text.slice(open, close + 1) : text.slice(open);
  const rest = open >= 0 && close > open ? text.slice(close + 1) : '';
  const names = namesIn(quoted);
  const listed = names.length ? ` variables ${names.join(', ')}` : '';
  return `${text.slice(0, at)}${MEASURED}${listed} (values hidden by sls-ts)${rest}`;
}
