/**
 * Progress, error patterns, analytics and model metrics. Each handler adapts the service's result
 * to the original's answer in one place (arrays stay arrays; totals go in headers).
 */
import { AnalyticsInput } from "../../schema/analytics.js";
import { MetricsHistoryInput, MetricsInput } from "../../schema/metrics.js";
import { DetectPatternsInput, UserPatternsInput } from "../../schema/patterns.js";
import { ProgressHistoryInput, ProgressInput } from "../../schema/progress.js";
import { analytics } from "../../services/analytics.js";
import { logMetrics, metricsHistory } from "../../services/metrics.js";
import { detectPatterns, userPatterns } from "../../services/patterns.js";
import { progressHistory, saveSnapshot } from "../../services/progress.js";
import type { Store } from "../../store/store.js";
import { storeForRequest } from "../client-gone.js";
import { qDays, qIntIn } from "../query.js";
import { bodyOf, parseQuery, pathParam, type RouteRegistry } from "../route.js";
import { analyticsAnswer } from "../wire/analytics.js";
import { unknownFieldsAnswer } from "../wire/unknown-fields.js";
import { learnerPatternsAnswer, MAX_PATTERNS, patternsAnswer } from "../wire/error-patterns.js";
import { wireQuery } from "../wire/query-schema.js";

// The original's bounds, tighter than the library's.
const HistoryQuery = wireQuery(ProgressHistoryInput, { days: { field: "days", schema: qDays } });
const LearnerPatternsQuery = wireQuery(UserPatternsInput, { days: { field: "days", schema: qDays } });
const PatternsQuery = wireQuery(DetectPatternsInput, { min_frequency: { field: "min_frequency", schema: qIntIn(1) }, days: { field: "days", schema: qDays } });
const LimitQuery = wireQuery(MetricsHistoryInput, { limit: { field: "limit", schema: qIntIn(1, 100) } });
const MetricsQuery = wireQuery(MetricsInput, { model_name: "model_name", version: "version" });

export function insightRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: `${prefix}/progress/snapshot`,
    scope: "app",
    tag: "progress",
    summary: "Save a learner's progress snapshot (its own date is kept; the trend counts it)",
    body: ProgressInput,
    handler: async (request) => ({ ...(await saveSnapshot(store, bodyOf(ProgressInput, request))), message: "Progress snapshot saved", ...unknownFieldsAnswer(ProgressInput, request.body) }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/progress/history/:user_id`,
    scope: "app",
    tag: "progress",
    summary: "A learner's snapshots of the last 1..365 days (default 30), oldest first",
    query: HistoryQuery,
    handler: async (request) => {
      const query = parseQuery(HistoryQuery, request.query);
      return progressHistory(store, { ...query, user_id: pathParam(request, "user_id") });
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/error-patterns`,
    scope: "admin",
    tag: "error patterns",
    summary: `Detect error patterns across learners (stores one document per type and level); the ${MAX_PATTERNS} most frequent, X-Total-Count says how many there are`,
    query: PatternsQuery,
    handler: async (request, reply) => {
      const query = parseQuery(PatternsQuery, request.query);
      const patterns = await detectPatterns(storeForRequest(store, reply), query);
      void reply.header("x-total-count", String(patterns.length));
      return patternsAnswer(patterns);
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/error-patterns/user/:user_id`,
    scope: "app",
    tag: "error patterns",
    summary: "One learner's error types of the last 1..365 days (default 30), most frequent first, with examples",
    query: LearnerPatternsQuery,
    handler: async (request, reply) => {
      const query = parseQuery(LearnerPatternsQuery, request.query);
      const result = await userPatterns(storeForRequest(store, reply), { ...query, user_id: pathParam(request, "user_id") });
      return learnerPatternsAnswer(result.error_types);
    },
  });
  routes.add({
    method: "POST",
    url: `${prefix}/analytics`,
    scope: "admin",
    tag: "analytics",
    summary: "Fluency, grammar, vocabulary or engagement, grouped by day (default, as the original), week, month or level",
    body: AnalyticsInput,
    handler: async (request, reply) => {
      // The original always grouped by day; without a group_by, so does this route.
      return analyticsAnswer(await analytics(storeForRequest(store, reply), { group_by: "day", ...bodyOf(AnalyticsInput, request) }));
    },
  });
  routes.add({
    method: "POST",
    url: `${prefix}/metrics/model-performance`,
    scope: "admin",
    tag: "model metrics",
    summary: "Log evaluation metrics of a model version: model_name and version as query parameters with {metrics, metadata} as the body, or all four in the body",
    body: MetricsInput,
    query: MetricsQuery,
    handler: async (request) => {
      const query = parseQuery(MetricsQuery, request.query);
      const input = { ...query, ...bodyOf(MetricsInput, request) };
      return { ...(await logMetrics(store, input)), message: "Model metrics logged successfully", ...unknownFieldsAnswer(MetricsInput, input) };
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/metrics/model-performance/:model_name`,
    scope: "admin",
    tag: "model metrics",
    summary: "A model's metrics, newest first (limit 1..100, default 50)",
    query: LimitQuery,
    handler: async (request) => {
      const query = parseQuery(LimitQuery, request.query);
      return metricsHistory(store, { ...query, model_name: pathParam(request, "model_name") });
    },
  });
}
