/**
 * Logging interactions (validate, derive the quality indicators, queue the good ones) and
 * reading them back by learner or by session.
 */
import { ConflictError, NotFoundError } from "../errors.js";
import { DEFAULT_AUTO_QUEUE, evaluateAutoQueue, type AutoQueueThresholds } from "../domain/auto-queue.js";
import { deriveQualityIndicators } from "../domain/quality-indicators.js";
import { initial } from "../domain/review-state.js";
import { idCandidates, idFilter, idIdentity, idText, IdString } from "../schema/common.js";
import { InteractionInput, type InteractionDoc, type ValidInteraction } from "../schema/interaction.js";
import type { QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Filter, Store, StoreSession } from "../store/store.js";
import { ObjectId } from "bson";
import * as z from "zod";
import { buildQueueItem } from "./queue-items.js";
import { upsertQueueItems } from "./queue-upsert.js";
import { parseInput } from "./validate.js";

/** The most interactions one listing returns; more come page by page. */
export const MAX_PAGE = 1000;

export interface IntakeOptions {
  autoQueue?: AutoQueueThresholds;
  now?: Date;
}

export function buildInteractionDoc(input: ValidInteraction, now: Date): InteractionDoc {
  const { _id, timestamp, ...rest } = input;
  return {
    _id: _id ?? new ObjectId(),
    ...rest,
    timestamp: timestamp ?? now,
    quality_indicators: deriveQualityIndicators(input.analysis),
    ...initial([], now).interaction,
    in_training_queue: false,
    indexed_at: now,
  };
}

export interface LoggedInteraction {
  interaction_id: string;
  queued: boolean;
  example_id: string | null;
  task_types: string[];
  auto_queue_score: number;
}

/**
 * Logs one interaction and runs the auto-queue rule.
 *
 * @example
 * const { interaction_id, queued } = await logInteraction(store, { session_id: "s1", user_id: "u1", user_input: { text: "I go yesterday" }, analysis });
 */
export async function logInteraction(store: Store, raw: InteractionInput, options: IntakeOptions = {}): Promise<LoggedInteraction> {
  const input = parseInput(InteractionInput, raw, "interaction");
  const now = options.now ?? new Date();
  const doc = buildInteractionDoc(input, now);
  const decision = evaluateAutoQueue(doc.analysis, options.autoQueue ?? DEFAULT_AUTO_QUEUE);
  const item = decision.queue ? buildQueueItem(doc, { tasks: decision.tasks, quality: decision.score, origin: "auto", now }) : undefined;
  let exampleId: unknown = null;
  try {
    exampleId = await store.transaction(async (session) => {
      await withoutStored(session, [doc]);
      const [exampleOf] = await storeFresh(session, [doc], item ? [doc] : [], item ? [item] : []);
      return exampleOf ?? null;
    });
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(`interaction ${idText(doc._id)} already exists`, { cause: error });
    throw error;
  }
  return {
    interaction_id: idText(doc._id),
    queued: Boolean(item),
    example_id: item ? idText(exampleId) : null,
    task_types: decision.tasks,
    auto_queue_score: decision.score,
  };
}

export type BatchResult = {
  inserted: number;
  duplicates: number;
  queued: number;
};

/**
 * Writes validated interactions in one transaction. Interactions whose `_id` is already stored are
 * skipped (so importing the same file twice does not duplicate).
 */
export async function writeInteractionBatch(store: Store, inputs: ValidInteraction[], options: IntakeOptions = {}): Promise<BatchResult> {
  const now = options.now ?? new Date();
  const thresholds = options.autoQueue ?? DEFAULT_AUTO_QUEUE;
  return store.transaction(async (session) => {
    const docs = inputs.map((input) => buildInteractionDoc(input, now));
    const fresh = await withoutStored(session, docs);
    const queued: InteractionDoc[] = [];
    const items: QueueItemDoc[] = [];
    for (const doc of fresh) {
      const decision = evaluateAutoQueue(doc.analysis, thresholds);
      if (!decision.queue) continue;
      queued.push(doc);
      items.push(buildQueueItem(doc, { tasks: decision.tasks, quality: decision.score, origin: "auto", now }));
    }
    await storeFresh(session, fresh, queued, items);
    return { inserted: fresh.length, duplicates: docs.length - fresh.length, queued: items.length };
  });
}

/**
 * Stores new interactions and the examples of those that are `queued`, in an order that stays
 * consistent where writes cannot be undone (a standalone MongoDB server): the examples first (each
 * keyed on its interaction, so a rerun keeps the one stored), then the interactions, already
 * marked as queued. A failure in between leaves examples whose interaction a rerun stores — never
 * an interaction marked as queued without its example. Returns the stored example ids of `queued`.
 */
