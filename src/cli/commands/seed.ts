/**
 * `lexi seed`: deterministic demo data, written through the services, all or nothing: an
 * interrupt or a failure leaves the store as it was.
 */
import { atomically } from "../../services/import/atomic-run.js";
import { Interruptible } from "../../services/import/interruptible.js";
import { seedDemoData, type SeedInput, type SeedResult } from "../../services/seed.js";
import type { Store } from "../../store/store.js";
import { withInterrupt } from "../interrupt.js";
import { withProgress } from "../output/progress.js";
import { renderTable } from "../output/table.js";

export async function seedCommand(store: Store, options: SeedInput & { json?: boolean }): Promise<SeedResult> {
  const { json: _json, ...input } = options;
  return withInterrupt((signal) =>
    withProgress("seeding demo data…", options, (update) =>
      atomically(store, (run) => seedDemoData(run, input, (done, total) => update(`seeding demo data… ${done}/${total} interactions`)), {
        interrupt: new Interruptible(signal, () => "seed interrupted: nothing was written (seeding is all or nothing)"),
      }),
    ),
  );
}

export function renderSeed(result: SeedResult): string {
  if (result.already_seeded) return "This seed's demo data is already in the store; nothing was written twice.";
  return `Seeded demo data:\n${renderTable(
    ["interactions", "auto-queued", "feedback", "flagged", "progress snapshots", "model metrics"],
    [[result.interactions, result.queued, result.feedback, result.flagged, result.progress_snapshots, result.model_metrics]],
  )}`;
}
