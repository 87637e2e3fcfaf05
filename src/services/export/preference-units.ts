/**
 * Preference data from an export's examples, in TRL's conversational types:
 * - `dpo` pairs: a reviewer's correction (chosen: the corrected target; rejected: the model's own),
 *   and, where the same learner text has a good answer and a flagged one, that pair;
 * - `kto` rows: one per answer with a clear verdict. Desirable: approved by review, or every learner
 *   rated it 4+ and accurate. Undesirable: rejected by review, flagged by learners, or the model's
 *   own answer a reviewer corrected. Anything else is unclear and left out (and counted).
 * Every line is checked against its type's rules before it is staged.
 */
import { dedupKey } from "../../domain/dedup-key.js";
import { currentOutput } from "../../domain/corrections.js";
import { targetFor, templateFor } from "../../domain/export-formats.js";
import { dpoRecord, dpoRecordProblem, ktoRecord, ktoRecordProblem } from "../../domain/preference-formats.js";
import { idIdentity, idText } from "../../schema/common.js";
import type { ExportTemplates, ValidExport } from "../../schema/export.js";
import type { FeedbackDoc } from "../../schema/feedback.js";
import type { Analysis } from "../../schema/interaction.js";
import type { QueueItemDoc } from "../../schema/queue.js";
import { COLLECTIONS } from "../../store/collections.js";
import type { Filter, Store } from "../../store/store.js";
import type { StagedUnit } from "./staging.js";

/** Where a preference record came from; the manifest counts records per source. */
export type PreferenceSource = "correction" | "feedback" | "approved" | "rated" | "rejected" | "flagged" | "corrected_away";

export interface PreferenceTally {
  /** Answers left out of a kto export because no verdict was clear. */
  unclear: number;
  /** Records that broke their type's rules (e.g. a pair whose two answers are the same). */
  invalid: number;
}

/** The flagged answers per (task, normalized learner text), read before the main scan. */
export type FlaggedAnswers = Map<string, Analysis>;

export async function collectFlaggedAnswers(store: Store, filter: Filter, tasks: string[]): Promise<FlaggedAnswers> {
  const found: FlaggedAnswers = new Map();
  for await (const item of store.collection<QueueItemDoc>(COLLECTIONS.queue).find({ ...filter, status: "flagged" }, { sort: { _id: 1 } })) {
    for (const task of selectedTasks(item, tasks)) {
      const key = dedupKey(task, item.user_input);
      if (!found.has(key)) found.set(key, item.expected_output);
    }
  }
  return found;
}

function selectedTasks(item: QueueItemDoc, tasks: string[]): string[] {
  return tasks.length ? item.task_types.filter((task) => tasks.includes(task)) : item.task_types;
}

interface Context {
  input: ValidExport;
  templates: ExportTemplates;
  tally: PreferenceTally;
}

function unit(item: QueueItemDoc, task: string, source: PreferenceSource, line: string, input: ValidExport): StagedUnit {
  const exampleId = idText(item._id);
  const ord = `${exampleId}\u0000${task}\u0000${source}`;
  return {
    // The source leads the key, so the manifest can count records per source and pairs of two sources never replace each other.
    key: input.dedup ? { prefix: `${source}:`, text: item.user_input } : `${source}:${ord}`,
    ord,
    exampleId,
    task,
    group: input.split_by === "user" ? `user:${item.user_id}` : `example:${exampleId}`,
    userId: String(item.user_id),
    quality: item.quality_score,
    line,
    used: Boolean(item.used_in_training),
  };
}

/** The dpo records one example contributes. */
export function dpoUnits(item: QueueItemDoc, flagged: FlaggedAnswers, context: Context): StagedUnit[] {
  const units: StagedUnit[] = [];
  const good = item.status === "approved" || (item.status === "pending" && !item.revisions?.length);
  for (const task of selectedTasks(item, context.input.task_types)) {
    const template = templateFor(task, context.templates);
    const prompt = { system: template.system, user: item.user_input };
    const pairs: Array<[PreferenceSource, string, string]> = [];
    if (item.status === "approved" && item.corrected_output) pairs.push(["correction", targetFor(currentOutput(item), template, item.user_input), targetFor(item.expected_output, template, item.user_input)]);
    const bad = good ? flagged.get(dedupKey(task, item.user_input)) : undefined;
    if (bad) pairs.push(["feedback", targetFor(currentOutput(item), template, item.user_input), targetFor(bad, template, item.user_input)]);
    for (const [source, chosen, rejected] of pairs) {
      const record = dpoRecord(prompt, chosen, rejected);
      if (dpoRecordProblem(record)) {
        context.tally.invalid++;
        continue;
      }
      units.push(unit(item, task, source, JSON.stringify({ ...record, source }), context.input));
    }
  }
  return units;
}

const REVIEWED = new Set(["approved", "rejected", "flagged"]);

/**
 * Of a batch of examples, the interactions (by idIdentity) whose answer learners rated
 * desirable: every verdict 4 or 5 stars and accurate. Only examples without a review verdict
 * need it; one query serves the whole batch.
 */
export async function learnerRated(store: Store, items: QueueItemDoc[]): Promise<Set<string>> {
  const ids = items.filter((item) => !REVIEWED.has(item.status)).map((item) => item.source_interaction_id);
  const rated = new Set<string>();
  if (ids.length === 0) return rated;
  const verdicts = store.collection<FeedbackDoc>(COLLECTIONS.feedback).find({ interaction_id: { $in: ids } }, { projection: { interaction_id: 1, rating: 1, accurate: 1 } });
  const unclear = new Set<string>();
  for await (const verdict of verdicts) {
    const key = idIdentity(verdict.interaction_id);
    if (verdict.rating >= 4 && verdict.accurate === true) rated.add(key);
    else unclear.add(key);
  }
  for (const key of unclear) rated.delete(key);
  return rated;
}

/** The kto records one example contributes. */
export function ktoUnits(item: QueueItemDoc, rated: Set<string>, context: Context): StagedUnit[] {
  const answers: Array<[PreferenceSource, Analysis, boolean]> = [];
  if (item.status === "approved") {
    answers.push(["approved", currentOutput(item), true]);
    if (item.corrected_output) answers.push(["corrected_away", item.expected_output, false]);
  } else if (item.status === "rejected") answers.push(["rejected", item.expected_output, false]);
  else if (item.status === "flagged") answers.push(["flagged", item.expected_output, false]);
  else if (rated.has(idIdentity(item.source_interaction_id))) answers.push(["rated", item.expected_output, true]);
  if (answers.length === 0) {
    context.tally.unclear++;
    return [];
  }
  const units: StagedUnit[] = [];
  for (const task of selectedTasks(item, context.input.task_types)) {
    const template = templateFor(task, context.templates);
    for (const [source, analysis, desirable] of answers) {
      const record = ktoRecord({ system: template.system, user: item.user_input }, targetFor(analysis, template, item.user_input), desirable);
      if (ktoRecordProblem(record)) {
        context.tally.invalid++;
        continue;
      }
      units.push(unit(item, task, source, JSON.stringify({ ...record, source }), context.input));
    }
  }
  return units;
}
