// The `wildcard` operator: `*` stands for any run of characters; `\*` and `\\` are the literal
// characters. EventBridge refuses two `*` in a row and any other escape, so those are problems.

/** Why EventBridge would refuse this wildcard text, or undefined when it is fine. */
export function wildcardProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') return 'a backslash may only escape * or \\ (write \\\\ for a literal backslash)';
      i++;
    } else if (char === '*' && text[i + 1] === '*') {
      return 'consecutive * characters are not allowed';
    }
  }
  return undefined;
}

export function matchesWildcard(text: string, wildcard: string): boolean {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i]!;
    if (char === '\\') source += escapeRegExp(wildcard[++i] ?? '\\');
    else source += char === '*' ? '[\\s\\S]*' : escapeRegExp(char);
  }
  return new RegExp(`^${source}$`).test(text);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