async function storeFresh(session: StoreSession, fresh: InteractionDoc[], queued: InteractionDoc[], items: QueueItemDoc[]): Promise<unknown[]> {
  const exampleIds = items.length ? await upsertQueueItems(session, items) : [];
  for (const doc of queued) doc.in_training_queue = true;
  if (fresh.length) await session.collection(COLLECTIONS.interactions).insertMany(fresh);
  return exampleIds;
}

/**
 * Drops documents already stored, and repeats of an `_id` inside the batch itself. An id whose
 * text is already shown for another interaction (the string "5f0c…" beside the ObjectId 5f0c…)
 * is a conflict: two interactions must never print the same id.
 */
async function withoutStored(session: StoreSession, docs: InteractionDoc[]): Promise<InteractionDoc[]> {
  const candidates = docs.flatMap((doc) => idCandidates(idText(doc._id)));
  const stored = await session
    .collection(COLLECTIONS.interactions)
    .find({ _id: { $in: candidates } }, { projection: { _id: 1 } })
    .toArray();
  const seen = new Map(stored.map((doc) => [idText(doc._id as InteractionDoc["_id"]), idIdentity(doc._id)]));
  return docs.filter((doc) => {
    const text = idText(doc._id);
    const key = seen.get(text);
    if (key === undefined) {
      seen.set(text, idIdentity(doc._id));
      return true;
    }
    if (key === idIdentity(doc._id)) return false;
    throw new ConflictError(`interaction id ${text} is already used by another interaction (one id as an ObjectId, the other as a string); give this one another id`);
  });
}

/** Finds an interaction by its id text; a malformed id is invalid input, an unknown one not found. */
export async function getInteraction(store: Store | StoreSession, id: string): Promise<InteractionDoc>;
/** Only the fields a projection names (`{ _id: 1 }`: whether it exists, and its stored `_id`). */
export async function getInteraction(store: Store | StoreSession, id: string, projection: Record<string, 1>): Promise<Partial<InteractionDoc> & Pick<InteractionDoc, "_id">>;
export async function getInteraction(store: Store | StoreSession, id: string, projection?: Record<string, 1>): Promise<Partial<InteractionDoc>> {
  const valid = parseInput(IdString, id, "interaction id");
  const found = await store.collection<InteractionDoc>(COLLECTIONS.interactions).findOne(idFilter(valid), projection ? { projection } : {});
  if (!found) throw new NotFoundError(`no interaction with id ${valid}`);
  return found;
}

/** Which interactions to list, and which page of them (the original's `limit`/`skip`). */
export const ListInteractionsInput = z.object({
  user_id: IdString.optional(),
  session_id: IdString.optional(),
  flagged: z.boolean().optional(),
  limit: z.number().int().min(1, "must be at least 1").max(MAX_PAGE, `must be at most ${MAX_PAGE}`).default(100),
  skip: z.number().int().min(0, "must be 0 or more").default(0),
  /** `newest` first (a learner's history) or `oldest` first (a session read as a conversation). */
  order: z.enum(["newest", "oldest"]).default("newest"),
});
export type ListInteractionsInput = z.input<typeof ListInteractionsInput>;

function listFilter(input: { user_id?: string; session_id?: string; flagged?: boolean }): Filter {
  const filter: Filter = {};
  if (input.user_id !== undefined) filter.user_id = input.user_id;
  if (input.session_id !== undefined) filter.session_id = input.session_id;
  if (input.flagged !== undefined) filter.flagged_for_review = input.flagged;
  return filter;
}

/**
 * Interactions by learner, session or flag, a page at a time; ties in time are ordered by id so
 * pages never overlap.
 *
 * @example
 * const latest = await listInteractions(store, { user_id: "u1", limit: 100, skip: 0 });
 * const conversation = await listInteractions(store, { session_id: "s1", order: "oldest" });
 */
export async function listInteractions(store: Store, raw: ListInteractionsInput = {}): Promise<InteractionDoc[]> {
  const input = parseInput(ListInteractionsInput, raw, "interaction query");
  const direction = input.order === "newest" ? -1 : 1;
  return store
    .collection<InteractionDoc>(COLLECTIONS.interactions)
    .find(listFilter(input), { sort: { timestamp: direction, _id: direction }, skip: input.skip, limit: input.limit })
    .toArray();
}

/** How many interactions the same filters match, whatever the page. */
export async function countInteractions(store: Store, raw: Pick<ListInteractionsInput, "user_id" | "session_id" | "flagged"> = {}): Promise<number> {
  const input = parseInput(ListInteractionsInput.pick({ user_id: true, session_id: true, flagged: true }), raw, "interaction query");
  return store.collection(COLLECTIONS.interactions).countDocuments(listFilter(input));
}
