/**
 * Interactions and feedback: what the mobile app posts after each tutor turn.
 */
import { z } from "zod";
import { FeedbackInput } from "../../schema/feedback.js";
import { IdString } from "../../schema/common.js";
import { InteractionInput } from "../../schema/interaction.js";
import { feedbackStats, submitFeedback } from "../../services/feedback.js";
import { logInteraction } from "../../services/interactions.js";
import type { Store } from "../../store/store.js";
import { qInt } from "../query.js";
import { parseQuery, type RouteRegistry } from "../route.js";

const StatsQuery = z.object({ user_id: IdString.optional(), days: qInt.optional() }).strict();

export function intakeRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: "/api/v1/ai/interactions",
    scope: "app",
    tag: "interactions",
    summary: "Log a tutor interaction; good examples are queued for training automatically",
    body: InteractionInput,
    successStatus: 201,
    handler: async (request) => ({ status: "success", ...(await logInteraction(store, request.body)) }),
  });
  routes.add({
    method: "POST",
    url: `${prefix}/feedback`,
    scope: "app",
    tag: "feedback",
    summary: "Submit a learner's feedback on an interaction (a repeat by the same learner replaces it)",
    body: FeedbackInput,
    handler: async (request) => ({ status: "success", ...(await submitFeedback(store, request.body)) }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/feedback/stats`,
    scope: "admin",
    tag: "feedback",
    summary: "Feedback statistics over a window of days, optionally for one learner",
    query: StatsQuery,
    handler: async (request) => {
      const query = parseQuery(StatsQuery, request.query);
      return feedbackStats(store, { user_id: query.user_id, days: query.days });
    },
  });
}
