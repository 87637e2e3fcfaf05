/**
 * `lexi patterns detect|user`.
 */
import type { ErrorPatternDoc } from "../../schema/patterns.js";
import { detectPatterns, userPatterns } from "../../services/patterns.js";
import type { Store } from "../../store/store.js";
import { shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";

export function detectCommand(store: Store, options: { days?: number; minFrequency?: number }): Promise<ErrorPatternDoc[]> {
  return detectPatterns(store, { days: options.days, min_frequency: options.minFrequency });
}

export function renderPatterns(patterns: ErrorPatternDoc[]): string {
  if (patterns.length === 0) return "No error pattern reaches the minimum frequency in this window.";
  return renderTable(
    ["error type", "level", "frequency", "learners", "top example"],
    patterns.slice(0, 30).map((p) => [p.error_type, p.level, p.frequency, p.affected_users, p.example_errors[0] ? shortText(`${p.example_errors[0].error} → ${p.example_errors[0].correction} (×${p.example_errors[0].count})`, 40) : ""]),
  );
}

export function userCommand(store: Store, user: string, options: { days?: number }) {
  return userPatterns(store, { user_id: user, days: options.days });
}

export function renderUserPatterns(result: Awaited<ReturnType<typeof userPatterns>>): string {
  if (result.error_types.length === 0) return `No grammar errors for ${result.user_id} in the last ${result.days} days.`;
  return `${result.user_id}: ${result.total_errors} grammar errors in the last ${result.days} days\n${renderTable(
    ["error type", "count", "examples"],
    result.error_types.map((t) => [t.error_type, t.count, shortText(t.examples.map((e) => `${e.error} → ${e.correction}`).join("; "), 50)]),
  )}`;
}
