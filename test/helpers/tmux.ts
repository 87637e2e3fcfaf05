/**
 * Drives a real terminal program through tmux: keystrokes in, screen text out.
 */
import { execFileSync } from "node:child_process";

export class TmuxSession {
  private constructor(readonly name: string) {}

  /**
   * Runs `command` in a new terminal; once it ends, the screen shows `exit=<code>` and stays open,
   * because tmux may redraw a dead pane without the lines printed last. The command runs without
   * `CI` in its environment, as a person's shell would: with it set, ora draws no live progress line.
   */
  static start(name: string, command: string, cwd: string, size = { width: 80, height: 24 }): TmuxSession {
    const kept = `unset CI; ${command}; echo "exit=$?"; sleep 600`;
    execFileSync("tmux", ["new-session", "-d", "-s", name, "-x", String(size.width), "-y", String(size.height), "-c", cwd, kept]);
    return new TmuxSession(name);
  }

  resize(width: number, height: number): void {
    execFileSync("tmux", ["resize-window", "-t", this.name, "-x", String(width), "-y", String(height)]);
  }

  keys(...keys: string[]): void {
    execFileSync("tmux", ["send-keys", "-t", this.name, ...keys]);
  }

  screen(): string {
    return execFileSync("tmux", ["capture-pane", "-p", "-t", this.name], { encoding: "utf8" });
  }

  /** The screen with the lines scrolled off above it (a clear screen moves them there). */
  history(): string {
    return execFileSync("tmux", ["capture-pane", "-p", "-S", "-", "-t", this.name], { encoding: "utf8" });
  }

  /** Waits until the screen shows `text` (or matches it), and returns the screen. */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof text === "string" ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never showed ${text}:\n${screen.replace(/\n+$/, "").split("\n").map((l) => `|${l}`).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    try {
      execFileSync("tmux", ["kill-session", "-t", this.name], { stdio: "ignore" });
    } catch {
      // Already gone.
    }
  }
}
