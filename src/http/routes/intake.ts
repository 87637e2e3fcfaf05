/**
 * Interactions and feedback: what the mobile app posts after each tutor turn and reads back.
 * Each handler adapts the service's result to the original's answer in one place.
 */
import { FeedbackInput, FeedbackStatsInput } from "../../schema/feedback.js";
import { InteractionInput } from "../../schema/interaction.js";
import { feedbackStats, submitFeedback } from "../../services/feedback.js";
import { countInteractions, ListInteractionsInput, listInteractions, logInteraction, MAX_PAGE } from "../../services/interactions.js";
import type { Store } from "../../store/store.js";
import { pageHeaders } from "../page-headers.js";
import { qDays, qIntIn } from "../query.js";
import { bodyOf, parseQuery, pathParam, type RouteRegistry } from "../route.js";
import { feedbackStatsAnswer } from "../wire/feedback-stats.js";
import { wireQuery } from "../wire/query-schema.js";
import { unknownFieldsAnswer } from "../wire/unknown-fields.js";

const AI_PREFIX = "/api/v1/ai";
// The original's bounds, tighter than the library's.
const StatsQuery = wireQuery(FeedbackStatsInput, { user_id: "user_id", days: { field: "days", schema: qDays } });
const PageQuery = wireQuery(ListInteractionsInput, { limit: { field: "limit", schema: qIntIn(1, MAX_PAGE) }, skip: { field: "skip", schema: qIntIn(0) } });

export function intakeRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: `${AI_PREFIX}/interactions`,
    scope: "app",
    tag: "interactions",
    summary: "Log a tutor interaction; good examples are queued for training automatically",
    body: InteractionInput,
    handler: async (request) => ({ ...(await logInteraction(store, bodyOf(InteractionInput, request))), message: "Interaction logged successfully", ...unknownFieldsAnswer(InteractionInput, request.body) }),
  });
  routes.add({
    method: "GET",
    url: `${AI_PREFIX}/interactions/user/:user_id`,
    scope: "app",
    tag: "interactions",
    summary: `A learner's interactions, newest first (limit 1..${MAX_PAGE}, default ${ListInteractionsInput.shape.limit.parse(undefined)}); X-Total-Count and Link: rel="next" page the rest`,
    query: PageQuery,
    handler: async (request, reply) => {
      const query = parseQuery(PageQuery, request.query);
      const user_id = pathParam(request, "user_id");
      const page = ListInteractionsInput.pick({ limit: true, skip: true }).parse(query);
      const [interactions, total] = await Promise.all([listInteractions(store, { user_id, ...page }), countInteractions(store, { user_id })]);
      void reply.headers(pageHeaders(request.url, page, total));
      return interactions;
    },
  });
  routes.add({
    method: "GET",
    url: `${AI_PREFIX}/interactions/session/:session_id`,
    scope: "app",
    tag: "interactions",
    summary: `A session's interactions, oldest first (the conversation in order; pages of ${MAX_PAGE} with X-Total-Count and Link)`,
    query: PageQuery,
    handler: async (request, reply) => {
      const query = parseQuery(PageQuery, request.query);
      const session_id = pathParam(request, "session_id");
      // A conversation is read whole, a full page at a time.
      const page = ListInteractionsInput.pick({ limit: true, skip: true }).parse({ ...query, limit: query.limit ?? MAX_PAGE });
      const [interactions, total] = await Promise.all([listInteractions(store, { session_id, order: "oldest", ...page }), countInteractions(store, { session_id })]);
      void reply.headers(pageHeaders(request.url, page, total));
      return interactions;
    },
  });
  routes.add({
    method: "POST",
    url: `${prefix}/feedback`,
    scope: "app",
    tag: "feedback",
    summary: "Submit a learner's feedback on an interaction (a repeat by the same learner replaces it)",
    body: FeedbackInput,
    handler: async (request) => ({
      success: true,
      message: "Feedback submitted successfully. Thank you for helping improve our AI!",
      ...(await submitFeedback(store, bodyOf(FeedbackInput, request))),
      ...unknownFieldsAnswer(FeedbackInput, request.body),
    }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/feedback/stats`,
    scope: "admin",
    tag: "feedback",
    summary: "Feedback statistics over 1..365 days (default 30), optionally for one learner; avg_rating rounded to 2 places, percentages to 1, as the original",
    query: StatsQuery,
    handler: async (request) => {
      const query = parseQuery(StatsQuery, request.query);
      return feedbackStatsAnswer(await feedbackStats(store, query));
    },
  });
}
