/**
 * Error patterns folded from per-learner error counts: for each (error type, level), how often it
 * occurred, how many learners made it, a sample of those learners and the most frequent
 * (error, correction) pairs. Strings are ordered as MongoDB orders them (by code point).
 */

/** How often one learner made one (error, correction) of a type, at a level. */
export interface ErrorCount {
  type: string;
  level: string;
  user: string;
  error: string;
  correction: string;
  count: number;
}

export interface FoldedPattern {
  type: string;
  level: string;
  frequency: number;
  affected_users: number;
  /** The first learners in code point order. */
  sample_users: string[];
  /** The most frequent pairs first; ties by error, then correction. */
  example_errors: Array<{ error: string; correction: string; count: number }>;
}

export interface FoldLimits {
  minFrequency: number;
  sampleUsers: number;
  examples: number;
}

/** MongoDB's order of strings: by UTF-8 bytes, which is code point order (`<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i)! - b.codePointAt(i)!;
  }
  return a.length - b.length;
}

/** The patterns of at least `minFrequency` occurrences, in the order their first count came. */
export function foldPatterns(counts: Iterable<ErrorCount>, limits: FoldLimits): FoldedPattern[] {
  const groups = new Map<string, { type: string; level: string; frequency: number; users: Set<string>; pairs: Map<string, { error: string; correction: string; count: number }> }>();
  for (const row of counts) {
    const key = JSON.stringify([row.type, row.level]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { type: row.type, level: row.level, frequency: 0, users: new Set(), pairs: new Map() }));
    group.frequency += row.count;
    group.users.add(row.user);
    const pairKey = JSON.stringify([row.error, row.correction]);
    const pair = group.pairs.get(pairKey);
    if (pair) pair.count += row.count;
    else group.pairs.set(pairKey, { error: row.error, correction: row.correction, count: row.count });
  }
  const patterns: FoldedPattern[] = [];
  for (const group of groups.values()) {
    if (group.frequency < limits.minFrequency) continue;
    const examples = [...group.pairs.values()].sort((a, b) => b.count - a.count || compareCodePoints(a.error, b.error) || compareCodePoints(a.correction, b.correction));
    patterns.push({
      type: group.type,
      level: group.level,
      frequency: group.frequency,
      affected_users: group.users.size,
      sample_users: [...group.users].sort(compareCodePoints).slice(0, limits.sampleUsers),
      example_errors: examples.slice(0, limits.examples),
    });
  }
  return patterns;
}
