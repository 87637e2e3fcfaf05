/**
 * A plain TypeScript computation of the analytics, by a different road than the pipelines
 * (Intl for time zones, loops for groups), to check the engines' numbers against.
 */
import type { InteractionDoc } from "../../src/schema/interaction.js";
import { CEFR_LEVELS } from "../../src/schema/common.js";

function localDay(date: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  return parts; // en-CA formats as YYYY-MM-DD
}

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The sum of doubles rounded once, as Python's math.fsum computes it (Shewchuk's exact partials).
 * MongoDB adds with a double-double sum and the embedded engine with a compensated one: on these
 * scores both give this sum, where a plain running sum is off in the last bit now and then.
 */
function exactSum(values: number[]): number {
  const partials: number[] = [];
  for (let x of values) {
    let kept = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const high = x + y;
      const low = y - (high - x);
      if (low !== 0) partials[kept++] = low;
      x = high;
    }
    partials.length = kept;
    partials.push(x);
  }
  // Adds the partials from the largest down, rounding the last step half to even as fsum does.
  let n = partials.length;
  if (n === 0) return 0;
  let high = partials[--n]!;
  let low = 0;
  while (n > 0) {
    const x = high;
    const y = partials[--n]!;
    high = x + y;
    low = y - (high - x);
    if (low !== 0) break;
  }
  if (n > 0 && ((low < 0 && partials[n - 1]! < 0) || (low > 0 && partials[n - 1]! > 0))) {
    const twice = low * 2;
    const x = high + twice;
    if (twice === x - high) high = x;
  }
  return high;
}

export function referenceGroup(doc: InteractionDoc, groupBy: string | undefined, tz: string): string {
  if (groupBy === "day") return localDay(doc.timestamp, tz);
  if (groupBy === "week") return mondayOf(localDay(doc.timestamp, tz));
  if (groupBy === "month") return localDay(doc.timestamp, tz).slice(0, 7);
  if (groupBy === "level") return doc.analysis.vocabulary_level;
  return "all";
}

export function referenceAnalytics(docs: InteractionDoc[], metric: string, groupBy: string | undefined, tz: string): Array<Record<string, unknown>> {
  const groups = new Map<string, InteractionDoc[]>();
  for (const doc of docs) {
    const key = referenceGroup(doc, groupBy, tz);
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  const rows = [...groups].map(([group, items]) => {
    const n = items.length;
    if (metric === "fluency") {
      const scores = items.map((d) => d.analysis.fluency_score);
      return { group, interactions: n, avg: exactSum(scores) / n, min: Math.min(...scores), max: Math.max(...scores) };
    }
    if (metric === "grammar") {
      const errors = items.reduce((a, d) => a + d.analysis.grammar_errors.length, 0);
      const withErrors = items.filter((d) => d.analysis.grammar_errors.length > 0).length;
      return { group, interactions: n, errors, with_errors: withErrors, errors_per_interaction: errors / n, share_with_errors: withErrors / n };
    }
    if (metric === "vocabulary") {
      const counts = Object.fromEntries(CEFR_LEVELS.map((level) => [level, items.filter((d) => d.analysis.vocabulary_level === level).length]));
      return { group, interactions: n, ...counts };
    }
    const learners = new Set(items.map((d) => d.user_id)).size;
    const sessions = new Set(items.map((d) => `${d.user_id}\u0000${d.session_id}`)).size;
    return { group, interactions: n, learners, sessions, feedback_rate: items.filter((d) => d.user_feedback).length / n };
  });
  return rows.sort((a, b) => (groupBy === "level" ? CEFR_LEVELS.indexOf(a.group as never) - CEFR_LEVELS.indexOf(b.group as never) : a.group < b.group ? -1 : 1));
}
