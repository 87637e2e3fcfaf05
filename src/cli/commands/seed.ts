/**
 * `lexi seed`: deterministic demo data, written through the services, all or nothing: an
 * interrupt or a failure leaves the store as it was.
 */
import { atomically } from "../../services/import/atomic-run.js";
import { Interruptible } from "../../services/import/interruptible.js";
import { SeedInput, seedDemoData, type SeedResult } from "../../services/seed.js";
import type { Store } from "../../store/store.js";
import { withInterrupt } from "../interrupt.js";
import { withProgress } from "../output/progress.js";
import { stageLine } from "../output/stage-line.js";
import { renderTable } from "../output/table.js";
import { defineCommand } from "../spec.js";

export async function seedCommand(store: Store, input: SeedInput, json: boolean): Promise<SeedResult> {
  return withInterrupt((signal) =>
    withProgress("seeding demo data…", { json }, (update) => {
      const line = stageLine();
      return atomically(
        store,
        async (run) => {
          const result = await seedDemoData(run, input, (stage, done, total) => update(`seeding: ${line(stage, done, total, stage === "generating" ? "interactions" : "records")}`));
          // All is written; the store now makes it durable in one commit (indexes included).
          update("seeding: committing…");
          return result;
        },
        { interrupt: new Interruptible(signal, () => "seed interrupted: nothing was written (seeding is all or nothing)") },
      );
    }),
  );
}

export function renderSeed(result: SeedResult): string {
  if (result.already_seeded) return "This seed's demo data is already in the store; nothing was written twice.";
  return `Seeded demo data:\n${renderTable(
    ["interactions", "auto-queued", "feedback", "flagged", "progress snapshots", "model metrics"],
    [[result.interactions, result.queued, result.feedback, result.flagged, result.progress_snapshots, result.model_metrics]],
  )}`;
}

export const seed = defineCommand({
  input: SeedInput,
  flags: [
    { flags: "--users <n>", description: "learners", field: "users" },
    { flags: "--interactions <n>", description: "tutor turns", field: "interactions" },
    { flags: "--days <n>", description: "spread over this many days", field: "days" },
    { flags: "--seed <n>", description: "random seed (same seed, same data)", field: "seed" },
  ],
  store: "create",
  run: ({ store, input, json }) => seedCommand(store, input, json),
  render: renderSeed,
});
