/**
 * The training queue: add, list (with review statuses) and validate examples. Each handler
 * adapts the service's result to the original's answer in one place.
 */
import * as z from "zod";
import { CorrectedTarget } from "../../schema/correction.js";
import { QueueAddInput, QueueFilterInput } from "../../schema/queue.js";
import { addToQueue, listQueue, validateExample } from "../../services/queue.js";
import type { Store } from "../../store/store.js";
import { boolish, qInt, qIntIn } from "../query.js";
import { bodyOf, parseQuery, pathParam, type RouteRegistry } from "../route.js";
import { parseInput } from "../../services/validate.js";
import { wireQuery } from "../wire/query-schema.js";

const ListQuery = wireQuery(QueueFilterInput, {
  task_type: "task_types",
  status: "status",
  level: "level",
  validated_only: "validated_only",
  min_quality_score: "min_quality_score",
  // The original's bound, tighter than the library's.
  limit: { field: "limit", schema: qIntIn(1, 1000) },
});

/** The original took these as query parameters and documented a JSON body: both are accepted. */
const ValidateRequest = z.object({
  approved: boolish,
  validated_by: z.string(),
  notes: z.string().optional(),
  require_approvals: z.union([z.number().int(), qInt]).optional(),
  /** lexi's addition: the reviewer's corrected target (grammar_errors, tutor_response, vocabulary_suggestions). */
  corrected_output: CorrectedTarget.optional(),
});

export function queueRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: `${prefix}/training-queue`,
    scope: "admin",
    tag: "training queue",
    summary: "Add an interaction to the training queue (once per interaction; a second add is a 409)",
    body: QueueAddInput,
    handler: async (request) => ({ ...(await addToQueue(store, bodyOf(QueueAddInput, request))), message: "Successfully added to training queue" }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/training-queue`,
    scope: "admin",
    tag: "training queue",
    summary: "Training examples (an array), best quality first, with their review status; limit 1..1000, min_quality_score 0..1, level A1..C2",
    query: ListQuery,
    handler: async (request) => listQueue(store, parseQuery(ListQuery, request.query)),
  });
  routes.add({
    method: "PUT",
    url: `${prefix}/training-queue/:example_id/validate`,
    scope: "admin",
    tag: "training queue",
    summary: "Approve or reject an example (JSON body or query parameters); every decision is kept in its history",
    body: ValidateRequest,
    handler: async (request) => {
      const merged = { ...(request.query as object), ...((request.body as object | undefined) ?? {}) };
      const { approved, validated_by, notes, require_approvals, corrected_output } = parseInput(ValidateRequest, merged, "validation");
      const result = await validateExample(store, {
        example_id: pathParam(request, "example_id"),
        approved,
        validated_by,
        notes,
        require_approvals,
        corrected_output,
      });
      return { success: true, message: "Training example validated", ...result };
    },
  });
}
