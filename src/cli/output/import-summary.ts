import type { ImportSummary } from "../../services/import/import-records.js";

export function renderImport(summary: ImportSummary): string {
  const counts = Object.entries(summary.written).map(([key, value]) => `${value} ${key}`).join(", ");
  const rejected = summary.rejected ? `\n${summary.rejected} rejected, saved with their reasons to ${summary.rejected_file}` : "";
  return `Read ${summary.read} records: ${counts || "nothing written"}.${rejected}`;
}
