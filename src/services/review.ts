/**
 * A reviewer's pass over pending examples. Each item is claimed with an expiring lease, so two
 * reviewers working at once never get the same one; every decision is saved as it is made.
 */
import type * as z from "zod";
import { idText } from "../schema/common.js";
import type { CorrectedTarget } from "../schema/correction.js";
import { ReviewStartInput, type QueueItemDoc } from "../schema/queue.js";
import { COLLECTIONS } from "../store/collections.js";
import type { Filter, Store } from "../store/store.js";
import { QUEUE_ORDER, queueListFilter, retractDecision, validateExample, type ValidationResult } from "./queue.js";
import { claimableBy, pendingTwins } from "./review-context.js";
import { parseInput } from "./validate.js";

export interface ReviewCounts {
  done: number;
  approved: number;
  rejected: number;
  skipped: number;
  remaining: number;
}

type SessionOptions = Pick<z.output<typeof ReviewStartInput>, "require_approvals" | "lease_ms">;

export class ReviewSession {
  readonly reviewer: string;
  readonly counts: ReviewCounts = { done: 0, approved: 0, rejected: 0, skipped: 0, remaining: 0 };
  private readonly baseFilter: Filter;
  private readonly skipped: unknown[] = [];
  private readonly decided: Array<{ item: QueueItemDoc; decision: "approved" | "rejected" }> = [];
  private current: QueueItemDoc | null = null;

  private constructor(
    private readonly store: Store,
    reviewer: string,
    filter: Filter,
    private readonly options: SessionOptions,
  ) {
    this.reviewer = reviewer;
    this.baseFilter = filter;
  }

  /**
   * @example
   * const session = await ReviewSession.start(store, { reviewer: "ana", filter: { task_types: ["grammar"] } });
   * for (let item = await session.next(); item; item = await session.next()) await session.decide(true);
   */
  static async start(store: Store, raw: ReviewStartInput): Promise<ReviewSession> {
    const { reviewer, filter: wanted, ...options } = parseInput(ReviewStartInput, raw, "review options");
    const { filter } = queueListFilter(wanted);
    const session = new ReviewSession(store, reviewer, { ...filter, "history.by": { $ne: reviewer } }, options);
    session.counts.remaining = await store.collection(COLLECTIONS.queue).countDocuments(session.baseFilter);
    return session;
  }

  get item(): QueueItemDoc | null {
    return this.current;
  }

  /** Claims the best unclaimed item and returns it, or null when nothing is left. */
  async next(now = new Date()): Promise<QueueItemDoc | null> {
    const leaseMs = this.options.lease_ms;
    this.current = await this.store.collection<QueueItemDoc>(COLLECTIONS.queue).findOneAndUpdate(
      {
        ...this.baseFilter,
        ...(this.skipped.length ? { _id: { $nin: this.skipped } } : {}),
        ...claimableBy(this.reviewer, now),
      },
      { $set: { lease: { by: this.reviewer, until: new Date(now.getTime() + leaseMs) } } },
      { sort: QUEUE_ORDER, returnDocument: "after" },
    );
    return this.current;
  }

  /** Approves or rejects the current item; with `correctedOutput`, approves that corrected target. */
  async decide(approved: boolean, notes?: string, correctedOutput?: CorrectedTarget): Promise<ValidationResult> {
    const item = this.requireItem();
    const result = await validateExample(this.store, {
      example_id: idText(item._id),
      approved,
      validated_by: this.reviewer,
      notes,
      require_approvals: this.options.require_approvals,
      ...(correctedOutput ? { corrected_output: correctedOutput } : {}),
    });
    this.record(item, result);
    this.current = null;
    return result;
  }

  private record(item: QueueItemDoc, result: ValidationResult): void {
    this.decided.push({ item, decision: result.decision });
    this.counts.done++;
    this.counts[result.decision]++;
    this.counts.remaining = Math.max(0, this.counts.remaining - 1);
  }

  /**
   * Records the same decision on every other pending example with the current item's learner
   * text (see `pendingTwins`), then on the current item; returns how many were decided.
   */
  async decideWithTwins(approved: boolean, notes?: string): Promise<{ decided: number; results: ValidationResult[] }> {
    const item = this.requireItem();
    const results: ValidationResult[] = [];
    for (const twin of await pendingTwins(this.store, item, this.reviewer)) {
      const result = await validateExample(this.store, { example_id: idText(twin._id), approved, validated_by: this.reviewer, notes, require_approvals: this.options.require_approvals });
      this.record(twin, result);
      results.push(result);
    }
    results.push(await this.decide(approved, notes));
    return { decided: results.length, results };
  }

  async skip(): Promise<void> {
    const item = this.requireItem();
    this.skipped.push(item._id);
    this.counts.skipped++;
    this.counts.remaining = Math.max(0, this.counts.remaining - 1);
    await this.release();
  }

  /** Takes back the last decision of this session and makes its item current again. */
  async undo(now = new Date()): Promise<QueueItemDoc | null> {
    const last = this.decided.pop();
    if (!last) return null;
    await this.release();
    await retractDecision(this.store, { example_id: idText(last.item._id), validated_by: this.reviewer }, now);
    this.counts.done--;
    this.counts[last.decision]--;
    this.counts.remaining++;
    this.current = await this.store
      .collection<QueueItemDoc>(COLLECTIONS.queue)
      .findOneAndUpdate({ _id: last.item._id }, { $set: { lease: { by: this.reviewer, until: new Date(now.getTime() + this.options.lease_ms) } } }, { returnDocument: "after" });
    return this.current;
  }

  get canUndo(): boolean {
    return this.decided.length > 0;
  }

  /** Gives the current item back to the queue (on skip or quit). */
  async release(): Promise<void> {
    if (!this.current) return;
    await this.store.collection(COLLECTIONS.queue).updateOne({ _id: this.current._id, "lease.by": this.reviewer }, { $set: { lease: null } });
    this.current = null;
  }

  private requireItem(): QueueItemDoc {
    if (!this.current) throw new Error("no item is being reviewed");
    return this.current;
  }
}
