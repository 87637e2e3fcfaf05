/**
 * Ctrl-C and SIGTERM during a long write: the first one asks the work to stop (it rolls back or
 * keeps what it committed, and says which); a second one exits at once, which the store survives
 * too (an open SQLite transaction is never committed).
 */
import { EXIT_CODES } from "./exit-codes.js";

export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = () => {
    if (abort.signal.aborted) {
      process.stderr.write("lexi: stopped at once\n");
      process.exit(EXIT_CODES.interrupted);
    }
    abort.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await work(abort.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
