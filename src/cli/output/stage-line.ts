/**
 * The text of a progress line for long work: the stage, how far it is, and the time left at the
 * stage's own pace so far (once it has run a second, so the first batch does not mislead).
 *
 * @example
 * const line = stageLine();
 * line("writing", 12_000, 200_000, "records") // "writing 12,000/200,000 records · 2m 36s left"
 */
const count = (n: number) => n.toLocaleString("en");

/** 42s, 3m 05s, 1h 02m. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

export function stageLine(now: () => number = Date.now): (stage: string, done: number, total: number | undefined, unit: string) => string {
  let current: { stage: string; started: number; from: number } | undefined;
  return (stage, done, total, unit) => {
    if (current?.stage !== stage) current = { stage, started: now(), from: done };
    const elapsed = now() - current.started;
    const rate = (done - current.from) / elapsed;
    const left = total !== undefined && elapsed >= 1000 && rate > 0 ? ` · ${formatDuration((total - done) / rate)} left` : "";
    return `${stage} ${count(done)}${total !== undefined ? `/${count(total)}` : ""} ${unit}${left}`;
  };
}
