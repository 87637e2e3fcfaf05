/** The states a split group's worker reports through a shared integer, read without an event loop. */
export type SplitSignal = Int32Array;
export const WAITING = 0;
export const STARTED = 1;
export const DONE = 2;

export function newSplitSignal(): SplitSignal {
  return new Int32Array(new SharedArrayBuffer(4));
}
