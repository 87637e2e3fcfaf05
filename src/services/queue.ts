/**
 * The training queue: adding examples by hand, listing them best first, and recording reviewers'
 * decisions with their full history.
 */
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { hasDisagreement, reviewState } from "../domain/review-status.js";
import { idFilter, idText, IdString } from "../schema/common.js";
import type { InteractionDoc } from "../schema/interaction.js";
import {
  QueueAddInput,
  QueueFilterInput,
  ReviewerName,
  ValidateInput,
  type QueueDecision,
  type QueueItemDoc,
  type QueueStatus,
} from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Filter, Store, StoreSession } from "../store/store.js";
import { getInteraction } from "./interactions.js";
import { buildQueueItem } from "./queue-items.js";
import { parseInput } from "./validate.js";

/** Best quality first, then oldest: the order of listings and of `lexi review`. */
export const QUEUE_ORDER = { quality_score: -1, created_at: 1 } as const;

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
    const item = buildQueueItem(interaction, { tasks: [...new Set(input.task_types)], quality: input.quality_score, origin: "manual", notes: input.notes, now });
    await queue.insertOne(item);
    await session.collection<InteractionDoc>(COLLECTIONS.interactions).updateOne({ _id: interaction._id }, { $set: { in_training_queue: true } });
    return { example_id: idText(item._id) };
  });
}

export function queueFilter(raw: QueueFilterInput): { filter: Filter; limit: number } {
  const input = parseInput(QueueFilterInput, raw, "queue filter");
  const filter: Filter = { quality_score: { $gte: input.min_quality_score } };
  if (input.task_types.length) filter.task_types = { $in: input.task_types };
  if (input.status) filter.status = input.status;
  if (input.validated_only) filter.validated = true;
  return { filter, limit: input.limit };
}

export async function listQueue(store: Store, raw: QueueFilterInput = {}): Promise<QueueItemDoc[]> {
  const { filter, limit } = queueFilter(raw);
  return store.collection<QueueItemDoc>(COLLECTIONS.queue).find(filter, { sort: QUEUE_ORDER, limit }).toArray();
}

export async function getQueueItem(store: Store | StoreSession, id: string): Promise<QueueItemDoc> {
  const valid = parseInput(IdString, id, "example id");
  const item = await store.collection<QueueItemDoc>(COLLECTIONS.queue).findOne(idFilter(valid));
  if (!item) throw new NotFoundError(`no training example with id ${valid}`);
  return item;
}

export interface ValidationResult {
  example_id: string;
  status: QueueStatus;
  validated: boolean;
  decision: "approved" | "rejected";
  approvals: number;
  required_approvals: number;
}

/**
 * Records a reviewer's decision. Deciding again is allowed (the latest decision of each reviewer
 * counts) and every decision stays in the history.
 *
 * @example
 * await validateExample(store, exampleId, { approved: true, validated_by: "ana", notes: "good correction" });
 */
export async function validateExample(store: Store, id: string, raw: ValidateInput, now = new Date()): Promise<ValidationResult> {
  const input = parseInput(ValidateInput, raw, "validation");
  return store.transaction(async (session) => {
    const item = await getQueueItem(session, id);
    if (input.approved && reviewState(item.history).flagged && !input.notes?.trim()) {
      throw InvalidInputError.forFields(`example ${idText(item._id)} is flagged (${item.flag_reasons.join("; ") || "poor feedback"}) and approving clears the flag`, [
        { field: "notes", reason: "add a note saying why the answer is fine" },
      ]);
    }
    const decision = input.approved ? "approved" : "rejected";
    const entry: QueueDecision = { decision, by: input.validated_by, at: now, ...(input.notes ? { notes: input.notes } : {}) };
    return applyDecision(session, item, entry, input.require_approvals);
  });
}

/** Takes back a reviewer's standing decision (the `u` key of `lexi review`). */
export async function retractDecision(store: Store, id: string, reviewer: string, now = new Date()): Promise<QueueStatus> {
  const by = parseInput(ReviewerName, reviewer, "reviewer name");
  return store.transaction(async (session) => {
    const item = await getQueueItem(session, id);
    const state = reviewState(item.history);
    if (!state.approvers.includes(by) && !state.rejecters.includes(by)) throw new ConflictError(`${by} has no decision on example ${idText(item._id)} to take back`);
    const result = await applyDecision(session, item, { decision: "retracted", by, at: now }, item.required_approvals ?? 1);
    return result.status;
  });
}

async function applyDecision(session: StoreSession, item: QueueItemDoc, entry: QueueDecision, requiredApprovals: number): Promise<ValidationResult> {
  const history = [...item.history, entry];
  const state = reviewState(history, requiredApprovals);
  const approved = state.status === "approved";
  const decided = entry.decision === "approved" || entry.decision === "rejected";
  await session.collection<QueueItemDoc>(COLLECTIONS.queue).updateOne(
    { _id: item._id },
    {
      $push: { history: entry },
      $set: {
        status: state.status,
        validated: approved,
        required_approvals: requiredApprovals,
        lease: null,
        ...(decided ? { validated_by: entry.by, validated_at: entry.at, validation_notes: entry.notes ?? null } : {}),
      },
    },
  );
  const interactionUpdate: Record<string, unknown> = { training_validated: approved };
  if (reviewState(item.history).flagged && !state.flagged) Object.assign(interactionUpdate, { flagged_for_review: false, training_eligible: true });
  await session.collection<InteractionDoc>(COLLECTIONS.interactions).updateOne({ _id: item.source_interaction_id }, { $set: interactionUpdate });
  return {
    example_id: idText(item._id),
    status: state.status,
    validated: approved,
    decision: entry.decision === "rejected" ? "rejected" : "approved",
    approvals: state.approvers.length,
    required_approvals: requiredApprovals,
  };
}

export interface Disagreement {
  example_id: string;
  user_input: string;
  approvers: string[];
  rejecters: string[];
}

/** Examples whose reviewers disagree (someone approves, someone rejects). */
export async function reviewConflicts(store: Store, limit = 100): Promise<Disagreement[]> {
  const found: Disagreement[] = [];
  const candidates = store.collection<QueueItemDoc>(COLLECTIONS.queue).find({ status: "rejected", "history.decision": "approved" }, { sort: QUEUE_ORDER });
  for await (const item of candidates) {
    if (!hasDisagreement(item.history)) continue;
    const state = reviewState(item.history);
    found.push({ example_id: idText(item._id), user_input: item.user_input, approvers: state.approvers, rejecters: state.rejecters });
    if (found.length >= limit) break;
  }
  return found;
}

