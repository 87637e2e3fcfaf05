/**
 * A progress line on stderr for people at a terminal; silent with --json, when piped, or on a
 * terminal that reports no width (a pseudo-terminal nobody sized), where ora's count of the lines
 * to clear never ends.
 */
import type { Ora } from "ora";

export interface Progress {
  update(text: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

export async function startProgress(text: string, options: { json?: boolean }): Promise<Progress> {
  if (options.json || !process.stderr.isTTY || !process.stderr.columns) return SILENT;
  const { default: ora } = await import("ora");
  // ora would otherwise put stdin in raw mode to hide typing, which turns Ctrl-C into a plain
  // keystroke: the interrupt would never reach lexi's SIGINT handler.
  const spinner: Ora = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    stop: () => spinner.stop(),
  };
}

/** Runs `work` with a progress line that it can update; the line is removed when it ends. */
export async function withProgress<T>(text: string, options: { json?: boolean }, work: (update: (text: string) => void) => Promise<T>): Promise<T> {
  const progress = await startProgress(text, options);
  try {
    return await work((next) => progress.update(next));
  } finally {
    progress.stop();
  }
}
