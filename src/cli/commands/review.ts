/**
 * `lexi review`: the interactive loop. One key per decision; decisions are saved as they are made.
 */
import { execFileSync } from "node:child_process";
import { emitKeypressEvents } from "node:readline";
import { createInterface } from "node:readline/promises";
import { InvalidInputError } from "../../errors.js";
import type { QueueFilterInput } from "../../schema/queue.js";
import { ReviewSession, type ReviewCounts } from "../../services/review.js";
import type { Store } from "../../store/store.js";
import { renderReviewScreen } from "../output/review-screen.js";

export interface ReviewCommandOptions {
  by?: string;
  filter: QueueFilterInput;
  requireApprovals?: number;
}

export interface ReviewSummary extends ReviewCounts {
  reviewer: string;
}

/** `--by`, else the git user name, else `$USER`. */
export function defaultReviewer(): string {
  try {
    const name = execFileSync("git", ["config", "user.name"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (name) return name;
  } catch {
    // Not a git checkout or no git: fall back to the login name.
  }
  return process.env.USER ?? "";
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
  const draw = (note?: string, message?: string) => {
    if (!session.item) return;
    output.write(`\x1b[2J\x1b[H${renderReviewScreen({ item: session.item, counts: session.counts, reviewer: session.reviewer, note, message }).join("\n")}`);
  };
  emitKeypressEvents(input);
  input.setRawMode(true);
  input.resume();
  let note: string | undefined;
  let message: string | undefined;
  try {
    await session.next();
    while (session.item) {
      draw(note, message);
      message = undefined;
      const key = await readKey(input);
      const name = key.ctrl && key.name === "c" ? "q" : key.name;
      if (name === "q") break;
      if (name === "a" || name === "r") {
        try {
          const result = await session.decide(name === "a", note);
          message = `${result.decision} ${result.example_id} → ${result.status}${result.status === "pending" ? ` (${result.approvals}/${result.required_approvals} approvals)` : ""}`;
          note = undefined;
          await session.next();
        } catch (error) {
          message = error instanceof Error ? error.message : String(error);
        }
      } else if (name === "s") {
        await session.skip();
        note = undefined;
        await session.next();
      } else if (name === "n") {
        note = await askNote(input, output);
      } else if (name === "u") {
        if (session.canUndo) {
          note = undefined;
          await session.undo();
          message = "undone: the last decision was taken back";
        } else {
          message = "nothing to undo";
        }
      } else {
        message = "unknown key — see the help line below";
      }
    }
  } finally {
    await session.release();
    input.setRawMode(false);
    input.pause();
    output.write("\x1b[2J\x1b[H");
  }
  return { reviewer: session.reviewer, ...session.counts };
}

async function askNote(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string | undefined> {
  input.setRawMode(false);
  const prompt = createInterface({ input, output, terminal: true });
  try {
    output.write("\x1b[24;1H\x1b[2K");
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
