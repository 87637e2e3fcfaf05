/**
 * Interrupt points for long writes. Signal handlers run only when the event loop gets a turn, and
 * a run of synchronous SQLite steps chained by promises never gives it one; so every unit of work
 * first lets pending events (Ctrl-C) in at least every 50 ms, then stops if the run was aborted.
 * Work blocked on its input (a pipe that sends nothing) is stopped by aborting the input stream.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { InterruptedError } from "../../errors.js";

const YIELD_EVERY_MS = 50;

export class Interruptible {
  private lastTurn = Date.now();

  constructor(
    private readonly signal: AbortSignal | undefined,
    /** The message when stopped: says what was kept. */
    private readonly stoppedMessage: () => string,
  ) {}

  async checkpoint(): Promise<void> {
    if (Date.now() - this.lastTurn >= YIELD_EVERY_MS) {
      await nextTurn();
      this.lastTurn = Date.now();
    }
    if (this.signal?.aborted) throw new InterruptedError(this.stoppedMessage());
  }

  /** Runs `work`; once aborted, whatever it fails with (an aborted read) becomes the interrupt. */
  async during<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      if (this.signal?.aborted && !(error instanceof InterruptedError)) throw new InterruptedError(this.stoppedMessage(), { cause: error });
      throw error;
    }
  }
}
