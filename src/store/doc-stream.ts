import type { DocStream } from "./store.js";

/** Wraps an async iterable factory as a `DocStream` (each iteration starts a fresh run). */
export function docStream<T>(source: () => AsyncIterable<T>): DocStream<T> {
  return {
    [Symbol.asyncIterator]: () => source()[Symbol.asyncIterator](),
    async toArray() {
      const items: T[] = [];
      for await (const item of source()) items.push(item);
      return items;
    },
  };
}
