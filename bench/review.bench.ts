/**
 * `lexi review` responsiveness: time from a decision key to the next item's screen (save the
 * decision, claim the next item, render it) with 100,000 pending items in the embedded store,
 * against the same loop over 1,000 pending items (goal: under 50 ms median at 100k).
 */
import { join } from "node:path";
import { renderReviewScreen } from "../src/cli/output/review-screen.js";
import { generateDemoData } from "../src/domain/demo-data.js";
import { InteractionInput } from "../src/schema/interaction.js";
import { buildInteractionDoc } from "../src/services/interactions.js";
import { buildQueueItem } from "../src/services/queue-items.js";
import { ReviewSession } from "../src/services/review.js";
import { COLLECTIONS } from "../src/store/collections.js";
import { openStore } from "../src/store/open-store.js";
import { type BenchLine, median, scratchDir } from "./harness.js";

async function keypressLatency(dir: string, pending: number): Promise<number> {
  const store = await openStore(join(dir, `review-${pending}.db`));
  const now = new Date();
  const { interactions } = generateDemoData({ users: 100, interactions: 2000, days: 30, seed: 9, now });
  const queue = store.collection(COLLECTIONS.queue);
  for (let i = 0; i < pending; i += 5000) {
    const batch = [];
    for (let j = i; j < Math.min(pending, i + 5000); j++) {
      const interaction = buildInteractionDoc(InteractionInput.parse(interactions[j % interactions.length]), now);
      batch.push(buildQueueItem(interaction, { tasks: ["grammar"], quality: 0.7 + ((j * 7919) % 300) / 1000, origin: "auto", now: new Date(now.getTime() + j) }));
    }
    await queue.insertMany(batch);
  }
  const session = await ReviewSession.start(store, { reviewer: "bench" });
  await session.next();
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    await session.decide(i % 3 !== 0);
    const item = await session.next();
    renderReviewScreen({ item: item!, counts: session.counts, reviewer: session.reviewer, width: 80, height: 24 });
    samples.push(performance.now() - start);
  }
  await session.release();
  await store.close();
  return median(samples);
}

export async function reviewBench(): Promise<BenchLine[]> {
  const { dir, cleanup } = scratchDir();
  try {
    const small = await keypressLatency(dir, 1_000);
    const large = await keypressLatency(dir, 100_000);
    return [{ name: "review keypress → next item (100k pending)", value: `${large.toFixed(1)} ms`, baseline: `${small.toFixed(1)} ms at 1k pending`, ratio: large / small, goal: "< 50 ms median", pass: large < 50 }];
  } finally {
    cleanup();
  }
}
