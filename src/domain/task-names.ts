/**
 * Task names are free words (a team may add its own), but a typo such as `grammer` would
 * silently match nothing: names lexi does not know get a warning that lists the ones it does.
 *
 * @example
 * unknownTaskWarning(["grammer"]); // "grammer is not a task lexi knows (grammar, fluency, …); did you mean grammar?"
 */
import { DEFAULT_TEMPLATES } from "./export-formats.js";
import { nearName } from "./near-name.js";

/** The tasks auto-queue assigns and exports have default prompts for. */
export const KNOWN_TASKS = [...DEFAULT_TEMPLATES.keys()];

export function unknownTaskWarning(tasks: readonly string[]): string | undefined {
  const unknown = tasks.filter((task) => !KNOWN_TASKS.includes(task));
  if (unknown.length === 0) return undefined;
  const hints = unknown.map((task) => {
    const near = nearName(task, KNOWN_TASKS);
    return near ? `${task} (did you mean ${near}?)` : task;
  });
  return `${hints.join(", ")} ${unknown.length === 1 ? "is not a task" : "are not tasks"} lexi knows (${KNOWN_TASKS.join(", ")}); a task of your own is fine, but nothing lexi queued has it`;
}
