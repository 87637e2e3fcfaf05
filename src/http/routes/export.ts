/**
 * Training-data export over HTTP: inline JSON as the original answered (bounded, and saying so),
 * and a streaming NDJSON route for datasets of any size.
 */
import { once } from "node:events";
import { PassThrough, Writable } from "node:stream";
import { z } from "zod";
import { CefrLevel, IdString, Score01, Timestamp, WordName } from "../../schema/common.js";
import { NotFoundError } from "../../errors.js";
import { exportDataset } from "../../services/export/export-dataset.js";
import { abortable } from "../../store/abortable.js";
import type { Store } from "../../store/store.js";
import { clientGoneSignal } from "../client-gone.js";
import { boolish, qBool, qInt, qList, qNumber } from "../query.js";
import { parseQuery, type RouteRegistry } from "../route.js";
import { parseInput } from "../../services/validate.js";

const FORMATS = ["jsonl", "raw", "openai", "alpaca", "sharegpt"] as const;
const formatOf = (format: (typeof FORMATS)[number]) => (format === "jsonl" ? "raw" : format);
const MAX_INLINE = 50_000;

const InlineExport = z
  .object({
    task_types: z.array(WordName).default([]),
    min_quality_score: Score01.default(0.7),
    validated_only: boolish.default(false),
    format: z.enum(FORMATS).default("jsonl"),
    user_id: IdString.optional(),
    start_date: Timestamp.optional(),
    end_date: Timestamp.optional(),
    level: CefrLevel.optional(),
    include_used: boolish.default(false),
    mark_used: boolish.default(false),
    limit: z.number().int().min(1).max(MAX_INLINE).default(10_000),
    /** The share of clean grammar records (fluent, error-free, well-rated interactions); openai, alpaca or sharegpt only. */
    clean_share: Score01.optional(),
  })
  .strict();

const StreamQuery = z
  .object({
    task_type: qList.optional(),
    min_quality_score: qNumber.optional(),
    validated_only: qBool.optional(),
    format: z.enum(FORMATS).optional(),
    user_id: IdString.optional(),
    since: z.string().optional(),
    until: z.string().optional(),
    level: CefrLevel.optional(),
    include_used: qBool.optional(),
    mark_used: qBool.optional(),
    dedup: qBool.optional(),
    limit: qInt.optional(),
    clean_share: qNumber.optional(),
  })
  .strict();

/** Collects an export's lines in memory for the inline answer (bounded by its limit). */
class LineCollector extends Writable {
  readonly records: unknown[] = [];
  private rest = "";

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    const lines = (this.rest + chunk.toString("utf8")).split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) if (line) this.records.push(JSON.parse(line));
    done();
  }
}

export function exportRoutes(routes: RouteRegistry, store: Store, prefix: string): void {
  routes.add({
    method: "POST",
    url: `${prefix}/export/training-data`,
    scope: "admin",
    tag: "export",
    summary: `Export training data inline (at most ${MAX_INLINE.toLocaleString("en")} records; use the .jsonl route to stream any size)`,
    body: InlineExport,
    handler: async (request) => {
      const input = parseInput(InlineExport, request.body ?? {}, "export request");
      const collector = new LineCollector();
      const exported = exportDataset(
        store,
        {
          task_types: input.task_types,
          min_quality_score: input.min_quality_score,
          validated_only: input.validated_only,
          format: formatOf(input.format),
          user_id: input.user_id,
          since: input.start_date,
          until: input.end_date,
          level: input.level,
          include_used: input.include_used,
          mark_used: input.mark_used,
          limit: input.limit,
          clean_share: input.clean_share,
        },
        { stream: collector },
      );
      // Nothing to export is an empty answer, as the original gave, not an error: lexi records no
      // export then, so the id is an empty string (clients read a string there).
      const result = await exported.catch((error: unknown) => {
        if (error instanceof NotFoundError) return { _id: "", counts: null };
        throw error;
      });
      // The original's answer, then what lexi adds: whether the limit cut it short, and where to stream all of it.
      return {
        export_id: result._id,
        data: collector.records,
        record_count: collector.records.length,
        format: input.format,
        message: `Exported ${collector.records.length} training examples`,
        truncated: collector.records.length === input.limit,
        stream_url: `${prefix}/export/training-data.jsonl`,
        counts: result.counts,
      };
    },
  });

  routes.add({
    method: "GET",
    url: `${prefix}/export/training-data.jsonl`,
    scope: "admin",
    tag: "export",
    summary: "Stream an export as NDJSON: the same filters and formats as `lexi export`",
    query: StreamQuery,
    produces: "application/x-ndjson",
    handler: async (request, reply) => {
      const query = parseQuery(StreamQuery, request.query);
      const body = new PassThrough();
      // A client that goes away stops the export (its reads, its staging and any marks).
      const signal = clientGoneSignal(reply);
      const done = exportDataset(
        abortable(store, signal),
        {
          task_types: query.task_type ?? [],
          min_quality_score: query.min_quality_score,
          validated_only: query.validated_only,
          format: query.format ? formatOf(query.format) : "raw",
          user_id: query.user_id,
          since: query.since,
          until: query.until,
          level: query.level,
          include_used: query.include_used,
          mark_used: query.mark_used,
          dedup: query.dedup,
          limit: query.limit,
          clean_share: query.clean_share,
        },
        { stream: body },
        { signal },
      );
      // Errors found before the first line (bad filters, nothing to export) still get a JSON answer.
      const first = await Promise.race([once(body, "readable").then(() => "data" as const), done.then(() => "done" as const)]);
      void done.then(
        () => body.end(),
        (error) => body.destroy(error),
      );
      if (first === "done") await done;
      return reply.type("application/x-ndjson").send(body);
    },
  });
}
