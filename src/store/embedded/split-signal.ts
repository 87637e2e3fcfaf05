/**
 * What the two threads of a split group share, read and written without an event loop: the
 * worker's state, and how many of the table's chunks have been taken. This thread takes chunks from
 * the front and the worker from the back, each counting its own, so a chunk is folded once however
 * their takes interleave. The last chunk is the worker's from the start: a worker that starts late
 * still has a part to fold, so a group over a large table is folded by two threads whenever the
 * worker starts in time.
 */
export type SplitSignal = Int32Array;
export const WAITING = 0;
export const STARTED = 1;
export const DONE = 2;

const STATE = 0;
const TAKEN = 1;

export function newSplitSignal(): SplitSignal {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  signal[TAKEN] = 1;
  return signal;
}

export function stateOf(signal: SplitSignal): number {
  return Atomics.load(signal, STATE);
}

export function setState(signal: SplitSignal, state: number): void {
  Atomics.store(signal, STATE, state);
  Atomics.notify(signal, STATE);
}

/** Waits while the state is `state`, for at most `ms`. */
export function waitWhile(signal: SplitSignal, state: number, ms: number): void {
  Atomics.wait(signal, STATE, state, ms);
}

/**
 * The next chunk of `count` for one side, each time it is called: from the front 0, 1, …; from the
 * back `count - 1` (without taking: it is the worker's), then `count - 2`, …; undefined once every
 * chunk is taken.
 */
export function chunkTaker(signal: SplitSignal, count: number, side: "front" | "back"): () => number | undefined {
  let taken = 0;
  return () => {
    if (side === "back" && taken === 0) return count - 1 - taken++;
    if (Atomics.add(signal, TAKEN, 1) >= count) return undefined;
    return side === "front" ? taken++ : count - 1 - taken++;
  };
}

/** Lets neither side take another chunk. */
export function takeNoMore(signal: SplitSignal, count: number): void {
  Atomics.store(signal, TAKEN, count);
}
