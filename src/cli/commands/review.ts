/**
 * `lexi review`: the interactive loop. One key per decision; decisions are saved as they are made.
 */
import { emitKeypressEvents } from "node:readline";
import { createInterface } from "node:readline/promises";
import { InterruptedError, InvalidInputError } from "../../errors.js";
import { numberOption } from "../input.js";
import { ReviewFilterInput, ReviewStartInput, type QueueFilterInput } from "../../schema/queue.js";
import { fieldOf } from "../../schema/fields.js";
import { ReviewSession, type ReviewCounts } from "../../services/review.js";
import type { Store } from "../../store/store.js";
import { learnerVerdicts, pendingTwins, type LearnerVerdict } from "../../services/review-context.js";
import { currentOutput } from "../../domain/corrections.js";
import { idText } from "../../schema/common.js";
import { targetOf } from "../../schema/correction.js";
import { chosenEditor, editInEditor, editInForm } from "../edit/edit-target.js";
import { renderHelpScreen, renderReviewScreen } from "../output/review-screen.js";
import { BY_HELP, defaultReviewer } from "../reviewer.js";
import { defineCommand } from "../spec.js";
import { QUEUE_FILTER_FLAGS } from "./queue-filter-flags.js";

export interface ReviewCommandOptions {
  by?: string;
  filter: QueueFilterInput;
  requireApprovals?: number;
}

export interface ReviewSummary extends ReviewCounts {
  reviewer: string;
}

interface Key {
  name?: string;
  ctrl?: boolean;
  sequence?: string;
}

function readKey(input: NodeJS.ReadStream): Promise<Key> {
  return new Promise((resolve) => input.once("keypress", (_text: string, key: Key) => resolve(key ?? {})));
}

export async function reviewCommand(store: Store, options: ReviewCommandOptions): Promise<ReviewSummary> {
  const input = process.stdin;
  const output = process.stdout;
  if (!input.isTTY || !output.isTTY) {
    throw new InvalidInputError("lexi review needs an interactive terminal; in scripts use: lexi queue validate <id> --approve|--reject --by <name>");
  }
  const session = await ReviewSession.start(store, { reviewer: options.by ?? defaultReviewer(), filter: options.filter, require_approvals: options.requireApprovals });
  const view: { note?: string; message?: string; verdicts: LearnerVerdict[]; twins: number; help: boolean } = { verdicts: [], twins: 0, help: false };
  const size = () => ({ width: output.columns || 80, height: output.rows || 24 });
  const draw = () => {
    if (!session.item) return;
    const { width, height } = size();
    const lines = view.help
      ? renderHelpScreen(width, height)
      : renderReviewScreen({ item: session.item, counts: session.counts, reviewer: session.reviewer, width, height, note: view.note, message: view.message, verdicts: view.verdicts, twins: view.twins });
    output.write(`\x1b[2J\x1b[H${lines.join("\n")}`);
  };
  const loadContext = async () => {
    if (!session.item) return;
    view.verdicts = await learnerVerdicts(store, session.item);
    view.twins = (await pendingTwins(store, session.item, session.reviewer)).length;
  };
  const advance = async () => {
    await session.next();
    await loadContext();
  };
  emitKeypressEvents(input);
  input.setRawMode(true);
  input.resume();
  output.on("resize", draw);
  let interrupted = false;
  try {
    await advance();
    while (session.item) {
      draw();
      view.message = undefined;
      const key = await readKey(input);
      if (view.help) {
        view.help = false;
        continue;
      }
      if (key.ctrl && key.name === "c") {
        interrupted = true;
        break;
      }
      const name = key.sequence === "?" ? "?" : key.name;
      if (name === "q") break;
      if (name === "a" || name === "r") {
        try {
          const result = await session.decide(name === "a", view.note);
          view.message = `${result.decision} ${result.example_id} → ${result.status}${result.status === "pending" ? ` (${result.approvals}/${result.required_approvals} approvals)` : ""}`;
          view.note = undefined;
          await advance();
        } catch (error) {
          view.message = error instanceof Error ? error.message : String(error);
        }
      } else if (name === "e") {
        view.message = await correctCurrent(session, view, input, output, size().height);
        if (!session.item) await advance();
      } else if (name === "g") {
        view.message = await decideGroup(session, view, input, draw);
        if (!session.item) await advance();
      } else if (name === "s") {
        await session.skip();
        view.note = undefined;
        await advance();
      } else if (name === "n") {
        view.note = await askNote(input, output, size().height);
      } else if (name === "u") {
        if (session.canUndo) {
          view.note = undefined;
          await session.undo();
          await loadContext();
          view.message = "undone: the last decision was taken back";
        } else {
          view.message = "nothing to undo";
        }
      } else if (name === "?") {
        view.help = true;
      } else {
        view.message = "unknown key: press ? for help";
      }
    }
  } finally {
    output.off("resize", draw);
    await session.release();
    input.setRawMode(false);
    input.pause();
    output.write("\x1b[2J\x1b[H");
  }
  const summary = { reviewer: session.reviewer, ...session.counts };
  if (interrupted) throw new InterruptedError(`review interrupted; every decision is saved.\n${renderReviewSummary(summary)}`);
  return summary;
}

