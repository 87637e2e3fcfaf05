/**
 * Progress, error patterns, analytics and model metrics.
 */
import { z } from "zod";
import { AnalyticsInput } from "../../schema/analytics.js";
import { MetricsInput } from "../../schema/metrics.js";
import { ProgressInput } from "../../schema/progress.js";
import { analytics } from "../../services/analytics.js";
import { logMetrics, metricsHistory } from "../../services/metrics.js";
import { detectPatterns, userPatterns } from "../../services/patterns.js";
import { progressHistory, saveSnapshot } from "../../services/progress.js";
import type { Store } from "../../store/store.js";
import { qInt } from "../query.js";
import { parseQuery, pathParam, type RouteRegistry } from "../route.js";

const DaysQuery = z.object({ days: qInt.optional() }).strict();
const PatternsQuery = z.object({ min_frequency: qInt.optional(), days: qInt.optional() }).strict();
const LimitQuery = z.object({ limit: qInt.optional() }).strict();
const MetricsQuery = z.object({ model_name: z.string().optional(), version: z.string().optional() }).strict();

export function insightRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: `${prefix}/progress/snapshot`,
    scope: "app",
    tag: "progress",
    summary: "Save a learner's progress snapshot (its own date is kept; the trend counts it)",
    body: ProgressInput,
    successStatus: 201,
    handler: async (request) => ({ status: "success", ...(await saveSnapshot(store, request.body)) }),
  });
  routes.add({
    method: "GET",
    url: `${prefix}/progress/history/:user_id`,
    scope: "app",
    tag: "progress",
    summary: "A learner's snapshots, oldest first",
    query: DaysQuery,
    handler: async (request) => {
      const query = parseQuery(DaysQuery, request.query);
      const snapshots = await progressHistory(store, pathParam(request, "user_id"), query.days ?? 30);
      return { user_id: pathParam(request, "user_id"), count: snapshots.length, snapshots };
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/error-patterns`,
    scope: "admin",
    tag: "error patterns",
    summary: "Detect error patterns across learners (stores one document per type and level)",
    query: PatternsQuery,
    handler: async (request) => {
      const query = parseQuery(PatternsQuery, request.query);
      const patterns = await detectPatterns(store, { min_frequency: query.min_frequency ?? 5, days: query.days ?? 7 });
      return { count: patterns.length, patterns };
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/error-patterns/user/:user_id`,
    scope: "app",
    tag: "error patterns",
    summary: "One learner's error types with counts and examples",
    query: DaysQuery,
    handler: async (request) => {
      const query = parseQuery(DaysQuery, request.query);
      return userPatterns(store, { user_id: pathParam(request, "user_id"), days: query.days ?? 30 });
    },
  });
  routes.add({
    method: "POST",
    url: `${prefix}/analytics`,
    scope: "admin",
    tag: "analytics",
    summary: "Fluency, grammar, vocabulary or engagement, grouped by day, week, month or level",
    body: AnalyticsInput,
    handler: async (request) => analytics(store, request.body as never),
  });
  routes.add({
    method: "POST",
    url: `${prefix}/metrics/model-performance`,
    scope: "admin",
    tag: "model metrics",
    summary: "Log evaluation metrics of a model version (name and version in the body or the query)",
    body: MetricsInput,
    query: MetricsQuery,
    successStatus: 201,
    handler: async (request) => {
      const query = parseQuery(MetricsQuery, request.query);
      const body = (request.body as Record<string, unknown> | undefined) ?? {};
      return { status: "success", ...(await logMetrics(store, { ...query, ...body })) };
    },
  });
  routes.add({
    method: "GET",
    url: `${prefix}/metrics/model-performance/:model_name`,
    scope: "admin",
    tag: "model metrics",
    summary: "A model's metrics, newest first",
    query: LimitQuery,
    handler: async (request) => {
      const query = parseQuery(LimitQuery, request.query);
      const history = await metricsHistory(store, pathParam(request, "model_name"), query.limit ?? 50);
      return { model_name: pathParam(request, "model_name"), count: history.length, history };
    },
  });
}
