/**
 * Clean examples for the grammar task, so a model also learns that a sentence can be right: the
 * interactions the tutor found no error in that are fluent (fluency at least auto-queue's 0.7),
 * well-rated (the learner's latest rating 4 or 5, quality score at least the export's minimum),
 * not flagged and not rejected by a reviewer, within the export's learner, level and date filters.
 * Each becomes a grammar record whose target lists no errors and gives the sentence as correct.
 * All of them are staged with a seeded rank; the export then keeps as many as its share asks for
 * (see ExportStaging.keepClean), so the same seed picks the same ones.
 */
import { DEFAULT_AUTO_QUEUE } from "../../domain/auto-queue.js";
import { FormatRuleError, formatUnit } from "../../domain/export-formats.js";
import { splitHash } from "../../domain/split.js";
import { idText } from "../../schema/common.js";
import type { ValidExport } from "../../schema/export.js";
import type { InteractionDoc } from "../../schema/interaction.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Filter, Store } from "../../store/store.js";
import type { ExportStaging } from "./staging.js";

const MIN_RATING = 4;
/** Clean units' dedup keys live apart from the others', so a text also exported with errors can be found and left out. */
export const CLEAN_KEY_PREFIX = "clean:";

function poolFilter(input: ValidExport): Filter {
  const filter: Filter = {
    "quality_indicators.error_count": 0,
    "analysis.fluency_score": { $gte: DEFAULT_AUTO_QUEUE.minFluency },
    "user_feedback.rating": { $gte: MIN_RATING },
    quality_score: { $gte: input.min_quality_score },
    training_eligible: true,
  };
  if (input.user_id) filter.user_id = input.user_id;
  if (input.level) filter["analysis.vocabulary_level"] = input.level;
  if (input.since || input.until) filter.timestamp = { ...(input.since ? { $gte: input.since } : {}), ...(input.until ? { $lte: input.until } : {}) };
  return filter;
}

/** Stages every clean candidate; returns how many were offered. */
export async function stageCleanExamples(store: Store, input: ValidExport, staging: ExportStaging, signal?: AbortSignal): Promise<number> {
  const rejected = new Set<string>();
  for await (const item of store.collection<QueueItemDoc>(COLLECTIONS.queue).find({ status: "rejected" }, { projection: { source_interaction_id: 1 } })) {
    rejected.add(idText(item.source_interaction_id));
  }
  let offered = 0;
  for await (const interaction of store.collection<InteractionDoc>(COLLECTIONS.interactions).find(poolFilter(input), { sort: { _id: 1 } })) {
    signal?.throwIfAborted();
    const id = idText(interaction._id);
    if (rejected.has(id)) continue;
    const text = interaction.user_input.text;
    const quality = interaction.quality_score ?? 0;
    let line: string;
    try {
      line = formatUnit(
        { exampleId: id, task: "grammar", input: text, analysis: { ...interaction.analysis, grammar_errors: [] }, taskTypes: ["grammar"], difficulty: interaction.analysis.vocabulary_level, quality },
        input.format,
        input.templates,
      ).line;
    } catch (error) {
      if (error instanceof FormatRuleError) continue;
      throw error;
    }
    await staging.add({
      key: input.dedup ? { prefix: CLEAN_KEY_PREFIX, text } : `${CLEAN_KEY_PREFIX}${id}`,
      ord: splitHash(id, input.seed),
      exampleId: id,
      task: "grammar",
      group: input.split_by === "user" ? `user:${interaction.user_id}` : `example:${id}`,
      userId: String(interaction.user_id),
      quality,
      line,
      used: false,
      note: "clean",
    });
    offered++;
  }
  return offered;
}
