/**
 * `lexi patterns detect|user`.
 */
import { DetectPatternsInput, UserPatternsInput, type ErrorPatternDoc } from "../../schema/patterns.js";
import { detectPatterns, userPatterns } from "../../services/patterns.js";
import { shortText } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

export function renderPatterns(patterns: ErrorPatternDoc[]): string {
  if (patterns.length === 0) return "No error pattern reaches the minimum frequency in this window.";
  return renderTable(
    ["error type", "level", "frequency", "learners", "top example"],
    patterns.slice(0, 30).map((p) => [p.error_type, p.level, p.frequency, p.affected_users, p.example_errors[0] ? shortText(`${p.example_errors[0].error} → ${p.example_errors[0].correction} (×${p.example_errors[0].count})`, 40) : ""]),
  );
}

export function renderUserPatterns(result: Awaited<ReturnType<typeof userPatterns>>): string {
  if (result.error_types.length === 0) return `No grammar errors for ${result.user_id} in the last ${result.days} days.`;
  return `${result.user_id}: ${result.total_errors} grammar errors in the last ${result.days} days\n${renderTable(
    ["error type", "count", "examples"],
    result.error_types.map((t) => [t.error_type, t.count, shortText(t.examples.map((e) => `${e.error} → ${e.correction}`).join("; "), 50)]),
  )}`;
}

export const detect = defineCommand({
  input: DetectPatternsInput,
  flags: [
    { flags: "--days <n>", description: "window in days", field: "days" },
    { flags: "--min-frequency <n>", description: "least occurrences to count as a pattern", field: "min_frequency" },
  ],
  run: ({ store, input }) => detectPatterns(store, input),
  render: renderPatterns,
});

export const user = defineCommand({
  input: UserPatternsInput,
  args: { user: "user_id" },
  flags: [{ flags: "--days <n>", description: "window in days", field: "days" }],
  run: ({ store, input }) => userPatterns(store, input),
  render: renderUserPatterns,
});
