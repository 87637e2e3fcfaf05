/**
 * `lexi seed`: deterministic demo data, written through the services.
 */
import { seedDemoData, type SeedInput, type SeedResult } from "../../services/seed.js";
import type { Store } from "../../store/store.js";
import { withProgress } from "../output/progress.js";
import { renderTable } from "../output/table.js";

export async function seedCommand(store: Store, options: SeedInput & { json?: boolean }): Promise<SeedResult> {
  const { json: _json, ...input } = options;
  return withProgress("seeding demo data…", options, (update) => seedDemoData(store, input, (done, total) => update(`seeding demo data… ${done}/${total} interactions`)));
}

export function renderSeed(result: SeedResult): string {
  if (result.already_seeded) return "This seed's demo data is already in the store; nothing was written twice.";
  return `Seeded demo data:\n${renderTable(
    ["interactions", "auto-queued", "feedback", "flagged", "progress snapshots", "model metrics"],
    [[result.interactions, result.queued, result.feedback, result.flagged, result.progress_snapshots, result.model_metrics]],
  )}`;
}
