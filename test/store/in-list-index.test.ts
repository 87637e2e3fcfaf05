/**
 * A `$in` on an indexed field seeks the index, as an equality does: an import looks up a thousand
 * examples by interaction at a time, and a scan of the whole queue per batch made imports slow
 * down with the size of the store.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { COLLECTIONS } from "../../src/store/collections.js";
import { openStore } from "../../src/store/open-store.js";

/** Each SELECT the engine prepares while `work` runs, with the connection it was prepared on. */
async function preparedSelects(work: () => Promise<unknown>): Promise<Array<{ sql: string; db: Database.Database }>> {
  const prepared: Array<{ sql: string; db: Database.Database }> = [];
  const original = Database.prototype.prepare;
  const spy = vi.spyOn(Database.prototype, "prepare").mockImplementation(function (this: Database.Database, sql: string) {
    if (sql.startsWith("SELECT")) prepared.push({ sql, db: this });
    return original.call(this, sql);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return prepared;
}

function planOf({ sql, db }: { sql: string; db: Database.Database }): string {
  const params = new Array((sql.match(/\?/g) ?? []).length).fill("x");
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((step) => step.detail).join("; ");
}

describe("a $in on an indexed field", () => {
  afterEach(() => vi.restoreAllMocks());

  it("searches the field's index for each value instead of scanning the table", async () => {
    const store = await openStore(":memory:");
    try {
      const queue = store.collection(COLLECTIONS.queue);
      await queue.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `q${i}`, source_interaction_id: `i${i}`, status: "pending" })));
      let found: unknown[] = [];
      const selects = await preparedSelects(async () => {
        found = await queue.find({ source_interaction_id: { $in: ["i3", "i7", "i40", "absent"] } }).toArray();
      });
      expect(found.map((doc) => (doc as { _id: string })._id)).toEqual(["q3", "q7", "q40"]);
      const lookup = selects.find(({ sql }) => sql.includes("source_interaction_id"));
      expect(lookup, "the engine prepared no SELECT on the field").toBeDefined();
      const plan = planOf(lookup!);
      expect(plan).toContain("USING INDEX ix_training_queue_source_interaction_id_1");
      expect(plan).not.toMatch(/SCAN docs_training_queue/);
    } finally {
      await store.close();
    }
  });
});
