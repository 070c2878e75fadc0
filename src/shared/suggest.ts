// "Did you mean …?" for unknown keys, commands and names.

/**
 * Edit distance counting a swap of two neighbours as one edit, since `memroy` for `memory`
 * is the typo people actually make and plain Levenshtein would call it two.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1]!;
      let best = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `input` within `maxDistance` edits (fewer for short words; a case
 * difference alone counts as half an edit), or undefined when nothing is close enough to be a typo.
 */
export function closestMatch(input: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const folded = editDistance(input.toLowerCase(), candidate.toLowerCase());
    const score = folded + (editDistance(input, candidate) > folded ? 0.5 : 0);
    // Short words are a couple of edits from many others: allow one edit per three letters.
    const allowed = Math.min(maxDistance, Math.max(1, Math.floor(Math.max(input.length, candidate.length) / 3)));
    if (folded > allowed) continue;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
