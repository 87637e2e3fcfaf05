/**
 * The two threads of a split group take chunks from either end of a shared count: whatever the
 * order of their takes, no chunk goes to both, and together they take every chunk (the last one is
 * the worker's from the start); once nobody may take more, neither side gets another.
 */
import { describe, expect, it } from "vitest";
import { chunkTaker, newSplitSignal, takeNoMore } from "../../src/store/embedded/split-signal.js";

/** A seeded sequence of 0/1 choices: which side takes next. */
function choices(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 16) & 1;
  };
}

describe("chunks taken from both ends", () => {
  it("go to one side each and cover the table, in any order of takes", () => {
    for (const count of [1, 2, 3, 13, 64]) {
      for (let seed = 1; seed <= 50; seed++) {
        const signal = newSplitSignal();
        const sides = [chunkTaker(signal, count, "front"), chunkTaker(signal, count, "back")];
        const taken: number[][] = [[], []];
        const done = [false, false];
        const next = choices(seed);
        while (!done[0] || !done[1]) {
          const side = next();
          if (done[side]) continue;
          const chunk = sides[side]!();
          if (chunk === undefined) done[side] = true;
          else taken[side]!.push(chunk);
        }
        const [front, back] = taken as [number[], number[]];
        // The front takes 0, 1, …; the back starts at the last chunk, which the front never gets.
        expect(front).toEqual(front.map((_, i) => i));
        expect(back[0]).toBe(count - 1);
        expect(back).toEqual(back.map((_, i) => count - 1 - i));
        expect([...front, ...back].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
      }
    }
  });

  it("stop for both sides once nobody may take more", () => {
    const signal = newSplitSignal();
    const front = chunkTaker(signal, 10, "front");
    const back = chunkTaker(signal, 10, "back");
    expect([front(), back(), back(), front()]).toEqual([0, 9, 8, 1]);
    takeNoMore(signal, 10);
    expect([front(), back()]).toEqual([undefined, undefined]);
  });
});
