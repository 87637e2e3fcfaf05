/**
 * `lexi seed`: writes deterministic demo data through the same services as real data, so every
 * rule (auto-queue, scoring, flagging, trends) applies.
 */
import { generateDemoData } from "../domain/demo-data.js";
import { InteractionInput } from "../schema/interaction.js";
import type { Store } from "../store/store.js";
import { submitFeedback } from "./feedback.js";
import { writeInteractionBatch } from "./interactions.js";
import { logMetrics } from "./metrics.js";
import { saveSnapshot } from "./progress.js";
import { parseInput } from "./validate.js";
import { ObjectId } from "bson";
import * as z from "zod";

export const SeedInput = z.object({
  users: z.coerce.number().int().min(1).max(100_000).default(24),
  interactions: z.coerce.number().int().min(1).max(10_000_000).default(600),
  days: z.coerce.number().int().min(1).max(3650).default(30),
  seed: z.coerce.number().int().min(0).default(42),
});
export type SeedInput = z.input<typeof SeedInput>;

export interface SeedResult {
  /** true when this seed's data was already there: nothing else is written twice. */
  already_seeded: boolean;
  interactions: number;
  queued: number;
  feedback: number;
  flagged: number;
  progress_snapshots: number;
  model_metrics: number;
}

/** Where a seed is: generating the data in memory, then writing its records (of every kind). */
export type SeedStage = "generating" | "writing";
export type SeedProgress = (stage: SeedStage, done: number, total: number) => void;

export async function seedDemoData(store: Store, raw: SeedInput = {}, onProgress?: SeedProgress, now = new Date()): Promise<SeedResult> {
  const options = parseInput(SeedInput, raw, "seed options");
  onProgress?.("generating", 0, options.interactions);
  const data = generateDemoData({ ...options, now });
  const total = data.interactions.length + data.feedback.length + data.progress.length + data.metrics.length;
  let written = 0;
  const wrote = (n: number) => {
    written += n;
    onProgress?.("writing", written, total);
  };
  wrote(0);
  const random = deterministicIds(options.seed);
  const result: SeedResult = { already_seeded: false, interactions: 0, queued: 0, feedback: 0, flagged: 0, progress_snapshots: 0, model_metrics: 0 };
  const ids: string[] = [];
  const BATCH = 1000;
  for (let i = 0; i < data.interactions.length; i += BATCH) {
    const batch = data.interactions.slice(i, i + BATCH).map((input) => {
      const id = random();
      ids.push(id.toHexString());
      return parseInput(InteractionInput, { ...input, _id: id }, "interaction");
    });
    const batchResult = await writeInteractionBatch(store, batch, { now });
    result.interactions += batchResult.inserted;
    result.queued += batchResult.queued;
    wrote(batch.length);
  }
  if (result.interactions === 0) return { ...result, already_seeded: true };
  for (const { index, feedback } of data.feedback) {
    const outcome = await submitFeedback(store, { ...feedback, interaction_id: ids[index]! }, now);
    result.feedback++;
    if (outcome.flagged) result.flagged++;
    wrote(1);
  }
  for (const snapshot of data.progress) {
    await saveSnapshot(store, snapshot, now);
    result.progress_snapshots++;
    wrote(1);
  }
  for (const metrics of data.metrics) {
    await logMetrics(store, metrics, { now });
    result.model_metrics++;
    wrote(1);
  }
  return result;
}

/** ObjectIds from the seed, so that seeding twice with one seed writes the same ids (no duplicates). */
function deterministicIds(seed: number): () => ObjectId {
  let counter = 0;
  return () => {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(0x1e0c0000 + (seed % 0xffff), 0);
    bytes.writeUInt32BE(seed >>> 0, 4);
    bytes.writeUInt32BE(counter++, 8);
    return new ObjectId(bytes);
  };
}
