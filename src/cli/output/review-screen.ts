/**
 * One screen of `lexi review`, laid out to fit 80x24.
 */
import { idText } from "../../schema/common.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import type { ReviewCounts } from "../../services/review.js";

export const SCREEN_WIDTH = 80;
export const SCREEN_HEIGHT = 24;
export const HELP_LINE = "[a]pprove  [r]eject  [s]kip  [n]ote  [u]ndo  [q]uit";

function wrap(text: string, width: number, indent = ""): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length + indent.length > width && line) {
      lines.push(indent + line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

export interface ScreenState {
  item: QueueItemDoc;
  counts: ReviewCounts;
  reviewer: string;
  note?: string;
  message?: string;
}

export function renderReviewScreen(state: ScreenState): string[] {
  const { item, counts } = state;
  const analysis = item.expected_output;
  const header = `lexi review · ${state.reviewer} · done ${counts.done} (✓${counts.approved} ✗${counts.rejected}) · skipped ${counts.skipped} · left ${counts.remaining}`;
  const lines: string[] = [header.slice(0, SCREEN_WIDTH), "─".repeat(SCREEN_WIDTH)];
  lines.push(`Example ${idText(item._id)} · ${item.task_types.join(", ")} · ${item.difficulty_level} · quality ${item.quality_score.toFixed(2)}`);
  const flags = [item.status === "flagged" ? `FLAGGED: ${item.flag_reasons.join("; ") || "poor feedback"}` : ""].filter(Boolean);
  if (flags.length) lines.push(...wrap(flags.join(" "), SCREEN_WIDTH));
  lines.push("Learner:", ...wrap(item.user_input, SCREEN_WIDTH, "  ").slice(0, 3));
  const errors = analysis.grammar_errors;
  lines.push(`Errors (${errors.length}) · fluency ${analysis.fluency_score.toFixed(2)} · level ${analysis.vocabulary_level}`);
  for (const error of errors.slice(0, 4)) lines.push(...wrap(`[${error.type}] ${error.error} → ${error.correction}`, SCREEN_WIDTH, "  ").slice(0, 1));
  if (errors.length > 4) lines.push(`  … ${errors.length - 4} more`);
  lines.push("Tutor:", ...wrap(analysis.tutor_response, SCREEN_WIDTH, "  ").slice(0, 3));
  if (state.note) lines.push(...wrap(`Note: ${state.note}`, SCREEN_WIDTH).slice(0, 2));
  const body = lines.slice(0, SCREEN_HEIGHT - 3);
  while (body.length < SCREEN_HEIGHT - 3) body.push("");
  body.push(state.message ?? "", "─".repeat(SCREEN_WIDTH), HELP_LINE);
  // A line wider than the terminal would wrap and scroll the header away.
  return body.map((line) => (line.length > SCREEN_WIDTH ? `${line.slice(0, SCREEN_WIDTH - 1)}…` : line));
}