/**
 * `e`: the reviewer edits the current target (editor or form); a valid change is saved at once as
 * their approval of the corrected target. Returns the line to show.
 */
async function correctCurrent(session: ReviewSession, view: { note?: string }, input: NodeJS.ReadStream, output: NodeJS.WriteStream, height: number): Promise<string> {
  const item = session.item!;
  const start = targetOf(currentOutput(item));
  input.setRawMode(false);
  output.write("\x1b[2J\x1b[H");
  const editor = chosenEditor();
  const prompt = createInterface({ input, output, terminal: true });
  try {
    const target = editor
      ? editInEditor(editor, start, { exampleId: idText(item._id), learnerText: item.user_input })
      : await editInForm(prompt, (text) => output.write(text), start);
    if (!target) return "correction cancelled: nothing was saved";
    let note = view.note;
    if (!note) note = (await prompt.question(`Note (why${item.status === "flagged" ? "; required, the example is flagged" : ", optional"}): `)).trim() || undefined;
    const result = await session.decide(true, note, target);
    view.note = undefined;
    return `corrected and approved ${result.example_id} → ${result.status}`;
  } catch (error) {
    return `not saved: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    prompt.close();
    output.write(`\x1b[${height};1H`);
    input.setRawMode(true);
    input.resume();
  }
}

/** `g`: asks which decision to apply to the item and its twins, then records it on all of them. */
async function decideGroup(session: ReviewSession, view: { note?: string; message?: string; twins: number }, input: NodeJS.ReadStream, draw: () => void): Promise<string> {
  if (view.twins === 0) return "no other pending example has this learner text";
  view.message = `Decide for all ${view.twins + 1} examples with this text: [a]pprove all, [r]eject all, any other key cancels`;
  draw();
  const key = await readKey(input);
  if (key.name !== "a" && key.name !== "r") return "group decision cancelled";
  try {
    const { decided } = await session.decideWithTwins(key.name === "a", view.note);
    view.note = undefined;
    return `${key.name === "a" ? "approved" : "rejected"} ${decided} examples with the same learner text`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function askNote(input: NodeJS.ReadStream, output: NodeJS.WriteStream, height: number): Promise<string | undefined> {
  input.setRawMode(false);
  const prompt = createInterface({ input, output, terminal: true });
  try {
    output.write(`\x1b[${height};1H\x1b[2K`);
    const answer = (await prompt.question("Note for the next decision (empty clears it): ")).trim();
    return answer || undefined;
  } finally {
    prompt.close();
    input.setRawMode(true);
    input.resume();
  }
}

export function renderReviewSummary(summary: ReviewSummary): string {
  return `${summary.reviewer}: ${summary.done} decided (${summary.approved} approved, ${summary.rejected} rejected), ${summary.skipped} skipped, ${summary.remaining} left.`;
}

export const review = defineCommand({
  // The flags fill the filter; a review's own filter reads pending examples unless told otherwise.
  input: ReviewFilterInput,
  flags: [
    ...QUEUE_FILTER_FLAGS,
    { flags: "--status <status>", description: "review pending or flagged examples", field: "status" },
    { flags: "--by <name>", description: "reviewer name", defaultHelp: BY_HELP },
    { flags: "--require-approvals <n>", description: "approvals from different reviewers needed", parse: numberOption("--require-approvals"), defaultHelp: String(fieldOf(ReviewStartInput, "require_approvals").default) },
  ],
  run: ({ store, input, options }) => reviewCommand(store, { by: options.by as string | undefined, filter: input, requireApprovals: options.requireApprovals as number | undefined }),
  render: renderReviewSummary,
});
