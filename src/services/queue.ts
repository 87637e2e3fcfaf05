/**
 * The training queue: adding examples by hand, listing them best first, and recording reviewers'
 * decisions with their full history.
 */
import { ConflictError, NotFoundError } from "../errors.js";
import { reviseTarget, revertOnRetract } from "../domain/corrections.js";
import { deriveState, hasDisagreement, initial, onDecision } from "../domain/review-state.js";
import { idFilter, idText } from "../schema/common.js";
import type { FeedbackDoc } from "../schema/feedback.js";
import type { Analysis } from "../schema/interaction.js";
import {
  ConflictsInput,
  ExampleRef,
  QueueAddInput,
  QueueFilterInput,
  QUEUE_EQUALITY_FILTERS,
  RetractInput,
  ValidateInput,
  type QueueItemDoc,
  type QueueStatus,
} from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Filter, Store, StoreSession } from "../store/store.js";
import { applyReview } from "./apply-review.js";
import { getInteraction } from "./interactions.js";
import { buildQueueItem } from "./queue-items.js";
import { parseInput } from "./validate.js";

/**
 * Best quality first, then oldest: the order of listings and of `lexi review`. MongoDB returns
 * equal sort keys in any order, so `_id` breaks ties and paging stays deterministic.
 */
export const QUEUE_ORDER = { quality_score: -1, created_at: 1, _id: 1 } as const;

/**
 * Adds an interaction to the queue by hand.
 *
 * @example
 * await addToQueue(store, { interaction_id: id, task_types: ["grammar"], notes: "clear error" });
 */
export async function addToQueue(store: Store, raw: QueueAddInput, now = new Date()): Promise<{ example_id: string }> {
  const input = parseInput(QueueAddInput, raw, "queue item");
  return store.transaction(async (session) => {
    const interaction = await getInteraction(session, input.interaction_id);
    const queue = session.collection<QueueItemDoc>(COLLECTIONS.queue);
    const existing = await queue.findOne({ source_interaction_id: interaction._id }, { projection: { _id: 1 } });
    if (existing) throw new ConflictError(`interaction ${idText(interaction._id)} is already queued as example ${idText(existing._id)}`, { details: { example_id: idText(existing._id) } });
    const verdicts = await session.collection<FeedbackDoc>(COLLECTIONS.feedback).find({ interaction_id: interaction._id }).toArray();
    const review = initial(verdicts, now);
    const item = buildQueueItem(interaction, { tasks: [...new Set(input.task_types)], quality: input.quality_score, origin: "manual", notes: input.notes, now, review });
    await queue.insertOne(item);
    await applyReview(session, { interactionId: interaction._id, itemId: null }, review, { interaction: { in_training_queue: true } });
    return { example_id: idText(item._id) };
  });
}

/** The store filter of a queue listing (`queue list`, `review`, the HTTP listing). */
export function queueListFilter(raw: QueueFilterInput): { filter: Filter; limit: number } {
  const input = parseInput(QueueFilterInput, raw, "queue filter");
  const filter: Filter = { quality_score: { $gte: input.min_quality_score } };
  if (input.task_types.length) filter.task_types = { $in: input.task_types };
  for (const [field, stored] of Object.entries(QUEUE_EQUALITY_FILTERS)) {
    const value = input[field as keyof typeof QUEUE_EQUALITY_FILTERS];
    if (value !== undefined) filter[stored] = value;
  }
  if (input.validated_only) filter.validated = true;
  return { filter, limit: input.limit };
}

export async function listQueue(store: Store, raw: QueueFilterInput = {}): Promise<QueueItemDoc[]> {
  const { filter, limit } = queueListFilter(raw);
  return store.collection<QueueItemDoc>(COLLECTIONS.queue).find(filter, { sort: QUEUE_ORDER, limit }).toArray();
}

/**
 * @example
 * const item = await getQueueItem(store, { example_id: id });
 */
export async function getQueueItem(store: Store | StoreSession, raw: ExampleRef): Promise<QueueItemDoc> {
  const { example_id } = parseInput(ExampleRef, raw, "example id");
  const item = await store.collection<QueueItemDoc>(COLLECTIONS.queue).findOne(idFilter(example_id));
  if (!item) throw new NotFoundError(`no training example with id ${example_id}`);
  return item;
}

