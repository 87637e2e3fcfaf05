/**
 * The training queue: add, list (with review statuses) and validate examples. Each handler
 * adapts the service's result to the original's answer in one place.
 */
import { z } from "zod";
import { CorrectedTarget } from "../../schema/correction.js";
import { QUEUE_STATUSES, QueueAddInput } from "../../schema/queue.js";
import { addToQueue, listQueue, validateExample } from "../../services/queue.js";
import type { Store } from "../../store/store.js";
import { boolish, qBool, qInt, qIntIn, qList, qScore } from "../query.js";
import { parseQuery, pathParam, type RouteRegistry } from "../route.js";
import { parseInput } from "../../services/validate.js";

const ListQuery = z
  .object({
    task_type: qList.optional(),
    status: z.enum(QUEUE_STATUSES).optional(),
    validated_only: qBool.optional(),
    min_quality_score: qScore.optional(),
    limit: qIntIn(1, 1000).optional(),
  })
  .strict();

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
    handler: async (request) => ({ ...(await addToQueue(store, request.body as never)), message: "Successfully added to training queue" }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/training-queue`,
    scope: "admin",
    tag: "training queue",
    summary: "Training examples (an array), best quality first, with their review status; limit 1..1000, min_quality_score 0..1",
    query: ListQuery,
    handler: async (request) => {
      const query = parseQuery(ListQuery, request.query);
      const items = await listQueue(store, {
        task_types: query.task_type ?? [],
        status: query.status,
        validated_only: query.validated_only ?? false,
        min_quality_score: query.min_quality_score ?? 0.7,
        limit: query.limit ?? 100,
      });
      return items;
    },
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
