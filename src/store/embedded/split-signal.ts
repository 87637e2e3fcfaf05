/**
 * What the two threads of a split group share, read and written without an event loop: the
 * worker's state, and how many of the table's chunks have been taken. This thread takes chunks from
 * the front and the worker from the back, each counting its own, so a chunk is folded once however
 * their claims interleave; the last chunk is the worker's from the start.
 */
export type SplitSignal = Int32Array;
export const WAITING = 0;
export const STARTED = 1;
export const DONE = 2;

const STATE = 0;
const TAKEN = 1;

export function newSplitSignal(): SplitSignal {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  // The last chunk is the worker's: a worker that starts late still folds a part.
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

/** Takes one more chunk of `chunks`; false when every chunk is taken. */
export function takeChunk(signal: SplitSignal, chunks: number): boolean {
  return Atomics.add(signal, TAKEN, 1) < chunks;
}

/** Lets nobody take another chunk. */
export function takeNoMore(signal: SplitSignal, chunks: number): void {
  Atomics.store(signal, TAKEN, chunks);
}