export interface ValidationResult {
  example_id: string;
  status: QueueStatus;
  validated: boolean;
  decision: "approved" | "rejected";
  approvals: number;
  required_approvals: number;
  /** With a correction: the index of its revision. */
  revision?: number;
}

/**
 * Records a reviewer's decision. Deciding again is allowed (the latest decision of each reviewer
 * counts) and every decision stays in the history.
 *
 * @example
 * await validateExample(store, { example_id: id, approved: true, validated_by: "ana", notes: "good correction" });
 */
export async function validateExample(store: Store, raw: ValidateInput, now = new Date()): Promise<ValidationResult> {
  const input = parseInput(ValidateInput, raw, "validation");
  return store.transaction(async (session) => {
    const item = await getQueueItem(session, input);
    const decision = input.approved ? "approved" : "rejected";
    const transition = onDecision(item, { decision, by: input.validated_by, at: now, notes: input.notes, requiredApprovals: input.require_approvals });
    const correction = input.corrected_output ? reviseTarget(item, input.corrected_output, { by: input.validated_by, at: now, note: input.notes?.trim() || undefined }) : undefined;
    if (correction && transition.entry) transition.entry.revision = correction.index;
    await applyReview(session, { interactionId: item.source_interaction_id, itemId: item._id }, transition, {
      item: { lease: null, ...(correction ? { corrected_output: correction.corrected_output } : {}) },
      ...(correction ? { itemPush: { revisions: correction.revision } } : {}),
    });
    return {
      example_id: idText(item._id),
      status: transition.item.status,
      validated: transition.item.validated,
      decision,
      approvals: transition.state.approvers.length,
      required_approvals: transition.item.required_approvals,
      ...(correction ? { revision: correction.index } : {}),
    };
  });
}

/**
 * Takes back a reviewer's standing decision (the `u` key of `lexi review`).
 *
 * @example
 * await retractDecision(store, { example_id: id, validated_by: "ana" }); // "pending"
 */
export async function retractDecision(store: Store, raw: RetractInput, now = new Date()): Promise<QueueStatus> {
  const input = parseInput(RetractInput, raw, "retraction");
  return store.transaction(async (session) => {
    const item = await getQueueItem(session, input);
    const revert = revertOnRetract(item, input.validated_by);
    const transition = onDecision(item, { decision: "retracted", by: input.validated_by, at: now });
    await applyReview(session, { interactionId: item.source_interaction_id, itemId: item._id }, transition, { item: { lease: null } });
    if (revert) await revertRevision(session, item, revert.corrected_output);
    return transition.item.status;
  });
}

/** Drops the latest revision and restores the output before it. */
async function revertRevision(session: StoreSession, item: QueueItemDoc, restored: Analysis | null): Promise<void> {
  await session
    .collection<QueueItemDoc>(COLLECTIONS.queue)
    .updateOne({ _id: item._id }, { $pop: { revisions: 1 }, ...(restored ? { $set: { corrected_output: restored } } : { $unset: { corrected_output: "" } }) });
}

export interface Disagreement {
  example_id: string;
  user_input: string;
  approvers: string[];
  rejecters: string[];
}

/** Examples whose reviewers disagree (someone approves, someone rejects). */
export async function reviewConflicts(store: Store, raw: ConflictsInput = {}): Promise<Disagreement[]> {
  const { limit } = parseInput(ConflictsInput, raw, "conflicts query");
  const found: Disagreement[] = [];
  const candidates = store.collection<QueueItemDoc>(COLLECTIONS.queue).find({ status: "rejected", "history.decision": "approved" }, { sort: QUEUE_ORDER });
  for await (const item of candidates) {
    if (!hasDisagreement(item.history)) continue;
    const state = deriveState(item.history);
    found.push({ example_id: idText(item._id), user_input: item.user_input, approvers: state.approvers, rejecters: state.rejecters });
    if (found.length >= limit) break;
  }
  return found;
}

