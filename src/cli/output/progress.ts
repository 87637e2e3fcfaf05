/**
 * A progress line on stderr for people at a terminal; silent with --json or when piped.
 */
import type { Ora } from "ora";

export interface Progress {
  update(text: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

export async function startProgress(text: string, options: { json?: boolean }): Promise<Progress> {
  if (options.json || !process.stderr.isTTY) return SILENT;
  const { default: ora } = await import("ora");
  const spinner: Ora = ora({ text, stream: process.stderr }).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    stop: () => spinner.stop(),
  };
}
