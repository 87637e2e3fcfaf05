/**
 * One screen of `lexi review`, laid out for the terminal's own size: every line fits its width in
 * display columns (wide characters, emoji and combining diacritics included), words wrap whole,
 * and the header and help line stay on screen whatever the content.
 */
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import { currentOutput } from "../../domain/corrections.js";
import { idText } from "../../schema/common.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import type { ReviewCounts } from "../../services/review.js";
import type { LearnerVerdict } from "../../services/review-context.js";

/** Smallest layout that still holds every part of the screen. */
export const MIN_WIDTH = 20;
export const MIN_HEIGHT = 12;

const HELP_LINES = [
  "[a]pprove  [r]eject  [e]dit  [s]kip  [n]ote  [u]ndo  [g]roup  [?]help  [q]uit",
  "a:approve r:reject e:edit s:skip n:note u:undo ?:help q:quit",
  "a/r/e/s/n/u/g  ? help  q quit",
];

export const HELP_TEXT = [
  "a  approve the example (saved at once)",
  "r  reject it",
  "e  correct the target (grammar errors, tutor response, vocabulary) in $VISUAL/$EDITOR or a short form; saved as your approval, u undoes it",
  "s  skip it for this session (it stays pending for others)",
  "n  write a note for the next decision; approving a flagged example needs one",
  "u  undo the last decision of this session",
  "g  decide once for every pending example with the same learner text (asks first)",
  "?  this help",
  "q  quit (Ctrl-C too); every decision is already saved",
];

export interface ScreenState {
  item: QueueItemDoc;
  counts: ReviewCounts;
  reviewer: string;
  width: number;
  height: number;
  note?: string;
  message?: string;
  /** The learners' verdicts on the example's interaction. */
  verdicts?: LearnerVerdict[];
  /** Other pending examples with the same learner text. */
  twins?: number;
}

/** The widest help line that fits. */
export function helpLine(width: number): string {
  return HELP_LINES.find((line) => stringWidth(line) <= width) ?? HELP_LINES[HELP_LINES.length - 1]!;
}

/** Cuts a line to `width` display columns, marking the cut with an ellipsis. */
export function fitLine(line: string, width: number): string {
  if (stringWidth(line) <= width) return line;
  const cut = wrapAnsi(line, width - 1, { hard: true, trim: false, wordWrap: false }).split("\n")[0]!;
  return `${cut}…`;
}

function wrap(text: string, width: number, indent = ""): string[] {
  const inner = Math.max(1, width - stringWidth(indent));
  return wrapAnsi(text.replace(/\s+/g, " ").trim(), inner, { hard: true }).split("\n").map((line) => indent + line);
}

/** At most `max` wrapped lines of `text`; a last line says when more was cut. */
function wrapAtMost(text: string, max: number, width: number, indent = ""): string[] {
  // Only the start of a long text can show; a column holds at least half a character.
  const lines = wrap(text.slice(0, (max + 1) * width * 2), width, indent);
  if (lines.length <= max && text.length <= (max + 1) * width * 2) return lines;
  return [...lines.slice(0, Math.max(0, max - 1)), fitLine(`${indent}… (more)`, width)];
}

function describeVerdict(verdict: LearnerVerdict): string {
  const parts = [`★${verdict.rating}`];
  if (verdict.helpful !== undefined) parts.push(verdict.helpful ? "helpful" : "not helpful");
  if (verdict.accurate !== undefined) parts.push(verdict.accurate ? "accurate" : "inaccurate");
  if (verdict.reported_issues.length) parts.push(`issues: ${verdict.reported_issues.join(", ")}`);
  if (verdict.feedback_text) parts.push(`“${verdict.feedback_text}”`);
  return parts.join(" · ");
}

export function renderReviewScreen(state: ScreenState): string[] {
  const width = Math.max(MIN_WIDTH, state.width);
  const height = Math.max(MIN_HEIGHT, state.height);
  const { item, counts } = state;
  const analysis = currentOutput(item);
  // Extra rows beyond the smallest screen go to the parts that run long.
  const spare = Math.max(0, height - 24);
  const share = (base: number, part: number) => base + Math.floor((spare * part) / 4);

  const header = fitLine(`lexi review · ${state.reviewer} · done ${counts.done} (✓${counts.approved} ✗${counts.rejected}) · skipped ${counts.skipped} · left ${counts.remaining}`, width);
  const lines: string[] = [];
  lines.push(...wrap(`Example ${idText(item._id)} · ${item.task_types.join(", ")} · ${item.difficulty_level} · quality ${item.quality_score.toFixed(2)}`, width));
  if (item.status === "flagged") {
    lines.push(...wrap(`FLAGGED: ${item.flag_reasons.join("; ")}. Approving clears the flag and needs a note (n).`, width));
  }
  const lastRevision = item.revisions?.at(-1);
  if (lastRevision) lines.push(...wrapAtMost(`Corrected by ${lastRevision.by} (${item.revisions!.length} revision${item.revisions!.length > 1 ? "s" : ""}); the target below is the corrected one.`, 2, width));
  for (const verdict of (state.verdicts ?? []).slice(0, 2)) lines.push(...wrapAtMost(`Learner said: ${describeVerdict(verdict)}`, 2, width));
  if (state.twins) lines.push(...wrap(`Same learner text in ${state.twins} other pending example(s): g decides for all ${state.twins + 1}.`, width));
  lines.push("Learner:", ...wrapAtMost(item.user_input, share(3, 1), width, "  "));
  const errors = analysis.grammar_errors;
  lines.push(fitLine(`Errors (${errors.length}) · fluency ${analysis.fluency_score.toFixed(2)} · level ${analysis.vocabulary_level}`, width));
  const errorRows = share(4, 2);
  const errorLines = errors.slice(0, errorRows).flatMap((error) => wrapAtMost(`[${error.type}] ${error.error} → ${error.correction}`, 2, width, "  "));
  lines.push(...errorLines.slice(0, errorRows));
  if (errors.length > errorRows || errorLines.length > errorRows) lines.push(`  … ${errors.length} errors in all`);
  lines.push("Tutor:", ...wrapAtMost(analysis.tutor_response, share(3, 1), width, "  "));
  if (state.note) lines.push(...wrapAtMost(`Note: ${state.note}`, 2, width));

  const footer = [fitLine(state.message ?? "", width), "─".repeat(width), helpLine(width)];
  const bodyRows = height - 2 - footer.length;
  const body = lines.slice(0, bodyRows).map((line) => fitLine(line, width));
  while (body.length < bodyRows) body.push("");
  return [header, "─".repeat(width), ...body, ...footer];
}

/** The `?` screen: every key and what it does. */
export function renderHelpScreen(width: number, height: number): string[] {
  const w = Math.max(MIN_WIDTH, width);
  const lines = ["lexi review · keys", "─".repeat(w), ...HELP_TEXT.flatMap((line) => wrap(line, w, "")), "", "Press any key to go back."];
  const rows = Math.max(MIN_HEIGHT, height);
  const screen = lines.slice(0, rows).map((line) => fitLine(line, w));
  while (screen.length < rows) screen.push("");
  return screen;
}
