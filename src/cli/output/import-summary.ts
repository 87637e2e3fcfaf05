import type { ImportSummary } from "../../services/import/import-records.js";
import type { UnknownFieldReport } from "../../services/intake-import.js";

export function renderImport(summary: ImportSummary & { unknown_fields?: UnknownFieldReport[] }): string {
  const counts = Object.entries(summary.written).map(([key, value]) => `${value} ${key}`).join(", ");
  const rejected = summary.rejected ? `\n${summary.rejected} rejected, saved with their reasons to ${summary.rejected_file}` : "";
  const unknown = (summary.unknown_fields ?? []).map((field) => `\n${field.message} (${field.records} ${field.records === 1 ? "record" : "records"}; kept as written, --strict refuses)`).join("");
  return `Read ${summary.read} records: ${counts || "nothing written"}.${rejected}${unknown}`;
}
