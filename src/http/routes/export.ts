/**
 * Training-data export over HTTP: inline JSON as the original answered (bounded, and saying so),
 * and a streaming NDJSON route for datasets of any size.
 */
import { once } from "node:events";
import { PassThrough, Writable } from "node:stream";
import * as z from "zod";
import { NotFoundError } from "../../errors.js";
import { ExportInput } from "../../schema/export.js";
import { fieldOf, type FieldName } from "../../schema/fields.js";
import { exportDataset } from "../../services/export/export-dataset.js";
import { abortable } from "../../store/abortable.js";
import type { Store } from "../../store/store.js";
import { clientGoneSignal } from "../client-gone.js";
import { boolish } from "../query.js";
import { parseQuery, type RouteRegistry } from "../route.js";
import { parseInput } from "../../services/validate.js";
import { wireQuery } from "../wire/query-schema.js";

/** The original's format names: `jsonl` is lexi's `raw`. */
const FORMATS = ["jsonl", "raw", "openai", "alpaca", "sharegpt"] as const;
const formatOf = (format: (typeof FORMATS)[number]) => (format === "jsonl" ? "raw" : format);
const MAX_INLINE = 50_000;

/** An export field's own check, without its default (the service applies it). */
const exportField = <K extends FieldName<typeof ExportInput>>(field: K) => fieldOf(ExportInput, field).schema.optional();

/** The original's body: its names (`start_date`, `end_date`), its format names and its bound on the size. */
const InlineExport = z
  .object({
    task_types: exportField("task_types"),
    min_quality_score: exportField("min_quality_score"),
    validated_only: boolish.optional(),
    format: z.enum(FORMATS).default("jsonl"),
    user_id: exportField("user_id"),
    start_date: exportField("since"),
    end_date: exportField("until"),
    level: exportField("level"),
    include_used: boolish.optional(),
    mark_used: boolish.optional(),
    limit: z.number().int().min(1).max(MAX_INLINE).default(10_000),
    /** The share of clean grammar records (fluent, error-free, well-rated interactions); openai, alpaca or sharegpt only. */
    clean_share: exportField("clean_share"),
  })
  .strict();

const StreamQuery = wireQuery(ExportInput, {
  task_type: "task_types",
  min_quality_score: "min_quality_score",
  validated_only: "validated_only",
  format: { field: "format", schema: z.enum(FORMATS).transform(formatOf) },
  user_id: "user_id",
  since: "since",
  until: "until",
  level: "level",
  include_used: "include_used",
  mark_used: "mark_used",
  dedup: "dedup",
  limit: "limit",
  clean_share: "clean_share",
});

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
      const { format, start_date, end_date, ...filters } = input;
      const exported = exportDataset(store, { ...filters, format: formatOf(format), since: start_date, until: end_date }, { stream: collector });
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
      const done = exportDataset(abortable(store, signal), query, { stream: body }, { signal });
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
