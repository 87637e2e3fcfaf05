/**
 * A fresh in-memory store for each test of the calling file, closed after it. The store returned
 * stands for the current test's own, so a test file names it once, as a constant, and calls it as
 * it would the store itself.
 */
import { afterEach, beforeEach } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

export function memoryStorePerTest(): Store {
  let current: Store | undefined;
  beforeEach(async () => {
    current = await openStore(":memory:");
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as Store, {
    get(_, property) {
      if (!current) throw new Error("the store exists only while a test runs");
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
